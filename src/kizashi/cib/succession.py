"""Succession, attractors and basins (Weimer-Jehle 2006, sect. 4; ScenarioWizard).

Global succession moves every inconsistent descriptor at once to its highest-balance
variant; local succession moves only the most inconsistent one (lowest index among
equals). A moving descriptor takes the lowest-index variant among equal maxima; a
descriptor whose current variant attains the maximum stays. Iteration ends in a
consistent scenario (an attractor) or a cycle. An attractor's volume weight is the
number of start scenarios whose succession ends in it: exact over every start where
the space allows, otherwise from seeded random starts, and then labelled sampled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from kizashi.cib.bounds import steps_of
from kizashi.cib.kernels import attractor_of_starts, run_succession
from kizashi.cib.system import CIBSystem, FloatArray, IntArray
from kizashi.errors import InputError

Rule = Literal["global", "local"]
MAX_STEPS = 100_000
#: Spaces up to this many start scenarios are searched exhaustively by ``attractors``.
EXACT_STARTS = 2_000_000


@dataclass(frozen=True)
class SuccessionResult:
    """A succession path and where it ended."""

    path: IntArray  # (L, n): start first
    cycle: IntArray  # (c, n): the attractor (c == 1) or the cycle's states in path order
    rule: Rule

    @property
    def is_cycle(self) -> bool:
        """True when the path ends in a cycle of two or more scenarios."""
        return int(self.cycle.shape[0]) > 1

    @property
    def attractor(self) -> IntArray:
        """The consistent end state (only meaningful when not a cycle)."""
        first: IntArray = self.cycle[0]
        return first


def _rule_code(rule: str) -> int:
    if rule == "global":
        return 0
    if rule == "local":
        return 1
    raise InputError(f"unknown succession rule {rule!r}: use global or local")


def _on_grid(system: CIBSystem, tolerance: float) -> tuple[FloatArray, float]:
    """The matrix and tolerance the kernels compare: in whole grid steps when the
    system has a grid (exact, whatever the unit), else as given."""
    if system.grid is None:
        return system.matrix, float(tolerance)
    return system.grid.steps, steps_of(float(tolerance), system.grid.unit, 2.0**52)


def succession(
    system: CIBSystem,
    start: npt.ArrayLike,
    rule: Rule = "global",
    fixed: Mapping[int, int] | None = None,
    tolerance: float = 0.0,
) -> SuccessionResult:
    """Iterate succession from ``start`` until an attractor or a cycle."""
    code = _rule_code(rule)
    fixed_arr = system.fixed_array(fixed)
    z = system.check_scenarios(start)[0].copy()
    z[fixed_arr >= 0] = fixed_arr[fixed_arr >= 0]
    matrix, tol = _on_grid(system, tolerance)
    path, cyc = run_succession(matrix, system.counts, system.offsets, fixed_arr < 0, tol, z, code, MAX_STEPS)
    if cyc < 0:
        raise InputError(f"succession did not settle within {MAX_STEPS} steps")
    return SuccessionResult(path=path, cycle=path[cyc:].copy(), rule=rule)


@dataclass(frozen=True)
class Attractor:
    """An end state of succession with the starts that lead to it."""

    states: IntArray  # (c, n); one row for a consistent scenario
    weight: int  # number of starts ending here
    mean_steps: float

    @property
    def is_cycle(self) -> bool:
        """True for a cycle of two or more scenarios."""
        return int(self.states.shape[0]) > 1


@dataclass(frozen=True)
class BasinResult:
    """Attractors and cycles with their volume weights."""

    attractors: list[Attractor]
    starts: int
    sampled: bool
    seed: int | None
    rule: Rule


def start_scenarios(system: CIBSystem, fixed_arr: IntArray) -> IntArray:
    """Every scenario over the free descriptors (fixed ones at their variant), in
    lexicographic order."""
    ranges = [np.array([v]) if v >= 0 else np.arange(k) for v, k in zip(fixed_arr, system.counts, strict=True)]
    grids = np.meshgrid(*ranges, indexing="ij")
    return np.ascontiguousarray(np.stack([g.reshape(-1) for g in grids], axis=1).astype(np.int64))


def attractors(
    system: CIBSystem,
    rule: Rule = "global",
    fixed: Mapping[int, int] | None = None,
    *,
    samples: int | None = None,
    seed: int = 0,
    tolerance: float = 0.0,
) -> BasinResult:
    """Attractors and cycles of succession with their basin sizes.

    Every start scenario is run when the space has at most ``EXACT_STARTS`` scenarios
    and ``samples`` is None; otherwise ``samples`` (default 100,000) random starts
    drawn with ``seed`` are run and the result is marked sampled.
    """
    code = _rule_code(rule)
    fixed_arr = system.fixed_array(fixed)
    space = system.configurations(fixed)
    sampled = samples is not None or space > EXACT_STARTS
    if sampled:
        count = samples if samples is not None else 100_000
        if count < 1:
            raise InputError("samples must be at least 1")
        rng = np.random.default_rng(seed)
        starts = (rng.random((count, system.n)) * system.counts[None, :]).astype(np.int64)
        starts[:, fixed_arr >= 0] = fixed_arr[fixed_arr >= 0]
    else:
        starts = start_scenarios(system, fixed_arr)
    matrix, tol = _on_grid(system, tolerance)
    reps, lengths, steps = attractor_of_starts(
        matrix, system.counts, system.offsets, fixed_arr < 0, tol, starts, code, MAX_STEPS
    )
    if (lengths < 0).any():
        raise InputError(f"succession did not settle within {MAX_STEPS} steps")
    keys, inverse, weights = np.unique(reps, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    found: list[Attractor] = []
    for idx in range(keys.shape[0]):
        members = np.flatnonzero(inverse == idx)
        first = int(members[0])
        if lengths[first] == 1:
            states = keys[idx][None, :].copy()
        else:
            run = succession(system, starts[first], rule, fixed, tolerance)
            cyc = run.cycle
            pivot = int(np.flatnonzero((cyc == keys[idx]).all(axis=1))[0])
            states = np.roll(cyc, -pivot, axis=0)
        found.append(Attractor(states=states, weight=int(weights[idx]), mean_steps=float(steps[members].mean())))
    found.sort(key=lambda a: (-a.weight, a.states.shape[0], tuple(a.states[0].tolist())))
    return BasinResult(found, int(starts.shape[0]), sampled, seed if sampled else None, rule)
