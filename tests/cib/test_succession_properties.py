"""Succession ends only in consistent scenarios or cycles, and matches the reference."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizashi.cib import CIBSystem, attractors, enumerate_scenarios, evaluate, succession
from kizashi.cib.reference import reference_succession
from tests.cib.strategies import interventions, systems

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(data=st.data(), system=systems(diagonal=True), rule=st.sampled_from(["global", "local"]))
def test_succession_matches_reference_and_ends_consistent_or_in_a_cycle(
    data: st.DataObject, system: CIBSystem, rule: str
) -> None:
    fixed = data.draw(interventions(system))
    start = [data.draw(st.integers(0, int(k) - 1)) for k in system.counts]
    for d, v in fixed.items():
        start[d] = v
    result = succession(system, start, rule, fixed)  # type: ignore[arg-type]
    path, cycle_start = reference_succession(system, tuple(start), rule, fixed)
    assert [tuple(r) for r in result.path.tolist()] == path
    assert [tuple(r) for r in result.cycle.tolist()] == path[cycle_start:]
    if result.is_cycle:
        # every state on a cycle is inconsistent, else succession would stop there
        assert (evaluate(system, result.cycle, fixed).inconsistency > 0).all()
        again = succession(system, result.cycle[-1], rule, fixed)
        assert tuple(again.path[1]) == tuple(result.cycle[0])
    else:
        assert evaluate(system, result.attractor, fixed).inconsistency[0] == 0
        # fixed descriptors never move
        for d, v in fixed.items():
            assert result.attractor[d] == v


@SETTINGS
@given(data=st.data(), system=systems(max_descriptors=5))
def test_basins_partition_all_starts_and_attractors_are_the_consistent_ones(
    data: st.DataObject, system: CIBSystem
) -> None:
    fixed = data.draw(interventions(system))
    basins = attractors(system, "global", fixed)
    assert not basins.sampled
    assert sum(a.weight for a in basins.attractors) == basins.starts == system.configurations(fixed)
    points = {tuple(a.states[0]) for a in basins.attractors if not a.is_cycle}
    consistent = {tuple(r) for r in enumerate_scenarios(system, 0.0, fixed).scenarios.tolist()}
    # every attractor is consistent, and every consistent scenario attracts at least itself
    assert points == consistent


def test_sampled_basins_are_labelled_and_reproducible() -> None:
    rng = np.random.default_rng(0)
    m = rng.integers(-3, 4, size=(12, 12)).astype(float)
    for i in range(4):
        m[3 * i : 3 * i + 3, 3 * i : 3 * i + 3] = 0
    system = CIBSystem([3, 3, 3, 3], m)
    a = attractors(system, samples=500, seed=7)
    b = attractors(system, samples=500, seed=7)
    assert a.sampled and a.seed == 7 and a.starts == 500
    assert [(x.states.tolist(), x.weight) for x in a.attractors] == [(x.states.tolist(), x.weight) for x in b.attractors]
