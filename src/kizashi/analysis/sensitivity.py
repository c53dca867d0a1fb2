"""One-at-a-time sensitivity of the consistent set, and the margins of its scenarios.

For every non-zero judgement (a cell of the matrix from ``D.V`` to ``D.V``) the matrix is
changed four ways: the judgement removed (set to 0), moved by +1 and by -1, and its sign
flipped. Each changed matrix is enumerated exactly, with the same intervention and
tolerance as the baseline, and the scenarios lost and gained are reported.

Margins follow DESIGN.md: a consistent scenario's margin on descriptor ``j`` is its
chosen balance minus the best other balance. One unit edit of a judgement moves one
balance by one, so a scenario survives any ``k`` unit edits when its margin is at least
``k``; the exact number of unit edits that breaks descriptor ``j`` is the smallest count
that makes some rival balance exceed the chosen one by more than the tolerance, within
the judgement scale (scores stay in ``[-SCALE, SCALE]``), and a scenario's breaking count
is the minimum over its tested descriptors.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kizashi.analysis.results import plain_number, require_pandas
from kizashi.analysis.scenarios import resolve_assignment, scenario_ids, system_of
from kizashi.cib import CIBSystem, balances, enumerate_scenarios
from kizashi.model import CompiledModel
from kizashi.model.schema import Model

#: The judgement scale: scores run from -SCALE to +SCALE.
SCALE = 3

#: The four variations of a judgement, in report order, with the new score of a cell.
VARIATIONS: tuple[tuple[str, Any], ...] = (
    ("removed", lambda s: 0.0),
    ("flipped", lambda s: -s),
    ("plus_one", lambda s: s + 1.0),
    ("minus_one", lambda s: s - 1.0),
)

Scenario = tuple[int, ...]


def cell_label(compiled: CompiledModel, index: int) -> str:
    """``descriptor.variant`` of a matrix index."""
    offsets = compiled.offsets
    d = int(np.searchsorted(offsets, index, side="right") - 1)
    return f"{compiled.descriptor_ids[d]}.{compiled.variant_ids[d][index - int(offsets[d])]}"


def evidence_of(
    model: Model | None, compiled: CompiledModel
) -> dict[tuple[str, str], list[dict[str, str]]]:
    """Evidence quotes per ``(from, to)`` cell, when the model's judgements carry them."""
    if model is None:
        return {}
    out: dict[tuple[str, str], list[dict[str, str]]] = {}
    for j in model.judgements:
        if j.evidence:
            out[(j.source_variant, j.target_variant)] = [
                {"source": e.source, "quote": e.quote} for e in j.evidence
            ]
    return out


def consistent_set(system: CIBSystem, tolerance: float, fixed: Mapping[int, int]) -> list[Scenario]:
    """The consistent scenarios, in the engine's order (highest total impact score first)."""
    result = enumerate_scenarios(system, tolerance, fixed, threads=1)
    return [tuple(int(v) for v in row) for row in result.scenarios.tolist()]


@dataclass(frozen=True)
class Change:
    """How one variation of a judgement changes the consistent set."""

    lost: tuple[Scenario, ...]
    gained: tuple[Scenario, ...]

    @property
    def changed(self) -> bool:
        """True when the variation loses or gains a scenario."""
        return bool(self.lost or self.gained)


@dataclass(frozen=True)
class JudgementSensitivity:
    """The four variations of one non-zero cell."""

    row: int
    col: int
    score: float
    changes: dict[str, Change]
    evidence: tuple[dict[str, str], ...] = ()

    @property
    def n_changed(self) -> int:
        """How many of the four variations change the consistent set."""
        return sum(c.changed for c in self.changes.values())


