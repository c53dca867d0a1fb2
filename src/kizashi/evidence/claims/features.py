"""Features of a (claim, judgement) pair for the structured linking scorer.

A judgement *S -> T* is a source variant *S* (of descriptor *Sd*) acting on a target
variant *T* (of descriptor *Td*). Three questions are asked of a claim, each answered by
lexical cues (``lexicon.py``) and by cosine similarity of the offline sentence embeddings:

1. **Target theme** -- is the claim about *Td*? Lexicon terms and actors of *Td* in the
   claim (and in its consequent), the words of *Td*'s name, and the claim's similarity to
   *Td*'s name and description compared with the best descriptor.
2. **Source** -- does the claim speak of *S*? For the US administration's orientation,
   the cues of America First (Trump, protectionist, a second term ...) against those of
   alliance-centred multilateralism (Biden, Harris, coalitions ...), counted twice in a
   conditional's antecedent, plus a prior per orientation; for any other source, the
   lexicon score of *Sd* and how well the antecedent matches *S* among its siblings.
3. **Target variant** -- does the claim point at *T* rather than a sibling? The
   similarity of the consequent to each variant of *Td* (softmax over the siblings) and
   the variant's cue phrases (direction words: increase, withdraw, impose, abandon ...);
   plus the judgement's strength and sign.

The similarity of the claim to the judgement as a whole (both variants, direction,
rationale) and to its rationale alone, and the content words it shares with the
rationale, are further features. No feature reads the model's evidence quotes (nor the
judgement's list of sources).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kizashi.evidence.claims.lexicon import Lexicon, saturate

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from kizashi.model import Model

ORIENTATION = "us_orientation"
AMERICA_FIRST = "us_orientation.america_first"
MULTILATERAL = "us_orientation.alliance_multilateral"
TEMPERATURE = 0.05

_STOP = frozenset(re.findall(r"\S+",
    "that this with from their there have has had been will would could should might about "
    "into over under more most also than then they them its it's which while when where what "
    "japan japan's japanese tokyo united states washington america american trump trump's "
    "alliance relationship between both other each such some many much very even only"
))


def stems(text: str) -> frozenset[str]:
    """Crude stems (first five letters) of a text's content words of four letters or more."""
    return frozenset(w[:5] for w in re.findall(r"[a-z][a-z\-]{3,}", text.lower()) if w not in _STOP)


FEATURES: tuple[str, ...] = (
    "target_lexicon",        # Td's terms/actors in the whole claim (0..1)
    "target_lexicon_cons",   # Td's terms in the consequent (0..1)
    "target_lexicon_gap",    # Td's lexicon score minus the best descriptor's (<= 0)
    "target_name",           # words of Td's name in the claim (0..1)
    "target_embedding",      # similarity to Td minus the best descriptor's, x10 (<= 0)
    "source_america_first",  # S is America First: its cues minus the multilateral cues
    "source_multilateral",   # S is multilateralism: its cues minus America First's
    "prior_america_first",   # S is America First
    "prior_multilateral",    # S is multilateralism
    "source_lexicon",        # S is another descriptor's variant: Sd's lexicon score
    "source_variant",        # ... and S's share among Sd's variants (antecedent)
    "source_and_target",     # ... and both Sd and Td are named: product of their scores
    "source_antecedent",     # ... Sd's lexicon score in a conditional's antecedent
    "target_variant",        # T's share among Td's variants (consequent; embedding + cues)
    "target_signed",         # T's share if the judgement promotes T, minus it if it hinders T
    "target_cues",           # T's cue phrases minus the best sibling's (saturated)
    "judgement_embedding",   # similarity to the judgement text minus the best one's, x10
    "rationale_embedding",   # similarity to the judgement's rationale minus the best one's, x10
    "rationale_overlap",     # content-word stems shared with the rationale (0..1)
    "rationale_idf",         # the same stems weighted by rarity among the model's texts, / 10
    "strength",              # |score| / 3
    "positive",              # score > 0
    "target_trajectory",     # Td is the overall alliance trajectory (a catch-all theme)
)
TRAJECTORY = "alliance_trajectory"


@dataclass(frozen=True)
class JudgementInfo:
    """What the features read of a judgement: its variants, score and rationale stems."""

    source: str
    target: str
    score: float
    rationale_stems: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ClaimParts:
    """A claim's text, its condition's parts and its actor names."""

    text: str
    antecedent: str | None
    consequent: str | None
    actors: frozenset[str]


