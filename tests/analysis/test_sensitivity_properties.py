"""Sensitivity and margins against brute force on random small matrices."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizashi.analysis.sensitivity import SCALE, VARIATIONS, margins, sensitivity
from kizashi.cib import CIBSystem
from kizashi.cib.reference import reference_enumerate, reference_measures
from kizashi.model import CompiledModel


@st.composite
def small_models(
    draw: st.DrawFn, max_descriptors: int = 5, max_variants: int = 3, low: int = -3
) -> CompiledModel:
    n = draw(st.integers(3, max_descriptors))
    counts = [draw(st.integers(2, max_variants)) for _ in range(n)]
    total = sum(counts)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    density = draw(st.sampled_from([0.3, 0.6]))
    m = rng.integers(low, -low + 1, size=(total, total)).astype(float)
    m *= rng.random((total, total)) < density
    start = 0
    for k in counts:
        m[start : start + k, start : start + k] = 0
        start += k
    descriptors = tuple(f"d{i}" for i in range(n))
    variants = tuple(tuple(f"v{j}" for j in range(k)) for k in counts)
    return CompiledModel(descriptors, variants, np.array(counts, dtype=np.int64), m)


def _reference_set(
    counts: np.ndarray, matrix: np.ndarray, fixed: dict[int, int]
) -> set[tuple[int, ...]]:
    return set(reference_enumerate(CIBSystem(counts, matrix), 0.0, fixed))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_models(max_descriptors=4), st.booleans())
def test_sensitivity_flags_exactly_the_changing_cells(
    compiled: CompiledModel, fix_first: bool
) -> None:
    fixed = {"d0": "v0"} if fix_first else {}
    fixed_idx = {0: 0} if fix_first else {}
    result = sensitivity(compiled, fixed)
    base = _reference_set(compiled.counts, compiled.matrix, fixed_idx)
    assert set(result.baseline) == base
    cells = {(j.row, j.col) for j in result.judgements}
    assert cells == {(int(r), int(c)) for r, c in zip(*np.nonzero(compiled.matrix), strict=True)}
    for j in result.judgements:
        for name, new in VARIATIONS:
            m = compiled.matrix.copy()
            m[j.row, j.col] = new(m[j.row, j.col])
            found = _reference_set(compiled.counts, m, fixed_idx)
            change = j.changes[name]
            assert set(change.lost) == base - found
            assert set(change.gained) == found - base
            assert change.changed == (found != base)
    flagged = {(j.row, j.col) for j in result.pivotal()}
    assert flagged == {
        (j.row, j.col) for j in result.judgements if any(c.changed for c in j.changes.values())
    }
    d = result.to_dict()
    assert set(d) >= {"baseline", "judgements", "pivotal"}
    for item in d["judgements"]:
        assert set(item) >= {"from", "to", "score", "removed", "flipped", "plus_one", "minus_one"}
        assert set(item["removed"]) == {"changed", "lost", "gained"}


def _edits(counts: np.ndarray) -> list[tuple[int, int, int]]:
    desc = np.repeat(np.arange(len(counts)), counts)
    total = int(counts.sum())
    return [
        (r, c, s) for r in range(total) for c in range(total) if desc[r] != desc[c] for s in (-1, 1)
    ]


def _breaks_with(
    system: CIBSystem, scenario: tuple[int, ...], k: int, edits: list[tuple[int, int, int]]
) -> bool:
    for combo in itertools.combinations_with_replacement(edits, k):
        m = system.matrix.copy()
        for r, c, s in combo:
            m[r, c] += s
        if np.abs(m).max() > SCALE:
            continue
        if reference_measures(CIBSystem(system.counts, m), scenario)[0] > 1e-9:
            return True
    return False


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_models(max_descriptors=3, max_variants=2, low=-1))
def test_margins_and_breaking_counts_agree_with_exhaustive_edits(compiled: CompiledModel) -> None:
    system = CIBSystem(compiled.counts, compiled.matrix)
    result = margins(compiled)
    ref = reference_enumerate(system)
    assert {s.scenario for s in result.scenarios} == set(ref)
    edits = _edits(compiled.counts)
    for s in result.scenarios:
        assert s.margin == ref[s.scenario][1]
        assert all(m >= 0 for m in s.margins.values())
        b = s.breaking_count
        assert b is not None  # scores in [-1, 1] can always be pushed within [-3, 3]
        assert b == int(np.floor(s.margin)) + 1
        if b <= 3:
            assert _breaks_with(system, s.scenario, b, edits)
            if b >= 2:
                assert not _breaks_with(system, s.scenario, b - 1, edits)
        assert s.tightest is not None and s.margins[s.tightest] == s.margin
        lo = int(compiled.offsets[s.tightest])
        for r, c in s.load_bearing:
            assert lo <= c < lo + int(compiled.counts[s.tightest])
            assert compiled.matrix[r, c] != 0
