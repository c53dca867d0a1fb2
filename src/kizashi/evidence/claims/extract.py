"""Claim extraction for one sentence: kind, likelihood, actors, quantities, negation."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from kizashi.evidence.claims.actors import actors_of
from kizashi.evidence.claims.estimative import estimate, find_cues
from kizashi.evidence.claims.kinds import FORWARD_LOOKING, classify
from kizashi.evidence.claims.negation import find_negations
from kizashi.evidence.claims.nlp import parse_many
from kizashi.evidence.claims.quantities import extract_quantities

if TYPE_CHECKING:
    from spacy.tokens import Doc

EXTRACTOR_VERSION = 1


@dataclass
class ClaimInfo:
    """What extraction found in one sentence."""

    text: str
    kind: str
    likelihood: str | None
    probability: float | None
    cues: list[dict[str, Any]] = field(default_factory=list)
    stacked_hedge: bool = False
    actors: list[dict[str, Any]] = field(default_factory=list)
    quantities: list[dict[str, Any]] = field(default_factory=list)
    negations: list[dict[str, Any]] = field(default_factory=list)
    conditions: list[dict[str, str]] = field(default_factory=list)
    recommendation_cue: str | None = None
    reason: str = ""

    @property
    def forward_looking(self) -> bool:
        """Prediction, conditional or recommendation."""
        return self.kind in FORWARD_LOOKING

    @property
    def actor_names(self) -> list[str]:
        """Normalised actor names, each once, in order of appearance."""
        return list(dict.fromkeys(a["name"] for a in self.actors))

    @property
    def negated(self) -> bool:
        """Whether the sentence carries a negation."""
        return bool(self.negations)

    def meta(self) -> dict[str, Any]:
        """The fields stored in the claim's ``metadata`` column."""
        return {
            "extractor": EXTRACTOR_VERSION,
            "cues": self.cues,
            "stacked_hedge": self.stacked_hedge,
            "negations": self.negations,
            "conditions": self.conditions,
            "recommendation_cue": self.recommendation_cue,
            "reason": self.reason,
        }

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form."""
        data = asdict(self)
        data["forward_looking"] = self.forward_looking
        return data


def _from_doc(doc: Doc) -> ClaimInfo:
    cues = find_cues(doc)
    result = classify(doc, cues)
    band: str | None = None
    stacked = False
    used = result.governing
    if result.kind in {"prediction", "conditional"} or (result.kind == "assessment" and used):
        est = estimate(used)
        band, stacked = est.band, est.stacked
        used = list(est.cues)
    probability = None
    if band:
        from kizashi.evidence.claims.estimative import band_probability

        probability = band_probability(band)
    return ClaimInfo(
        text=doc.text,
        kind=result.kind,
        likelihood=band,
        probability=probability,
        cues=[c.to_dict() for c in used] if band else [],
        stacked_hedge=stacked,
        actors=actors_of(doc),
        quantities=extract_quantities(doc),
        negations=[n.to_dict() for n in find_negations(doc)],
        conditions=[c.to_dict() for c in result.conditions],
        recommendation_cue=result.recommendation_cue,
        reason=result.reason,
    )


def extract_claims(texts: list[str]) -> list[ClaimInfo]:
    """Extract a claim from each sentence (one ``ClaimInfo`` per text, same order)."""
    return [_from_doc(doc) for doc in parse_many(texts)]


def extract_claim(text: str) -> ClaimInfo:
    """Extract the claim of one sentence."""
    return extract_claims([text])[0]
