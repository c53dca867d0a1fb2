"""Analysis commands: ``sensitivity``, ``margins``, ``robustness``."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from kizashi.analysis.robustness import robustness
from kizashi.analysis.scenarios import parse_pairs
from kizashi.analysis.sensitivity import cell_label, margins, sensitivity
from kizashi.cli.engine_cmds import FixOpt, FormatOpt, OutputFormat, SourceArg, TolOpt
from kizashi.cli.render import console
from kizashi.formats import load_system


def _sensitivity(
    source: SourceArg,
    fix: FixOpt = None,
    tolerance: TolOpt = 0.0,
    output: FormatOpt = OutputFormat.table,
) -> None:
    """Remove, flip and move by one every judgement; report the scenarios lost and gained."""
    loaded = load_system(source)
    result = sensitivity(
        loaded.compiled, parse_pairs(fix or []), tolerance, model=loaded.model, path=str(source)
    )
    if output is OutputFormat.json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    pivotal = result.pivotal()
    console.print(
        f"{len(result.baseline)} baseline scenario(s); {len(result.judgements)} judgements; {len(pivotal)} pivotal"
    )
    for j in pivotal:
        names = [n for n, c in j.changes.items() if c.changed]
        console.print(
            f"  {cell_label(result.compiled, j.row)} -> {cell_label(result.compiled, j.col)} ({j.score:+g}): {', '.join(names)}"
        )


def _margins(
    source: SourceArg,
    fix: FixOpt = None,
    tolerance: TolOpt = 0.0,
    output: FormatOpt = OutputFormat.table,
) -> None:
    """Margins, breaking counts and load-bearing judgements of every consistent scenario."""
    loaded = load_system(source)
    result = margins(
        loaded.compiled, parse_pairs(fix or []), tolerance, model=loaded.model, path=str(source)
    )
    data = result.to_dict()
    if output is OutputFormat.json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for n, s in enumerate(data["scenarios"], 1):
        console.print(
            f"S{n}: margin {s['margin']}, breaking count {s['breaking_count']}, tightest {s['tightest']}"
        )


def _robustness(
    source: SourceArg,
    fix: FixOpt = None,
    tolerance: TolOpt = 0.0,
    perturb: Annotated[str, typer.Option("--perturb", help="Perturbation model: unit.")] = "unit",
    samples: Annotated[int, typer.Option("--samples", help="Number of perturbed matrices.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    jobs: Annotated[
        int, typer.Option("--jobs", help="Workers (the result does not depend on it).")
    ] = 1,
    backend: Annotated[str, typer.Option("--backend", help="loky or threading.")] = "loky",
    output: FormatOpt = OutputFormat.table,
) -> None:
    """P(consistent) of each scenario under sampled perturbations of the judgements."""
    loaded = load_system(source)
    result = robustness(
        loaded.compiled,
        parse_pairs(fix or []),
        tolerance,
        perturb=perturb,
        samples=samples,
        seed=seed,
        jobs=jobs,
        backend=backend,
        path=str(source),
    )
    data = result.to_dict()
    if output is OutputFormat.json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for s in data["scenarios"][:20]:
        lo, hi = s["ci"]
        console.print(
            f"P={s['p_consistent']:.3f} [{lo:.3f}, {hi:.3f}]  "
            + ", ".join(f"{k}={v}" for k, v in s["variants"].items())
        )


def register(app: typer.Typer) -> None:
    """Add the analysis commands to the app."""
    app.command("sensitivity")(_sensitivity)
    app.command("margins")(_margins)
    app.command("robustness")(_robustness)
