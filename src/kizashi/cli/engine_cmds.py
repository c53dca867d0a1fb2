"""Engine commands: ``scenarios``, ``succession``, ``attractors``, ``ensemble``, ``balances``."""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.table import Table

from kizashi.analysis.agreement import agreement_table
from kizashi.analysis.scenarios import (
    ask_scenarios,
    parse_pairs,
    resolve_assignment,
    scenario_ids,
    system_of,
)
from kizashi.cib import Ensemble, attractors, compare_members, evaluate, succession
from kizashi.cli.render import console, labels, num, tableau
from kizashi.errors import InputError
from kizashi.formats import (
    SolutionList,
    SolutionRow,
    compare_solutions,
    load_system,
    read_sl,
    write_sl,
)
from kizashi.model import source_matrices


class OutputFormat(StrEnum):
    """Output formats of the scenario commands."""

    table = "table"
    csv = "csv"
    json = "json"


class RuleName(StrEnum):
    """Succession rules."""

    global_ = "global"
    local = "local"


SourceArg = Annotated[Path, typer.Argument(help="A model YAML, a ScenarioWizard .scw file, a CSV matrix or JSON.")]
FixOpt = Annotated[
    list[str] | None,
    typer.Option("--fix", "-f", help="Intervention DESCRIPTOR=VARIANT (repeatable, or comma-separated)."),
]
TolOpt = Annotated[float, typer.Option("--tolerance", "-t", help="Accept scenarios with inconsistency up to T.")]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", help="table, csv or json.")]
# The listing of ``kizashi scenarios`` is bounded unless asked otherwise (a tolerant
# search over a large model can find millions of scenarios).
DEFAULT_LIMIT = 10_000


def _echo_csv(rows: list[dict[str, object]]) -> None:
    """Print rows of one shape as CSV with a header (nothing but the header when empty)."""
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    typer.echo(buffer.getvalue(), nl=False)


def _scenarios(
    source: SourceArg,
    fix: FixOpt = None,
    tolerance: TolOpt = 0.0,
    output: FormatOpt = OutputFormat.table,
    compare: Annotated[Path | None, typer.Option("--compare", help="Compare with a ScenarioWizard .sl solution list.")] = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            min=0,
            help="List at most N scenarios, lowest inconsistency first (0: no limit; the result says what it left out).",
        ),
    ] = DEFAULT_LIMIT,
    show: Annotated[int, typer.Option("--show", help="Scenarios shown in the table view.")] = 12,
) -> None:
    """Find every scenario with inconsistency <= T, exactly (branch-and-bound)."""
    loaded = load_system(source)
    answer = ask_scenarios(loaded.compiled, parse_pairs(fix or []), tolerance, limit=limit or None, path=str(source))
    result = answer.result
    if output is OutputFormat.json:
        typer.echo(json.dumps(answer.to_json(), indent=2, ensure_ascii=False))
    elif output is OutputFormat.csv:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([*loaded.compiled.descriptor_ids, "inconsistency", "consistency_value", "total_impact_score"])
        for row, inc, cv, tis in zip(result.scenarios.tolist(), result.inconsistency, result.consistency_value, result.total_impact_score, strict=True):
            writer.writerow([*scenario_ids(loaded.compiled, row).values(), num(inc), num(cv), num(tis)])
        typer.echo(buf.getvalue(), nl=False)
    else:
        shown = result.scenarios[:show]
        fixed_idx = sorted(resolve_assignment(loaded.compiled, answer.fixed))
        table = tableau(
            loaded.compiled,
            loaded.model,
            shown,
            [f"S{i + 1}" for i in range(len(shown))],
            title=f"{len(result)} scenario(s) with inconsistency <= {num(tolerance)}"
            + (f", fixed: {', '.join(f'{k}={v}' for k, v in answer.fixed.items())}" if answer.fixed else ""),
            footer_rows=[
                ("total impact score", [num(x) for x in result.total_impact_score[:show]]),
                ("consistency value", [num(x) for x in result.consistency_value[:show]]),
                ("inconsistency", [num(x) for x in result.inconsistency[:show]]),
            ],
            fixed=fixed_idx,
        )
        if len(result):
            console.print(table)
        if len(result) > show:
            console.print(f"[dim]... {len(result) - show} more (use --show, --format csv or json)[/]")
        console.print(
            f"{len(result)} scenario(s); {result.configurations:,} configurations; "
            f"{result.nodes_visited:,} nodes visited; "
            + ("complete (exact)" if result.complete else f"[bold red]INCOMPLETE: stopped at --limit {limit}[/]")
        )
        omitted = answer.omitted()
        if omitted is not None:
            more = "" if omitted["exact"] else "at least "
            console.print(
                f"every scenario of inconsistency below {num(omitted['band'])} is listed; "
                f"{more}{omitted['count']:,} of inconsistency {num(omitted['band'])} are not, "
                "and higher inconsistencies were not searched"
            )
    if compare is not None:
        _compare(compare, {tuple(r) for r in result.scenarios.tolist()}, loaded.compiled.counts.tolist())


