"""Model commands: ``check`` a model, and ``demo``, the main job on the bundled data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kizashi.analysis.corpus_texts import bundled_model, source_texts
from kizashi.analysis.scenarios import ask_scenarios
from kizashi.cli.engine_cmds import render_agreement
from kizashi.cli.render import console, num, tableau
from kizashi.errors import InputError
from kizashi.model import compile_model, load_model, source_matrices, validate_model


def _check(
    model: Annotated[Path, typer.Argument(help="Model YAML to check.")],
    corpus: Annotated[
        Path | None, typer.Option("--corpus", help="Corpus manifest (seeds.yaml shape) whose texts the quotes must be found in.")
    ] = None,
    no_quotes: Annotated[bool, typer.Option("--no-quotes", help="Skip verifying quotes against the corpus.")] = False,
) -> None:
    """Validate a model: ids resolve, no diagonal judgements, every quote verbatim in its source."""
    loaded = load_model(model)
    texts = None if no_quotes else source_texts(corpus)
    problems = validate_model(loaded, texts)
    m = loaded.model
    if problems:
        for p in problems:
            typer.echo(str(p), err=True)
        raise InputError(f"{len(problems)} problem(s) found", path=str(model))
    quotes = sum(len(j.evidence) for j in m.judgements)
    analyst = sum(1 for j in m.judgements if j.basis == "analyst")
    console.print(
        f"[green]ok[/] {model}: {len(m.descriptors)} descriptors, "
        f"{sum(len(d.variants) for d in m.descriptors)} variants, {len(m.judgements)} judgements "
        f"({analyst} analyst-basis), {quotes} quotes"
        + ("" if no_quotes else " all found verbatim in their sources")
    )


def _demo(
    model: Annotated[Path | None, typer.Option("--model", help="Model YAML (default: the bundled flagship model).")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Evidence store URL or SQLite path (default: ./kizashi.db).")] = None,
    no_corpus: Annotated[bool, typer.Option("--no-corpus", help="Skip ingesting the bundled corpus.")] = False,
) -> None:
    """The main job: check the flagship model, ingest the corpus, and show its futures."""
    path = model or bundled_model()
    console.rule("[bold]kizashi: the US-Japan alliance under US political change")
    _check(path, None, False)
    if not no_corpus:
        _ingest_corpus(db)
    loaded = load_model(path)
    m = loaded.model
    compiled = compile_model(m)
    first = m.descriptors[0]
    for variant in first.variants:
        answer = ask_scenarios(compiled, {first.id: variant.id})
        r = answer.result
        console.print()
        console.print(
            tableau(
                compiled,
                m,
                r.scenarios,
                [f"S{i + 1}" for i in range(len(r))],
                title=f"If {first.name or first.id} = {variant.name or variant.id}: {len(r)} consistent scenario(s) "
                f"({r.configurations:,} configurations, {r.nodes_visited:,} nodes, exact)",
                footer_rows=[
                    ("total impact score", [num(x) for x in r.total_impact_score]),
                    ("consistency value", [num(x) for x in r.consistency_value]),
                ],
                fixed=[0],
            )
        )
        members = source_matrices(m)
        if members and len(r):
            console.print()
            render_agreement(
                compiled,
                m,
                r.scenarios[0],
                members,
                [0],
                f"Where the {len(members)} analyses agree and disagree (S1 above, each analysis's own judgements)",
            )


def _ingest_corpus(db: str | None) -> None:
    try:
        from kizashi.evidence.ingest import ingest_bundled_corpus
    except ModuleNotFoundError:
        return
    report = ingest_bundled_corpus(db)
    statuses: dict[str, int] = {}
    for outcome in report.outcomes:
        statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
    removed = sum(o.removed for o in report.outcomes)
    console.print(
        f"corpus: {len(report.outcomes)} analyses ({summary}); {report.sentences} new sentences, "
        f"{removed} furniture passages set aside; search it with [bold]kizashi search[/]"
    )


def register(app: typer.Typer) -> None:
    """Add the model commands to the app."""
    app.command("check")(_check)
    app.command("demo")(_demo)
