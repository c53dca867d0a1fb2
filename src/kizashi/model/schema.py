"""The model's data types: descriptors, variants, judgements and their evidence.

The shape follows DESIGN.md ("The model file"). Only non-zero judgements are stored;
every judgement carries a rationale and, unless it is an analyst's closure judgement,
verbatim evidence quotes that name their source.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

ID_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_\-]*$"


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=False)


class Variant(_Base):
    """One mutually exclusive state of a descriptor."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = ""
    description: str = ""


class Descriptor(_Base):
    """A factor of the system with two or more variants."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = ""
    description: str = ""
    themes: list[int] = Field(default_factory=list)
    variants: list[Variant] = Field(default_factory=list)


class Evidence(_Base):
    """A verbatim quote from a source that supports a judgement."""

    source: str
    quote: str
    sentence: str | None = None
    note: str | None = None


class Judgement(_Base):
    """Variant ``from`` promotes (score > 0) or hinders (score < 0) variant ``to``."""

    source_variant: str = Field(alias="from")
    target_variant: str = Field(alias="to")
    score: float
    rationale: str = ""
    sources: list[str] = Field(default_factory=list)
    source_scores: dict[str, float] = Field(default_factory=dict)
    basis: Literal["sources", "analyst"] = "sources"
    evidence: list[Evidence] = Field(default_factory=list)

    @field_validator("score")
    @classmethod
    def _half_integer(cls, value: float) -> float:
        if value * 2 != int(value * 2):
            raise ValueError("score must be an integer or a half-integer")
        if value == 0:
            raise ValueError("only non-zero judgements are written")
        return value

    @field_validator("source_scores")
    @classmethod
    def _half_integer_scores(cls, value: dict[str, float]) -> dict[str, float]:
        for key, score in value.items():
            if score * 2 != int(score * 2):
                raise ValueError(f"source score for {key!r} must be an integer or a half-integer")
        return value

    def score_for(self, source: str) -> float | None:
        """The score this judgement has in ``source``'s own matrix (None if silent)."""
        if source in self.source_scores:
            return self.source_scores[source]
        if source in self.sources:
            return self.score
        return None


class SourceRef(_Base):
    """A source (analysis) the model cites."""

    id: str
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    date: str | None = None
    written_before_election: bool | None = None
    vantage: str | None = None


class Model(_Base):
    """A CIB model: ordered descriptors and the non-zero judgements between them."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = ""
    description: str = ""
    question: str | None = None
    aggregate: Literal["median", "mean", "explicit"] = "explicit"
    sources: list[SourceRef] = Field(default_factory=list)
    descriptors: list[Descriptor] = Field(default_factory=list)
    judgements: list[Judgement] = Field(default_factory=list)
    folds: dict[str, str] = Field(default_factory=dict)

    def descriptor(self, descriptor_id: str) -> Descriptor:
        """The descriptor with this id (KeyError if unknown)."""
        for descriptor in self.descriptors:
            if descriptor.id == descriptor_id:
                return descriptor
        raise KeyError(descriptor_id)

    def source_ids(self) -> list[str]:
        """Ids of every source named by the model, its judgements or their evidence."""
        seen: dict[str, None] = {s.id: None for s in self.sources}
        for judgement in self.judgements:
            for sid in judgement.sources:
                seen.setdefault(sid, None)
            for sid in judgement.source_scores:
                seen.setdefault(sid, None)
            for ev in judgement.evidence:
                seen.setdefault(ev.source, None)
        return list(seen)
