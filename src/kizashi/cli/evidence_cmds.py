"""Evidence commands: ``ingest``, ``search``, ``show`` and ``sources``.

Every command takes ``--db`` (a SQLite path or a ``postgresql+psycopg://`` URL; default
``KIZASHI_DB`` or ``./kizashi.db``); the store is created on first use. ``search`` on an
empty store first ingests the seed analyses bundled with kizashi, so it answers on a
fresh machine.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Column, Table

from kizashi.errors import InputError

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="SQLite file or database URL (default: $KIZASHI_DB or ./kizashi.db)."
    ),
]

console = Console()
err_console = Console(stderr=True)


def _highlight(snippet: str) -> str:
    from kizashi.evidence.search import HIGHLIGHT_END, HIGHLIGHT_START

    return (
        escape(snippet)
        .replace(HIGHLIGHT_START, "[bold yellow]")
        .replace(HIGHLIGHT_END, "[/bold yellow]")
    )


def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or directories (.txt .md .html .pdf).")
    ] = None,
    manifest: Annotated[
        Path | None, typer.Option("--manifest", help="YAML manifest with source metadata.")
    ] = None,
    bundled: Annotated[
        bool, typer.Option("--bundled", help="Ingest the seed analyses shipped with kizashi.")
    ] = False,
    no_embed: Annotated[
        bool,
        typer.Option(
            "--no-embed", help="Skip sentence embeddings (semantic search fills them later)."
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Ingest documents: clean them, split sentences, embed, and store them."""
    from kizashi.evidence.ingest import ingest_bundled_corpus, ingest_paths

    if bundled:
        report = ingest_bundled_corpus(db, embed=not no_embed, progress=True)
    else:
        if not paths and manifest is None:
            raise InputError("give files or directories to ingest, --manifest, or --bundled")
        report = ingest_paths(
            [str(p) for p in paths or []],
            manifest=manifest,
            db_url=db,
            embed=not no_embed,
            progress=True,
        )
    table = Table("file", "source", "status", "version", "sentences", "removed")
    for outcome in report.outcomes:
        if outcome.status == "failed":
            continue
        table.add_row(
            escape(Path(outcome.path).name),
            outcome.source_id or "",
            outcome.status,
            str(outcome.version or ""),
            str(outcome.sentences),
            str(outcome.removed),
        )
    if table.row_count:
        console.print(table)
    for error in report.errors:
        err_console.print(f"[bold red]error:[/] {escape(error.describe())}", soft_wrap=True)
    if report.failed:
        raise typer.Exit(2)


def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    mode: Annotated[str, typer.Option("--mode", help="keyword, semantic or hybrid.")] = "hybrid",
    source: Annotated[str | None, typer.Option("--source", help="Only this source id.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Number of results.")] = 10,
    output: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    db: DbOption = None,
) -> None:
    """Search the corpus sentences (keyword, semantic or hybrid ranking).

    On an empty store the seed analyses bundled with kizashi are ingested first.
    """
    from kizashi.evidence.ingest import ingest_bundled_corpus
    from kizashi.evidence.search import MODES, corpus_is_empty
    from kizashi.evidence.search import search as run_search

    if output not in ("table", "json"):
        raise InputError(f"unknown format {output!r} (use table or json)", where="--format")
    if mode not in MODES:
        raise InputError(f"unknown search mode {mode!r} (use {', '.join(MODES)})", where="--mode")
    if limit < 1:
        raise InputError("--limit must be at least 1", where="--limit")
    if corpus_is_empty(db):
        err_console.print("The store is empty: ingesting the bundled seed corpus first.")
        report = ingest_bundled_corpus(db)
        for error in report.errors:
            err_console.print(f"[bold red]error:[/] {escape(error.describe())}")
    hits = run_search(query, mode=mode, source=source, limit=limit, db_url=db)
    if output == "json":
        typer.echo(json.dumps([hit.to_dict() for hit in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        console.print("no match")
        return
    table = Table("#", "sentence", "score", "snippet", show_lines=True)
    for rank, hit in enumerate(hits, start=1):
        table.add_row(str(rank), hit.sentence_id, f"{hit.score:.4f}", _highlight(hit.snippet))
    console.print(table)


def show(
    reference: Annotated[str, typer.Argument(help="SOURCE_ID, SOURCE_ID#N or a sentence id.")],
    context: Annotated[int, typer.Option("--context", help="Neighbouring sentences to show.")] = 2,
    version: Annotated[int | None, typer.Option("--version", help="A document version.")] = None,
    db: DbOption = None,
) -> None:
    """Print a document (text and removed furniture) or a sentence with its neighbours."""
    from kizashi.evidence.read import get_document, get_sentence, sentence_context

    if "#" in reference or ":" in reference:
        sentence = get_sentence(reference, db)
        for neighbour in sentence_context(sentence, context, context, db):
            marker = "[bold]>[/]" if neighbour.id == sentence.id else " "
            text = escape(neighbour.text)
            if neighbour.id == sentence.id:
                text = f"[bold]{text}[/]"
            console.print(f"{marker} [dim]{neighbour.id} [{neighbour.start}:{neighbour.end}][/]")
            console.print(f"  {text}", soft_wrap=True)
        return
    document = get_document(reference, version, db)
    console.print(
        f"[bold]{escape(document.id)}[/] version {document.version} of {len(document.versions)}"
    )
    for label, value in (
        ("title", document.title),
        ("author", document.author),
        ("publisher", document.publisher),
        ("date", document.date),
        ("url", document.url),
        ("origin", document.origin),
        ("sentences", str(document.sentence_count)),
    ):
        if value:
            console.print(f"[dim]{label}:[/] {escape(value)}")
    for bio in document.metadata.get("author_bios", []):
        console.print(f"[dim]author bio:[/] {escape(bio)}", soft_wrap=True)
    console.rule("text")
    console.print(escape(document.text), soft_wrap=True)
    console.rule("removed by cleaning")
    if not document.removed:
        console.print("nothing")
    table = Table("kind", "text")
    for kind, text in document.removed:
        table.add_row(kind, escape(text))
    if document.removed:
        console.print(table)


def sources(
    db: DbOption = None,
    output: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """List the documents of the corpus."""
    from kizashi.evidence.read import list_sources

    if output not in ("table", "json"):
        raise InputError(f"unknown format {output!r} (use table or json)", where="--format")
    documents = list_sources(db)
    if output == "json":
        listing = [
            {
                "id": d.id,
                "title": d.title,
                "author": d.author,
                "publisher": d.publisher,
                "date": d.date,
                "url": d.url,
                "origin": d.origin,
                "version": d.version,
                "content_hash": d.content_hash,
                "sentences": d.sentence_count,
            }
            for d in documents
        ]
        typer.echo(json.dumps(listing, indent=2, ensure_ascii=False))
        return
    if not documents:
        console.print(
            "the store is empty (run `kizashi ingest --bundled` or `kizashi ingest PATH`)"
        )
        return
    table = Table("title", "author", "publisher", "date", "version", "sentences")
    table.columns.insert(0, Column("id", no_wrap=True))
    for d in documents:
        table.add_row(
            d.id,
            escape(d.title or ""),
            escape(d.author or ""),
            escape(d.publisher or ""),
            d.date or "",
            str(d.version),
            str(d.sentence_count),
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the evidence commands to the ``kizashi`` app."""
    app.command("ingest")(ingest)
    app.command("search")(search)
    app.command("show")(show)
    app.command("sources")(sources)
