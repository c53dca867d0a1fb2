"""Scenario questions asked in descriptor and variant ids rather than indices.

This is the layer the command line and the web app share: it parses interventions
such as ``us_orientation=america_first``, runs the engine and shapes the answer as the
documented JSON (``kizashi scenarios --format json``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kizashi.cib import CIBSystem, EnumerationResult, enumerate_scenarios
from kizashi.cib.best import BestScenarios, best_scenarios
from kizashi.errors import InputError
from kizashi.model import CompiledModel


def system_of(compiled: CompiledModel, path: str | None = None) -> CIBSystem:
    """The engine's view of a compiled model.

    Raises
    ------
    InputError
        Naming ``path`` when given, for a matrix the engine cannot compute on exactly
        (``kizashi.cib.exact``).
    """
    try:
        return CIBSystem(compiled.counts, compiled.matrix)
    except InputError as exc:
        if path is None or exc.path is not None:
            raise
        raise InputError(exc.message, path=path) from None


def _number(value: float) -> int | float:
    value = float(value)
    return int(value) if value.is_integer() else value


def resolve_assignment(
    compiled: CompiledModel,
    pairs: Mapping[str, str],
    *,
    origin: str = "--fix",
    path: str | None = None,
) -> dict[int, int]:
    """Map ``{descriptor id: variant id}`` to indices, with errors that list the valid ids."""
    out: dict[int, int] = {}
    for descriptor, variant in pairs.items():
        if descriptor not in compiled.descriptor_ids:
            known = ", ".join(compiled.descriptor_ids)
            raise InputError(
                f"{origin} {descriptor}={variant}: unknown descriptor {descriptor!r} (descriptors: {known})",
                path=path,
            )
        d = compiled.index_of(descriptor)
        if variant not in compiled.variant_ids[d]:
            known = ", ".join(compiled.variant_ids[d])
            raise InputError(
                f"{origin} {descriptor}={variant}: unknown variant {variant!r} of {descriptor!r} (variants: {known})",
                path=path,
            )
        out[d] = compiled.variant_ids[d].index(variant)
    return out


def parse_pairs(items: Iterable[str], *, origin: str = "--fix") -> dict[str, str]:
    """Parse ``D=V`` items (each item may hold several, comma-separated)."""
    pairs: dict[str, str] = {}
    for item in items:
        for part in item.split(","):
            part = part.strip()
            if not part:
                continue
            if "=" not in part:
                raise InputError(f"{origin} {part!r}: expected DESCRIPTOR=VARIANT")
            d, v = (x.strip() for x in part.split("=", 1))
            if not d or not v:
                raise InputError(f"{origin} {part!r}: expected DESCRIPTOR=VARIANT")
            if d in pairs and pairs[d] != v:
                raise InputError(f"{origin}: descriptor {d!r} is given twice ({pairs[d]} and {v})")
            pairs[d] = v
    return pairs


def scenario_ids(compiled: CompiledModel, row: Sequence[int]) -> dict[str, str]:
    """``{descriptor id: variant id}`` of one scenario."""
    return {d: compiled.variant_ids[i][int(row[i])] for i, d in enumerate(compiled.descriptor_ids)}


@dataclass(frozen=True)
class ScenarioAnswer:
    """The result of a scenario question, with the ids needed to read it."""

    compiled: CompiledModel
    fixed: dict[str, str]
    result: EnumerationResult
    cut: BestScenarios | None = None

    def omitted(self) -> dict[str, Any] | None:
        """What a limit left out: the band it cut (every lower band is listed whole), how
        many of that band were not listed (at least that many when ``exact`` is False);
        bands above it were not searched. None when nothing was left out."""
        return _omitted(self.cut)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON form (see ``kizashi scenarios --format json``)."""
        r = self.result
        return {
            "descriptors": [
                {"id": d, "variants": list(self.compiled.variant_ids[i])}
                for i, d in enumerate(self.compiled.descriptor_ids)
            ],
            "fixed": dict(self.fixed),
            "tolerance": _number(r.tolerance),
            "complete": bool(r.complete),
            "nodes_visited": int(r.nodes_visited),
            "omitted": self.omitted(),
            "scenarios": [
                {
                    "variants": scenario_ids(self.compiled, row),
                    "inconsistency": _number(inc),
                    "consistency_value": _number(cv),
                    "total_impact_score": _number(tis),
                }
                for row, inc, cv, tis in zip(
                    r.scenarios.tolist(),
                    r.inconsistency,
                    r.consistency_value,
                    r.total_impact_score,
                    strict=True,
                )
            ],
        }


def _omitted(cut: BestScenarios | None) -> dict[str, Any] | None:
    if cut is None or cut.cut_band is None:
        return None
    return {
        "band": _number(cut.cut_band),
        "count": int(cut.omitted),
        "exact": bool(cut.omitted_exact),
        "higher_bands_searched": False,
    }


def ask_scenarios(
    compiled: CompiledModel,
    fixed: Mapping[str, str] | None = None,
    tolerance: float = 0.0,
    *,
    limit: int | None = None,
    path: str | None = None,
) -> ScenarioAnswer:
    """Every scenario within ``tolerance`` under the intervention ``fixed`` (ids).

    With a ``limit``, the listing holds the best ``limit`` scenarios: every scenario of
    a lower inconsistency before any of a higher one (see :func:`best_scenarios`).
    """
    fixed = dict(fixed or {})
    indices = resolve_assignment(compiled, fixed, path=path)
    system = system_of(compiled, path)
    if limit is None:
        return ScenarioAnswer(compiled, fixed, enumerate_scenarios(system, tolerance, indices))
    if limit < 1:
        raise InputError("limit must be at least 1", where="--limit")
    best = best_scenarios(system, tolerance, indices, limit=limit)
    return ScenarioAnswer(compiled, fixed, best.result, best)
