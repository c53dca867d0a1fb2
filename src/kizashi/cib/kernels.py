"""Numba-compiled kernels of the engine (depth-first branch-and-bound, succession).

Kept apart from the Python API so that the API modules stay typed and readable.
"""

from __future__ import annotations

import numpy as np
from numba import njit

EPS = 1e-9


@njit(cache=True, nogil=True, inline="always")
def _row(mask, subsets, K):  # type: ignore[no-untyped-def]
    """Row of the gain table for a domain bitmask (see ``bounds.SearchTables``)."""
    if subsets:
        return mask
    if mask & (mask - 1):
        return K
    v = 0
    while not (mask >> v) & 1:
        v += 1
    return v


@njit(cache=True, nogil=True, inline="always")
def _popcount(m):  # type: ignore[no-untyped-def]
    """Number of set bits of a non-negative int64 (SWAR)."""
    m = m - ((m >> 1) & 0x5555555555555555)
    m = (m & 0x3333333333333333) + ((m >> 2) & 0x3333333333333333)
    m = (m + (m >> 4)) & 0x0F0F0F0F0F0F0F0F
    return (m * 0x0101010101010101) >> 56


@njit(cache=True, nogil=True, inline="always")
def _lower(SL, dst, src, gains, j, ro, rn):  # type: ignore[no-untyped-def]
    """SL[dst] = SL[src] - (gains[j, ro] - gains[j, rn]): the slack vector after
    descriptor j's domain shrinks from gain row ro to row rn (in place when dst == src)."""
    for x in range(SL.shape[1]):
        SL[dst, x] = SL[src, x] - (gains[j, ro, x] - gains[j, rn, x])