def softmax(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Softmax of a vector."""
    shifted = np.exp(values - values.max())
    return shifted / shifted.sum()


class FeatureIndex:
    """What the features need of a model, computed once: lexicon, texts, row indices."""

    def __init__(self, model: Model, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or Lexicon(model)
        self.descriptor_ids = [d.id for d in model.descriptors]
        self.descriptor_texts = [f"{d.name}. {d.description}".strip() for d in model.descriptors]
        self.variant_ids: list[str] = []
        self.variant_texts: list[str] = []
        for d in model.descriptors:
            for v in d.variants:
                self.variant_ids.append(f"{d.id}.{v.id}")
                self.variant_texts.append(f"{d.name}: {v.name}. {v.description}".strip())
        self.variant_row = {vid: i for i, vid in enumerate(self.variant_ids)}
        self.descriptor_row = {did: i for i, did in enumerate(self.descriptor_ids)}
        texts = [j.rationale or "" for j in model.judgements] + self.variant_texts
        df: dict[str, int] = {}
        for t in texts:
            for stem in stems(t):
                df[stem] = df.get(stem, 0) + 1
        self.idf = {stem: math.log((len(texts) + 1) / (n + 1)) + 1.0 for stem, n in df.items()}
        self.sibling_rows = {
            did: np.array([self.variant_row[f"{did}.{v.id}"] for v in d.variants], dtype=int)
            for did, d in zip(self.descriptor_ids, model.descriptors, strict=True)
        }


def _shares(
    index: FeatureIndex, descriptor: str, sims: NDArray[np.float64], text: str
) -> dict[str, float]:
    """Each variant's share of ``descriptor`` for a text: softmax of similarity plus cues."""
    rows = index.sibling_rows[descriptor]
    cues = np.array([saturate(index.lexicon.variant_hits(index.variant_ids[r], text)) for r in rows])
    probs = softmax(sims[rows] / TEMPERATURE + 2.0 * cues)
    return {index.variant_ids[r]: float(p) for r, p in zip(rows, probs, strict=True)}


def pair_features(
    index: FeatureIndex,
    claim: ClaimParts,
    judgements: list[JudgementInfo],
    sims: dict[str, NDArray[np.float64]],
) -> tuple[NDArray[np.float64], dict[str, dict[str, float]]]:
    """Features of one claim against each judgement.

    ``sims`` holds the claim's cosine similarities: ``descriptors`` (claim vs descriptor
    texts), ``variants_ante`` / ``variants_cons`` (antecedent / consequent vs variant
    texts), ``judgements`` and ``rationales``. Returns the feature matrix and, per target descriptor, the
    variants' shares (used to tell whether the claim points at the target variant).
    """
    lex = index.lexicon
    text = claim.text
    cons_text = claim.consequent or text
    ante_text = claim.antecedent or ""
    d_lex = {d: lex.descriptor_score(d, text, claim.actors) for d in index.descriptor_ids}
    best_lex = max(d_lex.values(), default=0.0)
    d_emb = sims["descriptors"]
    best_emb = float(d_emb.max()) if d_emb.size else 0.0
    j_best = float(sims["judgements"].max()) if sims["judgements"].size else 0.0
    r_best = float(sims["rationales"].max()) if sims["rationales"].size else 0.0
    claim_stems = stems(text)

    def weighted(shared: frozenset[str]) -> float:
        return sum(index.idf.get(stem, 1.0) for stem in shared)

    af = saturate(lex.variant_hits(AMERICA_FIRST, text) + lex.variant_hits(AMERICA_FIRST, ante_text))
    am = saturate(lex.variant_hits(MULTILATERAL, text) + lex.variant_hits(MULTILATERAL, ante_text))
    target_shares: dict[str, dict[str, float]] = {}
    source_shares: dict[str, dict[str, float]] = {}
    rows = np.zeros((len(judgements), len(FEATURES)))
    cons_lex: dict[str, float] = {}
    t_cues_of: dict[str, dict[str, float]] = {}
    for j, info in enumerate(judgements):
        source, target, score = info.source, info.target, info.score
        sd, td = source.split(".", 1)[0], target.split(".", 1)[0]
        if td not in index.sibling_rows or sd not in index.sibling_rows:
            continue
        if td not in target_shares:
            target_shares[td] = _shares(index, td, sims["variants_cons"], cons_text)
            cons_lex[td] = lex.descriptor_score(td, cons_text)
            t_cues_of[td] = {v: saturate(lex.variant_hits(v, cons_text)) for v in target_shares[td]}
        t_share = target_shares[td]
        t_cues = t_cues_of[td]
        row = rows[j]
        row[0] = d_lex[td]
        row[1] = cons_lex[td]
        row[2] = d_lex[td] - best_lex
        row[3] = lex.name_score(td, text)
        row[4] = 10.0 * (float(d_emb[index.descriptor_row[td]]) - best_emb)
        if source == AMERICA_FIRST:
            row[5], row[7] = af - am, 1.0
        elif source == MULTILATERAL:
            row[6], row[8] = am - af, 1.0
        elif sd != ORIENTATION:
            if sd not in source_shares:
                source_shares[sd] = _shares(index, sd, sims["variants_ante"], ante_text or text)
            row[9] = d_lex[sd]
            row[10] = source_shares[sd].get(source, 0.0)
            row[11] = d_lex[sd] * d_lex[td]
            if ante_text:
                row[12] = lex.descriptor_score(sd, ante_text)
        row[13] = t_share.get(target, 0.0)
        row[14] = row[13] if score > 0 else -row[13]
        row[15] = t_cues.get(target, 0.0) - max(t_cues.values(), default=0.0)
        row[16] = 10.0 * (float(sims["judgements"][j]) - j_best)
        row[17] = 10.0 * (float(sims["rationales"][j]) - r_best)
        row[18] = saturate(len(claim_stems & info.rationale_stems))
        row[19] = weighted(claim_stems & info.rationale_stems) / 10.0
        row[20] = abs(score) / 3.0
        row[21] = float(score > 0)
        row[22] = float(td == TRAJECTORY)
    return rows, target_shares
