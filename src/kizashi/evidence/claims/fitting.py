"""Fitting the linking weights, and measuring them with one source held out.

The ranker is a listwise softmax over a claim's judgements: the probability of judgement
*j* is ``softmax(F @ w)[j]`` and the loss of a labelled claim is ``-log`` of the summed
probability of its gold judgements, plus an L2 penalty pulling ``w`` toward zero. It is
minimised by full-batch gradient descent (Adam); with 16 features and a hundred claims
this takes well under a second.

``leave_one_source_out`` refits the weights once per source on the claims of the other
sources and ranks the held-out source's claims with them, so the figures it reports never
come from weights that saw the claims they rank.

Run ``python -m kizashi.evidence.claims.fitting`` to print weights fitted on the whole
gold set (what ``scoring.WEIGHTS`` holds).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kizashi.evidence.claims.features import FEATURES

if TYPE_CHECKING:
    from numpy.typing import NDArray

L2 = 0.005
STEPS = 600
LEARNING_RATE = 0.05


@dataclass
class Example:
    """One labelled claim: its feature matrix, the rows of its gold judgements, its source."""

    features: NDArray[np.float64]
    gold: list[int]
    source: str


def _loss_and_gradient(w: NDArray[np.float64], examples: list[Example]) -> tuple[float, NDArray[np.float64]]:
    loss = L2 * float(w @ w)
    grad = 2.0 * L2 * w
    for ex in examples:
        logits = ex.features @ w
        logits -= logits.max()
        p = np.exp(logits)
        p /= p.sum()
        p_gold = p[ex.gold]
        mass = float(p_gold.sum())
        loss -= np.log(max(mass, 1e-12)) / len(examples)
        q = np.zeros_like(p)
        q[ex.gold] = p_gold / max(mass, 1e-12)
        grad += ((p - q) @ ex.features) / len(examples)
    return loss, grad


def fit_weights(examples: list[Example]) -> dict[str, float]:
    """Weights minimising the listwise loss on ``examples`` (Adam, fixed steps)."""
    w = np.zeros(len(FEATURES))
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    usable = [ex for ex in examples if ex.gold]
    if not usable:
        return dict.fromkeys(FEATURES, 0.0)
    for step in range(1, STEPS + 1):
        _, g = _loss_and_gradient(w, usable)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w -= LEARNING_RATE * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return {name: round(float(x), 3) for name, x in zip(FEATURES, w, strict=True)}


def top_k_hits(examples: list[Example], weights: dict[str, float], k: int) -> list[bool]:
    """Per example: is one of its gold judgements among the ``k`` best-scored?"""
    w = np.array([weights.get(name, 0.0) for name in FEATURES])
    hits = []
    for ex in examples:
        scores = ex.features @ w
        order = np.argsort(-scores, kind="stable")[:k]
        hits.append(bool(set(order.tolist()) & set(ex.gold)))
    return hits


def leave_one_source_out(examples: list[Example]) -> dict[str, tuple[list[bool], list[bool]]]:
    """Per source: top-1 and top-3 hits of its claims under weights fitted without it."""
    out: dict[str, tuple[list[bool], list[bool]]] = {}
    for source in sorted({ex.source for ex in examples}):
        held = [ex for ex in examples if ex.source == source]
        weights = fit_weights([ex for ex in examples if ex.source != source])
        out[source] = (top_k_hits(held, weights, 1), top_k_hits(held, weights, 3))
    return out


def main() -> None:
    """Print weights fitted on the whole seed gold set (for ``scoring.WEIGHTS``)."""
    from pathlib import Path

    from kizashi.evidence.claims.evaluate import default_model_path, linking_examples, load_gold

    gold = load_gold(Path(__file__).resolve().parents[4] / "tests" / "data" / "claims_gold.yaml")
    examples, _ = linking_examples(gold, default_model_path())
    for name, value in fit_weights(examples).items():
        print(f'    "{name}": {value},')


if __name__ == "__main__":
    main()
