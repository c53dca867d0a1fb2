"""Ensembles equal a brute-force reference: the weighted sum, the rows, each member's view."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizashi.cib import CIBSystem, Ensemble, compare_members
from kizashi.cib.reference import reference_enumerate, reference_measures
from kizashi.errors import InputError
from tests.cib.strategies import interventions, systems

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(
    data=st.data(),
    first=systems(max_descriptors=4),
    tolerance=st.sampled_from([0.0, 1.0]),
    list_cap=st.sampled_from([0, 3, 1000]),
)
def test_comparison_equals_brute_force(
    data: st.DataObject, first: CIBSystem, tolerance: float, list_cap: int
) -> None:
    size = first.matrix.shape[0]
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    # members over the same structure: the first one, a sparse one, a negated copy
    second = np.where(rng.random((size, size)) < 0.2, first.matrix[::-1, ::-1], 0.0)
    third = -first.matrix
    start = 0
    for k in first.counts:  # keep diagonal blocks empty
        second[start : start + k, start : start + k] = 0.0
        start += int(k)
    mats = {"a": first.matrix, "b": second, "c": third}
    weights = {
        name: data.draw(st.sampled_from([0.0, 0.5, 1.0, 2.0]), label=name) for name in mats
    }
    ensemble = Ensemble.build(first.counts, mats, weights)
    fixed = data.draw(interventions(first))

    comparison = compare_members(ensemble, fixed, tolerance, list_cap=list_cap)

    total = sum(weights[name] * mats[name] for name in mats)
    combined = CIBSystem(first.counts, total)
    assert np.allclose(ensemble.combined().matrix, total)
    expected_combined = reference_enumerate(combined, tolerance, fixed)
    members = {name: CIBSystem(first.counts, m) for name, m in mats.items()}
    expected_members = {
        name: reference_enumerate(system, tolerance, fixed) for name, system in members.items()
    }
    assert {n: len(r) for n, r in comparison.per_member.items()} == {
        n: len(e) for n, e in expected_members.items()
    }
    listed = tuple(n for n in mats if len(expected_members[n]) <= list_cap)
    assert comparison.listed == listed
    rows = set(expected_combined).union(*(set(expected_members[n]) for n in listed))
    found = [tuple(int(v) for v in row) for row in comparison.scenarios]
    assert len(found) == len(set(found)) and set(found) == rows
    # rows are ordered by the combined total impact score, highest first
    tis = [reference_measures(combined, row, fixed)[2] for row in found]
    assert tis == sorted(tis, reverse=True)
    assert comparison.combined_tis == pytest.approx(tis, abs=1e-9)
    for i, row in enumerate(found):
        assert comparison.combined_inconsistency[i] == pytest.approx(
            reference_measures(combined, row, fixed)[0], abs=1e-9
        )
        for k, name in enumerate(comparison.member_names):
            inconsistency = reference_measures(members[name], row, fixed)[0]
            assert comparison.member_inconsistency[i, k] == pytest.approx(inconsistency, abs=1e-9)
            assert comparison.consistent_in()[i, k] == (inconsistency <= tolerance + 1e-9)


def test_limit_marks_members_incomplete_and_unlisted() -> None:
    counts = [3, 3, 3]
    silent = np.zeros((9, 9))
    ensemble = Ensemble.build(counts, {"silent": silent, "also": silent.copy()})
    comparison = compare_members(ensemble, limit=5)
    assert all(not r.complete and len(r) == 5 for r in comparison.per_member.values())
    assert comparison.listed == ()
    assert len(comparison.scenarios) == 5  # the combined matrix's first five, also capped


def test_bad_ensembles_are_refused() -> None:
    with pytest.raises(InputError, match="at least one member"):
        Ensemble.build([2, 2], {})
    with pytest.raises(InputError, match="non-negative"):
        Ensemble.build([2, 2], {"a": np.zeros((4, 4))}, {"a": -1.0})
    with pytest.raises(InputError, match="unknown members"):
        Ensemble.build([2, 2], {"a": np.zeros((4, 4))}, {"b": 1.0})
