"""Result objects of scenario questions, in ids: one protocol for every shell.

Every result is a frozen dataclass with ``to_dict()`` (what the JSON shells print),
``to_frame()`` (a pandas DataFrame; pandas is imported only then), a short ``repr`` and
``_repr_html_`` for notebooks, and ``len``/``iter``/``[i]`` where it is a list of things.
Indices stay inside the engine; everything here speaks descriptor and variant ids.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kizashi.cib.system import EPS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def plain_number(value: float) -> int | float:
    """An integral float as ``int`` (so JSON prints ``3``, not ``3.0``)."""
    number = float(value)
    return int(number) if number.is_integer() else number


def require_pandas() -> Any:
    """Import pandas, or say which extra installs it."""
    try:
        import pandas
    except ImportError as exc:  # pragma: no cover - pandas is in the locked environment
        raise ImportError("to_frame() needs pandas: pip install 'kizashi[pandas]'") from exc
    return pandas


def _html_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


@dataclass(frozen=True)
class Scenario:
    """One scenario: a variant id per descriptor, with its consistency measures."""

    variants: Mapping[str, str]
    inconsistency: float
    consistency_value: float
    total_impact_score: float

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``variants`` and the three measures."""
        return {
            "variants": dict(self.variants),
            "inconsistency": plain_number(self.inconsistency),
            "consistency_value": plain_number(self.consistency_value),
            "total_impact_score": plain_number(self.total_impact_score),
        }

    def __repr__(self) -> str:
        return (
            f"Scenario(inconsistency={plain_number(self.inconsistency)}, "
            f"consistency_value={plain_number(self.consistency_value)}, "
            f"total_impact_score={plain_number(self.total_impact_score)})"
        )


@dataclass(frozen=True)
class Scenarios:
    """The scenarios found for one question (interventions, tolerance), in ids."""

    descriptors: tuple[str, ...]
    variant_ids: tuple[tuple[str, ...], ...]
    fixed: Mapping[str, str]
    tolerance: float
    complete: bool
    nodes_visited: int
    scenarios: tuple[Scenario, ...]
    omitted: Mapping[str, Any] | None = None

    def __len__(self) -> int:
        return len(self.scenarios)

    def __iter__(self) -> Iterator[Scenario]:
        return iter(self.scenarios)

    def __getitem__(self, index: int) -> Scenario:
        return self.scenarios[index]

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form of ``kizashi scenarios --format json``."""
        return {
            "descriptors": [
                {"id": d, "variants": list(v)}
                for d, v in zip(self.descriptors, self.variant_ids, strict=True)
            ],
            "fixed": dict(self.fixed),
            "tolerance": plain_number(self.tolerance),
            "complete": self.complete,
            "nodes_visited": self.nodes_visited,
            "omitted": dict(self.omitted) if self.omitted is not None else None,
            "scenarios": [s.to_dict() for s in self.scenarios],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per scenario: the descriptor ids as columns, then the measures."""
        pandas = require_pandas()
        columns = [*self.descriptors, "inconsistency", "consistency_value", "total_impact_score"]
        rows = [
            [
                *(s.variants[d] for d in self.descriptors),
                plain_number(s.inconsistency),
                plain_number(s.consistency_value),
                plain_number(s.total_impact_score),
            ]
            for s in self.scenarios
        ]
        return pandas.DataFrame(rows, columns=columns)

    def __repr__(self) -> str:
        fixed = ", ".join(f"{d}={v}" for d, v in self.fixed.items()) or "none"
        more = "" if self.complete else ", incomplete"
        return (
            f"<Scenarios: {len(self)} within tolerance {plain_number(self.tolerance)} "
            f"(fixed: {fixed}{more})>"
        )

    def _repr_html_(self) -> str:
        header = [*self.descriptors, "inconsistency", "consistency value", "TIS"]
        rows = [
            [
                *(s.variants[d] for d in self.descriptors),
                plain_number(s.inconsistency),
                plain_number(s.consistency_value),
                plain_number(s.total_impact_score),
            ]
            for s in self.scenarios
        ]
        return f"<p>{html.escape(repr(self))}</p>" + _html_table(header, rows)


@dataclass(frozen=True)
class DescriptorBalance:
    """Why one descriptor took its variant: every variant's impact balance."""

    descriptor: str
    chosen: str
    balances: Mapping[str, float]
    fixed: bool

    @property
    def best(self) -> tuple[str, ...]:
        """The variants of highest balance (more than one is a tie)."""
        top = max(self.balances.values())
        return tuple(v for v, b in self.balances.items() if b >= top - EPS)

    @property
    def margin(self) -> float:
        """The chosen variant's balance minus the best other variant's (negative: not chosen)."""
        chosen = self.balances[self.chosen]
        others = [b for v, b in self.balances.items() if v != self.chosen]
        return chosen - max(others) if others else 0.0

    @property
    def tie(self) -> bool:
        """True when another variant has the chosen variant's balance, and it is the best.

        An intervention is never a tie: it holds whatever the balances say.
        """
        return not self.fixed and self.chosen in self.best and len(self.best) > 1

    @property
    def consistent(self) -> bool:
        """True when the chosen variant has the highest balance (or the descriptor is fixed)."""
        return self.fixed or self.chosen in self.best

    def to_dict(self) -> dict[str, Any]:
        """``descriptor``, ``chosen``, ``balances`` by variant, ``margin``, ``tie``, ``fixed``."""
        return {
            "descriptor": self.descriptor,
            "chosen": self.chosen,
            "balances": {v: plain_number(b) for v, b in self.balances.items()},
            "margin": plain_number(self.margin),
            "tie": self.tie,
            "fixed": self.fixed,
            "consistent": self.consistent,
        }


