"""Exact balances: the common grid of a matrix's scores, or a refusal.

Consistency only depends on comparisons of sums of scores, so dividing every score by
one positive number changes nothing. When every score is an integer number of steps of
a common *unit* (halves for ScenarioWizard scores, but equally 1e38 or 1e-3 for a
scaled matrix), the engine works on the step counts, which are small integers whose
sums are exact, and the result does not depend on the unit. The unit is found from the
ratios of the scores to the smallest one: a ratio must be within a relative
``SNAP`` of a fraction with a denominator up to ``MAX_DENOMINATOR`` (the rounding of
reading a decimal number or of multiplying by a factor is a few units in the last
place, ``2**-52``, far below it).

Scores on no such grid are compared in floating point with the tie slack ``EPS``;
that is exact up to ``EPS`` only while the rounding of a balance cannot reach it, so a
matrix whose largest possible balance is beyond ``float_limit`` is refused, naming the
limit, instead of being enumerated with rounded balances.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kizashi.errors import InputError

FloatArray = npt.NDArray[np.float64]

#: Tie slack of floating-point balances (see ``system.EPS``).
EPS = 1e-9
#: A ratio of scores within this relative distance of a fraction is taken to be it.
SNAP = 2.0**-46
#: Largest denominator tried for the ratio of a score to the smallest one.
MAX_DENOMINATOR = 1024
#: Largest step count of one score (``SNAP`` still tells integers apart below it).
CELL_LIMIT = 2.0**40
#: Balances in steps stay below this, so every table entry (a sum of up to the
#: largest variant count of such balance differences) is an exact float64 integer.
STEP_LIMIT = 2.0**46


@dataclass(frozen=True)
class Grid:
    """A matrix as ``unit * steps``, ``steps`` integers held in float64."""

    unit: float
    steps: FloatArray
    reach: float  # largest possible |balance|, in steps


def largest_balance(counts: npt.NDArray[np.int64], matrix: FloatArray) -> float:
    """The largest possible |impact balance|: per column, the sum over descriptors of
    their largest |score| on it, maximised over columns."""
    if matrix.size == 0:
        return 0.0
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    per_descriptor = np.maximum.reduceat(np.abs(matrix), offsets, axis=0)
    return float(per_descriptor.sum(axis=0).max())


def float_limit(counts: npt.NDArray[np.int64]) -> float:
    """Largest balance whose floating-point rounding stays below ``EPS``.

    A slack is updated at most once per variant removed along a search path, each
    update rounding by at most one unit in the last place of the balance bound.
    """
    updates = 4.0 * float(counts.size) * float(counts.max(initial=1))
    return EPS * 2.0**52 / updates


def find_grid(counts: npt.NDArray[np.int64], matrix: FloatArray) -> Grid | None:
    """The coarsest grid found for ``matrix``, or None when it is on none that is exact."""
    twice = 2.0 * matrix
    if np.array_equal(twice, np.round(twice)):
        reach = largest_balance(counts, twice)
        if reach < STEP_LIMIT:
            return Grid(0.5, twice, reach)
    magnitudes = np.abs(matrix)
    values = np.unique(magnitudes[magnitudes > 0])
    if values.size == 0:
        return Grid(1.0, np.zeros_like(matrix), 0.0)
    ratio = values / values[0]
    if ratio[-1] > CELL_LIMIT:
        return None
    for q in range(1, MAX_DENOMINATOR + 1):
        scaled = ratio * q
        if scaled[-1] > CELL_LIMIT:
            return None
        if np.all(np.abs(scaled - np.round(scaled)) <= SNAP * scaled):
            unit = float(values[0]) / q
            steps = np.round(matrix / unit)
            reach = largest_balance(counts, steps)
            return Grid(unit, steps, reach) if reach < STEP_LIMIT else None
    return None


def exact_grid(counts: npt.NDArray[np.int64], matrix: FloatArray) -> Grid | None:
    """The grid the engine computes on, None for floating point within ``EPS``.

    Raises
    ------
    InputError
        When the scores are on no exact grid and the largest possible balance is
        beyond ``float_limit``, where rounding could decide a comparison.
    """
    grid = find_grid(counts, matrix)
    if grid is not None:
        return grid
    reach = largest_balance(counts, matrix)
    limit = float_limit(counts)
    if reach > limit:
        raise InputError(
            f"scores cannot be compared exactly: the largest possible impact balance is {reach:.3g}, beyond "
            f"{limit:.3g}, where rounding could exceed the tie tolerance {EPS:g}, and the scores share no "
            f"common step (denominators up to {MAX_DENOMINATOR}) that keeps balances below 2**46 steps"
        )
    return None