@njit(cache=True, nogil=True, inline="always")
def _settle(SL, DM, CN, ACT, RP, RT, reqc, reqlen, nf, d, choice, counts, tested, tmask, mult, gains, subsets, estart, edesc, evar, ecost, oldm, badm, forced, touched, LIVE, rank, stop_depth, CAND):  # type: ignore[no-untyped-def]
    """Propagate the node at depth ``d`` to a fixpoint, then pick a branch.

    ``SL[d]`` is the slack vector (``bounds``), ``DM[d]`` the domain bitmasks, ``CN[d]``
    their sizes, ``ACT[d]`` which descriptors' constraints are required; the first
    ``nf`` entries of ``forced`` list descriptors newly left with one variant. Rounds:
    1. a tested descriptor loses each variant with a negative slack;
    2. once a tested descriptor has one variant left, its constraints are *required*
       (``reqc``); a required constraint c with slack s removes every variant v of an
       undecided i with G_i(D_i)[c] - G_i({v})[c] > s. Each required
       constraint walks its cost-sorted entry list from a pointer (``RP``) that only
       skips entries settled for the whole subtree (i decided, or v removed), so the
       walk stops at the first entry cheaper than s. ``RT`` keeps an upper bound on
       the cost of every entry still unsettled past the pointer (costs only fall as
       domains shrink), and a list is walked again only once its slack falls below it.
       A walk first collects the live entries without data-dependent branches (most
       entries it passes belong to decided descriptors), then prices only those;
    3. every descriptor whose domain shrank (listed in ``touched``) lowers the slack
       by the gains it lost, and the rounds repeat until nothing changes.
    The result is the greatest common fixpoint of these monotone rules below the
    node's domains, so it does not depend on the path that led to the node (a split
    search that restarts from a partial scenario visits the same nodes).
    Returns (status, descriptor, candidate count, required count): status 0 = dead,
    1 = record, 2 = branch on the undecided descriptor with the fewest variants left
    (``rank`` breaks ties), whose variants are written to ``CAND[d]``.
    """
    n = counts.shape[0]
    K = CAND.shape[1]
    r = 0
    nt = 0
    for j in range(n):
        oldm[j] = DM[d, j]
    while True:
        for j in range(n):
            badm[j] = 0
        for k in range(K):
            bit = 1 << k
            for l in range(K):
                b = (l * K + k) * n
                for j in range(n):
                    badm[j] |= (SL[d, b + j] < 0) * bit
        hit = 0
        for j in range(n):
            badm[j] &= oldm[j] & tmask[j]
            hit |= badm[j]
        if hit:
            for j in range(n):
                if badm[j]:
                    m = oldm[j] & ~badm[j]
                    if m == 0:
                        return 0, -1, 0, reqlen
                    DM[d, j] = m
                    touched[nt] = j
                    nt += 1
                    c = _popcount(m)
                    CN[d, j] = c
                    if c == 1:
                        forced[nf] = j
                        nf += 1
        while True:
            for f in range(nf):
                j = forced[f]
                if not tested[j] or ACT[d, j]:
                    continue
                ACT[d, j] = 1
                m = DM[d, j]
                k = 0
                while not (m >> k) & 1:
                    k += 1
                for l in range(counts[j]):
                    c = (l * K + k) * n + j
                    if mult[c] > 0:
                        reqc[reqlen] = c
                        RP[d, reqlen] = estart[c]
                        RT[d, reqlen] = ecost[estart[c]]
                        reqlen += 1
            nf = 0
            if r == reqlen:
                break
            # skip to the first required constraint whose slack fell below its list's bound
            while r < reqlen and RT[d, r] <= SL[d, reqc[r]]:
                r += 1
            while r < reqlen:
                c = reqc[r]
                s = SL[d, c]
                if RT[d, r] > s:
                    # pass 1, without data-dependent branches: the entries still live
                    u = RP[d, r]
                    nl = 0
                    while ecost[u] > s:
                        i = edesc[u]
                        LIVE[nl] = u
                        nl += ((DM[d, i] >> evar[u]) & 1) & (choice[i] < 0)
                        u += 1
                    stop = u
                    # pass 2: remove the live variants that cost more than the slack; the
                    # pointer moves to the first one kept (all before it are settled)
                    t = stop
                    kept = ecost[stop] - ecost[stop] - 1  # -1, in the costs' type
                    for q in range(nl):
                        e = LIVE[q]
                        i = edesc[e]
                        v = evar[e]
                        cost = gains[i, _row(oldm[i], subsets, K), c] - gains[i, _row(1 << v, subsets, K), c]
                        if cost <= s:
                            if t == stop:
                                t = e
                            kept = max(kept, cost)
                            continue
                        m = DM[d, i] & ~(1 << v)
                        DM[d, i] = m
                        touched[nt] = i
                        nt += 1
                        CN[d, i] -= 1
                        if m == 0:
                            return 0, -1, 0, reqlen
                        if CN[d, i] == 1:
                            forced[nf] = i
                            nf += 1
                    RP[d, r] = t
                    RT[d, r] = max(kept, ecost[stop])
                r += 1
            if nf == 0:
                break
        if nt == 0:
            break
        for f in range(nt):
            j = touched[f]
            m = DM[d, j]
            if m != oldm[j]:
                ro = _row(oldm[j], subsets, K)
                rn = _row(m, subsets, K)
                if ro != rn:
                    _lower(SL, d, d, gains, j, ro, rn)
                oldm[j] = m
        nt = 0
        r = 0
    best_j = -1
    best_key = 1 << 62
    for j in range(n):
        key = CN[d, j] * n + rank[j]
        if choice[j] < 0 and key < best_key:
            best_key = key
            best_j = j
    if best_j < 0 or d == stop_depth:
        return 1, -1, 0, reqlen
    c = 0
    m = DM[d, best_j]
    for k in range(counts[best_j]):
        if (m >> k) & 1:
            CAND[d, c] = k
            c += 1
    return 2, best_j, c, reqlen


#: Scalars of a walk kept between calls of ``_walk`` (see ``search``).
_P, _D0, _D, _ND, _STATUS, _BJ, _BC, _RL, _COUNT, _NODES, _RESUME, _STOPPED = range(12)


