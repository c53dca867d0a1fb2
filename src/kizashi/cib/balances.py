"""Impact balances and the consistency measures of CIB (Weimer-Jehle 2006, sect. 3).

For a scenario z the impact balance of variant l of descriptor j is
theta_{j,l}(z) = sum_i C[(i, z_i), (j, l)]. From it:
descriptor inconsistency iota_j = max_l theta_{j,l} - theta_{j,z_j};
scenario inconsistency iota = max_j iota_j; consistency value
CV = min_j (theta_{j,z_j} - max_{l != z_j} theta_{j,l}); total impact score
TIS = sum_j theta_{j,z_j}. Descriptors fixed by an intervention are left out of
iota and CV but still exert their impacts and count in TIS.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kizashi.cib.system import CIBSystem, FloatArray, IntArray

_CHUNK = 65536


def balances(system: CIBSystem, scenario: npt.ArrayLike) -> FloatArray:
    """Impact balance of every variant (length V) for one scenario."""
    z = system.check_scenarios(scenario)[0]
    rows = system.offsets + z
    return np.asarray(system.matrix[rows].sum(axis=0), dtype=np.float64)


def balances_many(system: CIBSystem, scenarios: npt.ArrayLike) -> FloatArray:
    """Impact balances for many scenarios, shape (m, V)."""
    z = system.check_scenarios(scenarios)
    rows = system.offsets[None, :] + z
    return np.asarray(system.matrix[rows].sum(axis=1), dtype=np.float64)


@dataclass(frozen=True)
class Metrics:
    """Consistency measures for m scenarios."""

    descriptor_inconsistency: FloatArray  # (m, n), zero for fixed descriptors
    inconsistency: FloatArray  # (m,)
    consistency_value: FloatArray  # (m,)
    total_impact_score: FloatArray  # (m,)


def evaluate(
    system: CIBSystem,
    scenarios: npt.ArrayLike,
    fixed: Mapping[int, int] | None = None,
) -> Metrics:
    """Inconsistency, consistency value and TIS of each scenario.

    Descriptors in ``fixed`` are excluded from inconsistency and consistency value.
    When every descriptor is fixed, both are 0.
    """
    z = system.check_scenarios(scenarios)
    tested = system.fixed_array(fixed) < 0
    m = z.shape[0]
    parts = [_evaluate_chunk(system, z[s : s + _CHUNK], tested) for s in range(0, max(m, 1), _CHUNK)]
    if m == 0:
        empty = np.zeros(0, dtype=np.float64)
        return Metrics(np.zeros((0, system.n)), empty, empty.copy(), empty.copy())
    return Metrics(
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
        np.concatenate([p[3] for p in parts]),
    )


def _evaluate_chunk(
    system: CIBSystem, z: IntArray, tested: npt.NDArray[np.bool_]
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    m = z.shape[0]
    theta = balances_many(system, z) if m else np.zeros((0, system.n_variants))
    offsets = system.offsets
    rows = np.arange(m)
    iota = np.zeros((m, system.n), dtype=np.float64)
    margin = np.full((m, system.n), np.inf, dtype=np.float64)
    tis = np.zeros(m, dtype=np.float64)
    for j in range(system.n):
        k = int(system.counts[j])
        block = theta[:, offsets[j] : offsets[j] + k]
        chosen = block[rows, z[:, j]]
        tis += chosen
        if not tested[j]:
            continue
        iota[:, j] = block.max(axis=1) - chosen
        if k > 1:
            others = block.copy()
            others[rows, z[:, j]] = -np.inf
            margin[:, j] = chosen - others.max(axis=1)
    inconsistency = iota.max(axis=1) if system.n else np.zeros(m)
    cv = margin.min(axis=1) if system.n else np.zeros(m)
    cv[np.isinf(cv)] = 0.0
    return iota, inconsistency + 0.0, cv + 0.0, tis + 0.0