@dataclass(frozen=True)
class SensitivityResult:
    """Baseline scenarios and, per non-zero judgement, the effect of each variation.

    Examples
    --------
    >>> import numpy as np
    >>> from kizashi.model import CompiledModel
    >>> c = CompiledModel(("a", "b"), (("x", "y"), ("x", "y")), np.array([2, 2]),
    ...                   np.array([[0, 0, 1, -1], [0, 0, -1, 1], [1, -1, 0, 0], [-1, 1, 0, 0]], float))
    >>> r = sensitivity(c)
    >>> len(r.to_dict()["baseline"]), len(r.pivotal())
    (2, 0)
    """

    compiled: CompiledModel
    fixed: dict[str, str]
    tolerance: float
    baseline: tuple[Scenario, ...]
    judgements: tuple[JudgementSensitivity, ...]

    def scenario(self, row: Sequence[int]) -> dict[str, str]:
        """``{descriptor: variant}`` of a scenario."""
        return scenario_ids(self.compiled, row)

    def _judgement_dict(self, j: JudgementSensitivity) -> dict[str, Any]:
        item: dict[str, Any] = {
            "from": cell_label(self.compiled, j.row),
            "to": cell_label(self.compiled, j.col),
            "score": plain_number(j.score),
        }
        for name, change in j.changes.items():
            item[name] = {
                "changed": change.changed,
                "lost": [self.scenario(s) for s in change.lost],
                "gained": [self.scenario(s) for s in change.gained],
            }
        if j.evidence:
            item["evidence"] = [dict(e) for e in j.evidence]
        return item

    def pivotal(self) -> list[JudgementSensitivity]:
        """Judgements with at least one changing variation, most changes first (stable)."""
        hits = [j for j in self.judgements if j.n_changed]
        return sorted(hits, key=lambda j: -j.n_changed)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form of ``kizashi sensitivity --format json``."""
        return {
            "baseline": [self.scenario(s) for s in self.baseline],
            "judgements": [self._judgement_dict(j) for j in self.judgements],
            "pivotal": [
                {
                    "from": cell_label(self.compiled, j.row),
                    "to": cell_label(self.compiled, j.col),
                    "score": plain_number(j.score),
                    "variations_changing": j.n_changed,
                }
                for j in self.pivotal()
            ],
        }

    def to_frame(self) -> Any:
        """One row per judgement and variation (needs pandas)."""
        pd = require_pandas()
        rows = []
        for j in self.judgements:
            for name, change in j.changes.items():
                rows.append(
                    {
                        "from": cell_label(self.compiled, j.row),
                        "to": cell_label(self.compiled, j.col),
                        "score": j.score,
                        "variation": name,
                        "changed": change.changed,
                        "lost": len(change.lost),
                        "gained": len(change.gained),
                    }
                )
        return pd.DataFrame(
            rows, columns=["from", "to", "score", "variation", "changed", "lost", "gained"]
        )


def nonzero_cells(system: CIBSystem) -> list[tuple[int, int]]:
    """Non-zero cells of the matrix, row-major."""
    rows, cols = np.nonzero(system.matrix)
    return [(int(r), int(c)) for r, c in zip(rows.tolist(), cols.tolist(), strict=True)]


def sensitivity(
    compiled: CompiledModel,
    fixed: Mapping[str, str] | None = None,
    tolerance: float = 0.0,
    *,
    model: Model | None = None,
    path: str | None = None,
) -> SensitivityResult:
    """Remove, flip and move by one every non-zero judgement; re-enumerate each exactly.

    Parameters
    ----------
    compiled : CompiledModel
        The matrix and its ids.
    fixed : mapping of str to str, optional
        Intervention ``{descriptor id: variant id}``, kept for every variation.
    tolerance : float
        Inconsistency accepted, kept for every variation.
    model : Model, optional
        The model the matrix came from; its evidence quotes are attached when present.
    path : str, optional
        File named in error messages.

    Returns
    -------
    SensitivityResult

    Examples
    --------
    >>> import numpy as np
    >>> from kizashi.model import CompiledModel
    >>> c = CompiledModel(("a", "b"), (("x", "y"), ("x", "y")), np.array([2, 2]),
    ...                   np.array([[0, 0, 2, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], float))
    >>> r = sensitivity(c, {"a": "x"})
    >>> r.to_dict()["judgements"][0]["removed"]["changed"]
    True
    """
    fixed = dict(fixed or {})
    indices = resolve_assignment(compiled, fixed, path=path)
    system = system_of(compiled)
    baseline = consistent_set(system, tolerance, indices)
    base_set = set(baseline)
    quotes = evidence_of(model, compiled)
    out: list[JudgementSensitivity] = []
    for r, c in nonzero_cells(system):
        score = float(system.matrix[r, c])
        changes: dict[str, Change] = {}
        for name, new in VARIATIONS:
            m = system.matrix.copy()
            m[r, c] = new(score)
            found = consistent_set(system.with_matrix(m), tolerance, indices)
            found_set = set(found)
            changes[name] = Change(
                lost=tuple(s for s in baseline if s not in found_set),
                gained=tuple(s for s in found if s not in base_set),
            )
        key = (cell_label(compiled, r), cell_label(compiled, c))
        out.append(JudgementSensitivity(r, c, score, changes, tuple(quotes.get(key, ()))))
    return SensitivityResult(compiled, fixed, float(tolerance), tuple(baseline), tuple(out))


# --------------------------------------------------------------------------- margins


@dataclass(frozen=True)
class ScenarioMargin:
    """Margins of one consistent scenario and what it takes to break it."""

    scenario: Scenario
    margins: dict[int, float]  # tested descriptor -> chosen balance minus best other
    breaking: dict[int, int | None]  # tested descriptor -> unit edits that break it (None: cannot)
    tightest: int | None
    load_bearing: tuple[tuple[int, int], ...]

    @property
    def margin(self) -> float:
        """The consistency value: the smallest descriptor margin."""
        return min(self.margins.values()) if self.margins else 0.0

    @property
    def breaking_count(self) -> int | None:
        """Fewest unit edits that make the scenario inconsistent (None: no number can)."""
        counts = [b for b in self.breaking.values() if b is not None]
        return min(counts) if counts else None


def descriptor_breaking_count(
    system: CIBSystem, scenario: Sequence[int], j: int, tolerance: float = 0.0, scale: int = SCALE
) -> int | None:
    """Fewest unit edits (within ``[-scale, scale]``, off-diagonal blocks) that break descriptor ``j``.

    Descriptor ``j`` breaks when a rival balance exceeds the chosen one by more than
    ``tolerance``. Edits in the rows of the scenario's variants lower the chosen column
    or raise a rival column, one unit of balance each.

    Examples
    --------
    >>> import numpy as np
    >>> s = CIBSystem([2, 2], np.array([[0, 0, 1, 0], [0, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]], float))
    >>> descriptor_breaking_count(s, (0, 0), 1)
    2
    """
    z = [int(v) for v in scenario]
    offsets = [int(x) for x in system.offsets]
    theta = balances(system, z)
    k = int(system.counts[j])
    chosen = offsets[j] + z[j]
    rows = [offsets[i] + z[i] for i in range(system.n) if i != j]
    best: int | None = None
    for l in range(k):
        if l == z[j]:
            continue
        rival = offsets[j] + l
        gap = float(theta[chosen] - theta[rival])
        need = max(math.floor(gap + tolerance + 1e-9) + 1, 0)
        cap_units = sum(
            math.floor(max(0.0, system.matrix[r, chosen] + scale) + 1e-9)
            + math.floor(max(0.0, scale - system.matrix[r, rival]) + 1e-9)
            for r in rows
        )
        if need <= cap_units and (best is None or need < best):
            best = need
    return best


def scenario_margins(
    system: CIBSystem,
    scenario: Sequence[int],
    fixed: Mapping[int, int] | None = None,
    tolerance: float = 0.0,
) -> ScenarioMargin:
    """Margin per tested descriptor, breaking counts, the tightest descriptor and load-bearing cells.

    The load-bearing judgements are the non-zero cells in the rows of the scenario's
    variants and the columns of its tightest descriptor.

    Examples
    --------
    >>> import numpy as np
    >>> s = CIBSystem([2, 2], np.array([[0, 0, 1, 0], [0, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]], float))
    >>> m = scenario_margins(s, (0, 0))
    >>> m.margin, m.breaking_count, m.tightest
    (1.0, 2, 0)
    """
    fixed = dict(fixed or {})
    z = tuple(int(v) for v in scenario)
    theta = balances(system, z)
    offsets = [int(x) for x in system.offsets]
    margins: dict[int, float] = {}
    breaking: dict[int, int | None] = {}
    for j in range(system.n):
        k = int(system.counts[j])
        if j in fixed or k < 2:
            continue
        block = theta[offsets[j] : offsets[j] + k]
        others = [float(block[l]) for l in range(k) if l != z[j]]
        margins[j] = float(block[z[j]]) - max(others) + 0.0
        breaking[j] = descriptor_breaking_count(system, z, j, tolerance)
    tightest = min(margins, key=lambda d: (margins[d], d)) if margins else None
    load: list[tuple[int, int]] = []
    if tightest is not None:
        cols = range(offsets[tightest], offsets[tightest] + int(system.counts[tightest]))
        for i in range(system.n):
            r = offsets[i] + z[i]
            load.extend((r, c) for c in cols if system.matrix[r, c] != 0)
    return ScenarioMargin(z, margins, breaking, tightest, tuple(load))


@dataclass(frozen=True)
class MarginsResult:
    """Margins of every consistent scenario.

    Examples
    --------
    >>> import numpy as np
    >>> from kizashi.model import CompiledModel
    >>> c = CompiledModel(("a", "b"), (("x", "y"), ("x", "y")), np.array([2, 2]),
    ...                   np.array([[0, 0, 1, -1], [0, 0, -1, 1], [1, -1, 0, 0], [-1, 1, 0, 0]], float))
    >>> margins(c).to_dict()["scenarios"][0]["breaking_count"]
    3
    """

    compiled: CompiledModel
    fixed: dict[str, str]
    tolerance: float
    scenarios: tuple[ScenarioMargin, ...]
    evidence: dict[tuple[str, str], list[dict[str, str]]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        c = self.compiled
        out = []
        for s in self.scenarios:
            load = []
            for r, col in s.load_bearing:
                key = (cell_label(c, r), cell_label(c, col))
                item: dict[str, Any] = {
                    "from": key[0],
                    "to": key[1],
                    "score": plain_number(c.matrix[r, col]),
                }
                if key in self.evidence:
                    item["evidence"] = self.evidence[key]
                load.append(item)
            out.append(
                {
                    "variants": scenario_ids(c, s.scenario),
                    "margin": plain_number(s.margin),
                    "margins": {c.descriptor_ids[d]: plain_number(m) for d, m in s.margins.items()},
                    "breaking": {c.descriptor_ids[d]: b for d, b in s.breaking.items()},
                    "breaking_count": s.breaking_count,
                    "tightest": None if s.tightest is None else c.descriptor_ids[s.tightest],
                    "load_bearing": load,
                }
            )
        return {
            "fixed": dict(self.fixed),
            "tolerance": plain_number(self.tolerance),
            "scenarios": out,
        }

    def to_frame(self) -> Any:
        """One row per scenario and tested descriptor (needs pandas)."""
        pd = require_pandas()
        rows = []
        for n, s in enumerate(self.scenarios):
            for d, m in s.margins.items():
                rows.append(
                    {
                        "scenario": n,
                        "descriptor": self.compiled.descriptor_ids[d],
                        "margin": m,
                        "breaking": s.breaking[d],
                    }
                )
        return pd.DataFrame(rows, columns=["scenario", "descriptor", "margin", "breaking"])


def margins(
    compiled: CompiledModel,
    fixed: Mapping[str, str] | None = None,
    tolerance: float = 0.0,
    *,
    model: Model | None = None,
    path: str | None = None,
) -> MarginsResult:
    """Margins, breaking counts and load-bearing judgements of every consistent scenario.

    Examples
    --------
    >>> import numpy as np
    >>> from kizashi.model import CompiledModel
    >>> c = CompiledModel(("a", "b"), (("x", "y"), ("x", "y")), np.array([2, 2]),
    ...                   np.array([[0, 0, 1, -1], [0, 0, -1, 1], [1, -1, 0, 0], [-1, 1, 0, 0]], float))
    >>> [s.margin for s in margins(c).scenarios]
    [2.0, 2.0]
    """
    fixed = dict(fixed or {})
    indices = resolve_assignment(compiled, fixed, path=path)
    system = system_of(compiled)
    found = consistent_set(system, tolerance, indices)
    result = tuple(scenario_margins(system, s, indices, tolerance) for s in found)
    return MarginsResult(compiled, fixed, float(tolerance), result, evidence_of(model, compiled))