# ``_nrt=False``: numba's (underscored, but long-standing) option to compile without
# reference counting; a function compiled so must not allocate.
@njit(cache=True, nogil=True, _nrt=False)  # type: ignore[call-overload]
def _walk(st, out, counts, tested, tmask, gains, subsets, mult, estart, edesc, evar, ecost, rank, shift, big, prefixes, stop_depth, limit, slack, dmask, dcount, act, rpos, rthr, reqc, reqn, choice, branch, ncand, ptr, cand, oldm, badm, forced, touched, live):  # type: ignore[no-untyped-def]
    """The depth-first walk of ``search`` over ``prefixes``, writing records to ``out``.

    Compiled without reference counting (``_nrt=False``): it allocates nothing, so the
    arrays it indexes cost no atomic count updates per node, which would otherwise be a
    quarter of the time and contended between threads sharing the tables. Returns 1
    when ``out`` is full (its scalars are saved in ``st``, and a call with a larger
    ``out`` resumes the walk), else 0.
    """
    n = counts.shape[0]
    K = cand.shape[1]
    W = mult.shape[0]
    p = st[_P]
    d0 = st[_D0]
    d = st[_D]
    nd = st[_ND]
    status = st[_STATUS]
    bj = st[_BJ]
    bc = st[_BC]
    rl = st[_RL]
    count = st[_COUNT]
    nodes = st[_NODES]
    resume = st[_RESUME] != 0
    stopped = False
    while p < prefixes.shape[0]:
        if not resume:
            d0 = 0
            nf = 0
            for j in range(n):
                choice[j] = prefixes[p, j]
                if choice[j] >= 0:
                    d0 += 1
            for c in range(W):
                slack[d0, c] = mult[c] * shift if mult[c] > 0 else big
            for j in range(n):
                act[d0, j] = 0
                if choice[j] >= 0 or counts[j] == 1:
                    forced[nf] = j
                    nf += 1
                dcount[d0, j] = 1 if choice[j] >= 0 else counts[j]
                dmask[d0, j] = 1 << choice[j] if choice[j] >= 0 else (1 << counts[j]) - 1
                g = _row(dmask[d0, j], subsets, K)
                for c in range(W):
                    if mult[c] > 0:
                        slack[d0, c] += gains[j, g, c]
            nd = d0  # depth of the node just evaluated
            d = d0 - 1  # deepest branching node with children left (none yet)
            status, bj, bc, rl = _settle(slack, dmask, dcount, act, rpos, rthr, reqc, 0, nf, nd, choice, counts, tested, tmask, mult, gains, subsets, estart, edesc, evar, ecost, oldm, badm, forced, touched, live, rank, stop_depth, cand)
        resume = False
        while True:
            # settle the node just evaluated
            if status == 1:
                if count == limit:
                    stopped = True
                    break
                if count == out.shape[0]:
                    st[_P] = p
                    st[_D0] = d0
                    st[_D] = d
                    st[_ND] = nd
                    st[_STATUS] = status
                    st[_BJ] = bj
                    st[_BC] = bc
                    st[_RL] = rl
                    st[_COUNT] = count
                    st[_NODES] = nodes
                    st[_RESUME] = 1
                    return 1
                for j in range(n):
                    out[count, j] = choice[j]
                count += 1
            elif status == 2:
                d = nd
                branch[d] = bj
                ncand[d] = bc
                ptr[d] = 0
                reqn[d] = rl
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
            _lower(slack, d + 1, d, gains, j, _row(dmask[d, j], subsets, K), _row(1 << k, subsets, K))
            for i in range(n):
                dmask[d + 1, i] = dmask[d, i]
                dcount[d + 1, i] = dcount[d, i]
                act[d + 1, i] = act[d, i]
            dmask[d + 1, j] = 1 << k
            dcount[d + 1, j] = 1
            forced[0] = j
            rl = reqn[d]
            for r in range(rl):
                rpos[d + 1, r] = rpos[d, r]
                rthr[d + 1, r] = rthr[d, r]
            nd = d + 1
            status, bj, bc, rl = _settle(slack, dmask, dcount, act, rpos, rthr, reqc, rl, 1, nd, choice, counts, tested, tmask, mult, gains, subsets, estart, edesc, evar, ecost, oldm, badm, forced, touched, live, rank, stop_depth, cand)
        for j in range(n):
            choice[j] = -1
        if stopped:
            break
        p += 1
    st[_COUNT] = count
    st[_NODES] = nodes
    st[_STOPPED] = 1 if stopped else 0
    return 0


