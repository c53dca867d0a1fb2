"""Server-rendered pages: overview, matrix editor, judgement, what-if, compare,
impact network, ensemble, corpus search and sources.

Every page works without JavaScript (forms are plain GET forms); ``static/app.js``
adds live updates on the what-if page and saving edits through the JSON API.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kizashi.analysis.scenarios import parse_pairs, resolve_assignment
from kizashi.cib import CIBSystem, evaluate
from kizashi.errors import InputError
from kizashi.model import Model
from kizashi.report.ensemble import ensemble_view
from kizashi.report.network import active_edges, network_svg
from kizashi.web.app import AppState, state_of
from kizashi.web.guards import COOKIE, token_matches

router = APIRouter(include_in_schema=False)
SHOWN = 12
PAGE_LIMIT = 10_000  # the API default, so pages and API share cached answers

FixQuery = Annotated[list[str] | None, Query(max_length=60)]
TolQuery = Annotated[float, Query(ge=0, le=20)]


def _render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    state = state_of(request)
    context.setdefault("model", state.service.model)
    context.setdefault("history", len(state.service.history()) if state.editable else 0)
    context["request"] = request
    return state.templates.TemplateResponse(request, name, context, status_code=status)


def _fix_query(pairs: dict[str, str]) -> str:
    """The interventions as repeated ``fix=D=V`` query parameters, for links."""
    return "&".join(f"fix={d}={v}" for d, v in pairs.items())


def _fixed(state: AppState, fix: Sequence[str] | None) -> tuple[dict[str, str], dict[int, int]]:
    pairs = parse_pairs(fix or [], origin="fix")
    return pairs, resolve_assignment(state.service.snapshot.compiled, pairs, origin="fix")


def scenario_code(row: Sequence[int]) -> str:
    """A scenario as a URL-safe code: variant indices joined by dashes."""
    return "-".join(str(int(v)) for v in row)


def parse_code(state: AppState, code: str) -> list[int]:
    """Inverse of ``scenario_code``, checked against the model's structure."""
    counts = state.service.snapshot.compiled.counts.tolist()
    parts = code.split("-")
    if len(parts) != len(counts) or not all(p.isdigit() for p in parts):
        raise InputError(f"scenario code {code[:80]!r} must list {len(counts)} variant numbers separated by '-'")
    row = [int(p) for p in parts]
    for j, (v, k) in enumerate(zip(row, counts, strict=True)):
        if v >= k:
            raise InputError(f"scenario code: descriptor {j + 1} has {k} variants, not {v + 1}")
    return row


@dataclass(frozen=True)
class Cell:
    """One cell of the matrix editor."""

    source: str
    target: str
    score: float
    diagonal: bool
    first: bool  # first variant of its descriptor (draws the block border)


@dataclass(frozen=True)
class Row:
    """One impacting variant of the matrix editor."""

    number: int
    d: Any
    v: Any
    first: bool
    cells: list[Cell]


def _matrix_rows(model: Model) -> list[Row]:
    scores = {(j.source_variant, j.target_variant): float(j.score) for j in model.judgements}
    rows = []
    for n, d in enumerate(model.descriptors, start=1):
        for k, v in enumerate(d.variants):
            src = f"{d.id}.{v.id}"
            cells = [
                Cell(src, f"{e.id}.{w.id}", scores.get((src, f"{e.id}.{w.id}"), 0.0), e.id == d.id, i == 0)
                for e in model.descriptors
                for i, w in enumerate(e.variants)
            ]
            rows.append(Row(n, d, v, k == 0, cells))
    return rows


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    """The model at a glance."""
    model = state_of(request).service.model
    out_counts: dict[str, int] = {}
    in_counts: dict[str, int] = {}
    per_source: dict[str, int] = {}
    quotes: dict[str, int] = {}
    for j in model.judgements:
        out_counts[j.source_variant.split(".")[0]] = out_counts.get(j.source_variant.split(".")[0], 0) + 1
        in_counts[j.target_variant.split(".")[0]] = in_counts.get(j.target_variant.split(".")[0], 0) + 1
        for s in j.sources:
            per_source[s] = per_source.get(s, 0) + 1
        for e in j.evidence:
            quotes[e.source] = quotes.get(e.source, 0) + 1
    return _render(request, "overview.html", out_counts=out_counts, in_counts=in_counts, per_source=per_source, quotes=quotes)


