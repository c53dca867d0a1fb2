"""``kizashi serve``: the web app (FastAPI under uvicorn), local by default."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def serve(
    db: Annotated[str | None, typer.Option("--db", help="SQLite file or database URL (default: $KIZASHI_DB or ./kizashi.db).")] = None,
    model: Annotated[Path | None, typer.Option("--model", help="Model YAML to serve and edit (default: the bundled flagship model, read-only).")] = None,
    host: Annotated[str, typer.Option("--host", help="Address to bind; other than loopback requires --token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    read_only: Annotated[bool, typer.Option("--read-only", help="Refuse every edit (the API answers 403).")] = False,
    token: Annotated[str | None, typer.Option("--token", envvar="KIZASHI_TOKEN", help="Require this token (Authorization: Bearer, or /login?token=).")] = None,
    no_semantic: Annotated[bool, typer.Option("--no-semantic", help="Keyword search only (never load the embedding model).")] = False,
) -> None:
    """Serve the JSON API and the pages: overview, matrix editor, what-if, network, ensemble, corpus."""
    import uvicorn

    from kizashi.web.app import create_app
    from kizashi.web.settings import WebSettings

    settings = WebSettings(
        model_path=model, db_url=db, read_only=read_only, token=token, host=host, semantic=not no_semantic
    )
    app = create_app(settings)
    typer.echo(f"kizashi: serving {app.state.kizashi.service.path} on http://{host}:{port}/", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the app."""
    app.command("serve")(serve)