@njit(cache=True, nogil=True)
def search(counts, tested, gains, subsets, mult, estart, edesc, evar, ecost, rank, shift, big, prefixes, stop_depth, limit):  # type: ignore[no-untyped-def]
    """Depth-first branch-and-bound with propagation to a fixpoint and dynamic ordering.

    Each row of ``prefixes`` is a partial scenario (-1 = undecided; fixed descriptors
    are decided in it) to search below. A node keeps, per depth, its slack vector,
    domains, required constraints' pointers and which descriptors have them; a child
    copies its parent's and subtracts the decided descriptor's lost gains, then
    ``_settle`` propagates it. Records are full scenarios, or partial ones when
    ``stop_depth`` descriptors are decided. Returns (records, nodes visited,
    stopped-at-limit flag). This function allocates; ``_walk`` does the search.
    """
    n = counts.shape[0]
    K = 1
    for j in range(n):
        K = max(K, counts[j])
    W = mult.shape[0]
    R = n * K + 1
    tmask = np.zeros(n, dtype=np.int64)
    for j in range(n):
        tmask[j] = -1 if tested[j] else 0
    longest = 0
    for c in range(W):
        longest = max(longest, estart[c + 1] - estart[c])
    st = np.zeros(12, dtype=np.int64)
    out = np.empty((256, n), dtype=np.int16)
    args = (
        counts, tested, tmask, gains, subsets, mult, estart, edesc, evar, ecost, rank, shift, big, prefixes, stop_depth, limit,
        np.zeros((n + 1, W), dtype=gains.dtype),  # slack
        np.zeros((n + 1, n), dtype=np.int64),  # domain bitmasks
        np.zeros((n + 1, n), dtype=np.int64),  # domain sizes
        np.zeros((n + 1, n), dtype=np.uint8),  # required-constraint flags
        np.zeros((n + 1, R), dtype=np.int64),  # list pointers
        np.zeros((n + 1, R), dtype=ecost.dtype),  # bounds on the lists' unsettled costs
        np.zeros(R, dtype=np.int64),  # required constraints
        np.zeros(n + 1, dtype=np.int64),  # their count per depth
        np.full(n, -1, dtype=np.int64),  # choice
        np.zeros(n + 1, dtype=np.int64),  # branch descriptor per depth
        np.zeros(n + 1, dtype=np.int64),  # candidates per depth
        np.zeros(n + 1, dtype=np.int64),  # next candidate per depth
        np.zeros((n + 1, K), dtype=np.int64),  # candidates
        np.zeros(n, dtype=np.int64),  # domains at the start of a round
        np.zeros(n, dtype=np.int64),  # variants a round removes
        np.zeros(n + 1, dtype=np.int64),  # descriptors newly left with one variant
        np.zeros(n * K + 1, dtype=np.int64),  # descriptors whose domain shrank
        np.zeros(longest + 1, dtype=np.int64),  # a list walk's live entries
    )
    while _walk(st, out, *args):
        bigger = np.empty((out.shape[0] * 2, n), dtype=np.int16)
        bigger[: out.shape[0]] = out
        out = bigger
    return out[: st[_COUNT]].copy(), st[_NODES], st[_STOPPED] != 0


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
