"""Uncertainty sampling: how often each scenario stays consistent under perturbed judgements.

Perturbation ``unit``: every non-zero cell moves by -1, 0 or +1 with equal probability
(not clipped); zero cells stay zero. Samples are drawn in blocks, each block seeded by
its own child of ``numpy.random.SeedSequence(seed).spawn``, so the result depends only
on the seed and the number of samples, never on how many workers run the blocks.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from kizashi.analysis.results import require_pandas
from kizashi.analysis.scenarios import resolve_assignment, scenario_ids, system_of
from kizashi.analysis.sensitivity import consistent_set
from kizashi.cib import CIBSystem
from kizashi.errors import InputError
from kizashi.model import CompiledModel

PERTURBATIONS = ("unit",)
BACKENDS = ("loky", "threading")
#: Samples per seeded block.
BLOCK = 100
_Z95 = 1.959963984540054

Scenario = tuple[int, ...]


def wilson(successes: int, n: int, z: float = _Z95) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion.

    Examples
    --------
    >>> lo, hi = wilson(50, 100)
    >>> round(lo, 3), round(hi, 3)
    (0.404, 0.596)
    """
    if n <= 0:
        return (0.0, 1.0)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def perturb_unit(matrix: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One unit perturbation: non-zero cells move by -1, 0 or +1, each with probability 1/3."""
    steps = rng.integers(-1, 2, size=matrix.shape)
    return np.asarray(matrix + np.where(matrix != 0, steps, 0), dtype=np.float64)


def _run_block(
    system: CIBSystem,
    tolerance: float,
    fixed: Mapping[int, int],
    seed: np.random.SeedSequence,
    size: int,
) -> tuple[Counter[Scenario], int]:
    rng = np.random.default_rng(seed)
    counts: Counter[Scenario] = Counter()
    total = 0
    for _ in range(size):
        found = consistent_set(
            system.with_matrix(perturb_unit(system.matrix, rng)), tolerance, fixed
        )
        counts.update(found)
        total += len(found)
    return counts, total


def _run_blocks(
    system: CIBSystem,
    tolerance: float,
    fixed: Mapping[int, int],
    tasks: list[tuple[np.random.SeedSequence, int]],
    jobs: int,
    backend: str,
) -> list[tuple[Counter[Scenario], int]]:
    """Run the seeded blocks, on joblib workers when ``jobs > 1`` and joblib is installed."""
    if jobs > 1:
        try:
            from joblib import Parallel, delayed  # type: ignore[import-untyped]
        except ImportError:  # pragma: no cover - joblib is optional; blocks run in turn
            pass
        else:
            out: list[tuple[Counter[Scenario], int]] = Parallel(n_jobs=jobs, backend=backend)(
                delayed(_run_block)(system, tolerance, fixed, ss, n) for ss, n in tasks
            )
            return out
    return [_run_block(system, tolerance, fixed, ss, n) for ss, n in tasks]


@dataclass(frozen=True)
class RobustnessResult:
    """P(consistent) per scenario and variant shares over the sampled consistent scenarios.

    Examples
    --------
    >>> import numpy as np
    >>> from kizashi.model import CompiledModel
    >>> c = CompiledModel(("a", "b"), (("x", "y"), ("x", "y")), np.array([2, 2]),
    ...                   np.array([[0, 0, 1, -1], [0, 0, -1, 1], [1, -1, 0, 0], [-1, 1, 0, 0]], float))
    >>> robustness(c, samples=20, seed=1).to_dict()["scenarios"][0]["p_consistent"]
    1.0
    """

    compiled: CompiledModel
    samples: int
    seed: int
    perturb: str
    counts: dict[Scenario, int]
    variant_counts: dict[int, list[int]]

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form of ``kizashi robustness --format json``."""
        c = self.compiled
        ordered = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        marginals: dict[str, dict[str, float]] = {}
        for d, did in enumerate(c.descriptor_ids):
            row = self.variant_counts[d]
            total = sum(row)
            marginals[did] = {
                v: (row[k] / total if total else 0.0) for k, v in enumerate(c.variant_ids[d])
            }
        return {
            "samples": self.samples,
            "seed": self.seed,
            "perturb": self.perturb,
            "scenarios": [
                {
                    "variants": scenario_ids(c, s),
                    "p_consistent": k / self.samples,
                    "ci": list(wilson(k, self.samples)),
                }
                for s, k in ordered
            ],
            "marginals": marginals,
        }

    def to_frame(self) -> Any:
        """One row per scenario (needs pandas)."""
        pd = require_pandas()
        rows = []
        for item in self.to_dict()["scenarios"]:
            rows.append(
                {
                    **item["variants"],
                    "p_consistent": item["p_consistent"],
                    "ci_low": item["ci"][0],
                    "ci_high": item["ci"][1],
                }
            )
        return pd.DataFrame(rows)


def robustness(
    compiled: CompiledModel,
    fixed: Mapping[str, str] | None = None,
    tolerance: float = 0.0,
    *,
    perturb: str = "unit",
    samples: int = 1000,
    seed: int = 0,
    jobs: int = 1,
    backend: str = "loky",
    path: str | None = None,
) -> RobustnessResult:
    """Sample perturbed matrices, enumerate each exactly, count each scenario's consistency.

    Parameters
    ----------
    compiled : CompiledModel
        The matrix and its ids.
    fixed : mapping of str to str, optional
        Intervention ``{descriptor id: variant id}``.
    tolerance : float
        Inconsistency accepted.
    perturb : str
        Perturbation model; ``"unit"``.
    samples : int
        Number of perturbed matrices (> 0).
    seed : int
        Seed of ``numpy.random.SeedSequence``.
    jobs : int
        Workers running the blocks (joblib); the result does not depend on it.
    backend : str
        joblib backend, ``"loky"`` or ``"threading"``.
    path : str, optional
        File named in error messages.

    Returns
    -------
    RobustnessResult

    Examples
    --------
    >>> import numpy as np
    >>> from kizashi.model import CompiledModel
    >>> c = CompiledModel(("a", "b"), (("x", "y"), ("x", "y")), np.array([2, 2]),
    ...                   np.array([[0, 0, 1, -1], [0, 0, -1, 1], [1, -1, 0, 0], [-1, 1, 0, 0]], float))
    >>> len(robustness(c, samples=10, seed=3).to_dict()["scenarios"])
    2
    """
    if perturb not in PERTURBATIONS:
        raise InputError(
            f"unknown perturbation {perturb!r} (known: {', '.join(PERTURBATIONS)})", path=path
        )
    if samples <= 0:
        raise InputError(f"samples must be at least 1, got {samples}", path=path)
    if jobs < 1:
        raise InputError(f"jobs must be at least 1, got {jobs}", path=path)
    if backend not in BACKENDS:
        raise InputError(f"unknown backend {backend!r} (known: {', '.join(BACKENDS)})", path=path)
    if seed < 0:
        raise InputError(f"seed must be >= 0, got {seed}", path=path)
    fixed = dict(fixed or {})
    indices = resolve_assignment(compiled, fixed, path=path)
    system = system_of(compiled)
    sizes = [min(BLOCK, samples - s) for s in range(0, samples, BLOCK)]
    children = np.random.SeedSequence(seed).spawn(len(sizes))
    tasks = list(zip(children, sizes, strict=True))
    parts = _run_blocks(system, tolerance, indices, tasks, jobs, backend)
    counts: Counter[Scenario] = Counter()
    for part, _ in parts:
        counts.update(part)
    variant_counts = {d: [0] * int(k) for d, k in enumerate(system.counts)}
    for s, k in counts.items():
        for d, v in enumerate(s):
            variant_counts[d][v] += k
    return RobustnessResult(compiled, samples, seed, perturb, dict(counts), variant_counts)
