"""Exact balances: scaling a matrix by a positive factor changes nothing, and a matrix
whose balances could be rounded is refused with the limit named."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizashi.cib import CIBSystem, EnumerationResult, attractors, enumerate_scenarios
from kizashi.cib import bounds as bounds_module
from kizashi.cib.exact import exact_grid, float_limit
from kizashi.cib.reference import reference_enumerate
from kizashi.cli.main import run
from kizashi.errors import InputError
from kizashi.formats import load_system
from kizashi.formats.scw import read_scw, write_scw
from tests.cib.strategies import interventions, systems

DATA = Path(__file__).parent.parent / "data"
SW = DATA / "somewhereland.scw"

FACTORS = [
    *(2.0**k for k in (-60, -3, 1, 20, 100)),
    *(10.0**e for e in (-3, -1, 2, 9, 20, 38)),
    0.3,
    3.7,
    1e38 / 7.0,
]


def _by_scenario(result: EnumerationResult) -> dict[tuple[int, ...], tuple[float, float, float]]:
    rows = zip(
        result.scenarios.tolist(),
        result.inconsistency,
        result.consistency_value,
        result.total_impact_score,
        strict=True,
    )
    return {tuple(z): (float(i), float(c), float(t)) for z, i, c, t in rows}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    system=systems(diagonal=True),
    factor=st.sampled_from(FACTORS),
    tolerance=st.sampled_from([0.0, 0.5, 1.0, 2.0]),
    thirds=st.booleans(),
)
def test_consistent_set_is_invariant_under_scaling(
    data: st.DataObject, system: CIBSystem, factor: float, tolerance: float, thirds: bool
) -> None:
    base = system.with_matrix(system.matrix / 3.0) if thirds else system
    fixed = data.draw(interventions(base))
    scaled = base.with_matrix(base.matrix * factor)
    assert scaled.grid is not None
    expected = _by_scenario(enumerate_scenarios(base, tolerance, fixed))
    found = _by_scenario(enumerate_scenarios(scaled, tolerance * factor, fixed))
    assert list(found) == list(expected)  # the same scenarios in the same order
    for key, values in expected.items():
        assert np.allclose(np.array(found[key]) / factor, values, rtol=1e-12, atol=1e-12)


def test_somewhereland_scaled_by_1e38_through_the_scw_reader(tmp_path: Path) -> None:
    project = read_scw(SW)
    project.matrix = project.matrix * 1e38
    scaled_path = tmp_path / "scaled.scw"
    write_scw(project, scaled_path)
    assert "E+38" in scaled_path.read_text(encoding="cp1252")
    original = load_system(SW).compiled
    scaled = load_system(scaled_path).compiled
    expected = enumerate_scenarios(CIBSystem(original.counts, original.matrix))
    found = enumerate_scenarios(CIBSystem(scaled.counts, scaled.matrix))
    assert len(expected) == len(found) == 10
    assert set(_by_scenario(found)) == set(_by_scenario(expected))
    assert np.allclose(found.consistency_value / 1e38, expected.consistency_value, rtol=1e-12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(system=systems(diagonal=True), tolerance=st.sampled_from([0.0, 0.3, 1.0]))
def test_scores_on_no_grid_are_compared_within_the_tie_slack(
    system: CIBSystem, tolerance: float
) -> None:
    noise = np.random.default_rng(system.n).random(system.matrix.shape) * 1e-3
    off_grid = system.with_matrix(system.matrix * (1.0 + noise))
    assert off_grid.grid is None or np.count_nonzero(system.matrix) < 2
    result = _by_scenario(enumerate_scenarios(off_grid, tolerance))
    assert set(result) == set(reference_enumerate(off_grid, tolerance, {}))


def _noisy(counts: list[int], factor: float) -> np.ndarray:
    """Scores on no common grid, of magnitude ``factor``."""
    total = sum(counts)
    return np.random.default_rng(5).random((total, total)) * factor


def test_off_grid_scores_are_kept_below_the_rounding_limit_and_refused_beyond() -> None:
    counts = [3, 3, 3]
    limit = float_limit(np.array(counts))
    assert exact_grid(np.array(counts), _noisy(counts, 1.0)) is None  # floats within EPS
    CIBSystem(counts, _noisy(counts, 1.0))
    with pytest.raises(InputError) as caught:
        CIBSystem(counts, _noisy(counts, 1e38))
    message = str(caught.value)
    assert "largest possible impact balance" in message and f"{limit:.3g}" in message


def test_a_grid_too_fine_for_its_largest_score_is_refused() -> None:
    counts = [2, 2]
    matrix = np.zeros((4, 4))
    matrix[0, 2], matrix[1, 3] = 1e38, 1.0  # steps of 1 up to 1e38: no exact grid
    with pytest.raises(InputError, match="cannot be compared exactly"):
        CIBSystem(counts, matrix)


def test_the_command_line_refuses_a_file_beyond_the_exact_range(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    project = read_scw(SW)
    project.matrix = project.matrix * 1e38
    project.matrix[0, 3] = 1.0  # one score off the 1e38 grid
    bad = tmp_path / "bad.scw"
    write_scw(project, bad)
    with pytest.raises(SystemExit) as caught:
        run(["scenarios", str(bad)])
    _, err = capsys.readouterr()
    assert caught.value.code == 2 and "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert (
        len(lines) == 1 and str(bad) in lines[0] and "largest possible impact balance" in lines[0]
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    system=systems(diagonal=True),
    factor=st.sampled_from(FACTORS),
    rule=st.sampled_from(["global", "local"]),
    tolerance=st.sampled_from([0.0, 1.0]),
)
def test_succession_is_invariant_under_scaling(
    system: CIBSystem, factor: float, rule: Literal["global", "local"], tolerance: float
) -> None:
    scaled = system.with_matrix(system.matrix * factor)
    expected = attractors(system, rule, tolerance=tolerance)
    found = attractors(scaled, rule, tolerance=tolerance * factor)
    assert [(a.states.tolist(), a.weight) for a in found.attractors] == [
        (a.states.tolist(), a.weight) for a in expected.attractors
    ]


def test_scores_beyond_the_integer_tables_use_exact_float_tables() -> None:
    rng = np.random.default_rng(3)
    counts = [3] * 5
    matrix = rng.integers(-(2**35), 2**35, size=(15, 15)).astype(float)
    matrix[rng.random((15, 15)) < 0.5] = 2.0**35  # ties between balances
    system = CIBSystem(counts, matrix)
    assert bounds_module.search_tables(system, 0.0).gains.dtype == np.float64
    for tolerance in (0.0, 2.0**36):
        found = _by_scenario(enumerate_scenarios(system, tolerance))
        assert set(found) == set(reference_enumerate(system, tolerance, {}))