@router.get("/matrix", response_class=HTMLResponse)
def matrix(request: Request) -> HTMLResponse:
    """The cross-impact matrix; each cell opens its judgement."""
    return _render(request, "matrix.html", rows=_matrix_rows(state_of(request).service.model))


@router.get("/judgement", response_class=HTMLResponse)
def judgement(
    request: Request,
    from_: Annotated[str, Query(alias="from", max_length=400)],
    to: Annotated[str, Query(max_length=400)],
) -> HTMLResponse:
    """One cell: its score, rationale and quotes, and the form to edit them."""
    state = state_of(request)
    service = state.service
    d1, v1 = service.check_ref(from_, "from")
    d2, v2 = service.check_ref(to, "to")
    model = service.model
    sources = {s.id: s for s in model.sources}
    return _render(
        request,
        "judgement.html",
        ref_from=from_,
        ref_to=to,
        j=service.judgement(from_, to),
        d_from=model.descriptors[d1],
        v_from=model.descriptors[d1].variants[v1],
        d_to=model.descriptors[d2],
        v_to=model.descriptors[d2].variants[v2],
        sources=sources,
        same_descriptor=d1 == d2,
    )


def _scenario_context(state: AppState, fix: Sequence[str] | None, tolerance: float) -> dict[str, Any]:
    pairs, fixed = _fixed(state, fix)
    answer = state.service.scenarios(pairs, tolerance, PAGE_LIMIT)
    result = answer.result
    shown = result.scenarios[:SHOWN]
    differing = {j for j in range(shown.shape[1]) if len(set(shown[:, j].tolist())) > 1} if len(shown) > 1 else set()
    return {
        "pairs": pairs,
        "fixed": fixed,
        "tolerance": tolerance,
        "result": result,
        "shown": [
            {
                "label": f"S{i + 1}",
                "row": row,
                "code": scenario_code(row),
                "inconsistency": result.inconsistency[i],
                "tis": result.total_impact_score[i],
                "cv": result.consistency_value[i],
            }
            for i, row in enumerate(shown.tolist())
        ],
        "differing": differing,
        "fix_query": _fix_query(pairs),
    }


@router.get("/whatif", response_class=HTMLResponse)
def whatif(request: Request, fix: FixQuery = None, tolerance: TolQuery = 0.0) -> HTMLResponse:
    """Fix descriptors, set a tolerance, see the consistent scenarios."""
    state = state_of(request)
    return _render(request, "whatif.html", **_scenario_context(state, fix, tolerance))


@router.get("/whatif/results", response_class=HTMLResponse)
def whatif_results(request: Request, fix: FixQuery = None, tolerance: TolQuery = 0.0) -> HTMLResponse:
    """The scenario list alone (swapped in by the what-if page)."""
    state = state_of(request)
    return _render(request, "_scenarios.html", **_scenario_context(state, fix, tolerance))


def _metrics(state: AppState, rows: list[list[int]], fixed: dict[int, int]) -> Any:
    compiled = state.service.snapshot.compiled
    return evaluate(CIBSystem(compiled.counts, compiled.matrix), np.array(rows, dtype=np.int64), fixed)


@router.get("/compare", response_class=HTMLResponse)
def compare(
    request: Request,
    a: Annotated[str, Query(max_length=400)],
    b: Annotated[str, Query(max_length=400)],
    fix: FixQuery = None,
    tolerance: TolQuery = 0.0,
) -> HTMLResponse:
    """Two scenarios side by side, their differences highlighted."""
    state = state_of(request)
    pairs, fixed = _fixed(state, fix)
    rows = [parse_code(state, a), parse_code(state, b)]
    metrics = _metrics(state, rows, fixed)
    model = state.service.model
    nets = [network_svg(model, r, fixed=fixed.keys(), min_weight=2, element_id=f"net{k}", title=f"Scenario {k}") for k, r in zip("AB", rows, strict=True)]
    return _render(
        request,
        "compare.html",
        rows=rows,
        codes=[a, b],
        metrics=metrics,
        fixed=fixed,
        pairs=pairs,
        tolerance=tolerance,
        nets=nets,
        fix_query=_fix_query(pairs),
    )


