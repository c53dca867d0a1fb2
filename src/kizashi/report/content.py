"""What a report says, independent of its format.

``build_report`` runs the scenario question (intervention and tolerance), and gathers
the scenario tableau, an impact-network figure and a storyline per scenario (its
strongest impacts, with the quotes behind them as footnotes), the ensemble comparison,
the evidence table and the model's provenance. Everything is ordered deterministically
and nothing depends on the clock unless a date is passed in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kizashi.analysis.scenarios import ScenarioAnswer, ask_scenarios, resolve_assignment
from kizashi.model import Descriptor, Judgement, Model, compile_model, load_model, source_matrices
from kizashi.report.ensemble import EnsembleView, ensemble_view
from kizashi.report.network import Edge, active_edges, network_svg

STRONGEST = 5
QUOTES_PER_IMPACT = 2


@dataclass(frozen=True)
class Footnote:
    """A quote cited by a storyline."""

    number: int
    source: str
    source_label: str
    quote: str


@dataclass(frozen=True)
class StoryLine:
    """One sentence of a storyline: an impact, its rationale and its footnotes."""

    text: str
    rationale: str
    score: float
    notes: tuple[Footnote, ...]


@dataclass(frozen=True)
class ScenarioPart:
    """One scenario: variants, measures, figure and storyline."""

    label: str
    row: tuple[int, ...]
    inconsistency: float
    consistency_value: float
    total_impact_score: float
    intro: str
    lines: tuple[StoryLine, ...]
    svg: str


@dataclass(frozen=True)
class SourceRow:
    """Provenance of one source."""

    id: str
    title: str
    author: str
    publisher: str
    date: str
    judgements: int
    quotes: int


@dataclass
class ReportContent:
    """Everything a report shows."""

    model: Model
    file_name: str
    sha256: str
    fixed: dict[str, str]
    fixed_index: dict[int, int]
    tolerance: float
    answer: ScenarioAnswer
    scenarios: list[ScenarioPart]
    differing: list[int]
    ensemble: EnsembleView
    sources: list[SourceRow]
    date: str | None = None
    footnotes: list[Footnote] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Scenarios found (the report may show fewer)."""
        return len(self.answer.result)

    def variant_name(self, j: int, v: int) -> str:
        """Display name of variant ``v`` of descriptor ``j``."""
        variant = self.model.descriptors[j].variants[v]
        return variant.name or variant.id

    def judgement_counts(self) -> dict[str, int]:
        """Judgements by basis, and evidence quotes."""
        counts = {"judgements": len(self.model.judgements), "quotes": 0, "analyst": 0}
        for j in self.model.judgements:
            counts["quotes"] += len(j.evidence)
            counts["analyst"] += j.basis == "analyst"
        return counts


def _num(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _verb(score: float) -> str:
    strength = abs(score)
    adverb = "strongly " if strength >= 2.5 else "" if strength >= 1.5 else "mildly "
    return adverb + ("promotes" if score > 0 else "hinders")


def _label(d: Descriptor, v: int) -> str:
    return d.variants[v].name or d.variants[v].id


def _source_label(model: Model, source: str) -> str:
    for s in model.sources:
        if s.id == source:
            parts = [p for p in (s.author, s.title) if p]
            label = ", ".join(parts) if parts else s.id
            return f"{label} ({s.date})" if s.date else label
    return source


def _story(
    model: Model, row: tuple[int, ...], edges: list[Edge], counter: list[int], footnotes: list[Footnote]
) -> tuple[StoryLine, ...]:
    lines = []
    for edge in edges[:STRONGEST]:
        j: Judgement = edge.judgement
        d_from, d_to = model.descriptors[edge.source], model.descriptors[edge.target]
        notes = []
        for ev in j.evidence[:QUOTES_PER_IMPACT]:
            counter[0] += 1
            note = Footnote(counter[0], ev.source, _source_label(model, ev.source), ev.quote)
            notes.append(note)
            footnotes.append(note)
        text = (
            f"{_label(d_from, row[edge.source])} ({d_from.name or d_from.id}) {_verb(edge.score)} "
            f"{_label(d_to, row[edge.target])} ({d_to.name or d_to.id}), weight {_num(edge.score)}."
        )
        lines.append(StoryLine(text, j.rationale, edge.score, tuple(notes)))
    return tuple(lines)


def _intro(model: Model, row: tuple[int, ...], fixed: Mapping[int, int], differing: list[int], label: str) -> str:
    parts = []
    if fixed:
        given = "; ".join(f"{model.descriptors[j].name or model.descriptors[j].id}: {_label(model.descriptors[j], v)}" for j, v in sorted(fixed.items()))
        parts.append(f"Given {given},")
    else:
        parts.append("Without intervention,")
    if differing:
        chosen = "; ".join(f"{model.descriptors[j].name or model.descriptors[j].id}: {_label(model.descriptors[j], row[j])}" for j in differing)
        parts.append(f"scenario {label} is set apart from the others by {chosen}.")
    else:
        parts.append(f"scenario {label} is the only consistent future.")
    return " ".join(parts)


def build_report(
    model_path: str | Path,
    fixed: Mapping[str, str] | None = None,
    tolerance: float = 0.0,
    *,
    max_scenarios: int = 6,
    date: str | None = None,
    limit: int = 10_000,
) -> ReportContent:
    """Gather the content of a report on the model at ``model_path``."""
    path = Path(model_path)
    loaded = load_model(path)
    model = loaded.model
    compiled = compile_model(model)
    pairs = dict(fixed or {})
    fixed_index = resolve_assignment(compiled, pairs, path=str(path))
    answer = ask_scenarios(compiled, pairs, tolerance, limit=limit, path=str(path))
    rows = answer.result.scenarios[:max_scenarios]
    tuples = [tuple(int(v) for v in r) for r in rows.tolist()]
    differing = [j for j in range(len(compiled.descriptor_ids)) if len({t[j] for t in tuples}) > 1] if len(tuples) > 1 else []
    counter = [0]
    footnotes: list[Footnote] = []
    parts = []
    r = answer.result
    for i, row in enumerate(tuples):
        label = f"S{i + 1}"
        edges = active_edges(model, row)
        parts.append(
            ScenarioPart(
                label,
                row,
                float(r.inconsistency[i]),
                float(r.consistency_value[i]),
                float(r.total_impact_score[i]),
                _intro(model, row, fixed_index, differing, label),
                _story(model, row, edges, counter, footnotes),
                network_svg(model, row, fixed=fixed_index.keys(), title=f"Impact network of scenario {label}", element_id=f"net-{label}"),
            )
        )
    members = source_matrices(model)
    view = ensemble_view(compiled, members, rows, fixed_index, tolerance)
    per_source: dict[str, list[int]] = {}
    for j in model.judgements:
        for s in j.sources:
            per_source.setdefault(s, [0, 0])[0] += 1
        for ev in j.evidence:
            per_source.setdefault(ev.source, [0, 0])[1] += 1
    known = {s.id for s in model.sources}
    sources = [
        SourceRow(s.id, s.title or "", s.author or "", s.publisher or "", s.date or "", *per_source.get(s.id, [0, 0]))
        for s in model.sources
    ] + [SourceRow(sid, "", "", "", "", *counts) for sid, counts in sorted(per_source.items()) if sid not in known]
    return ReportContent(
        model=model,
        file_name=path.name,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        fixed=pairs,
        fixed_index=fixed_index,
        tolerance=float(tolerance),
        answer=answer,
        scenarios=parts,
        differing=differing,
        ensemble=view,
        sources=sources,
        date=date,
        footnotes=footnotes,
    )