def _compare(path: Path, found: set[tuple[int, ...]], counts: list[int]) -> None:
    sl = read_sl(path)
    for row in sl.rows:
        if len(row.indices) != len(counts):
            raise InputError(f"a row has {len(row.indices)} descriptors, the model has {len(counts)}", path=str(path))
    missing_here, missing_there = compare_solutions(found, sl)
    err = typer.echo
    err(f"compared with {path}: {len(sl.rows)} listed, {len(found)} found", err=True)
    for s in sorted(missing_here):
        err(f"  only in {path.name}: {' '.join(str(v + 1) for v in s)}", err=True)
    for s in sorted(missing_there):
        err(f"  only in kizashi's result: {' '.join(str(v + 1) for v in s)}", err=True)
    if missing_here or missing_there:
        raise typer.Exit(1)
    err("  identical scenario sets", err=True)


def _succession(
    source: SourceArg,
    start: Annotated[list[str], typer.Option("--start", help="Start scenario D=V,... (unnamed descriptors start at their first variant).")],
    rule: Annotated[RuleName, typer.Option("--rule", help="global or local succession.")] = RuleName.global_,
    fix: FixOpt = None,
    output: FormatOpt = OutputFormat.table,
) -> None:
    """Follow succession from a start scenario to its attractor or cycle."""
    loaded = load_system(source)
    compiled = loaded.compiled
    fixed = resolve_assignment(compiled, parse_pairs(fix or []), path=str(source))
    begin = np.zeros(len(compiled.descriptor_ids), dtype=np.int64)
    for d, v in resolve_assignment(compiled, parse_pairs(start, origin="--start"), origin="--start", path=str(source)).items():
        begin[d] = v
    res = succession(system_of(compiled, loaded.path), begin, rule.value, fixed)  # type: ignore[arg-type]
    ending = "cycle" if res.is_cycle else "attractor"
    if output is OutputFormat.csv:
        in_cycle = {tuple(r) for r in res.cycle.tolist()}
        _echo_csv(
            [
                {"step": step, **scenario_ids(compiled, r), "in_cycle": tuple(r) in in_cycle}
                for step, r in enumerate(res.path.tolist())
            ]
        )
        return
    if output is OutputFormat.json:
        typer.echo(
            json.dumps(
                {
                    "rule": rule.value,
                    "path": [scenario_ids(compiled, r) for r in res.path.tolist()],
                    "end": ending,
                    "cycle": [scenario_ids(compiled, r) for r in res.cycle.tolist()],
                },
                indent=2,
            )
        )
        return
    names, variants = labels(compiled, loaded.model)
    path = res.path
    for step in range(len(path)):
        if step == 0:
            console.print(f"[bold]start[/]: {', '.join(f'{names[j]}={variants[j][v]}' for j, v in enumerate(path[0]))}")
            continue
        moved = [j for j in range(len(names)) if path[step, j] != path[step - 1, j]]
        console.print(
            f"[bold]step {step}[/]: "
            + "; ".join(f"{names[j]}: {variants[j][path[step - 1, j]]} -> {variants[j][path[step, j]]}" for j in moved)
        )
    if res.is_cycle:
        console.print(f"[bold yellow]ends in a cycle of {len(res.cycle)} scenarios[/]")
    table = tableau(compiled, loaded.model, res.cycle, [f"{ending} {i + 1}" for i in range(len(res.cycle))], fixed=sorted(fixed))
    console.print(table)


