"""Claim commands: ``claims``, ``link`` and ``claims-eval``.

``claims`` lists the extracted claims of the store (extracting them first, and ingesting
the bundled seed corpus into an empty store, as ``search`` does). ``link`` scores claims
against a model's judgements, lists suggestions, accepts (writing the quote into the
model file) or rejects them, and shows each source's stance per judgement.
``claims-eval`` scores extraction and linking against a hand-labelled gold set.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kizashi.errors import InputError

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="SQLite file or database URL (default: $KIZASHI_DB or ./kizashi.db)."),
]
console = Console()
err_console = Console(stderr=True)


def _check_format(output: str) -> None:
    if output not in ("table", "json"):
        raise InputError(f"unknown format {output!r} (use table or json)", where="--format")


def claims(
    source: Annotated[str | None, typer.Option("--source", help="Only this source id.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="prediction, conditional, recommendation, assessment or background.")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Only claims naming this actor (any alias: Tokyo = Japan).")] = None,
    output: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Re-extract every claim (links are kept).")] = False,
    db: DbOption = None,
) -> None:
    """List the claims extracted from the corpus (kind, ICD 203 likelihood, actors, quantities)."""
    from kizashi.evidence.claims.store import ensure_claims, extract_store, list_claims

    _check_format(output)
    report = extract_store(db, rebuild=True) if rebuild else ensure_claims(db)
    if report.sentences:
        err_console.print(f"extracted claims of {report.sentences} sentences in {report.seconds:.2f} s")
    views = list_claims(db, source=source, kind=kind, actor=actor)
    if output == "json":
        typer.echo(json.dumps([v.to_dict() for v in views], ensure_ascii=False, indent=2))
        return
    if not views:
        console.print("no claim")
        return
    table = Table("sentence", "kind", "likelihood", "actors", "quantities", "text", show_lines=True)
    for v in views:
        quantities = ", ".join(q["text"] for q in v.quantities)
        kind_text = v.kind + (" (negated)" if v.negations else "")
        table.add_row(v.sentence_id, kind_text, v.likelihood or "", escape(", ".join(v.actors)),
                      escape(quantities), escape(v.text))
    console.print(table)


def link(
    model: Annotated[Path, typer.Argument(help="Model YAML file.")],
    suggest: Annotated[bool, typer.Option("--suggest", help="Score claims and list the best new links.")] = False,
    accept: Annotated[list[int] | None, typer.Option("--accept", help="Accept a link (its id); repeatable.")] = None,
    reject: Annotated[list[int] | None, typer.Option("--reject", help="Reject a link (its id); repeatable.")] = None,
    by_source_view: Annotated[bool, typer.Option("--by-source", help="Each source's stance on each judgement.")] = False,
    limit: Annotated[int, typer.Option("--limit", help="Suggestions to list.")] = 20,
    output: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    db: DbOption = None,
) -> None:
    """Link claims to the model's judgements; accepted links become evidence quotes."""
    from kizashi.evidence.claims.by_source import by_source
    from kizashi.evidence.claims.linking import accept_link, list_links, reject_link, suggest_links

    _check_format(output)
    if limit < 1:
        raise InputError("--limit must be at least 1", where="--limit")
    if not model.is_file():
        raise InputError("no such model file", path=str(model))
    done: list[dict[str, object]] = []
    for link_id in accept or []:
        view = accept_link(model, link_id, db)
        done.append(view.to_dict())
        err_console.print(f"accepted link {link_id}: {view.sentence_id} -> {view.target}")
    for link_id in reject or []:
        view = reject_link(model, link_id, db)
        done.append(view.to_dict())
        err_console.print(f"rejected link {link_id}: {view.sentence_id} -> {view.target}")
    if by_source_view:
        stances = by_source(model, db)
        if output == "json":
            typer.echo(json.dumps([s.to_dict() for s in stances], ensure_ascii=False, indent=2))
            return
        table = Table("source", "supports", "contradicts", "silent")
        for s in stances:
            table.add_row(s.source, str(len(s.judgements("supports"))), str(len(s.judgements("contradicts"))),
                          str(len(s.judgements("silent"))))
        console.print(table)
        return
    if suggest or not (accept or reject):
        if suggest:
            suggest_links(model, db)
        views = list_links(model, db, limit=limit)
        if output == "json":
            typer.echo(json.dumps([v.to_dict() for v in views], ensure_ascii=False, indent=2))
            return
        if not views:
            console.print("no suggestion (run with --suggest)")
            return
        table = Table("id", "score", "judgement", "relation", "sentence", "text", show_lines=True)
        for v in views:
            table.add_row(str(v.id), f"{v.score:.3f}", v.target, v.relation, v.sentence_id, escape(v.text))
        console.print(table)
    elif output == "json":
        typer.echo(json.dumps(done, ensure_ascii=False, indent=2))


def claims_eval(
    gold: Annotated[Path | None, typer.Option("--gold", help="Gold YAML (default: the seed gold set).")] = None,
    model: Annotated[Path | None, typer.Option("--model", help="Model for linking (default: the flagship model).")] = None,
    output: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Score claim extraction and linking against a hand-labelled gold set."""
    from kizashi.evidence.claims.evaluate import evaluate

    _check_format(output)
    if gold is None:
        gold = Path("tests/data/claims_gold.yaml")
        if not gold.is_file():
            raise InputError("give --gold PATH (no tests/data/claims_gold.yaml here)", where="--gold")
    report = evaluate(gold, model)
    if output == "json":
        typer.echo(json.dumps(report.to_dict(), indent=2))
        return
    table = Table("kind", "precision", "recall", "F1", "support")
    for kind, prf in report.per_kind.items():
        table.add_row(kind, f"{prf.precision:.3f}", f"{prf.recall:.3f}", f"{prf.f1:.3f}", str(prf.support))
    fl = report.forward_looking
    assert fl is not None
    table.add_row("forward-looking", f"{fl.precision:.3f}", f"{fl.recall:.3f}", f"{fl.f1:.3f}", str(fl.support))
    console.print(table)
    console.print(f"ICD 203 band agreement: {report.band_accuracy:.3f} ({report.band_support} sentences)")
    _print_linking(report)


def _print_linking(report: Any) -> None:
    """Linking accuracy: held out (leave one source out) first, then in-sample."""
    if report.top1 is None:
        if report.labelled:
            console.print(f"linking: none of the {report.labelled} labelled sentences is linkable")
        return
    if report.heldout_top1 is not None:
        console.print(f"linking, held out (leave one source out): top-1 {report.heldout_top1:.3f}, "
                      f"top-3 {report.heldout_top3:.3f} ({report.link_support} sentences)")
        table = Table("held-out source", "top-1", "top-3", "sentences")
        for source, row in report.heldout_per_source.items():
            table.add_row(source, f"{row['top1']:.3f}", f"{row['top3']:.3f}", str(row["support"]))
        console.print(table)
    console.print(f"linking, in-sample (shipped weights): top-1 {report.top1:.3f}, top-3 {report.top3:.3f}")
    if report.unlinkable:
        console.print(f"unlinkable: {len(report.unlinkable)} of {report.labelled} labelled sentences have no "
                      f"gold judgement left in the model ({', '.join(report.unlinkable)}); counting them as "
                      f"misses, in-sample top-3 is {report.top3_all:.3f}")
    if report.missing_judgements:
        console.print("gold judgements missing from the model: " + "; ".join(report.missing_judgements))


def register(app: typer.Typer) -> None:
    """Add the claim commands to the ``kizashi`` app."""
    app.command("claims")(claims)
    app.command("link")(link)
    app.command("claims-eval")(claims_eval)
