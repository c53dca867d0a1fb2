"""The report as Markdown, with its figures as SVG files written next to it."""

from __future__ import annotations

from kizashi.report.content import ReportContent

VERDICT = {"agrees": "✓", "objects": "✗", "silent": "·", "fixed": "="}


def _num(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(content: ReportContent, figures_dir: str) -> tuple[str, dict[str, str]]:
    """Markdown text and ``{file name: SVG}`` of the figures it references in ``figures_dir``."""
    c = content
    model = c.model
    out: list[str] = [f"# {model.title or model.id}", ""]
    if model.question:
        out += [f"**{model.question}**", ""]
    intervention = ", ".join(f"`{d}={v}`" for d, v in c.fixed.items()) or "none"
    meta = f"Model `{model.id}` ({c.file_name}, sha256 `{c.sha256[:16]}`) · intervention: {intervention} · tolerance {_num(c.tolerance)}"
    out += [meta + (f" · {c.date}" if c.date else ""), ""]
    out += ["## Scenarios", ""]
    shown = f"; the {len(c.scenarios)} with the highest total impact score are shown" if c.total > len(c.scenarios) else ""
    out += [f"{c.total} scenario(s) consistent within tolerance {_num(c.tolerance)}{shown}. Rows marked ◆ differ between scenarios; (fixed) marks the intervention.", ""]
    figures: dict[str, str] = {}
    if c.scenarios:
        out.append("| Descriptor | " + " | ".join(s.label for s in c.scenarios) + " |")
        out.append("|---|" + "---|" * len(c.scenarios))
        for j, d in enumerate(model.descriptors):
            name = d.name or d.id
            if j in c.fixed_index:
                name += " (fixed)"
            elif j in c.differing:
                name = "◆ " + name
            out.append(f"| {_cell(name)} | " + " | ".join(_cell(c.variant_name(j, s.row[j])) for s in c.scenarios) + " |")
        for label, attr in (("Total impact score", "total_impact_score"), ("Consistency value", "consistency_value"), ("Inconsistency", "inconsistency")):
            out.append(f"| {label} | " + " | ".join(_num(getattr(s, attr)) for s in c.scenarios) + " |")
        out.append("")
    for s in c.scenarios:
        out += [f"## Scenario {s.label}", "", f"{s.intro} Total impact score {_num(s.total_impact_score)}, consistency value {_num(s.consistency_value)}.", ""]
        out += ["### Storyline: its strongest impacts", ""]
        for n, line in enumerate(s.lines, start=1):
            refs = "".join(f"[^{note.number}]" for note in line.notes)
            out.append(f"{n}. **{line.score:+g}** {line.text} {line.rationale}{refs}")
        out.append("")
        name = f"{s.label}.svg"
        figures[name] = s.svg
        out += [f"![Impact network of {s.label}: green arrows promote, red hinder, labels give the weight]({figures_dir}/{name})", ""]
        for line in s.lines:
            for note in line.notes:
                out.append(f"[^{note.number}]: “{_cell(note.quote)}” — {note.source_label}")
        out.append("")
    out += ["## Ensemble: where the analyses agree and disagree", ""]
    view = c.ensemble
    key = "; ".join(f"{k} = {s}" for k, s in enumerate(view.sources, start=1))
    out += [f"Each scenario read through each analysis's own judgements ({key}). Per descriptor, one mark per source: ✓ agrees, ✗ prefers another variant, · silent, = fixed.", ""]
    contested = view.contested()
    if c.scenarios:
        out.append("| Descriptor | " + " | ".join(s.label for s in c.scenarios) + " |")
        out.append("|---|" + "---|" * len(c.scenarios))
        flags = view.consistent_in()
        out.append(
            "| Consistent in the source's own matrix | "
            + " | ".join(", ".join(str(k + 1) for k in range(len(view.sources)) if flags[i][k]) or "none" for i in range(len(c.scenarios)))
            + " |"
        )
        for j in contested:
            d = model.descriptors[j]
            cells = []
            for t in view.tables:
                marks = "".join(VERDICT[t.verdicts[src][j].verdict] for src in view.sources)
                prefs = ", ".join(f"{k} prefers {t.verdicts[src][j].preferred}" for k, src in enumerate(view.sources, start=1) if t.verdicts[src][j].preferred)
                cells.append(marks + (f" ({prefs})" if prefs else ""))
            out.append(f"| {_cell(d.name or d.id)} | " + " | ".join(_cell(x) for x in cells) + " |")
        out += ["", f"Only descriptors to which some analysis objects are listed; on the other {len(model.descriptors) - len(contested)} the analyses agree or are silent.", ""]
    out += ["## Evidence", "", "| Impact | Score | Rationale and quotes |", "|---|---|---|"]
    for j in model.judgements:
        quotes = "<br>".join(f"“{_cell(e.quote)}” — {e.source}" for e in j.evidence)
        body = _cell(j.rationale) + (f"<br>{quotes}" if quotes else "")
        out.append(f"| `{j.source_variant}` → `{j.target_variant}` | {j.score:+g} | {body} |")
    counts = c.judgement_counts()
    variants = sum(len(d.variants) for d in model.descriptors)
    out += ["", "## Provenance", ""]
    out += [
        f"{len(model.descriptors)} descriptors, {variants} variants, {counts['judgements']} judgements ({counts['analyst']} analyst's), "
        f"{counts['quotes']} evidence quotes. Model file {c.file_name}, sha256 `{c.sha256}`. Exact enumeration: "
        f"{c.answer.result.nodes_visited} search nodes{', complete' if c.answer.result.complete else ''}.",
        "",
        "| Source | Author · publisher | Date | Judgements | Quotes |",
        "|---|---|---|---|---|",
    ]
    for s in c.sources:
        who = s.author + (f" · {s.publisher}" if s.publisher else "")
        out.append(f"| {_cell(s.title or s.id)} (`{s.id}`) | {_cell(who)} | {s.date} | {s.judgements} | {s.quotes} |")
    out.append("")
    return "\n".join(out), figures
