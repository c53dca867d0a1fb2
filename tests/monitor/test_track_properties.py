"""Hard conditioning and the distance of a partial state, against brute force."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizashi.cib import CIBSystem, enumerate_scenarios
from kizashi.cib.reference import reference_enumerate, reference_measures
from kizashi.monitor.track import best_completion
from tests.cib.strategies import interventions, systems


def brute_distance(system: CIBSystem, observed: Mapping[int, int], posed: set[int]) -> float:
    """Minimum over completions of the inconsistency with every non-posed descriptor tested."""
    ranges = [
        [observed[i]] if i in observed else range(int(k)) for i, k in enumerate(system.counts)
    ]
    fixed = {i: observed[i] for i in posed}
    return min(reference_measures(system, tuple(z), fixed)[0] for z in itertools.product(*ranges))


@st.composite
def partial_states(draw: st.DrawFn) -> tuple[CIBSystem, dict[int, int], set[int]]:
    system = draw(systems())
    observed = draw(interventions(system))
    posed = {d for d in observed if draw(st.booleans())}
    return system, observed, posed


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(partial_states())
def test_conditioning_equals_a_fixed_intervention_enumeration(
    case: tuple[CIBSystem, dict[int, int], set[int]],
) -> None:
    system, observed, _ = case
    found = enumerate_scenarios(system, 0.0, observed)
    assert {tuple(r) for r in found.scenarios.tolist()} == set(
        reference_enumerate(system, 0.0, observed)
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(partial_states())
def test_partial_state_inconsistency_is_the_brute_force_minimum(
    case: tuple[CIBSystem, dict[int, int], set[int]],
) -> None:
    system, observed, posed = case
    best = best_completion(system, observed, posed)
    expected = brute_distance(system, observed, posed)
    assert abs(best.inconsistency - expected) < 1e-9
    assert all(int(best.scenario[d]) == v for d, v in observed.items())
    fixed = {i: observed[i] for i in posed}
    assert (
        abs(reference_measures(system, tuple(int(x) for x in best.scenario), fixed)[0] - expected)
        < 1e-9
    )
    assert abs(max(best.descriptor_inconsistency) - expected) < 1e-9


def test_distance_of_a_hand_made_partial_state() -> None:
    # two descriptors of two variants: a0 pushes b0 by 2, b1 pushes a1 by 1
    m = np.zeros((4, 4))
    m[0, 2] = 2.0
    m[3, 1] = 1.0
    system = CIBSystem([2, 2], m)
    # observing a=0, b=1 tested: b is off by 2 (b0 gets 2), a is off by 1 (a1 gets 1)
    assert best_completion(system, {0: 0, 1: 1}).inconsistency == 2.0
    # with b posed as an intervention only a is tested
    assert best_completion(system, {0: 0, 1: 1}, [1]).inconsistency == 1.0
    # observing a=0 alone: the completion b=0 is consistent
    best = best_completion(system, {0: 0})
    assert best.inconsistency == 0.0 and best.scenario.tolist() == [0, 0]
