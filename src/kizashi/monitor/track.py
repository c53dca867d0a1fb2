"""The futures that remain, as of each date where the observations change.

For an observed partial state (the latest observation of each descriptor):

- **remaining** (hard conditioning): the consistent scenarios with every observed
  descriptor fixed as an intervention;
- **inconsistency**: the minimum, over completions of the unobserved descriptors, of
  the scenario inconsistency with every descriptor tested except those observed with
  ``intervention: true``;
- **contradictions**: for the best completion, each tested observed descriptor whose
  observed variant is not its highest-balance variant, and by how much;
- **drift**: global succession from the best completion (interventions held fixed).

The minimum is exact. Let G(c) be a completion's inconsistency over the unobserved
descriptors and F(c) over every tested descriptor, so G <= F. The engine enumerates
{c : G(c) <= t} exactly; if the smallest F in that set is m <= t it is the global
minimum, otherwise the set at tolerance m holds every completion with F <= m.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kizashi.cib import CIBSystem, balances, enumerate_scenarios, evaluate, succession
from kizashi.cib.system import EPS, IntArray
from kizashi.errors import InputError
from kizashi.model import CompiledModel
from kizashi.monitor.observations import Observation, latest

#: Tolerances whose scenario counts are reported besides tolerance 0.
EXTRA_TOLERANCES = (1.0, 2.0)
#: Cap on scenarios collected for a count at a non-zero tolerance.
COUNT_LIMIT = 100_000
#: Scenarios listed per date (the count is always exact).
LIST_LIMIT = 1_000


def _number(value: float) -> int | float:
    value = float(value)
    return int(value) if value.is_integer() else round(value, 9)


@dataclass(frozen=True)
class Completion:
    """The completion of an observed partial state that is closest to consistency."""

    scenario: IntArray
    inconsistency: float
    descriptor_inconsistency: tuple[float, ...]


def best_completion(
    system: CIBSystem, observed: Mapping[int, int], interventions: Iterable[int] = ()
) -> Completion:
    """The completion of ``observed`` with the least inconsistency, exactly.

    Parameters
    ----------
    system : CIBSystem
        The engine's system.
    observed : mapping of int to int
        Observed descriptor index -> variant index.
    interventions : iterable of int
        Observed descriptors excluded from the consistency test.

    Returns
    -------
    Completion
        The best completion (ties: highest total impact score, then lowest variant
        indices), its inconsistency with every non-intervention descriptor tested,
        and each descriptor's inconsistency in it.
    """
    posed = {d: observed[d] for d in interventions}
    fixed = dict(observed)

    def candidates(t: float) -> tuple[IntArray, np.ndarray, np.ndarray, np.ndarray]:
        found = enumerate_scenarios(system, t, fixed, threads=1)
        if len(found) == 0:
            empty = np.zeros(0)
            return found.scenarios, empty, np.zeros((0, system.n)), empty
        m = evaluate(system, found.scenarios, posed)
        return found.scenarios, m.inconsistency, m.descriptor_inconsistency, m.total_impact_score

    t = 0.0
    while True:
        z, full, per, tis = candidates(t)
        if len(z):
            best = float(full.min())
            if best > t + EPS:
                z, full, per, tis = candidates(best)
            break
        t = 0.5 if t == 0 else t * 2
        if t > 1e12:  # pragma: no cover - every system has a completion
            raise InputError("no completion found")
    low = float(full.min())
    pick = np.flatnonzero(full <= low + EPS)
    keys = [z[pick, j] for j in range(system.n - 1, -1, -1)]
    keys.append(-np.round(tis[pick], 9))
    k = int(pick[np.lexsort(keys)[0]])
    return Completion(z[k].copy(), low, tuple(float(x) for x in per[k]))


@dataclass(frozen=True)
class TimelineEntry:
    """What the model says about the observed state on one date."""

    date: dt.date
    observed: dict[str, str]
    interventions: tuple[str, ...]
    remaining_count: int
    remaining: tuple[dict[str, str], ...]
    remaining_complete: bool
    counts_at: dict[float, tuple[int, bool]]
    inconsistency: float
    best: dict[str, str]
    contradictions: tuple[dict[str, Any], ...]
    unobserved_inconsistent: tuple[dict[str, Any], ...]
    drift: dict[str, Any]
    compatible_futures: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form of one timeline entry."""
        return {
            "date": self.date.isoformat(),
            "observed": dict(self.observed),
            "interventions": list(self.interventions),
            "remaining": {
                "tolerance": 0,
                "count": self.remaining_count,
                "complete": self.remaining_complete,
                "scenarios": [dict(s) for s in self.remaining],
                "counts_at_tolerance": {
                    str(_number(t)): {"count": c, "complete": ok}
                    for t, (c, ok) in self.counts_at.items()
                },
            },
            "inconsistency": _number(self.inconsistency),
            "best_completion": dict(self.best),
            "contradictions": [dict(c) for c in self.contradictions],
            "unobserved_inconsistent": [dict(c) for c in self.unobserved_inconsistent],
            "drift": dict(self.drift),
            "compatible_futures": list(self.compatible_futures),
        }


