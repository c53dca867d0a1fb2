"""The ``limit`` best scenarios within a tolerance: lower inconsistency always first.

A search stopped by a limit collects whatever it meets first, in depth-first order.
:func:`best_scenarios` searches by increasing inconsistency bands instead, so a
limited listing holds every scenario of a lower band before any of a higher one, and
says which band it cut and how much of it was left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from kizashi.cib.enumerate import EnumerationResult, enumerate_scenarios, sort_scenarios
from kizashi.cib.system import EPS, CIBSystem
from kizashi.errors import InputError


@dataclass(frozen=True)
class BestScenarios:
    """A listing of at most ``limit`` scenarios, lowest inconsistency first.

    ``result`` holds the listed scenarios (sorted by total impact score within the
    listing); when ``cut_band`` is set, every scenario of inconsistency below it is
    listed, some of inconsistency ``cut_band`` are not (``omitted`` of them, or at
    least ``omitted`` when ``omitted_exact`` is False), and higher bands up to the
    tolerance were not searched.
    """

    result: EnumerationResult
    cut_band: float | None
    omitted: int
    omitted_exact: bool


# Most bands searched; a finer grid is searched in this many equal bands (the cut band
# is then listed lowest inconsistency first among what its search met).
MAX_BANDS = 64


def inconsistency_grid(system: CIBSystem) -> float | None:
    """The unit every inconsistency is a whole multiple of, or None off any exact grid.

    Examples
    --------
    >>> import numpy as np
    >>> from kizashi.cib.system import CIBSystem
    >>> inconsistency_grid(CIBSystem([2, 2], np.array([[0, 0, 1, -1], [0, 0, -1, 1],
    ...                                               [1, -1, 0, 0], [-1, 1, 0, 0]])))
    1.0
    """
    return None if system.grid is None else float(system.grid.unit)


def _bands(system: CIBSystem, tolerance: float) -> list[float]:
    step = inconsistency_grid(system)
    if tolerance <= 0:
        return [0.0]
    if step is None or tolerance / step > MAX_BANDS:
        step = tolerance / MAX_BANDS if step is not None else tolerance
    count = int(np.floor(tolerance / step + EPS))
    bands = [k * step for k in range(count + 1)]
    if tolerance - bands[-1] > EPS * max(1.0, tolerance):
        bands.append(float(tolerance))
    return bands


def _listing(
    lower: EnumerationResult | None, found: EnumerationResult, rows: np.ndarray
) -> EnumerationResult:
    """Every scenario of ``lower`` and the ``rows`` of ``found``, by total impact score."""
    parts = [lower] if lower is not None else []

    def joined(name: str) -> np.ndarray:
        arrays = [getattr(p, name) for p in parts] + [getattr(found, name)[rows]]
        return np.concatenate(arrays)

    scenarios = joined("scenarios").reshape(-1, found.scenarios.shape[1])
    tis = joined("total_impact_score")
    order = sort_scenarios(scenarios, tis)
    return EnumerationResult(
        scenarios=scenarios[order],
        inconsistency=joined("inconsistency")[order],
        consistency_value=joined("consistency_value")[order],
        total_impact_score=tis[order],
        nodes_visited=found.nodes_visited + (lower.nodes_visited if lower is not None else 0),
        complete=False,
        tolerance=found.tolerance,
        fixed=found.fixed,
        configurations=found.configurations,
    )


def best_scenarios(
    system: CIBSystem,
    tolerance: float,
    fixed: Mapping[int, int] | None = None,
    *,
    limit: int,
) -> BestScenarios:
    """At most ``limit`` scenarios within ``tolerance``, every lower band before any higher.

    Parameters
    ----------
    system : CIBSystem
    tolerance : float
        Largest inconsistency listed.
    fixed : mapping of descriptor index to variant index, optional
        Interventions.
    limit : int
        Most scenarios listed.

    Returns
    -------
    BestScenarios
        The listing, and which band it cut.

    Examples
    --------
    >>> import numpy as np
    >>> from kizashi.cib.system import CIBSystem
    >>> silent = CIBSystem([2, 2, 2], np.zeros((6, 6)))
    >>> best = best_scenarios(silent, 1.0, limit=3)
    >>> len(best.result), best.cut_band
    (3, 0.0)
    """
    if not np.isfinite(tolerance) or tolerance < 0:
        raise InputError(f"tolerance must be a finite number >= 0, got {tolerance}")
    if limit < 1:
        raise InputError("limit must be at least 1")
    lower: EnumerationResult | None = None
    previous = -1.0
    for band in _bands(system, tolerance):
        already = len(lower) if lower is not None else 0
        found = enumerate_scenarios(system, band, fixed, limit=limit + already)
        if found.complete and len(found) <= limit:
            lower, previous = found, band
            continue
        # ``lower`` holds every scenario below this band (a complete search); ``found``
        # holds at least ``limit`` of this band, having stopped at ``limit + already``.
        inside = np.flatnonzero(found.inconsistency > previous + EPS)
        # Lowest inconsistency first within the band (it holds one value on a grid).
        inside = inside[np.argsort(found.inconsistency[inside], kind="stable")]
        room = limit - already
        return BestScenarios(
            _listing(lower, found, inside[:room]), band, len(inside) - room, found.complete
        )
    final = lower if lower is not None else enumerate_scenarios(system, tolerance, fixed)
    return BestScenarios(final, None, 0, True)
