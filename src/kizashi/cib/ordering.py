"""The order in which the search prefers to decide descriptors.

The search branches on the undecided descriptor with the fewest still-feasible
variants; this static rank breaks the ties. Fixed descriptors come first (they cost
nothing and exert known impacts); then descriptors by how much slack they put into the
bound (the sum of their full-domain gains from ``bounds.search_tables``), largest
first: deciding them early tightens the bound the most. On seeded random matrices this
visits 1.3-2x fewer nodes than a coupling-based greedy order or the identity (see
benchmarks/).
"""

from __future__ import annotations

import numpy as np

from kizashi.cib.system import FloatArray, IntArray


def search_order(full_gains: FloatArray, fixed: IntArray) -> IntArray:
    """A deterministic descriptor order for branch-and-bound (ties by index).

    ``full_gains[i]`` holds descriptor i's gains over its full domain, one per constraint.
    """
    slack = full_gains.reshape(full_gains.shape[0], -1).sum(axis=1)
    slack = np.where(fixed >= 0, np.inf, slack)
    return np.argsort(-slack, kind="stable").astype(np.int64)