@dataclass(frozen=True)
class Timeline:
    """The monitoring timeline of a model against its observations."""

    model: str
    as_of: dt.date | None
    entries: tuple[TimelineEntry, ...] = field(default=())
    futures: tuple[dict[str, str], ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """``{"model": id, "timeline": [...]}`` (``kizashi track --format json``).

        ``futures`` lists the model's unconditioned consistent scenarios; each entry's
        ``compatible_futures`` gives the positions of those that match every observation.
        """
        return {
            "model": self.model,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "futures": [dict(f) for f in self.futures],
            "timeline": [e.to_dict() for e in self.entries],
        }


def _ids(model: CompiledModel, row: Iterable[int]) -> dict[str, str]:
    return {
        d: model.variant_ids[i][int(v)]
        for i, (d, v) in enumerate(zip(model.descriptor_ids, row, strict=True))
    }


def _entry(
    model: CompiledModel,
    system: CIBSystem,
    date: dt.date,
    state: Mapping[str, Observation],
    futures: IntArray,
) -> TimelineEntry:
    observed: dict[int, int] = {
        model.index_of(d): model.variant_ids[model.index_of(d)].index(o.variant)
        for d, o in state.items()
    }
    posed = sorted(model.index_of(d) for d, o in state.items() if o.intervention)
    remaining = enumerate_scenarios(system, 0.0, observed, threads=1)
    counts_at: dict[float, tuple[int, bool]] = {}
    for t in EXTRA_TOLERANCES:
        r = enumerate_scenarios(system, t, observed, limit=COUNT_LIMIT, threads=1)
        counts_at[t] = (len(r), r.complete)
    best = best_completion(system, observed, posed)
    theta = balances(system, best.scenario)
    offsets = system.offsets
    contradictions: list[dict[str, Any]] = []
    unobserved: list[dict[str, Any]] = []
    for j, d in enumerate(model.descriptor_ids):
        if j in posed or best.descriptor_inconsistency[j] <= EPS:
            continue
        block = theta[offsets[j] : offsets[j] + int(system.counts[j])]
        top = int(np.argmax(block))
        item = {
            "descriptor": d,
            "observed" if j in observed else "completed": model.variant_ids[j][
                int(best.scenario[j])
            ],
            "model_prefers": model.variant_ids[j][top],
            "by": _number(best.descriptor_inconsistency[j]),
        }
        (contradictions if j in observed else unobserved).append(item)
    contradictions.sort(key=lambda c: (-float(c["by"]), str(c["descriptor"])))
    run = succession(system, best.scenario, "global", {j: observed[j] for j in posed})
    end = run.cycle[0]
    changes = {
        model.descriptor_ids[j]: {
            "from": model.variant_ids[j][int(best.scenario[j])],
            "to": model.variant_ids[j][int(end[j])],
        }
        for j in range(system.n)
        if int(best.scenario[j]) != int(end[j])
    }
    drift = {
        "rule": "global",
        "end": "cycle" if run.is_cycle else "attractor",
        "steps": int(run.path.shape[0]) - 1,
        "attractor": _ids(model, end),
        "cycle": [_ids(model, r) for r in run.cycle.tolist()] if run.is_cycle else [],
        "changes": changes,
    }
    return TimelineEntry(
        date=date,
        observed={
            d: o.variant for d, o in sorted(state.items(), key=lambda kv: model.index_of(kv[0]))
        },
        interventions=tuple(model.descriptor_ids[j] for j in posed),
        remaining_count=len(remaining),
        remaining=tuple(_ids(model, r) for r in remaining.scenarios[:LIST_LIMIT].tolist()),
        remaining_complete=remaining.complete,
        counts_at=counts_at,
        inconsistency=best.inconsistency,
        best=_ids(model, best.scenario),
        contradictions=tuple(contradictions),
        unobserved_inconsistent=tuple(unobserved),
        drift=drift,
        compatible_futures=tuple(
            k
            for k, row in enumerate(futures.tolist())
            if all(row[d] == v for d, v in observed.items())
        ),
    )


def track(
    model: CompiledModel,
    observations: Iterable[Observation],
    as_of: dt.date | None = None,
    *,
    model_id: str = "model",
) -> Timeline:
    """The timeline of a model against dated observations.

    Parameters
    ----------
    model : CompiledModel
        The compiled model (ids, counts, matrix).
    observations : iterable of Observation
        The observation history (as from :func:`~kizashi.monitor.observations.load_observations`).
    as_of : datetime.date, optional
        Last date considered (default: every observation).
    model_id : str
        The id reported as ``model``.

    Returns
    -------
    Timeline
        One entry per date on which the latest observed state changes.
    """
    history = list(observations)
    system = CIBSystem(model.counts, model.matrix)
    futures = enumerate_scenarios(system, 0.0, threads=1)
    dates = sorted({o.date for o in history if as_of is None or o.date <= as_of})
    entries: list[TimelineEntry] = []
    previous: dict[str, tuple[str, bool]] | None = None
    for date in dates:
        state = latest(history, date)
        key = {d: (o.variant, o.intervention) for d, o in state.items()}
        if key == previous:
            continue
        previous = key
        entries.append(_entry(model, system, date, state, futures.scenarios))
    return Timeline(
        model=model_id,
        as_of=as_of,
        entries=tuple(entries),
        futures=tuple(_ids(model, r) for r in futures.scenarios.tolist()),
    )
