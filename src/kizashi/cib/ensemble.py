"""Ensembles: several cross-impact matrices over one structure.

Each member is typically one source's or one expert's judgements. A scenario is
assessed in every member and in their weighted sum (the ensemble matrix), which is
how CIB studies pool expert views (Weimer-Jehle, "Cross-impact balances: applying
pair interaction systems and multi-value Kauffman nets", and the ensemble practice of
ScenarioWizard).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kizashi.cib.balances import evaluate
from kizashi.cib.enumerate import EnumerationResult, enumerate_scenarios, sort_scenarios
from kizashi.cib.system import CIBSystem, FloatArray, IntArray
from kizashi.errors import InputError


@dataclass(frozen=True)
class Ensemble:
    """Named member matrices over one structure, with weights for their sum."""

    counts: IntArray
    names: tuple[str, ...]
    matrices: tuple[FloatArray, ...]
    weights: FloatArray

    @classmethod
    def build(
        cls,
        counts: npt.ArrayLike,
        members: Mapping[str, npt.ArrayLike],
        weights: Mapping[str, float] | None = None,
    ) -> Ensemble:
        """Check the members share the structure and build the ensemble."""
        if not members:
            raise InputError("an ensemble needs at least one member")
        c = np.asarray(counts, dtype=np.int64)
        names = tuple(members)
        mats = tuple(CIBSystem(c, m).matrix for m in members.values())
        w = np.array([float((weights or {}).get(name, 1.0)) for name in names], dtype=np.float64)
        if (w < 0).any() or not np.isfinite(w).all():
            raise InputError("ensemble weights must be finite and non-negative")
        unknown = set(weights or {}) - set(names)
        if unknown:
            raise InputError(f"weights name unknown members: {', '.join(sorted(unknown))}")
        return cls(c, names, mats, w)

    def member(self, name: str) -> CIBSystem:
        """One member as a system."""
        return CIBSystem(self.counts, self.matrices[self.names.index(name)])

    def combined(self) -> CIBSystem:
        """The weighted sum of the members' matrices."""
        total = np.zeros_like(self.matrices[0])
        for w, m in zip(self.weights, self.matrices, strict=True):
            total += w * m
        return CIBSystem(self.counts, total)


LIST_CAP = 1000
"""A member's own scenarios join the comparison only up to this many: a member that is
silent on most descriptors supports a vast number of scenarios, which are counted, not
listed."""


@dataclass(frozen=True)
class EnsembleComparison:
    """The sum's scenarios and the members' own (where few), assessed in each member."""

    scenarios: IntArray  # (m, n)
    member_names: tuple[str, ...]
    member_inconsistency: FloatArray  # (m, k)
    combined_inconsistency: FloatArray  # (m,)
    combined_tis: FloatArray  # (m,)
    tolerance: float
    per_member: dict[str, EnumerationResult]
    combined: EnumerationResult
    listed: tuple[str, ...] = ()  # members whose own scenarios are among the rows

    def consistent_in(self) -> npt.NDArray[np.bool_]:
        """(m, k) table: scenario consistent (within tolerance) in member k."""
        return self.member_inconsistency <= self.tolerance + 1e-9


def compare_members(
    ensemble: Ensemble,
    fixed: Mapping[int, int] | None = None,
    tolerance: float = 0.0,
    limit: int | None = None,
    members: Sequence[str] | None = None,
    list_cap: int = LIST_CAP,
) -> EnsembleComparison:
    """Enumerate each member and the sum exactly, and assess the scenarios in every member.

    The rows are the weighted sum's scenarios together with the own scenarios of each
    member whose enumeration is complete and has at most ``list_cap`` of them (the
    members in ``listed``). ``limit`` caps every enumeration; ``per_member`` holds each
    member's result, with its count and whether it is complete.
    """
    chosen = tuple(members) if members is not None else ensemble.names
    per_member = {
        name: enumerate_scenarios(ensemble.member(name), tolerance, fixed, limit=limit)
        for name in chosen
    }
    combined_system = ensemble.combined()
    combined = enumerate_scenarios(combined_system, tolerance, fixed, limit=limit)
    listed = tuple(
        name for name, r in per_member.items() if r.complete and len(r) <= list_cap
    )
    rows = [combined.scenarios] + [per_member[name].scenarios for name in listed]
    union = (
        np.unique(np.concatenate(rows), axis=0)
        if any(len(r) for r in rows)
        else np.zeros((0, len(ensemble.counts)), np.int64)
    )
    combined_metrics = evaluate(combined_system, union, fixed)
    perm = sort_scenarios(union, combined_metrics.total_impact_score)
    union = union[perm]
    table = np.zeros((union.shape[0], len(chosen)), dtype=np.float64)
    for k, name in enumerate(chosen):
        table[:, k] = evaluate(ensemble.member(name), union, fixed).inconsistency
    return EnsembleComparison(
        scenarios=union,
        member_names=chosen,
        member_inconsistency=table,
        combined_inconsistency=combined_metrics.inconsistency[perm],
        combined_tis=combined_metrics.total_impact_score[perm],
        tolerance=tolerance,
        per_member=per_member,
        combined=combined,
        listed=listed,
    )
