"""Scoring claims against a model's judgements and variants.

For a judgement *S -> T* (source variant promotes or hinders target variant) a claim is
scored by combining cosine similarities of the offline sentence embeddings:

- the claim against the judgement as a whole: both variants' names and descriptions, the
  direction (promotes/hinders) and the judgement's rationale;
- the claim's antecedent against *S* and its consequent against *T*'s descriptor (for a
  conditional; otherwise the whole sentence stands for both parts).

Which variant of *T*'s descriptor the consequent matches best gives the claim's direction:
a claim pointing at *T* supports a promoting judgement and contradicts a hindering one,
a claim pointing at a sibling of *T* the reverse; a negated claim flips the direction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kizashi.evidence import embeddings

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from kizashi.model import Judgement, Model

WEIGHT_JUDGEMENT = 0.6
WEIGHT_SOURCE = 0.05
WEIGHT_TARGET = 0.35


@dataclass(frozen=True)
class LinkInput:
    """What linking needs of a claim."""

    text: str
    antecedent: str | None = None
    consequent: str | None = None
    negated: bool = False


@dataclass(frozen=True)
class Ranked:
    """A judgement (``from -> to``) or variant (``descriptor.variant``) with its score."""

    target: str
    score: float
    relation: str


def judgement_key(judgement: Judgement) -> str:
    """``descriptor.variant -> descriptor.variant``."""
    return f"{judgement.source_variant} -> {judgement.target_variant}"


def _variant_texts(model: Model) -> dict[str, str]:
    texts: dict[str, str] = {}
    for descriptor in model.descriptors:
        for variant in descriptor.variants:
            texts[f"{descriptor.id}.{variant.id}"] = (
                f"{descriptor.name}: {variant.name}. {variant.description}".strip()
            )
    return texts


def _judgement_text(judgement: Judgement, variants: dict[str, str]) -> str:
    verb = "promotes" if judgement.score > 0 else "hinders"
    return (
        f"{variants.get(judgement.source_variant, judgement.source_variant)} {verb} "
        f"{variants.get(judgement.target_variant, judgement.target_variant)} {judgement.rationale}"
    )


class ModelIndex:
    """Embeddings of a model's variants and judgements (computed once per model)."""

    def __init__(self, model: Model) -> None:
        self.model = model
        variant_texts = _variant_texts(model)
        self.variant_ids = list(variant_texts)
        self.judgements = list(model.judgements)
        self.keys = [judgement_key(j) for j in self.judgements]
        vectors = embeddings.embed(
            list(variant_texts.values()) + [_judgement_text(j, variant_texts) for j in self.judgements]
        )
        self.variant_vecs: NDArray[np.float32] = vectors[: len(self.variant_ids)]
        self.judgement_vecs: NDArray[np.float32] = vectors[len(self.variant_ids) :]
        self.variant_row = {vid: i for i, vid in enumerate(self.variant_ids)}
        self.siblings = {
            f"{d.id}.{v.id}": [self.variant_row[f"{d.id}.{w.id}"] for w in d.variants]
            for d in model.descriptors
            for v in d.variants
        }
        self.src_rows = np.array([self.variant_row.get(j.source_variant, 0) for j in self.judgements])


def rank(
    index: ModelIndex,
    claims: list[LinkInput],
    claim_vecs: NDArray[np.float32] | None = None,
    *,
    top: int = 5,
    top_variants: int = 2,
) -> list[tuple[list[Ranked], list[Ranked]]]:
    """For each claim, its best judgements and its best variants, highest score first."""
    if not claims:
        return []
    if claim_vecs is None:
        claim_vecs = embeddings.embed([c.text for c in claims])
    parts = [t for c in claims for t in (c.antecedent, c.consequent) if t]
    part_vecs = embeddings.embed(parts) if parts else np.zeros((0, claim_vecs.shape[1]), np.float32)
    out: list[tuple[list[Ranked], list[Ranked]]] = []
    cursor = 0
    for i, claim in enumerate(claims):
        whole = claim_vecs[i]
        ante = cons = whole
        if claim.antecedent and claim.consequent:
            ante = 0.5 * whole + 0.5 * part_vecs[cursor]
            cons = 0.5 * whole + 0.5 * part_vecs[cursor + 1]
        cursor += int(bool(claim.antecedent)) + int(bool(claim.consequent))
        s_judgement = index.judgement_vecs @ whole
        s_variant_src = index.variant_vecs @ ante
        s_variant_tgt = index.variant_vecs @ cons
        scored: list[Ranked] = []
        for j, judgement in enumerate(index.judgements):
            siblings = index.siblings.get(judgement.target_variant)
            target_row = index.variant_row.get(judgement.target_variant)
            if not siblings or target_row is None:
                continue
            best_sibling = max(siblings, key=lambda r: s_variant_tgt[r])
            s_target = float(s_variant_tgt[best_sibling])
            points_at_target = best_sibling == target_row
            if claim.negated:
                points_at_target = not points_at_target
            supports = points_at_target == (judgement.score > 0)
            score = (
                WEIGHT_JUDGEMENT * float(s_judgement[j])
                + WEIGHT_SOURCE * float(s_variant_src[index.src_rows[j]])
                + WEIGHT_TARGET * s_target
            )
            scored.append(Ranked(index.keys[j], round(score, 4), "supports" if supports else "contradicts"))
        scored.sort(key=lambda r: (-r.score, r.target))
        s_any = index.variant_vecs @ whole
        order = np.argsort(-s_any, kind="stable")[:top_variants]
        variants = [Ranked(index.variant_ids[r], round(float(s_any[r]), 4), "mentions") for r in order]
        out.append((scored[:top], variants))
    return out
