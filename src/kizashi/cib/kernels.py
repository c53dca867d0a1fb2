"""Numba-compiled kernels of the engine (depth-first branch-and-bound, succession).

Kept apart from the Python API so that the API modules stay typed and readable.
"""

from __future__ import annotations

import numpy as np
from numba import njit

EPS = 1e-9


@njit(cache=True, nogil=True, inline="always")
def _node(theta, S, dom, choice, C, counts, offsets, tested, gain, loss, by_loss, maxloss, rank, tol, depth, stop_depth, cand_row):  # type: ignore[no-untyped-def]
    """Check a node, shrink the undecided descriptors' domains, pick a branch.

    1. Every decided descriptor j (variant a) must keep each rival l beatable:
       slack = theta_a - theta_l + S[a, l] + t >= 0, else the node is dead. When the
       slack is small, an undecided descriptor i loses each variant v whose choice
       would cost more than the slack: gain[i, a, l] - (C[(i,v), a] - C[(i,v), l]).
       (Bounds propagation on the linear consistency inequalities; sound because S
       over-estimates what the other undecided descriptors can add.)
    2. Every undecided descriptor keeps only the variants that can still win.
    Returns (status, descriptor, candidate count): 0 = dead, 1 = record, 2 = branch on
    the undecided descriptor with the fewest variants left (``rank`` breaks ties),
    whose variants are written to ``cand_row``.
    """
    n = counts.shape[0]
    limit = -tol - EPS
    for j in range(n):
        if choice[j] < 0 or not tested[j]:
            continue
        off = offsets[j]
        a = off + choice[j]
        base = theta[a]
        for l in range(counts[j]):
            if l == choice[j]:
                continue
            slack = base - theta[off + l] + S[a, l] - limit
            if slack < 0.0:
                return 0, -1, 0
            if slack >= maxloss[a, l]:
                continue
            col = off + l
            for t in range(n):
                i = by_loss[a, l, t]
                if loss[i, a, l] <= slack:
                    break
                if choice[i] >= 0:
                    continue
                offi = offsets[i]
                g = gain[i, a, l]
                mask = dom[i]
                for v in range(counts[i]):
                    if (mask >> v) & 1 and g - (C[offi + v, a] - C[offi + v, col]) > slack:
                        mask &= ~(1 << v)
                if mask == 0:
                    return 0, -1, 0
                dom[i] = mask
    best_j = -1
    best_cnt = 1 << 30
    for j in range(n):
        if choice[j] >= 0:
            continue
        off = offsets[j]
        mask = dom[j]
        if tested[j]:
            for k in range(counts[j]):
                if not (mask >> k) & 1:
                    continue
                a = off + k
                for l in range(counts[j]):
                    if l != k and theta[a] - theta[off + l] + S[a, l] < limit:
                        mask &= ~(1 << k)
                        break
            if mask == 0:
                return 0, -1, 0
            dom[j] = mask
        cnt = 0
        for k in range(counts[j]):
            if (mask >> k) & 1:
                cnt += 1
        if cnt < best_cnt or (cnt == best_cnt and rank[j] < rank[best_j]):
            best_cnt = cnt
            best_j = j
    if best_j < 0 or depth == stop_depth:
        return 1, -1, 0
    c = 0
    for k in range(counts[best_j]):
        if (dom[best_j] >> k) & 1:
            cand_row[c] = k
            c += 1
    return 2, best_j, best_cnt


@njit(cache=True, nogil=True)
def _record(out, count, choice):  # type: ignore[no-untyped-def]
    """Append ``choice`` as row ``count`` of ``out``, doubling ``out`` when full."""
    if count == out.shape[0]:
        bigger = np.empty((out.shape[0] * 2, out.shape[1]), dtype=np.int16)
        bigger[:count] = out[:count]
        out = bigger
    for j in range(choice.shape[0]):
        out[count, j] = choice[j]
    return out