@dataclass(frozen=True)
class Balances:
    """The impact balance of every variant in one scenario, descriptor by descriptor."""

    scenario: Mapping[str, str]
    descriptors: tuple[DescriptorBalance, ...]

    def __len__(self) -> int:
        return len(self.descriptors)

    def __iter__(self) -> Iterator[DescriptorBalance]:
        return iter(self.descriptors)

    def __getitem__(self, key: int | str) -> DescriptorBalance:
        if isinstance(key, str):
            for item in self.descriptors:
                if item.descriptor == key:
                    return item
            raise KeyError(key)
        return self.descriptors[key]

    @property
    def ties(self) -> tuple[str, ...]:
        """Descriptors whose chosen variant shares the highest balance with another."""
        return tuple(d.descriptor for d in self.descriptors if d.tie)

    def to_dict(self) -> dict[str, Any]:
        """``scenario`` and one entry per descriptor (see :class:`DescriptorBalance`)."""
        return {
            "scenario": dict(self.scenario),
            "descriptors": [d.to_dict() for d in self.descriptors],
            "ties": list(self.ties),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per (descriptor, variant): balance, chosen, margin and tie flags."""
        pandas = require_pandas()
        rows = [
            {
                "descriptor": d.descriptor,
                "variant": v,
                "balance": plain_number(b),
                "chosen": v == d.chosen,
                "margin": plain_number(d.margin),
                "tie": d.tie,
                "fixed": d.fixed,
            }
            for d in self.descriptors
            for v, b in d.balances.items()
        ]
        return pandas.DataFrame(rows)

    def __repr__(self) -> str:
        ties = ", ".join(self.ties) or "none"
        return f"<Balances of {len(self)} descriptors (ties: {ties})>"

    def _repr_html_(self) -> str:
        rows = [
            [
                d.descriptor,
                d.chosen,
                ", ".join(f"{v} {plain_number(b)}" for v, b in d.balances.items()),
                plain_number(d.margin),
                "tie" if d.tie else "",
            ]
            for d in self.descriptors
        ]
        return _html_table(["descriptor", "chosen", "balances", "margin", ""], rows)


@dataclass(frozen=True)
class Succession:
    """A succession path from a start scenario to its attractor or cycle, in ids."""

    rule: str
    path: tuple[Mapping[str, str], ...]
    cycle: tuple[Mapping[str, str], ...]

    @property
    def is_cycle(self) -> bool:
        """True when succession ends in a cycle of more than one scenario."""
        return len(self.cycle) > 1

    @property
    def attractor(self) -> Mapping[str, str]:
        """The scenario reached (the first state of a cycle)."""
        return self.cycle[0]

    def to_dict(self) -> dict[str, Any]:
        """``rule``, ``path`` (start first), ``cycle``, ``is_cycle``."""
        return {
            "rule": self.rule,
            "path": [dict(p) for p in self.path],
            "cycle": [dict(c) for c in self.cycle],
            "is_cycle": self.is_cycle,
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per step of the path."""
        pandas = require_pandas()
        return pandas.DataFrame([dict(p) for p in self.path])

    def __repr__(self) -> str:
        end = f"a cycle of {len(self.cycle)}" if self.is_cycle else "an attractor"
        return f"<Succession ({self.rule}): {len(self.path) - 1} steps to {end}>"


@dataclass(frozen=True)
class Attractor:
    """An attractor (or cycle) of succession with its basin's share of the starts."""

    states: tuple[Mapping[str, str], ...]
    basin: int
    weight: float

    def to_dict(self) -> dict[str, Any]:
        """``states``, ``basin`` (starts that end here) and ``weight`` (their share)."""
        return {
            "states": [dict(s) for s in self.states],
            "basin": self.basin,
            "weight": self.weight,
        }


@dataclass(frozen=True)
class Attractors:
    """The attractors and cycles of succession with their volume weights."""

    rule: str
    starts: int
    exact: bool
    attractors: tuple[Attractor, ...]

    def __len__(self) -> int:
        return len(self.attractors)

    def __iter__(self) -> Iterator[Attractor]:
        return iter(self.attractors)

    def __getitem__(self, index: int) -> Attractor:
        return self.attractors[index]

    def to_dict(self) -> dict[str, Any]:
        """``rule``, ``starts``, ``exact`` and the attractors, largest basin first."""
        return {
            "rule": self.rule,
            "starts": self.starts,
            "exact": self.exact,
            "attractors": [a.to_dict() for a in self.attractors],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per attractor state: the variants, its basin and weight."""
        pandas = require_pandas()
        rows = [
            {**dict(state), "attractor": n, "basin": a.basin, "weight": a.weight}
            for n, a in enumerate(self.attractors)
            for state in a.states
        ]
        return pandas.DataFrame(rows)

    def __repr__(self) -> str:
        kind = "all" if self.exact else "sampled"
        return f"<Attractors ({self.rule}): {len(self)} from {self.starts} {kind} starts>"
