"""The branch-and-bound enumeration equals a brute-force reference on random systems."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizashi.cib import CIBSystem, enumerate_scenarios, evaluate
from kizashi.cib import bounds as bounds_module
from kizashi.cib import enumerate as enumerate_module
from kizashi.cib.reference import reference_enumerate, reference_measures
from kizashi.errors import InputError
from tests.cib.strategies import interventions, systems

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _as_dict(result: enumerate_module.EnumerationResult) -> dict[tuple[int, ...], tuple[float, float, float]]:
    return {
        tuple(int(v) for v in row): (float(i), float(c), float(t))
        for row, i, c, t in zip(
            result.scenarios, result.inconsistency, result.consistency_value, result.total_impact_score, strict=True
        )
    }


def _assert_same(found: dict[tuple[int, ...], tuple[float, float, float]], expected: dict[tuple[int, ...], tuple[float, float, float]]) -> None:
    assert set(found) == set(expected)
    for key, measures in expected.items():
        assert found[key] == pytest.approx(measures, abs=1e-9), key


@SETTINGS
@given(data=st.data(), system=systems(diagonal=False), tolerance=st.sampled_from([0.0, 0.5, 1.0, 2.0]))
def test_enumeration_equals_brute_force(data: st.DataObject, system: CIBSystem, tolerance: float) -> None:
    fixed = data.draw(interventions(system))
    result = enumerate_scenarios(system, tolerance, fixed)
    assert result.complete
    _assert_same(_as_dict(result), reference_enumerate(system, tolerance, fixed))


@SETTINGS
@given(data=st.data(), system=systems(diagonal=True), tolerance=st.sampled_from([0.0, 1.0, 2.0]))
def test_enumeration_with_diagonal_blocks(data: st.DataObject, system: CIBSystem, tolerance: float) -> None:
    fixed = data.draw(interventions(system))
    _assert_same(_as_dict(enumerate_scenarios(system, tolerance, fixed)), reference_enumerate(system, tolerance, fixed))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), system=systems(diagonal=True), tolerance=st.sampled_from([0.0, 1.0]))
def test_split_search_on_threads_equals_single_thread(data: st.DataObject, system: CIBSystem, tolerance: float) -> None:
    fixed = data.draw(interventions(system))
    with patch.object(enumerate_module, "SPLIT_THRESHOLD", 0):
        split = enumerate_scenarios(system, tolerance, fixed, threads=2)
    single = enumerate_scenarios(system, tolerance, fixed, threads=1)
    assert np.array_equal(split.scenarios, single.scenarios)
    assert split.nodes_visited == single.nodes_visited
    _assert_same(_as_dict(split), reference_enumerate(system, tolerance, fixed))


@settings(max_examples=60, deadline=None)
@given(data=st.data(), system=systems())
def test_any_search_order_gives_the_same_result(data: st.DataObject, system: CIBSystem) -> None:
    order = np.array(data.draw(st.permutations(list(range(system.n)))), dtype=np.int64)
    default = enumerate_scenarios(system, 1.0)
    custom = enumerate_scenarios(system, 1.0, order=order)
    assert np.array_equal(default.scenarios, custom.scenarios)


@settings(max_examples=80, deadline=None)
@given(data=st.data(), system=systems(diagonal=True))
def test_vectorised_measures_equal_reference(data: st.DataObject, system: CIBSystem) -> None:
    fixed = data.draw(interventions(system))
    rows = data.draw(
        st.lists(st.tuples(*[st.integers(0, int(k) - 1) for k in system.counts]), min_size=1, max_size=20)
    )
    metrics = evaluate(system, np.array(rows), fixed)
    for r, row in enumerate(rows):
        inc, cv, tis = reference_measures(system, row, fixed)
        assert metrics.inconsistency[r] == pytest.approx(inc)
        assert metrics.consistency_value[r] == pytest.approx(cv)
        assert metrics.total_impact_score[r] == pytest.approx(tis)


@settings(max_examples=40, deadline=None)
@given(system=systems(), limit=st.integers(1, 3))
def test_limit_marks_the_result_incomplete(system: CIBSystem, limit: int) -> None:
    everything = enumerate_scenarios(system, 2.0)
    capped = enumerate_scenarios(system, 2.0, limit=limit)
    if len(everything) > limit:
        assert not capped.complete
        assert len(capped) == limit
        assert {tuple(r) for r in capped.scenarios.tolist()} <= {tuple(r) for r in everything.scenarios.tolist()}
    else:
        assert capped.complete
        assert len(capped) == len(everything)


def test_order_is_total_impact_score_then_indices() -> None:
    system = CIBSystem([2, 2], np.zeros((4, 4)))
    result = enumerate_scenarios(system)
    assert result.scenarios.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert result.consistency_value.tolist() == [0.0, 0.0, 0.0, 0.0]


def test_bad_arguments_are_input_errors() -> None:
    system = CIBSystem([2, 2], np.zeros((4, 4)))
    with pytest.raises(InputError, match="tolerance"):
        enumerate_scenarios(system, -1)
    with pytest.raises(InputError, match="out of range"):
        enumerate_scenarios(system, fixed={5: 0})
    with pytest.raises(InputError, match="out of range"):
        enumerate_scenarios(system, fixed={0: 2})
    with pytest.raises(InputError, match="expected 4x4"):
        CIBSystem([2, 2], np.zeros((3, 3)))
    with pytest.raises(InputError, match="non-finite"):
        CIBSystem([2], np.array([[0.0, np.nan], [0.0, 0.0]]))


def test_nodes_visited_is_reported_and_far_below_the_space() -> None:
    rng = np.random.default_rng(3)
    counts = [3] * 12
    m = rng.integers(-3, 4, size=(36, 36)).astype(float)
    for i in range(12):
        m[3 * i : 3 * i + 3, 3 * i : 3 * i + 3] = 0
    system = CIBSystem(counts, m)
    result = enumerate_scenarios(system)
    assert result.complete
    assert 0 < result.nodes_visited < system.configurations() // 10
    assert result.configurations == 3**12


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), system=systems(diagonal=True), tolerance=st.sampled_from([0.0, 1.0]))
def test_enumeration_without_subset_gain_tables(data: st.DataObject, system: CIBSystem, tolerance: float) -> None:
    fixed = data.draw(interventions(system))
    with patch.object(bounds_module, "SUBSET_TABLE_BYTES", 0):
        result = enumerate_scenarios(system, tolerance, fixed)
    _assert_same(_as_dict(result), reference_enumerate(system, tolerance, fixed))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), system=systems(diagonal=True), tolerance=st.sampled_from([0.0, 0.3, 1.0]))
def test_enumeration_with_scores_off_the_half_integer_grid(data: st.DataObject, system: CIBSystem, tolerance: float) -> None:
    thirds = system.with_matrix(system.matrix / 3.0)  # a grid of sixths instead of halves
    fixed = data.draw(interventions(thirds))
    _assert_same(_as_dict(enumerate_scenarios(thirds, tolerance, fixed)), reference_enumerate(thirds, tolerance, fixed))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), system=systems(diagonal=True), tolerance=st.sampled_from([0.0, 0.5, 1.0]))
def test_enumeration_with_int32_tables(data: st.DataObject, system: CIBSystem, tolerance: float) -> None:
    fixed = data.draw(interventions(system))
    assert bounds_module.search_tables(system, tolerance).gains.dtype == np.int16
    with patch.object(bounds_module, "SHORT_LIMIT", 0):
        assert bounds_module.search_tables(system, tolerance).gains.dtype == np.int32
        result = enumerate_scenarios(system, tolerance, fixed)
    _assert_same(_as_dict(result), reference_enumerate(system, tolerance, fixed))


def test_large_scores_switch_to_int32_tables_and_stay_exact() -> None:
    rng = np.random.default_rng(11)
    counts = [3] * 6
    m = rng.integers(-400, 401, size=(18, 18)).astype(float) / 2.0
    for i in range(6):
        m[3 * i : 3 * i + 3, 3 * i : 3 * i + 3] = 0
    system = CIBSystem(counts, m)
    assert bounds_module.search_tables(system, 1.0).gains.dtype == np.int32
    for tolerance in (0.0, 1.0, 25.0):
        _assert_same(_as_dict(enumerate_scenarios(system, tolerance)), reference_enumerate(system, tolerance, {}))


@pytest.mark.parametrize("threads", [1, 2])
def test_more_scenarios_than_the_first_output_buffer(threads: int) -> None:
    """A silent matrix makes every one of 3**7 scenarios consistent: the search fills
    its output buffer several times and resumes the walk each time."""
    system = CIBSystem([3] * 7, np.zeros((21, 21)))
    with patch.object(enumerate_module, "SPLIT_THRESHOLD", 0):
        result = enumerate_scenarios(system, threads=threads)
    assert result.complete and len(result) == 3**7
    assert {tuple(int(v) for v in row) for row in result.scenarios} == set(reference_enumerate(system, 0.0, {}))
    capped = enumerate_scenarios(system, limit=1000, threads=threads)
    assert not capped.complete and len(capped) == 1000
    assert len({tuple(int(v) for v in row) for row in capped.scenarios}) == 1000
