"""Scoring claims against a model's judgements and variants.

Every judgement *S -> T* of the model (read at run time) gets a feature vector per claim
(``features.py``: target theme, source, target variant, sign) and a score that is a
linear combination of the features with ``WEIGHTS``; the scores of one claim go through a
softmax, so a link's score is the ranker's probability that the claim bears on that
judgement. ``WEIGHTS`` were fitted by ``fitting.fit_weights`` on the hand-labelled seed
gold set (``tests/data/claims_gold.yaml``); ``kizashi claims-eval`` reports their
in-sample accuracy and the accuracy of weights refitted with one seed source held out.

Which variant of *T*'s descriptor the claim (its consequent for a conditional) matches
best gives the claim's direction: a claim pointing at *T* supports a promoting judgement
and contradicts a hindering one, a claim pointing at a sibling of *T* the reverse; a
negated claim flips the direction.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from kizashi.evidence import embeddings
from kizashi.evidence.claims.features import (
    FEATURES,
    ClaimParts,
    FeatureIndex,
    JudgementInfo,
    pair_features,
    softmax,
    stems,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from kizashi.model import Judgement, Model

# Fitted by ``fitting.fit_weights`` on all linkable sentences of the seed gold set against
# the flagship model as it stood then (191 judgements; see the module docstring); regenerate with
# ``python -m kizashi.evidence.claims.fitting``. Features missing here weigh 0.
WEIGHTS: dict[str, float] = {
    "target_lexicon": 1.368,
    "target_lexicon_cons": 1.022,
    "target_lexicon_gap": 1.368,
    "target_name": -0.301,
    "target_embedding": 0.297,
    "source_america_first": 1.433,
    "source_multilateral": 1.429,
    "prior_america_first": 0.367,
    "prior_multilateral": -0.045,
    "source_lexicon": 0.887,
    "source_variant": -0.377,
    "source_and_target": -0.453,
    "source_antecedent": 0.084,
    "target_variant": -0.207,
    "target_signed": -0.102,
    "target_cues": 1.153,
    "judgement_embedding": 0.406,
    "rationale_embedding": 0.376,
    "rationale_overlap": 2.697,
    "rationale_idf": 0.801,
    "strength": 2.051,
    "positive": 0.041,
    "target_trajectory": 0.989,
}


@dataclass(frozen=True)
class LinkInput:
    """What linking needs of a claim."""

    text: str
    antecedent: str | None = None
    consequent: str | None = None
    negated: bool = False
    actors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ranked:
    """A judgement (``from -> to``) or variant (``descriptor.variant``) with its score."""

    target: str
    score: float
    relation: str


@dataclass
class ClaimScores:
    """The features of one claim against every judgement, and the target variants' shares."""

    features: NDArray[np.float64]
    shares: dict[str, dict[str, float]]
    variant_sims: NDArray[np.float64]


def judgement_key(judgement: Judgement) -> str:
    """``descriptor.variant -> descriptor.variant``."""
    return f"{judgement.source_variant} -> {judgement.target_variant}"


def weight_vector(weights: dict[str, float] | None = None) -> NDArray[np.float64]:
    """Weights in ``FEATURES`` order (``WEIGHTS`` by default)."""
    w = WEIGHTS if weights is None else weights
    return np.array([w.get(name, 0.0) for name in FEATURES])


@lru_cache(maxsize=4)
def _embed_model_texts(texts: tuple[str, ...]) -> NDArray[np.float64]:
    """Embeddings of a model's texts, kept for the few models last indexed (re-scoring is cheap)."""
    vectors = embeddings.embed(list(texts)).astype(np.float64)
    vectors.setflags(write=False)
    return vectors


def _unit(vector: NDArray[np.float64]) -> NDArray[np.float64]:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def _judgement_text(judgement: Judgement, variants: dict[str, str]) -> str:
    verb = "promotes" if judgement.score > 0 else "hinders"
    return (
        f"{variants.get(judgement.source_variant, judgement.source_variant)} {verb} "
        f"{variants.get(judgement.target_variant, judgement.target_variant)} {judgement.rationale}"
    )


