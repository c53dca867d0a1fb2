"""A brute-force reference, written straight from the definitions.

Used by the property tests to check the fast engine, and usable on small systems.
It shares no code with the branch-and-bound search or the vectorised measures.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from kizashi.cib.system import CIBSystem


def reference_balances(system: CIBSystem, scenario: tuple[int, ...]) -> list[list[float]]:
    """theta[j][l] = sum over i of C[(i, z_i), (j, l)], by plain loops."""
    offsets = [int(x) for x in system.offsets]
    counts = [int(x) for x in system.counts]
    out: list[list[float]] = []
    for j in range(system.n):
        row: list[float] = []
        for l in range(counts[j]):
            row.append(sum(float(system.matrix[offsets[i] + scenario[i], offsets[j] + l]) for i in range(system.n)))
        out.append(row)
    return out


def reference_measures(
    system: CIBSystem, scenario: tuple[int, ...], fixed: Mapping[int, int] | None = None
) -> tuple[float, float, float]:
    """(inconsistency, consistency value, total impact score) of one scenario."""
    fixed = fixed or {}
    theta = reference_balances(system, scenario)
    tis = sum(theta[j][scenario[j]] for j in range(system.n))
    incs = []
    margins = []
    for j in range(system.n):
        if j in fixed:
            continue
        own = theta[j][scenario[j]]
        incs.append(max(theta[j]) - own)
        rivals = [theta[j][l] for l in range(len(theta[j])) if l != scenario[j]]
        if rivals:
            margins.append(own - max(rivals))
    return (max(incs) if incs else 0.0), (min(margins) if margins else 0.0), tis


def reference_enumerate(
    system: CIBSystem, tolerance: float = 0.0, fixed: Mapping[int, int] | None = None
) -> dict[tuple[int, ...], tuple[float, float, float]]:
    """Every scenario with inconsistency <= tolerance, mapped to its measures."""
    fixed = dict(fixed or {})
    ranges = [[fixed[i]] if i in fixed else range(int(k)) for i, k in enumerate(system.counts)]
    out: dict[tuple[int, ...], tuple[float, float, float]] = {}
    for scenario in itertools.product(*ranges):
        measures = reference_measures(system, scenario, fixed)
        if measures[0] <= tolerance + 1e-9:
            out[tuple(int(v) for v in scenario)] = measures
    return out


def reference_succession(
    system: CIBSystem,
    start: tuple[int, ...],
    rule: str = "global",
    fixed: Mapping[int, int] | None = None,
) -> tuple[list[tuple[int, ...]], int]:
    """Succession path and the index where its terminal cycle starts (fixed point: last)."""
    fixed = fixed or {}
    path = [tuple(start)]
    while True:
        z = path[-1]
        theta = reference_balances(system, z)
        gaps = []
        for j in range(system.n):
            best = max(theta[j])
            target = theta[j].index(best)
            gap = 0.0 if j in fixed else best - theta[j][z[j]]
            gaps.append((gap, target))
        nxt = list(z)
        if rule == "global":
            for j, (gap, target) in enumerate(gaps):
                if gap > 1e-9:
                    nxt[j] = target
        else:
            worst = max(g for g, _ in gaps)
            if worst > 1e-9:
                j = next(i for i, (g, _) in enumerate(gaps) if g == worst)
                nxt[j] = gaps[j][1]
        new = tuple(nxt)
        if new == z:
            return path, len(path) - 1
        if new in path:
            return path, path.index(new)
        path.append(new)
