"""The FastAPI application: JSON API under ``/api`` and server-rendered pages.

``create_app(settings)`` builds everything once: the served model (path fixed at
startup, never taken from a request), the evidence store (the bundled corpus is
ingested into an empty store without embeddings, so startup stays fast and keyword
search works at once; semantic search computes embeddings on first use), and the guards
(request size limit, token).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from kizashi.analysis.corpus_texts import bundled_model, source_texts
from kizashi.errors import KizashiError, StaleModelError
from kizashi.web.evidence_links import QuoteIndex
from kizashi.web.guards import BodyLimit, SameOrigin, TokenGuard
from kizashi.web.service import ModelService, ReadOnlyError
from kizashi.web.settings import WebSettings

HERE = Path(__file__).parent


@dataclass
class AppState:
    """Everything the handlers share."""

    settings: WebSettings
    service: ModelService
    templates: Jinja2Templates
    corpus_ready: bool = False
    _quotes: tuple[int, QuoteIndex] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def editable(self) -> bool:
        """True when edits are allowed."""
        return self.service.editable

    def quotes(self) -> QuoteIndex:
        """The evidence-quote index of the current model revision."""
        snap = self.service.snapshot
        with self._lock:
            if self._quotes is None or self._quotes[0] != snap.revision:
                self._quotes = (snap.revision, QuoteIndex(snap.model))
            return self._quotes[1]

    def ensure_corpus(self) -> None:
        """Ingest the bundled corpus into an empty store (once, without embeddings)."""
        if self.corpus_ready:
            return
        from kizashi.evidence import corpus_is_empty, ingest_bundled_corpus

        with self._lock:
            if not self.corpus_ready:
                if self.settings.ingest_on_start and corpus_is_empty(self.settings.db_url):
                    ingest_bundled_corpus(self.settings.db_url, embed=False)
                self.corpus_ready = True


def highlight(snippet: str) -> Markup:
    """Escape a search snippet and bold the words search marked with « and »."""
    return Markup(str(escape(snippet)).replace("«", "<b>").replace("»", "</b>"))


def state_of(request: Request) -> AppState:
    """The shared state of the app handling ``request``."""
    state: AppState = request.app.state.kizashi
    return state


def _bundled_texts() -> dict[str, str]:
    try:
        return source_texts()
    except KizashiError:
        return {}


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """Build the web app for ``settings`` (the bundled model by default)."""
    from kizashi.web import api, pages

    settings = settings or WebSettings()
    settings.check()
    path = Path(settings.model_path) if settings.model_path is not None else bundled_model()
    editable = settings.model_path is not None and not settings.read_only
    service = ModelService(path, editable=editable, source_texts=_bundled_texts())
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.filters["highlight"] = highlight
    templates.env.globals["editable"] = editable
    templates.env.globals["token_required"] = settings.token is not None
    app = FastAPI(
        title="kizashi",
        summary="Evidence-grounded cross-impact balance scenario analysis",
        description=(
            "JSON API of a kizashi model: descriptors, judgements with their evidence, "
            "consistent scenarios under interventions, succession, the sources' ensemble, "
            "and the evidence corpus."
        ),
        version="0.1.0",
    )
    app.state.kizashi = AppState(settings, service, templates)

    @app.exception_handler(KizashiError)
    async def _input_error(request: Request, exc: KizashiError) -> Response:
        if request.url.path.startswith("/api"):
            return JSONResponse({"detail": exc.describe()}, status_code=422)
        return templates.TemplateResponse(
            request,
            "error.html",
            {"model": service.model, "message": exc.describe(), "history": 0},
            status_code=422,
        )

    @app.exception_handler(StaleModelError)
    async def _stale(request: Request, exc: StaleModelError) -> Response:
        if request.url.path.startswith("/api"):
            return JSONResponse({"detail": exc.describe()}, status_code=409)
        return templates.TemplateResponse(
            request,
            "error.html",
            {"model": service.model, "message": exc.describe(), "history": 0},
            status_code=409,
        )

    @app.exception_handler(ReadOnlyError)
    async def _read_only(_: Request, exc: ReadOnlyError) -> JSONResponse:
        return JSONResponse(
            {"detail": str(exc) + " (start kizashi serve with --model PATH, without --read-only)"},
            status_code=403,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors: list[dict[str, Any]] = []
        for e in exc.errors():
            errors.append(
                {
                    "loc": [str(x) for x in e.get("loc", ())],
                    "msg": str(e.get("msg", "")),
                    "type": str(e.get("type", "")),
                }
            )
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        message = f"{'.'.join(first['loc'])}: {first['msg']}" if first["loc"] else first["msg"]
        return JSONResponse({"detail": message, "errors": errors}, status_code=422)

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    if settings.token:
        app.add_middleware(TokenGuard, token=settings.token)
    app.add_middleware(SameOrigin)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    return app