class ModelIndex:
    """A model's judgements, lexicon and embeddings (computed once per model)."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.features = FeatureIndex(model)
        self.variant_ids = self.features.variant_ids
        self.judgements = [
            j for j in model.judgements
            if j.source_variant in self.features.variant_row and j.target_variant in self.features.variant_row
        ]
        self.keys = [judgement_key(j) for j in self.judgements]
        self.infos = [JudgementInfo(j.source_variant, j.target_variant, float(j.score), stems(j.rationale))
                      for j in self.judgements]
        names = dict(zip(self.variant_ids, self.features.variant_texts, strict=True))
        texts = (self.features.descriptor_texts + self.features.variant_texts
                 + [_judgement_text(j, names) for j in self.judgements]
                 + [j.rationale or "" for j in self.judgements])
        vectors = _embed_model_texts(tuple(texts))
        n_d, n_v = len(self.features.descriptor_texts), len(self.variant_ids)
        # A descriptor is represented by its own text together with the mean of its
        # variants' texts (more of its vocabulary than the name and description alone).
        self.descriptor_vecs = np.array([
            _unit(vectors[i] + vectors[n_d + self.features.sibling_rows[did]].mean(axis=0))
            for i, did in enumerate(self.features.descriptor_ids)
        ]).reshape(n_d, vectors.shape[1])
        self.variant_vecs = vectors[n_d : n_d + n_v]
        n_j = len(self.judgements)
        self.judgement_vecs = vectors[n_d + n_v : n_d + n_v + n_j]
        self.rationale_vecs = vectors[n_d + n_v + n_j :]


def score_claims(
    index: ModelIndex, claims: list[LinkInput], claim_vecs: NDArray[np.float32] | None = None
) -> list[ClaimScores]:
    """The feature matrix of every claim against every judgement of the index."""
    if not claims:
        return []
    if claim_vecs is None:
        claim_vecs = embeddings.embed([c.text for c in claims])
    whole_vecs = claim_vecs.astype(np.float64)
    parts = [t for c in claims for t in (c.antecedent, c.consequent) if t]
    part_vecs = embeddings.embed(parts).astype(np.float64) if parts else np.zeros((0, whole_vecs.shape[1]))
    out: list[ClaimScores] = []
    cursor = 0
    for i, claim in enumerate(claims):
        whole = whole_vecs[i]
        ante = cons = whole
        if claim.antecedent:
            ante = 0.5 * whole + 0.5 * part_vecs[cursor]
            cursor += 1
        if claim.consequent:
            cons = 0.5 * whole + 0.5 * part_vecs[cursor]
            cursor += 1
        sims = {
            "descriptors": index.descriptor_vecs @ whole,
            "variants_ante": index.variant_vecs @ ante,
            "variants_cons": index.variant_vecs @ cons,
            "judgements": index.judgement_vecs @ whole,
            "rationales": index.rationale_vecs @ whole,
        }
        parts_of = ClaimParts(claim.text, claim.antecedent, claim.consequent, frozenset(claim.actors))
        matrix, shares = pair_features(index.features, parts_of, index.infos, sims)
        out.append(ClaimScores(matrix, shares, index.variant_vecs @ whole))
    return out


def _relation(index: ModelIndex, j: int, shares: dict[str, dict[str, float]], negated: bool) -> str:
    judgement = index.judgements[j]
    share = shares.get(judgement.target_variant.split(".", 1)[0], {})
    points_at_target = bool(share) and max(share, key=lambda v: share[v]) == judgement.target_variant
    if negated:
        points_at_target = not points_at_target
    return "supports" if points_at_target == (judgement.score > 0) else "contradicts"


def rank(
    index: ModelIndex,
    claims: list[LinkInput],
    claim_vecs: NDArray[np.float32] | None = None,
    *,
    top: int = 5,
    top_variants: int = 2,
    weights: dict[str, float] | None = None,
) -> list[tuple[list[Ranked], list[Ranked]]]:
    """For each claim, its best judgements and its best variants, highest score first."""
    w = weight_vector(weights)
    out: list[tuple[list[Ranked], list[Ranked]]] = []
    for claim, scored in zip(claims, score_claims(index, claims, claim_vecs), strict=True):
        probs = softmax(scored.features @ w) if len(index.judgements) else np.zeros(0)
        order = sorted(range(len(index.judgements)), key=lambda j: (-probs[j], index.keys[j]))[:top]
        judgements = [
            Ranked(index.keys[j], round(float(probs[j]), 4), _relation(index, j, scored.shares, claim.negated))
            for j in order
        ]
        v_order = np.argsort(-scored.variant_sims, kind="stable")[:top_variants]
        variants = [Ranked(index.variant_ids[r], round(float(scored.variant_sims[r]), 4), "mentions")
                    for r in v_order]
        out.append((judgements, variants))
    return out
