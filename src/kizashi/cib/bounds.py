"""Bound tables for branch-and-bound enumeration of consistent CIB scenarios.

The consistency of descriptor j in variant k against a rival l is the linear inequality
theta_{j,k} - theta_{j,l} >= -t (Weimer-Jehle 2006), one *constraint* per (j, k, l).
Its *slack* is the partial margin over the decided descriptors plus, for every
undecided descriptor i, the most i can still add to it:
G_i(D_i) = max over v in D_i of (C[(i,v), (j,k)] - C[(i,v), (j,l)]), D_i being the
variants of i still possible. The constraint is separable, so this is the exact
maximum of the margin over the completions of the domains; a negative slack means
variant k of j cannot be consistent below the node. Deciding i = v, or shrinking D_i,
lowers the slack by G_i(old domain) - G_i(new domain), which is what the search
subtracts. These are the bounds-consistency rules of linear constraints over finite
domains (Apt 2003, *Principles of Constraint Programming*; Harvey and Schimpf
2002, "Bounds consistency techniques for long linear constraints").

Exact arithmetic: the tables are built from the system's grid (``exact``), the matrix
as integer steps of a common unit (halves for CIB scores, or any unit a scaled matrix
has), so every slack is an exact integer: int16 while every slack fits (with scores up
to 3 on the half grid, up to 113 descriptors of three variants), else int32, else
float64 holding the integers (exact below 2**53, which the grid guarantees). An int16
vector instruction updates four times as many slots as a float64 one. A margin m (a
whole number of steps) meets m >= -t exactly when m >= -floor(t / unit), the quotient
taken with a relative slack so that a tolerance meant as a whole number of steps is
one. Scores on no grid keep float64 tables of the scores themselves and the tolerance
is shifted by EPS.

Layout, for vectorised updates: with K the largest variant count, variant k of
descriptor j is slot ``k * n + j`` and constraint (j, k, l) is slot
``(l * K + k) * n + j`` of a ``W = K * K * n`` vector. The slot with l = k holds the
sum of variant k's constraints, sum over l of margin(k, l) >= -(count - 1) t (for
descriptors with three or more variants; an implied, surrogate constraint in the sense
of Glover 1968, "Surrogate constraints"): its bound maximises one sum per undecided
descriptor instead of each term apart, so it is tighter than the sum of the separate
bounds. Slots past a descriptor's count are padding and never bind.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kizashi.cib.system import EPS, CIBSystem, FloatArray, IntArray

#: Integer tables are used while twice the largest possible slack stays below this.
INT_LIMIT = 2**28
#: ... and int16 tables (also the cost lists) while it stays below this.
SHORT_LIMIT = 2**13

#: Gain tables for every subset of a descriptor's variants are kept up to this size
#: (bytes); beyond it only the full domain and the single variants are tabled, and a
#: shrunken domain keeps the full domain's (larger, still sound) gains until decided.
SUBSET_TABLE_BYTES = 64 * 2**20


@dataclass(frozen=True)
class SearchTables:
    """What the search kernel needs besides the matrix (see the module docstring).

    ``gains[i, row(D), c]``: G_i(D) for constraint slot c, with ``row(D) = D`` (a
    bitmask) when ``subsets`` is true, else row v for the single variant v and row K
    for any larger domain (the full domain's gains); for a decided descriptor i = v it
    is i's exact contribution, so a slack is the sum of the rows of every descriptor's
    domain plus ``multiplicity[c]`` times the tolerance shift. ``multiplicity[c]`` is 1
    for a constraint, count - 1 for a variant's sum slot, 0 for padding.
    ``entry_*`` list, per constraint (CSR rows ``entry_start[c]:entry_start[c + 1]``),
    the (descriptor i, variant v) whose choice would cost the constraint more than
    nothing, G_i(all) - (C[(i,v), k] - C[(i,v), l]) > 0, by decreasing cost, each
    row ending in a sentinel of cost -1.
    """

    gains: np.ndarray  # the scores, or whole steps of ``unit`` when ``scaled``
    subsets: bool
    scaled: bool
    unit: float
    cap: float  # tolerances beyond this many steps admit every margin
    multiplicity: IntArray
    entry_start: IntArray
    entry_desc: IntArray
    entry_var: IntArray
    entry_cost: np.ndarray

    def shift(self, tolerance: float) -> np.floating | np.integer:
        """The constant added to every slack: a slack < 0 means the margin is below -t."""
        if self.scaled:
            return self._step(steps_of(tolerance, self.unit, self.cap))
        return np.float64(tolerance + EPS)

    def padding(self) -> np.floating | np.integer:
        """The slack of padding slots, larger than any real slack."""
        if self.scaled:
            return self._step(4.0 * self._bound())
        return np.float64(1e30)

    def _bound(self) -> float:
        """A bound on |slack| the tables' type holds with room to spare."""
        if self.gains.dtype == np.int16:
            return float(SHORT_LIMIT) / 2.0
        if self.gains.dtype == np.int32:
            return float(INT_LIMIT) / 2.0
        return 2.0**50

    def _step(self, value: float) -> np.floating | np.integer:
        """``value`` as a scalar of the tables' type."""
        dtype = self.gains.dtype
        if dtype == np.int16:
            return np.int16(value)
        if dtype == np.int32:
            return np.int32(value)
        return np.float64(value)

    @property
    def width(self) -> int:
        return int(self.multiplicity.shape[0])

    def full_gains(self, counts: IntArray) -> FloatArray:
        """``(n, W)``: G_i over each descriptor's full domain."""
        rows = (1 << counts) - 1 if self.subsets else np.full(counts.shape[0], counts.max())
        full: FloatArray = self.gains[np.arange(counts.shape[0]), rows].astype(np.float64)
        full[:, self.multiplicity != 1] = 0.0
        return full * self.unit if self.scaled else full


def steps_of(tolerance: float, unit: float, bound: float) -> float:
    """``floor(tolerance / unit)``, a near-whole quotient taken as whole, at most ``bound``.

    A tolerance beyond every margin admits everything, so it is capped at ``bound``.
    """
    quotient = tolerance / unit
    if not quotient < bound:
        return float(np.floor(bound))
    return float(np.floor(quotient * (1.0 + 2.0**-40) + 2.0**-20))


def search_tables(system: CIBSystem, tolerance: float = 0.0) -> SearchTables:
    """Gain tables and cost-sorted propagation lists for ``system``."""
    n = system.n
    counts = system.counts
    offsets = system.offsets
    K = int(counts.max())
    W = K * K * n
    col_variant = np.full(W, -1, dtype=np.int64)
    col_rival = np.full(W, -1, dtype=np.int64)
    multiplicity = np.zeros(W, dtype=np.int64)
    for j in range(n):
        for k in range(counts[j]):
            for l in range(counts[j]):
                c = (l * K + k) * n + j
                if l != k:
                    col_variant[c] = offsets[j] + k
                    col_rival[c] = offsets[j] + l
                    multiplicity[c] = 1
                elif counts[j] > 2:
                    multiplicity[c] = counts[j] - 1  # the sum of variant k's constraints
    grid = system.grid
    matrix = system.matrix if grid is None else grid.steps
    single = multiplicity == 1
    valid = multiplicity > 0
    # diff[i, v, c]: what variant v of descriptor i adds to the margin of constraint c
    diff = np.zeros((n, K, W), dtype=np.float64)
    for i in range(n):
        rows = matrix[offsets[i] : offsets[i] + counts[i]]
        block = np.zeros((counts[i], W), dtype=np.float64)
        block[:, single] = rows[:, col_variant[single]] - rows[:, col_rival[single]]
        diff[i, : counts[i]] = block
    for j in range(n):
        if counts[j] > 2:
            for k in range(counts[j]):
                parts = [(l * K + k) * n + j for l in range(counts[j]) if l != k]
                diff[:, :, (k * K + k) * n + j] = diff[:, :, parts].sum(axis=2)
    subsets = n * (1 << K) * W * 8 <= SUBSET_TABLE_BYTES
    gains = np.zeros((n, (1 << K) if subsets else K + 1, W), dtype=np.float64)
    full = np.zeros((n, W), dtype=np.float64)
    for i in range(n):
        k_i = int(counts[i])
        full[i] = diff[i, :k_i].max(axis=0)
        if subsets:
            for mask in range(1, 1 << k_i):
                members = [v for v in range(k_i) if (mask >> v) & 1]
                gains[i, mask] = diff[i, members].max(axis=0)
        else:
            gains[i, :k_i] = diff[i, :k_i]
            gains[i, K] = full[i]
    cost = full[:, None, :] - diff  # (n, K, W); rows past a descriptor's count unused
    start = np.zeros(W + 1, dtype=np.int64)
    per_c: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for c in range(W):
        if valid[c]:
            ii, vv = np.nonzero((cost[:, :, c] > 0) & (np.arange(K)[None, :] < counts[:, None]))
            cc = cost[ii, vv, c]
            order = np.lexsort((vv, ii, -cc))
            per_c.append((ii[order], vv[order], cc[order]))
        else:
            empty = np.zeros(0, dtype=np.int64)
            per_c.append((empty, empty, np.zeros(0)))
        start[c + 1] = start[c] + per_c[-1][0].shape[0] + 1
    entry_desc = np.zeros(int(start[-1]), dtype=np.int64)
    entry_var = np.zeros(int(start[-1]), dtype=np.int64)
    entry_cost = np.full(int(start[-1]), -1.0)
    for c, (ii, vv, cc) in enumerate(per_c):
        s = int(start[c])
        entry_desc[s : s + ii.shape[0]] = ii
        entry_var[s : s + ii.shape[0]] = vv
        entry_cost[s : s + ii.shape[0]] = cc
    if grid is None:
        return SearchTables(gains, subsets, False, 1.0, 0.0, multiplicity, start, entry_desc, entry_var, entry_cost)
    # every slack is a sum of at most K balance differences plus the tolerance
    cap = 2.0 * K * grid.reach + 1.0
    reach = K * (2.0 * grid.reach + steps_of(tolerance, grid.unit, cap) + 2.0)
    if 2.0 * reach < INT_LIMIT:
        dtype: type[np.generic] = np.int16 if 2.0 * reach < SHORT_LIMIT else np.int32
    else:
        dtype = np.float64
    return SearchTables(
        gains.astype(dtype), subsets, True, grid.unit, cap, multiplicity, start, entry_desc, entry_var,
        entry_cost.astype(dtype),
    )
