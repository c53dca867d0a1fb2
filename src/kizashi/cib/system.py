"""The structure and matrix a CIB computation works on.

A system has ``n`` descriptors with ``counts[i]`` variants each, and a ``V x V``
cross-impact matrix (``V = counts.sum()``): row = impacting variant, column = impacted
variant, descriptors in order and variants in order within each (Weimer-Jehle 2006).
Diagonal blocks may be non-zero (ScenarioWizard files can carry them); they count in
the balances, as ScenarioWizard counts them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from math import prod

import numpy as np
import numpy.typing as npt

from kizashi.cib.exact import EPS, Grid, exact_grid
from kizashi.errors import InputError

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

__all__ = ["EPS", "CIBSystem", "FloatArray", "IntArray"]


@dataclass(frozen=True, init=False)
class CIBSystem:
    """Variant counts and cross-impact matrix, validated and stored as contiguous arrays.

    ``grid`` is the matrix as integer steps of a common unit, on which the search
    computes exactly (``exact``), or None when the scores are compared in floating
    point with the tie slack ``EPS``. A matrix on neither is refused.
    """

    counts: IntArray
    matrix: FloatArray
    grid: Grid | None

    def __init__(self, counts: npt.ArrayLike, matrix: npt.ArrayLike) -> None:
        c = np.ascontiguousarray(np.asarray(counts, dtype=np.int64).reshape(-1))
        m = np.ascontiguousarray(np.asarray(matrix, dtype=np.float64))
        if c.size == 0:
            raise InputError("a system needs at least one descriptor")
        if (c < 1).any():
            raise InputError("every descriptor needs at least one variant")
        total = int(c.sum())
        if m.shape != (total, total):
            raise InputError(f"the matrix is {m.shape[0]}x{m.shape[1] if m.ndim > 1 else 0}, expected {total}x{total}")
        if not np.isfinite(m).all():
            raise InputError("the matrix holds a non-finite value")
        grid = exact_grid(c, m)
        c.setflags(write=False)
        m.setflags(write=False)
        object.__setattr__(self, "counts", c)
        object.__setattr__(self, "matrix", m)
        object.__setattr__(self, "grid", grid)

    @property
    def n(self) -> int:
        """Number of descriptors."""
        return int(self.counts.size)

    @property
    def n_variants(self) -> int:
        """Total number of variants (the matrix side)."""
        return int(self.counts.sum())

    @property
    def offsets(self) -> IntArray:
        """Matrix index of each descriptor's first variant."""
        return np.concatenate(([0], np.cumsum(self.counts)[:-1])).astype(np.int64)

    @property
    def descriptor_of(self) -> IntArray:
        """For every variant (matrix index), the descriptor it belongs to."""
        return np.repeat(np.arange(self.n, dtype=np.int64), self.counts)

    def configurations(self, fixed: Mapping[int, int] | None = None) -> int:
        """Number of scenarios (exact integer), counting fixed descriptors once."""
        fixed = fixed or {}
        return prod(1 if i in fixed else int(k) for i, k in enumerate(self.counts))

    def fixed_array(self, fixed: Mapping[int, int] | None) -> IntArray:
        """``fixed`` as an array of variant indices, -1 where a descriptor is free."""
        out = np.full(self.n, -1, dtype=np.int64)
        for d, v in (fixed or {}).items():
            if not 0 <= d < self.n:
                raise InputError(f"fixed descriptor index {d} is out of range 0..{self.n - 1}")
            if not 0 <= v < self.counts[d]:
                raise InputError(f"fixed variant index {v} of descriptor {d} is out of range 0..{self.counts[d] - 1}")
            out[d] = v
        return out

    def check_scenarios(self, scenarios: npt.ArrayLike) -> IntArray:
        """Scenarios as an ``(m, n)`` int array, each entry checked against the counts."""
        z = np.asarray(scenarios, dtype=np.int64)
        if z.ndim == 1:
            z = z.reshape(1, -1)
        if z.ndim != 2 or z.shape[1] != self.n:
            raise InputError(f"a scenario needs one variant index for each of the {self.n} descriptors")
        if ((z < 0) | (z >= self.counts[None, :])).any():
            raise InputError("a scenario names a variant index out of range")
        return np.ascontiguousarray(z)

    def with_matrix(self, matrix: npt.ArrayLike) -> CIBSystem:
        """The same structure with another matrix."""
        return CIBSystem(self.counts, matrix)