def _attractors(
    source: SourceArg,
    rule: Annotated[RuleName, typer.Option("--rule")] = RuleName.global_,
    fix: FixOpt = None,
    samples: Annotated[int | None, typer.Option("--samples", help="Sample N random starts instead of all.")] = None,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    sl_out: Annotated[Path | None, typer.Option("--sl-out", help="Write the attractors as a .sl solution list.")] = None,
    output: FormatOpt = OutputFormat.table,
) -> None:
    """Attractors of succession and their volume weights (basin sizes)."""
    loaded = load_system(source)
    compiled = loaded.compiled
    fixed = resolve_assignment(compiled, parse_pairs(fix or []), path=str(source))
    system = system_of(compiled, loaded.path)
    basins = attractors(system, rule.value, fixed, samples=samples, seed=seed)  # type: ignore[arg-type]
    points = [a for a in basins.attractors if not a.is_cycle]
    metrics = evaluate(system, np.array([a.states[0] for a in points]).reshape(-1, system.n), fixed)
    if sl_out is not None:
        rows = [
            SolutionRow(tuple(int(v) + 1 for v in a.states[0]), float(a.weight), float(cv), 0.0, float(tis), "")
            for a, cv, tis in zip(points, metrics.consistency_value, metrics.total_impact_score, strict=True)
        ]
        write_sl(SolutionList(rows=rows), sl_out)
    if output is OutputFormat.csv:
        _echo_csv(
            [
                {"attractor": n + 1, "state": k + 1, **scenario_ids(compiled, state), "cycle": a.is_cycle, "weight": a.weight}
                for n, a in enumerate(basins.attractors)
                for k, state in enumerate(a.states.tolist())
            ]
        )
        return
    label = f"{'sampled ' + str(basins.starts) + ' random starts (seed ' + str(seed) + ')' if basins.sampled else 'all ' + str(basins.starts) + ' starts'}"
    if output is OutputFormat.json:
        typer.echo(
            json.dumps(
                {
                    "rule": rule.value,
                    "starts": basins.starts,
                    "sampled": basins.sampled,
                    "seed": basins.seed,
                    "attractors": [
                        {"states": [scenario_ids(compiled, s) for s in a.states.tolist()], "cycle": a.is_cycle, "weight": a.weight}
                        for a in basins.attractors
                    ],
                },
                indent=2,
            )
        )
        return
    if points:
        console.print(
            tableau(
                compiled,
                loaded.model,
                np.array([a.states[0] for a in points]),
                [f"A{i + 1}" for i in range(len(points))],
                title=f"{len(points)} attractor(s), {rule.value} succession from {label}",
                footer_rows=[
                    ("volume weight", [str(a.weight) for a in points]),
                    ("total impact score", [num(x) for x in metrics.total_impact_score]),
                    ("consistency value", [num(x) for x in metrics.consistency_value]),
                ],
                fixed=sorted(fixed),
            )
        )
    cycles = [a for a in basins.attractors if a.is_cycle]
    if cycles:
        console.print(f"{len(cycles)} cycle(s), weights: {', '.join(str(c.weight) for c in cycles)}")


def _ensemble(
    source: SourceArg,
    fix: FixOpt = None,
    tolerance: TolOpt = 0.0,
    output: FormatOpt = OutputFormat.table,
    weight: Annotated[list[str] | None, typer.Option("--weight", help="SOURCE=W weight of a source in the sum.")] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            help="Stop counting a matrix's scenarios after this many (shown as N+).",
        ),
    ] = 10_000,
) -> None:
    """Compare the sources' own matrices: which scenarios each supports, and their sum.

    The rows are the combined matrix's scenarios and, for a source whose own matrix has
    at most 1,000 consistent scenarios, those too; every row is assessed in every
    source's matrix. A source silent on most descriptors supports a vast number of
    scenarios: those are counted, not listed.
    """
    loaded = load_system(source)
    if loaded.model is None:
        raise InputError("an ensemble needs a model whose judgements name their sources", path=str(source))
    members = source_matrices(loaded.model)
    if not members:
        raise InputError("no judgement names a source (sources: [...])", path=str(source))
    weights = {k: float(v) for k, v in parse_pairs(weight or [], origin="--weight").items()}
    compiled = loaded.compiled
    ens = Ensemble.build(compiled.counts, {k: m.matrix for k, m in members.items()}, weights)
    fixed = resolve_assignment(compiled, parse_pairs(fix or []), path=str(source))
    cmp = compare_members(ens, fixed, tolerance, limit=limit)
    table = cmp.consistent_in()
    if output is OutputFormat.table:
        combined = cmp.combined
        for i, row in enumerate(combined.scenarios[:4]):
            render_agreement(compiled, loaded.model, row, members, sorted(fixed), f"Combined scenario {i + 1} of {len(combined)}: each source's own judgements, descriptor by descriptor")
        counts = ", ".join(f"{k}: {len(v)}{'' if v.complete else '+'}" for k, v in cmp.per_member.items())
        console.print(f"consistent scenarios of each source's own matrix: {counts}; of the combined matrix: {len(combined)}")
        return
    if output is OutputFormat.csv:
        _echo_csv(
            [
                {
                    **scenario_ids(compiled, row),
                    "combined_inconsistency": num(ci),
                    **{f"consistent_in_{n}": bool(ok) for n, ok in zip(cmp.member_names, flags, strict=True)},
                }
                for row, ci, flags in zip(cmp.scenarios.tolist(), cmp.combined_inconsistency, table, strict=True)
            ]
        )
        return
    if output is OutputFormat.json:
        typer.echo(
            json.dumps(
                {
                    "members": list(cmp.member_names),
                    "tolerance": tolerance,
                    "scenarios": [
                        {
                            "variants": scenario_ids(compiled, row),
                            "combined_inconsistency": float(ci),
                            "consistent_in": [n for n, ok in zip(cmp.member_names, flags, strict=True) if ok],
                            "member_inconsistency": dict(zip(cmp.member_names, map(float, incs), strict=True)),
                        }
                        for row, ci, flags, incs in zip(
                            cmp.scenarios.tolist(), cmp.combined_inconsistency, table, cmp.member_inconsistency, strict=True
                        )
                    ],
                    "per_member_counts": {k: len(v) for k, v in cmp.per_member.items()},
                    "per_member_complete": {k: v.complete for k, v in cmp.per_member.items()},
                    "listed_members": list(cmp.listed),
                    "combined_count": len(cmp.combined),
                    "combined_complete": cmp.combined.complete,
                },
                indent=2,
            )
        )
        return


