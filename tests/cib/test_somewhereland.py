"""Golden test: the Somewhereland example of the ScenarioWizard manual (Weimer-Jehle),
read from its ``.scw`` fixture; values from ``reference/scenariowizard.md``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kizashi.cib import CIBSystem, attractors, balances, enumerate_scenarios
from kizashi.formats import load_system
from tests.formats.somewhereland_table import CONSISTENT

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(scope="module")
def system() -> CIBSystem:
    loaded = load_system(DATA / "somewhereland.scw")
    return CIBSystem(loaded.compiled.counts, loaded.compiled.matrix)


def _indices(labels: str) -> tuple[int, ...]:
    return tuple(int(label[1:]) - 1 for label in labels.split())


def _expected() -> dict[tuple[int, ...], tuple[float, float, int]]:
    out = {}
    for line in CONSISTENT.strip().splitlines():
        scenario, tis, cv, weight = (p.strip() for p in line.split("|"))
        out[_indices(scenario)] = (float(tis), float(cv), int(weight))
    return out


def test_balances_of_the_manual_scenario(system: CIBSystem) -> None:
    theta = balances(system, _indices("A2 B1 C3 D1 E1 F1"))
    assert theta.tolist() == [0, 3, -3, 2, 1, -3, -9, -1, 10, -7, 7, 4, -1, -3, 2, -1, -1]


def test_ten_consistent_scenarios_with_tis_and_cv(system: CIBSystem) -> None:
    result = enumerate_scenarios(system)
    expected = _expected()
    found = {tuple(r): (t, c) for r, t, c in zip(result.scenarios.tolist(), result.total_impact_score, result.consistency_value, strict=True)}
    assert system.configurations() == 486
    assert set(found) == set(expected)
    for key, (tis, cv, _) in expected.items():
        assert found[key] == (tis, cv)
    assert result.total_impact_score.tolist() == sorted(result.total_impact_score.tolist(), reverse=True)


def test_volume_weights_from_all_starts(system: CIBSystem) -> None:
    basins = attractors(system, "global")
    assert not basins.sampled and basins.starts == 486
    weights = {tuple(a.states[0].tolist()): a.weight for a in basins.attractors}
    assert not any(a.is_cycle for a in basins.attractors)
    assert weights == {k: w for k, (_, _, w) in _expected().items()}


def test_five_scenarios_at_inconsistency_one(system: CIBSystem) -> None:
    result = enumerate_scenarios(system, tolerance=1)
    assert len(result) == 15
    assert int(np.sum(result.inconsistency == 1)) == 5
    assert int(np.sum(result.inconsistency == 0)) == 10