@router.get("/network", response_class=HTMLResponse)
def network(
    request: Request,
    s: Annotated[str, Query(max_length=400)],
    fix: FixQuery = None,
    min: Annotated[float, Query(ge=0, le=3)] = 0.0,
) -> HTMLResponse:
    """The impact network of one scenario."""
    state = state_of(request)
    pairs, fixed = _fixed(state, fix)
    row = parse_code(state, s)
    model = state.service.model
    edges = active_edges(model, row)
    metrics = _metrics(state, [row], fixed)
    svg = network_svg(model, row, fixed=fixed.keys(), min_weight=min, title="Impact network")
    return _render(
        request,
        "network.html",
        svg=svg,
        row=row,
        code=s,
        edges=[e for e in edges if abs(e.score) >= min],
        min_weight=min,
        fixed=fixed,
        pairs=pairs,
        metrics=metrics,
        fix_query=_fix_query(pairs),
    )


@router.get("/ensemble", response_class=HTMLResponse)
def ensemble(request: Request, fix: FixQuery = None, tolerance: TolQuery = 0.0) -> HTMLResponse:
    """Where the analyses agree and disagree about the combined model's scenarios."""
    state = state_of(request)
    pairs, fixed = _fixed(state, fix)
    snap = state.service.snapshot
    answer = state.service.scenarios(pairs, tolerance, PAGE_LIMIT)
    rows = answer.result.scenarios[:8]
    view = ensemble_view(snap.compiled, snap.members, rows, fixed, tolerance)
    titles = {s.id: s for s in snap.model.sources}
    return _render(
        request,
        "ensemble.html",
        view=view,
        total=len(answer.result),
        codes=[scenario_code(r) for r in view.scenarios.tolist()],
        pairs=pairs,
        fixed=fixed,
        tolerance=tolerance,
        titles=titles,
        flags=view.consistent_in(),
        fix_query=_fix_query(pairs),
    )


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    mode: Annotated[str, Query(pattern="^(keyword|semantic|hybrid)$")] = "keyword",
    source: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    """Corpus search with each sentence in its context and the judgements quoting it."""
    from kizashi.evidence import get_sentence, list_sources, search, sentence_context

    state = state_of(request)
    state.ensure_corpus()
    db = state.settings.db_url
    if mode != "keyword" and not state.settings.semantic:
        mode = "keyword"
    results = []
    if q.strip():
        quotes = state.quotes()
        for hit in search(q, mode=mode, source=source or None, limit=15, db_url=db):
            sentence = get_sentence(hit.sentence_id, db)
            results.append(
                {
                    "hit": hit,
                    "context": sentence_context(sentence, 1, 1, db),
                    "index": sentence.index,
                    "judgements": quotes.quoting(hit.source_id, hit.text),
                }
            )
    sources = list_sources(db)
    return _render(request, "search.html", q=q, mode=mode, source=source or "", results=results, sources=sources)


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request) -> HTMLResponse:
    """The documents of the corpus."""
    from kizashi.evidence import list_sources

    state = state_of(request)
    state.ensure_corpus()
    return _render(request, "sources.html", documents=list_sources(state.settings.db_url))


@router.get("/sources/{source_id}", response_class=HTMLResponse)
def source_page(request: Request, source_id: str) -> HTMLResponse:
    """One document, sentence by sentence, with the judgements quoting each."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from kizashi.evidence import get_document, get_engine
    from kizashi.evidence.schema import Sentence

    state = state_of(request)
    state.ensure_corpus()
    db = state.settings.db_url
    document = get_document(source_id, None, db)
    with Session(get_engine(db)) as session:
        sentences = session.execute(
            select(Sentence.index, Sentence.paragraph, Sentence.text)
            .where(Sentence.document_id == source_id, Sentence.version == document.version)
            .order_by(Sentence.index)
        ).all()
    quotes = state.quotes()
    paragraphs: list[list[tuple[int, str, list[Any]]]] = []
    last = None
    for index, paragraph, text in sentences:
        if paragraph != last:
            paragraphs.append([])
            last = paragraph
        paragraphs[-1].append((index, text, quotes.quoting(source_id, text)))
    return _render(request, "source.html", document=document, paragraphs=paragraphs)


@router.get("/login")
def login(request: Request, token: Annotated[str, Query(max_length=500)] = "") -> Response:
    """Set the token cookie and go to the overview."""
    expected = state_of(request).settings.token
    if expected is None:
        return RedirectResponse("/", status_code=303)
    if not token_matches(token, expected):
        return HTMLResponse("<!doctype html><title>kizashi</title><p>Wrong token.</p>", status_code=401)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
    return response
