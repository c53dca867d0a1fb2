"""Bounds for branch-and-bound enumeration of consistent CIB scenarios.

For a descriptor j with chosen variant a and a rival variant l, the final margin
theta_{j,a} - theta_{j,l} equals its partial value over the decided descriptors plus
the contributions of the undecided ones. Each undecided descriptor i adds at most
M_i[a, l] = max_v (C[(i,v), a] - C[(i,v), (j,l)]), so the sum S of M over the
undecided descriptors gives a sound optimistic bound: if partial + S[a, l] < -t, no
completion of the branch is consistent at tolerance t. The same bound, applied to
every variant of an undecided descriptor, tells which of its variants can still win
(forward checking). The consistency condition is Weimer-Jehle's (2006); bounding it
this way is the usual branch-and-bound treatment of CIB enumeration.
"""

from __future__ import annotations

import numpy as np

from kizashi.cib.system import CIBSystem, FloatArray, IntArray


def rival_columns(system: CIBSystem) -> IntArray:
    """``cols[a, l]``: matrix index of variant l of the descriptor owning variant a.

    Entries for l beyond that descriptor's variant count point back at a itself.
    """
    maxk = int(system.counts.max())
    owner = system.descriptor_of
    offsets = system.offsets
    cols = np.empty((system.n_variants, maxk), dtype=np.int64)
    for a in range(system.n_variants):
        j = owner[a]
        for l in range(maxk):
            cols[a, l] = offsets[j] + l if l < system.counts[j] else a
    return cols


def bound_tables(system: CIBSystem, fixed: IntArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``(gain, loss, maxloss)``, each ``[i, a, l]`` over descriptor i, variant a, rival l.

    ``gain[i, a, l] = max_v (C[(i,v), a] - C[(i,v), (j,l)])``: the most descriptor i can
    add to the margin of a over its rival l (a fixed descriptor only has its fixed
    variant). ``loss[i, a, l] = max_v (gain[i, a, l] - (C[(i,v), a] - C[(i,v), (j,l)]))``:
    what i's worst variant costs that share of the bound, so a constraint whose slack is
    below it may exclude some variant of i (zero for fixed descriptors, which are never
    undecided). ``maxloss[a, l]`` is the maximum loss over i: a constraint with more
    slack excludes nothing.
    """
    cols = rival_columns(system)
    maxk = cols.shape[1]
    gain = np.zeros((system.n, system.n_variants, maxk), dtype=np.float64)
    loss = np.zeros_like(gain)
    offsets = system.offsets
    for i in range(system.n):
        if fixed[i] >= 0:
            rows = system.matrix[offsets[i] + fixed[i]][None, :]
        else:
            rows = system.matrix[offsets[i] : offsets[i] + system.counts[i]]
        diff = rows[:, :, None] - rows[:, cols]  # (k_i, V, maxk)
        gain[i] = diff.max(axis=0)
        if fixed[i] < 0:
            loss[i] = gain[i] - diff.min(axis=0)
    return gain, loss, loss.max(axis=0)
