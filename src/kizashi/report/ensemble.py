"""Where the analyses agree and disagree about the combined model's scenarios.

For each scenario of the combined matrix: is it consistent in each source's own matrix
(its judgements only), and, descriptor by descriptor, does each source agree with the
chosen variant, object to it (preferring another), or stay silent
(``kizashi.analysis.agreement``). Shared by the report and the web app.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kizashi.analysis.agreement import AgreementTable, agreement_table
from kizashi.cib import CIBSystem, evaluate
from kizashi.model import CompiledModel

EPS = 1e-9


@dataclass(frozen=True)
class EnsembleView:
    """The combined scenarios assessed by every source."""

    scenarios: npt.NDArray[np.int64]  # (m, n)
    sources: tuple[str, ...]
    member_inconsistency: npt.NDArray[np.float64]  # (m, k)
    tolerance: float
    tables: tuple[AgreementTable, ...]

    def consistent_in(self) -> npt.NDArray[np.bool_]:
        """(m, k): scenario consistent (within tolerance) in source k's own matrix."""
        return self.member_inconsistency <= self.tolerance + EPS

    def contested(self) -> list[int]:
        """Descriptors some source objects to in at least one scenario, in model order."""
        seen: set[int] = set()
        for table in self.tables:
            seen.update(table.contested())
        return sorted(seen)


def ensemble_view(
    compiled: CompiledModel,
    members: Mapping[str, CompiledModel],
    scenarios: npt.NDArray[np.int64],
    fixed: Mapping[int, int] | None = None,
    tolerance: float = 0.0,
) -> EnsembleView:
    """Assess ``scenarios`` (rows of variant indices) in every member."""
    rows = np.asarray(scenarios, dtype=np.int64).reshape(-1, len(compiled.descriptor_ids))
    names = tuple(members)
    table = np.zeros((rows.shape[0], len(names)), dtype=np.float64)
    if rows.shape[0]:
        for k, name in enumerate(names):
            member = members[name]
            table[:, k] = evaluate(CIBSystem(member.counts, member.matrix), rows, fixed).inconsistency
    tables = tuple(agreement_table(compiled, members, row, fixed) for row in rows)
    return EnsembleView(rows, names, table, float(tolerance), tables)
