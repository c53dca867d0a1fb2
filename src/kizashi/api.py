"""The Python entry point: load a model by name or path and ask it questions in ids.

>>> import kizashi as kz
>>> m = kz.load_model("us-japan-alliance")
>>> r = m.scenarios(fix={"us_orientation": "america_first"})
>>> len(r) >= 1
True
>>> b = m.balances(r[0], fix={"us_orientation": "america_first"})
>>> b["us_orientation"].fixed
True

Every method returns a result object of :mod:`kizashi.analysis.results`: ``to_dict()``
for JSON, ``to_frame()`` for pandas. Indices stay inside the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from kizashi.analysis.results import (
    Attractor,
    Attractors,
    Balances,
    DescriptorBalance,
    Scenario,
    Scenarios,
    Succession,
)
from kizashi.analysis.scenarios import ask_scenarios, resolve_assignment, scenario_ids, system_of
from kizashi.cib.balances import balances as engine_balances
from kizashi.cib.succession import Rule
from kizashi.cib.succession import attractors as engine_attractors
from kizashi.cib.succession import succession as engine_succession
from kizashi.cib.system import CIBSystem
from kizashi.errors import InputError
from kizashi.formats.loader import LoadedSystem, load_system
from kizashi.model.compile import CompiledModel

BUNDLED_MODELS = Path(__file__).resolve().parent / "data" / "models"


def bundled_model_path(name: str) -> Path | None:
    """The path of a bundled model called ``name`` (``None`` when there is none).

    Examples
    --------
    >>> bundled_model_path("us-japan-alliance").name
    'us-japan-alliance.yaml'
    """
    candidate = BUNDLED_MODELS / f"{name}.yaml"
    return candidate if candidate.is_file() else None


def load_model(source: str | Path) -> Model:
    """Load a model: a bundled name or a path to a ``.yaml``, ``.scw``, ``.csv`` or ``.json``.

    Parameters
    ----------
    source : str or Path
        A bundled model's name (``"us-japan-alliance"``) or a file path.

    Returns
    -------
    Model
        The model, compiled for the engine, answering questions in ids.

    Raises
    ------
    InputError
        The file is missing or malformed, or no bundled model has that name; the
        message names the file and the place.

    Examples
    --------
    >>> m = load_model("us-japan-alliance")
    >>> m.descriptors[0]
    'us_orientation'
    """
    path = Path(source)
    if not path.suffix and not path.exists():
        bundled = bundled_model_path(str(source))
        if bundled is None:
            names = ", ".join(sorted(p.stem for p in BUNDLED_MODELS.glob("*.yaml")))
            raise InputError(f"no bundled model {str(source)!r} (bundled: {names})")
        path = bundled
    return Model(load_system(path))


@dataclass(frozen=True, eq=False)
class Model:
    """A loaded model: its ids, its matrix and the questions the engine answers.

    Build one with :func:`load_model`.
    """

    loaded: LoadedSystem

    @property
    def compiled(self) -> CompiledModel:
        """Ids, variant counts and the cross-impact matrix."""
        return self.loaded.compiled

    @property
    def id(self) -> str:
        """The model's id (the file's stem for a bare matrix)."""
        model = self.loaded.model
        return model.id if model is not None else Path(self.loaded.path).stem

    @property
    def descriptors(self) -> tuple[str, ...]:
        """Descriptor ids, in matrix order."""
        return self.compiled.descriptor_ids

    def variants(self, descriptor: str) -> tuple[str, ...]:
        """Variant ids of one descriptor.

        Examples
        --------
        >>> load_model("us-japan-alliance").variants("us_orientation")
        ('alliance_multilateral', 'america_first')
        """
        if descriptor not in self.descriptors:
            raise InputError(f"unknown descriptor {descriptor!r}", path=self.loaded.path)
        return self.compiled.variant_ids[self.compiled.index_of(descriptor)]

    @property
    def system(self) -> CIBSystem:
        """The engine's view of the model (indices, not ids)."""
        return system_of(self.compiled)

    def _fixed(self, fix: Mapping[str, str] | None, origin: str = "fix") -> dict[int, int]:
        return resolve_assignment(
            self.compiled, dict(fix or {}), origin=origin, path=self.loaded.path
        )

    def _full(self, scenario: Scenario | Mapping[str, str], origin: str) -> list[int]:
        variants = scenario.variants if isinstance(scenario, Scenario) else scenario
        missing = [d for d in self.descriptors if d not in variants]
        if missing:
            raise InputError(f"{origin}: no variant given for {', '.join(missing)}")
        indices = self._fixed({d: variants[d] for d in self.descriptors}, origin)
        return [indices[i] for i in range(len(self.descriptors))]

    def _ids(self, row: object) -> Mapping[str, str]:
        return MappingProxyType(scenario_ids(self.compiled, list(row)))  # type: ignore[call-overload]

    def scenarios(
        self,
        fix: Mapping[str, str] | None = None,
        tolerance: float = 0.0,
        limit: int | None = None,
    ) -> Scenarios:
        """Every scenario within ``tolerance`` under the interventions ``fix``, exactly.

        Parameters
        ----------
        fix : mapping of descriptor id to variant id, optional
            Interventions: held fixed and excluded from the consistency test, they
            still exert their impacts.
        tolerance : float
            Largest inconsistency a listed scenario may have (0: consistent only).
        limit : int, optional
            List at most this many: every scenario of a lower inconsistency before any
            of a higher one (``complete`` is then False and ``omitted`` says what was
            left out).

        Returns
        -------
        Scenarios
            The scenarios, highest total impact score first.

        Raises
        ------
        InputError
            An unknown descriptor or variant id in ``fix``.

        Examples
        --------
        >>> m = load_model("us-japan-alliance")
        >>> r = m.scenarios(fix={"us_orientation": "america_first"})
        >>> r[0].variants["us_orientation"]
        'america_first'
        >>> list(r.to_frame().columns[:2])
        ['us_orientation', 'hns_pressure']

        Notes
        -----
        Consistency after Weimer-Jehle (2006), *Technological Forecasting and Social
        Change* 73, as ScenarioWizard computes it.
        """
        fixed = dict(fix or {})
        answer = ask_scenarios(self.compiled, fixed, tolerance, limit=limit, path=self.loaded.path)
        result = answer.result
        rows = tuple(
            Scenario(self._ids(row), float(inc), float(cv), float(tis))
            for row, inc, cv, tis in zip(
                result.scenarios.tolist(),
                result.inconsistency,
                result.consistency_value,
                result.total_impact_score,
                strict=True,
            )
        )
        return Scenarios(
            descriptors=self.descriptors,
            variant_ids=self.compiled.variant_ids,
            fixed=MappingProxyType(fixed),
            tolerance=float(result.tolerance),
            complete=bool(result.complete),
            nodes_visited=int(result.nodes_visited),
            scenarios=rows,
            omitted=answer.omitted(),
        )

    def balances(
        self, scenario: Scenario | Mapping[str, str], fix: Mapping[str, str] | None = None
    ) -> Balances:
        """The impact balance of every variant in ``scenario``: why each descriptor took its variant.

        Parameters
        ----------
        scenario : Scenario or mapping of descriptor id to variant id
            A complete scenario.
        fix : mapping of descriptor id to variant id, optional
            Descriptors posed as interventions (marked ``fixed``; they need not be
            their descriptor's best).

        Returns
        -------
        Balances
            Per descriptor: every variant's balance, the chosen one, its margin and
            whether it ties with another.

        Examples
        --------
        >>> m = load_model("us-japan-alliance")
        >>> s = m.scenarios(fix={"us_orientation": "america_first"})[0]
        >>> b = m.balances(s, fix={"us_orientation": "america_first"})
        >>> all(d.consistent for d in b)
        True
        """
        row = self._full(scenario, "scenario")
        fixed = self._fixed(fix)
        values = engine_balances(self.system, row)
        offsets = self.compiled.offsets
        items = []
        for i, d in enumerate(self.descriptors):
            variants = self.compiled.variant_ids[i]
            start = int(offsets[i])
            items.append(
                DescriptorBalance(
                    descriptor=d,
                    chosen=variants[row[i]],
                    balances=MappingProxyType(
                        {v: float(values[start + k]) for k, v in enumerate(variants)}
                    ),
                    fixed=i in fixed,
                )
            )
        ids = {d: self.compiled.variant_ids[i][row[i]] for i, d in enumerate(self.descriptors)}
        return Balances(MappingProxyType(ids), tuple(items))

    def succession(
        self,
        start: Scenario | Mapping[str, str],
        rule: Rule = "global",
        fix: Mapping[str, str] | None = None,
    ) -> Succession:
        """Follow succession from ``start`` to its attractor or cycle.

        Examples
        --------
        >>> m = load_model("us-japan-alliance")
        >>> s = m.scenarios(fix={"us_orientation": "america_first"})[0]
        >>> m.succession(s, fix={"us_orientation": "america_first"}).path[-1] == s.variants
        True
        """
        row = self._full(start, "start")
        run = engine_succession(self.system, row, rule, self._fixed(fix))
        return Succession(
            rule=rule,
            path=tuple(self._ids(p) for p in run.path.tolist()),
            cycle=tuple(self._ids(c) for c in run.cycle.tolist()),
        )

    def attractors(
        self,
        rule: Rule = "global",
        fix: Mapping[str, str] | None = None,
        *,
        samples: int | None = None,
        seed: int = 0,
    ) -> Attractors:
        """Attractors and cycles of succession with their volume weights (basin shares).

        Every start is run when the space is small enough and ``samples`` is None;
        otherwise ``samples`` random starts drawn with ``seed``.

        Examples
        --------
        >>> m = load_model("us-japan-alliance")
        >>> a = m.attractors(fix={"us_orientation": "america_first"}, samples=200, seed=1)
        >>> sum(x.basin for x in a) == a.starts
        True
        """
        result = engine_attractors(self.system, rule, self._fixed(fix), samples=samples, seed=seed)
        found = tuple(
            Attractor(
                states=tuple(self._ids(s) for s in a.states.tolist()),
                basin=int(a.weight),
                weight=int(a.weight) / result.starts,
            )
            for a in result.attractors
        )
        return Attractors(
            rule=rule, starts=result.starts, exact=not result.sampled, attractors=found
        )

    def __repr__(self) -> str:
        return f"<Model {self.id}: {len(self.descriptors)} descriptors>"