@njit(cache=True, nogil=True)
def search(C, counts, offsets, tested, gain, loss, by_loss, maxloss, rank, tol, prefixes, stop_depth, limit):  # type: ignore[no-untyped-def]
    """Depth-first branch-and-bound with domain propagation and dynamic ordering.

    Each row of ``prefixes`` is a partial scenario (-1 = undecided; fixed descriptors
    are decided in it) to search below. Every node is checked and propagated by
    ``_node``; domains only shrink going down, so each node starts from its parent's.
    The bound ``S`` of the undecided descriptors depends only on which descriptors are
    decided, so it is computed once per branching and shared by the siblings. Records
    are full scenarios, or partial ones when ``stop_depth`` descriptors are decided.
    Returns (records, nodes visited, stopped-at-limit flag).
    """
    n = counts.shape[0]
    V = C.shape[0]
    maxk = gain.shape[2]
    theta = np.zeros((n + 1, V))
    S = np.zeros((n + 1, V, maxk))
    dom = np.zeros((n + 1, n), dtype=np.int64)
    choice = np.full(n, -1, dtype=np.int64)
    branch = np.zeros(n + 1, dtype=np.int64)
    ncand = np.zeros(n + 1, dtype=np.int64)
    ptr = np.zeros(n + 1, dtype=np.int64)
    cand = np.zeros((n + 1, maxk), dtype=np.int64)
    out = np.empty((256, n), dtype=np.int16)
    count = 0
    nodes = 0
    stopped = False
    for p in range(prefixes.shape[0]):
        d = 0
        for c in range(V):
            theta[0, c] = 0.0
            for l in range(maxk):
                S[0, c, l] = 0.0
        for j in range(n):
            choice[j] = prefixes[p, j]
            if choice[j] >= 0:
                d += 1
                dom[0, j] = 1 << choice[j]
                row = offsets[j] + choice[j]
                for c in range(V):
                    theta[0, c] += C[row, c]
            else:
                dom[0, j] = (1 << counts[j]) - 1
                for c in range(V):
                    for l in range(maxk):
                        S[0, c, l] += gain[j, c, l]
        d0 = d
        if d0 > 0:
            theta[d0] = theta[0]
            S[d0] = S[0]
            dom[d0] = dom[0]
        nd = d0  # depth of the node just evaluated
        d = d0 - 1  # deepest branching node with children left (none yet)
        status, bj, bc = _node(theta[nd], S[nd], dom[nd], choice, C, counts, offsets, tested, gain, loss, by_loss, maxloss, rank, tol, nd, stop_depth, cand[nd])
        while True:
            # settle the node just evaluated
            if status == 1:
                if count == limit:
                    stopped = True
                    break
                out = _record(out, count, choice)
                count += 1
            elif status == 2:
                d = nd
                branch[d] = bj
                ncand[d] = bc
                ptr[d] = 0
                for c in range(V):
                    for l in range(maxk):
                        S[d + 1, c, l] = S[d, c, l] - gain[bj, c, l]
            # move to the next untried child, backtracking over exhausted nodes
            while d >= d0 and ptr[d] >= ncand[d]:
                choice[branch[d]] = -1
                d -= 1
            if d < d0:
                break
            j = branch[d]
            k = cand[d, ptr[d]]
            ptr[d] += 1
            choice[j] = k
            nodes += 1
            row = offsets[j] + k
            for c in range(V):
                theta[d + 1, c] = theta[d, c] + C[row, c]
            for i in range(n):
                dom[d + 1, i] = dom[d, i]
            dom[d + 1, j] = 1 << k
            nd = d + 1
            status, bj, bc = _node(theta[nd], S[nd], dom[nd], choice, C, counts, offsets, tested, gain, loss, by_loss, maxloss, rank, tol, nd, stop_depth, cand[nd])
        for j in range(n):
            choice[j] = -1
        if stopped:
            break
    return out[:count].copy(), nodes, stopped


@njit(cache=True, nogil=True)
def _succession_step(C, counts, offsets, tested, tol, z, theta, rule):  # type: ignore[no-untyped-def]
    """One succession step in place; returns True if the scenario changed.

    rule 0 = global (every inconsistent descriptor moves at once), 1 = local (only the
    most inconsistent descriptor, lowest index among equals). A moving descriptor takes
    its highest-balance variant, the lowest index among equal maxima.
    """
    n = counts.shape[0]
    V = C.shape[0]
    for c in range(V):
        theta[c] = 0.0
    for i in range(n):
        row = offsets[i] + z[i]
        for c in range(V):
            theta[c] += C[row, c]
    changed = False
    worst = tol + EPS
    worst_j = -1
    worst_v = -1
    new_z = z.copy()
    for j in range(n):
        if not tested[j]:
            continue
        off = offsets[j]
        best = theta[off]
        best_v = 0
        for l in range(1, counts[j]):
            if theta[off + l] > best + EPS:
                best = theta[off + l]
                best_v = l
        gap = best - theta[off + z[j]]
        if gap > tol + EPS:
            if rule == 0:
                new_z[j] = best_v
                changed = True
            elif gap > worst:
                worst = gap
                worst_j = j
                worst_v = best_v
    if rule == 1 and worst_j >= 0:
        new_z[worst_j] = worst_v
        changed = True
    for j in range(n):
        z[j] = new_z[j]
    return changed


@njit(cache=True, nogil=True)
def run_succession(C, counts, offsets, tested, tol, start, rule, max_steps):  # type: ignore[no-untyped-def]
    """Iterate succession from ``start``; returns (path, cycle_start_index).

    The path lists every visited scenario, start first. If the last state is a fixed
    point the cycle start is len(path)-1; otherwise the path's tail from cycle start
    on is a cycle (its last state leads back to the cycle start). -1 if max_steps ran out.
    """
    n = counts.shape[0]
    path = np.empty((max_steps + 1, n), dtype=np.int64)
    theta = np.zeros(C.shape[0])
    z = start.copy()
    path[0] = z
    length = 1
    while length <= max_steps:
        changed = _succession_step(C, counts, offsets, tested, tol, z, theta, rule)
        if not changed:
            return path[:length].copy(), length - 1
        for s in range(length):
            same = True
            for j in range(n):
                if path[s, j] != z[j]:
                    same = False
                    break
            if same:
                return path[:length].copy(), s
        path[length] = z
        length += 1
    return path[:length].copy(), -1


@njit(cache=True, nogil=True)
def attractor_of_starts(C, counts, offsets, tested, tol, starts, rule, max_steps):  # type: ignore[no-untyped-def]
    """For each start: the lexicographically smallest state of its attractor or cycle,
    the cycle length (1 for a consistent scenario), and the path length."""
    m = starts.shape[0]
    n = counts.shape[0]
    reps = np.empty((m, n), dtype=np.int64)
    lengths = np.empty(m, dtype=np.int64)
    steps = np.empty(m, dtype=np.int64)
    for s in range(m):
        path, cyc = run_succession(C, counts, offsets, tested, tol, starts[s], rule, max_steps)
        if cyc < 0:
            lengths[s] = -1
            reps[s] = path[path.shape[0] - 1]
            steps[s] = path.shape[0] - 1
            continue
        best = cyc
        for t in range(cyc + 1, path.shape[0]):
            for j in range(n):
                if path[t, j] < path[best, j]:
                    best = t
                    break
                if path[t, j] > path[best, j]:
                    break
        reps[s] = path[best]
        lengths[s] = path.shape[0] - cyc
        steps[s] = path.shape[0] - 1
    return reps, lengths, steps
