"""Semantic validation of a model: ids resolve, no diagonal judgements, quotes verbatim.

Problems carry the file, the line and the id they concern so that ``kizashi check``
can print them one per line.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from kizashi.model.schema import Model
from kizashi.model.yaml_io import LoadedModel

_QUOTE_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Fold typographic quotes and dashes, and collapse whitespace, for quote matching."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_MAP)
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class Problem:
    """One validation problem."""

    path: str
    line: int | None
    subject: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.subject}: {self.message}"


def split_ref(ref: str) -> tuple[str, str] | None:
    """Split ``descriptor.variant``; None when the reference has no dot."""
    if "." not in ref:
        return None
    descriptor, variant = ref.split(".", 1)
    return descriptor, variant


def validate_model(
    loaded: LoadedModel | Model,
    texts: Mapping[str, str] | None = None,
    path: str = "<model>",
) -> list[Problem]:
    """Every structural and evidential problem of a model.

    ``texts`` maps source ids to their (cleaned) text; when given, every evidence quote
    must occur in its source after ``normalise_text`` on both sides.
    """
    if isinstance(loaded, LoadedModel):
        model, path = loaded.model, loaded.path

        def line(*loc: int | str) -> int | None:
            return loaded.line(*loc)

    else:
        model = loaded

        def line(*loc: int | str) -> int | None:
            return None

    problems: list[Problem] = []

    def add(loc: tuple[int | str, ...], subject: str, message: str) -> None:
        problems.append(Problem(path, line(*loc), subject, message))

    variants: dict[str, set[str]] = {}
    for di, descriptor in enumerate(model.descriptors):
        if descriptor.id in variants:
            add(("descriptors", di, "id"), descriptor.id, "duplicate descriptor id")
        if len(descriptor.variants) < 2:
            add(("descriptors", di), descriptor.id, "a descriptor needs at least two variants")
        seen: set[str] = set()
        for vi, variant in enumerate(descriptor.variants):
            if variant.id in seen:
                add(("descriptors", di, "variants", vi), f"{descriptor.id}.{variant.id}", "duplicate variant id")
            seen.add(variant.id)
        variants[descriptor.id] = seen
    if not model.descriptors:
        add(("descriptors",), model.id, "the model has no descriptors")

    known_sources = {s.id for s in model.sources}
    norm_texts = {k: normalise_text(v) for k, v in (texts or {}).items()}
    pairs: set[tuple[str, str]] = set()
    for ji, judgement in enumerate(model.judgements):
        subject = f"{judgement.source_variant} -> {judgement.target_variant}"
        ends = []
        for key, ref in (("from", judgement.source_variant), ("to", judgement.target_variant)):
            parts = split_ref(ref)
            if parts is None:
                add(("judgements", ji, key), subject, f"{ref!r} is not of the form descriptor.variant")
                continue
            d, v = parts
            if d not in variants:
                add(("judgements", ji, key), subject, f"unknown descriptor {d!r}")
            elif v not in variants[d]:
                add(("judgements", ji, key), subject, f"unknown variant {v!r} of descriptor {d!r}")
            else:
                ends.append(d)
        if len(ends) == 2 and ends[0] == ends[1]:
            add(("judgements", ji), subject, "a judgement may not sit in a diagonal block (same descriptor)")
        pair = (judgement.source_variant, judgement.target_variant)
        if pair in pairs:
            add(("judgements", ji), subject, "duplicate judgement for this pair of variants")
        pairs.add(pair)
        if not judgement.rationale.strip():
            add(("judgements", ji), subject, "a judgement needs a rationale")
        if judgement.basis == "sources" and not judgement.evidence:
            add(("judgements", ji), subject, "a judgement needs at least one evidence quote (or basis: analyst)")
        for sid in judgement.source_scores:
            if sid not in judgement.sources:
                add(("judgements", ji, "source_scores"), subject, f"source_scores names {sid!r}, which is not in sources")
        if model.aggregate == "median" and judgement.source_scores:
            scores = [judgement.score_for(s) for s in judgement.sources]
            values = [s for s in scores if s is not None]
            expected = statistics.median(values)
            if abs(expected - judgement.score) > 1e-9 and _rounded_half(expected) != judgement.score:
                add(
                    ("judgements", ji, "score"),
                    subject,
                    f"score {judgement.score:g} is not the median {expected:g} of its sources' scores",
                )
        for ei, evidence in enumerate(judgement.evidence):
            loc = ("judgements", ji, "evidence", ei)
            if known_sources and evidence.source not in known_sources:
                add(loc, subject, f"unknown source {evidence.source!r}")
                continue
            if texts is not None:
                if evidence.source not in norm_texts:
                    add(loc, subject, f"no text for source {evidence.source!r}")
                elif normalise_text(evidence.quote) not in norm_texts[evidence.source]:
                    add(loc, subject, f"quote not found verbatim in {evidence.source}: {evidence.quote[:60]!r}")
        if known_sources:
            for si, sid in enumerate(judgement.sources):
                if sid not in known_sources:
                    add(("judgements", ji, "sources", si), subject, f"unknown source {sid!r}")
    return problems


def _rounded_half(value: float) -> float:
    """Round to the nearest half-integer away from zero (the median of two scores may be a quarter)."""
    sign = 1.0 if value >= 0 else -1.0
    return sign * (int(abs(value) * 2 + 0.5) / 2)