def render_agreement(compiled, model, scenario, members, fixed, title) -> None:  # type: ignore[no-untyped-def]
    """Print one scenario with each source's verdict on each descriptor."""
    table_data = agreement_table(compiled, members, scenario, {d: int(scenario[d]) for d in fixed})
    names, variants = labels(compiled, model)
    table = Table(title=title, header_style="bold", title_justify="left")
    table.add_column("descriptor", style="bold", max_width=34)
    table.add_column("scenario", max_width=30)
    for source in table_data.sources:
        table.add_column(source.split("-")[0], max_width=22)
    marks = {"agrees": "[green]agrees[/]", "silent": "[dim]·[/]", "fixed": "[cyan]fixed[/]"}
    for j, name in enumerate(names):
        cells = []
        for source in table_data.sources:
            v = table_data.verdicts[source][j]
            if v.verdict == "objects":
                d = compiled.index_of(compiled.descriptor_ids[j])
                pref = variants[d][compiled.variant_ids[d].index(v.preferred)]
                cells.append(f"[red]prefers {pref}[/]")
            else:
                cells.append(marks[v.verdict])
        table.add_row(name, variants[j][int(scenario[j])], *cells)
    console.print(table)
    tally = table_data.counts()
    console.print(
        "; ".join(f"{s}: {t['agrees']} agree, {t['objects']} object, {t['silent']} silent" for s, t in tally.items())
    )


def _balances(
    source: SourceArg,
    scenario: Annotated[
        list[str],
        typer.Option(
            "--scenario", "-s", help="The scenario D=V,... (every descriptor not in --fix)."
        ),
    ],
    fix: FixOpt = None,
    output: FormatOpt = OutputFormat.table,
) -> None:
    """Impact balances of a scenario: every variant's balance, the chosen one, its margin, ties."""
    from kizashi.api import Model

    model = Model(load_system(source))
    fixed = parse_pairs(fix or [])
    chosen = {**parse_pairs(scenario, origin="--scenario"), **fixed}
    result = model.balances(chosen, fix=fixed)
    if output is OutputFormat.json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    if output is OutputFormat.csv:
        _echo_csv(
            [
                {
                    "descriptor": d.descriptor,
                    "variant": v,
                    "balance": num(b),
                    "chosen": v == d.chosen,
                    "margin": num(d.margin),
                    "tie": d.tie,
                    "fixed": d.fixed,
                }
                for d in result
                for v, b in d.balances.items()
            ]
        )
        return
    header = ["descriptor", "variant", "balance", "chosen", "margin", "tie", "fixed"]
    table = Table(title="Impact balances", header_style="bold", title_justify="left")
    for h in header:
        table.add_column(h)
    for d in result:
        for v, b in d.balances.items():
            mark = v == d.chosen
            style = "bold" if mark else None
            table.add_row(
                d.descriptor if mark else "",
                v,
                num(b),
                "<-" if mark else "",
                num(d.margin) if mark else "",
                "[yellow]tie[/]" if mark and d.tie else "",
                "fixed" if mark and d.fixed else "",
                style=style,
            )
    console.print(table)
    if result.ties:
        console.print(f"ties: {', '.join(result.ties)}")


def register(app: typer.Typer) -> None:
    """Add the engine commands to the app."""
    app.command("scenarios")(_scenarios)
    app.command("succession")(_succession)
    app.command("attractors")(_attractors)
    app.command("ensemble")(_ensemble)
    app.command("balances")(_balances)
