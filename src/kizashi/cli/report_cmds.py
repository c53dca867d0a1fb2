"""``kizashi report``: a self-contained HTML, PDF or Markdown report of a model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def report(
    model: Annotated[Path, typer.Argument(help="The model YAML.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="report.html, report.pdf or report.md (format from the suffix).")],
    fix: Annotated[list[str] | None, typer.Option("--fix", "-f", help="Intervention DESCRIPTOR=VARIANT (repeatable, or comma-separated).")] = None,
    tolerance: Annotated[float, typer.Option("--tolerance", "-t", help="Accept scenarios with inconsistency up to T.")] = 0.0,
    scenarios: Annotated[int, typer.Option("--scenarios", help="Scenarios shown (highest total impact score first).")] = 6,
    date: Annotated[str | None, typer.Option("--date", help="Date printed on the report (none by default, for reproducible output).")] = None,
) -> None:
    """Write a report: scenario tableau, impact networks, storylines with footnoted quotes,
    the ensemble comparison, the evidence table and the model's provenance."""
    from kizashi.analysis.scenarios import parse_pairs
    from kizashi.report import write_report

    written = write_report(model, output, parse_pairs(fix or []), tolerance, max_scenarios=scenarios, date=date)
    for path in written:
        typer.echo(str(path))


def register(app: typer.Typer) -> None:
    """Add ``report`` to the app."""
    app.command("report")(report)
