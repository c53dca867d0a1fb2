"""Hypothesis strategies for random CIB systems."""

from __future__ import annotations

from math import prod

import numpy as np
from hypothesis import strategies as st

from kizashi.cib import CIBSystem

MAX_CONFIGURATIONS = 2500


@st.composite
def systems(draw: st.DrawFn, max_descriptors: int = 6, diagonal: bool = False) -> CIBSystem:
    """Random systems: 1-6 descriptors of 2-5 variants, sparse or dense, with many ties.

    Scores come from a small alphabet (ties are common) and may be half-integers.
    ``diagonal`` allows non-zero diagonal blocks, as ScenarioWizard files may carry.
    """
    counts: list[int] = []
    n = draw(st.integers(1, max_descriptors))
    for _ in range(n):
        k = draw(st.integers(2, 5))
        if prod(counts) * k > MAX_CONFIGURATIONS:
            break
        counts.append(k)
    if not counts:
        counts = [2]
    total = sum(counts)
    density = draw(st.sampled_from([0.15, 0.5, 1.0]))
    alphabet = draw(st.sampled_from([(-1, 1), (-3, -2, -1, 1, 2, 3), (-1.5, -0.5, 0.5, 1, 2.5)]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    values = rng.choice(np.array(alphabet, dtype=float), size=(total, total))
    values *= rng.random((total, total)) < density
    if not diagonal:
        start = 0
        for k in counts:
            values[start : start + k, start : start + k] = 0.0
            start += k
    return CIBSystem(counts, values)


@st.composite
def interventions(draw: st.DrawFn, system: CIBSystem) -> dict[int, int]:
    """A random set of fixed descriptors (possibly empty)."""
    fixed: dict[int, int] = {}
    for i, k in enumerate(system.counts):
        if draw(st.booleans()) and draw(st.booleans()):
            fixed[i] = draw(st.integers(0, int(k) - 1))
    return fixed
