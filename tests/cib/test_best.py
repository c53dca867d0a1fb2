"""A limited listing holds the best scenarios: every lower inconsistency band first."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kizashi.cib import CIBSystem
from kizashi.cib.best import best_scenarios
from kizashi.cib.reference import reference_enumerate
from tests.cib.strategies import interventions, systems


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    system=systems(max_descriptors=5),
    tolerance=st.sampled_from([0.5, 1.0, 2.0, 3.0]),
    limit=st.integers(1, 12),
)
def test_limited_listing_equals_the_best_of_brute_force(
    data: st.DataObject, system: CIBSystem, tolerance: float, limit: int
) -> None:
    fixed = data.draw(interventions(system))
    expected = reference_enumerate(system, tolerance, fixed)
    best = best_scenarios(system, tolerance, fixed, limit=limit)
    listed = {
        tuple(int(v) for v in row): float(inc)
        for row, inc in zip(best.result.scenarios.tolist(), best.result.inconsistency, strict=True)
    }
    assert len(listed) == min(limit, len(expected))
    assert set(listed) <= set(expected)
    for key, inc in listed.items():
        assert abs(inc - expected[key][0]) < 1e-9
    if len(expected) <= limit:
        assert best.cut_band is None and set(listed) == set(expected)
        return
    worst = max(listed.values())
    # Nothing of lower inconsistency than the worst listed scenario was left out.
    assert all(key in listed for key, m in expected.items() if m[0] < worst - 1e-9)
    assert best.cut_band is not None and best.cut_band >= worst - 1e-9
    if best.omitted_exact:
        band = best.cut_band
        left_out = [k for k, m in expected.items() if m[0] <= band + 1e-9 and k not in listed]
        assert best.omitted == len(left_out)
