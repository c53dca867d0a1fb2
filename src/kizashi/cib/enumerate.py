"""Exact enumeration of all scenarios with inconsistency <= t, by branch-and-bound.

A depth-first search decides one descriptor at a time: at every node it removes the
variants that can no longer be consistent under the bounds of ``bounds``, propagates
the constraints of descriptors left with a single variant, repeats both to a fixpoint
(``kernels._settle``), and branches on the descriptor with the fewest variants left
(``search_order`` breaks ties). A branch is cut as soon as a descriptor has no variant
left. Nothing is sampled: a result is complete unless a result limit was hit, and then
it says so. Large searches are split into independent subtrees that run on several
threads (the kernels release the GIL); results are sorted, so the output does not
depend on the number of threads.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from kizashi.cib import kernels
from kizashi.cib.balances import evaluate
from kizashi.cib.bounds import search_tables
from kizashi.cib.ordering import search_order
from kizashi.cib.system import CIBSystem, FloatArray, IntArray
from kizashi.errors import InputError

_SearchResult = tuple[np.ndarray, int, bool]
#: The compiled search kernel, typed for callers.
search: Callable[..., _SearchResult] = kernels.search

#: Below this many configurations the search runs on one thread without splitting.
SPLIT_THRESHOLD = 200_000


@dataclass(frozen=True)
class EnumerationResult:
    """The scenarios found, their measures, and how the search went."""

    scenarios: IntArray  # (m, n) variant index per descriptor
    inconsistency: FloatArray
    consistency_value: FloatArray
    total_impact_score: FloatArray
    nodes_visited: int
    complete: bool
    tolerance: float
    fixed: dict[int, int]
    configurations: int

    def __len__(self) -> int:
        return int(self.scenarios.shape[0])


def sort_scenarios(scenarios: IntArray, tis: FloatArray) -> IntArray:
    """Permutation: highest total impact score first, ties by variant indices ascending."""
    if scenarios.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    keys: list[np.ndarray] = [scenarios[:, j] for j in range(scenarios.shape[1] - 1, -1, -1)]
    keys.append(-np.round(tis, 9))
    return np.lexsort(keys)


def enumerate_scenarios(
    system: CIBSystem,
    tolerance: float = 0.0,
    fixed: Mapping[int, int] | None = None,
    *,
    limit: int | None = None,
    threads: int | None = None,
    order: IntArray | None = None,
) -> EnumerationResult:
    """All scenarios whose inconsistency is at most ``tolerance``, exactly.

    ``fixed`` maps descriptor index to variant index (an intervention): those
    descriptors keep their variant, exert their impacts and are left out of the
    consistency test. ``limit`` caps how many scenarios are collected; reaching it
    marks the result incomplete. ``order`` overrides the search order (for tests).
    """
    if tolerance < 0 or not np.isfinite(tolerance):
        raise InputError(f"tolerance must be a finite number >= 0, got {tolerance}")
    if limit is not None and limit < 1:
        raise InputError("limit must be at least 1")
    fixed = dict(fixed or {})
    fixed_arr = system.fixed_array(fixed)
    tested = fixed_arr < 0
    tables = search_tables(system, float(tolerance))
    if order is None:
        order = search_order(tables.full_gains(system.counts), fixed_arr)
    order = np.ascontiguousarray(order, dtype=np.int64)
    if sorted(order.tolist()) != list(range(system.n)):
        raise InputError("order must be a permutation of the descriptor indices")
    rank = np.empty(system.n, dtype=np.int64)
    rank[order] = np.arange(system.n)
    cap = -1 if limit is None else int(limit)
    args = (
        system.counts, tested, tables.gains, tables.subsets,
        tables.multiplicity, tables.entry_start, tables.entry_desc, tables.entry_var,
        tables.entry_cost, rank, tables.shift(float(tolerance)), tables.padding(),
    )

    n_threads = max(1, threads if threads is not None else min(os.cpu_count() or 1, 8))
    total = system.configurations(fixed)
    root = fixed_arr.reshape(1, -1).copy()
    if n_threads == 1 or total <= SPLIT_THRESHOLD or system.n < 4:
        found, nodes, stopped = search(*args, root, system.n, cap)
    else:
        found, nodes, stopped = _split_search(args, system, root, n_threads, cap)

    scenarios = found.astype(np.int64)
    metrics = evaluate(system, scenarios, fixed) if len(scenarios) else None
    if metrics is None:
        zeros = np.zeros(0, dtype=np.float64)
        return EnumerationResult(
            scenarios.reshape(0, system.n), zeros, zeros.copy(), zeros.copy(), int(nodes), not stopped, float(tolerance), fixed, total
        )
    # ranked in grid steps, so that the order does not depend on the matrix's unit
    unit = system.grid.unit if system.grid is not None else 1.0
    perm = sort_scenarios(scenarios, metrics.total_impact_score / unit)
    return EnumerationResult(
        scenarios=scenarios[perm],
        inconsistency=metrics.inconsistency[perm],
        consistency_value=metrics.consistency_value[perm],
        total_impact_score=metrics.total_impact_score[perm],
        nodes_visited=int(nodes),
        complete=not stopped,
        tolerance=float(tolerance),
        fixed=fixed,
        configurations=total,
    )


def _split_search(
    args: tuple[object, ...],
    system: CIBSystem,
    root: IntArray,
    n_threads: int,
    cap: int,
) -> tuple[np.ndarray, int, bool]:
    """Run the search as independent subtrees below a shallow split depth.

    The subtrees are the partial scenarios that survive the bounds at that depth; the
    nodes above it are counted once, in the pass that generates them.
    """
    want = 64 * n_threads
    decided = int((root >= 0).sum())
    depth = decided + 1
    while True:
        found, nodes, _ = search(*args, root, depth, -1)
        complete = found.shape[0] == 0 or (found >= 0).all()
        if found.shape[0] >= want or complete or depth >= system.n - 2:
            break
        depth += 1
    if complete:
        stopped = cap >= 0 and found.shape[0] > cap
        return (found[:cap] if stopped else found), int(nodes), bool(stopped)
    prefixes = found.astype(np.int64)
    chunks = np.array_split(prefixes, min(prefixes.shape[0], 16 * n_threads))

    def work(chunk: IntArray) -> tuple[np.ndarray, int, bool]:
        res: tuple[np.ndarray, int, bool] = search(*args, np.ascontiguousarray(chunk), system.n, cap)
        return res

    with ThreadPoolExecutor(max_workers=n_threads) as pool:
        results = list(pool.map(work, chunks))
    stopped = any(r[2] for r in results)
    found_all = np.concatenate([r[0] for r in results])
    if cap >= 0 and found_all.shape[0] > cap:
        found_all = found_all[:cap]
        stopped = True
    return found_all, int(nodes) + sum(int(r[1]) for r in results), stopped
