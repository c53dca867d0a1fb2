"""The JSON API under ``/api`` (documented at ``/docs`` and ``/openapi.json``).

Ids in requests are checked against the served model; an unknown id is a 422 whose
``detail`` names it. Edits answer 403 when the server is read-only.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import numpy as np
from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from kizashi.analysis.scenarios import resolve_assignment, scenario_ids, system_of
from kizashi.cib import succession
from kizashi.errors import InputError
from kizashi.model import Evidence, Judgement, Model
from kizashi.model.yaml_io import model_to_data
from kizashi.report.ensemble import ensemble_view
from kizashi.web.app import AppState, state_of

router = APIRouter(prefix="/api", tags=["api"])

MAX_TOLERANCE = 20.0
DEFAULT_LIMIT = 10_000  # a result cut at the limit is marked "complete": false
MAX_LIMIT = 20_000
ID = r"^[A-Za-z0-9_][A-Za-z0-9_\-]*$"
REF = r"^[A-Za-z0-9_][A-Za-z0-9_\-]*\.[A-Za-z0-9_][A-Za-z0-9_\-]*$"
Fixed = dict[Annotated[str, Field(max_length=200)], Annotated[str, Field(max_length=200)]]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScenarioRequest(_Strict):
    """An intervention and a tolerance."""

    fixed: Fixed = Field(default_factory=dict, description="{descriptor id: variant id}")
    tolerance: float = Field(0.0, ge=0, le=MAX_TOLERANCE)
    model: str | None = Field(None, max_length=200, description="Model id (the served model by default)")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Stop after this many scenarios")


class SuccessionRequest(_Strict):
    """A start scenario (unnamed descriptors start at their first variant)."""

    start: Fixed = Field(default_factory=dict)
    fixed: Fixed = Field(default_factory=dict)
    rule: Literal["global", "local"] = "global"
    model: str | None = Field(None, max_length=200)


class EnsembleRequest(_Strict):
    """An intervention and a tolerance for the ensemble comparison."""

    fixed: Fixed = Field(default_factory=dict)
    tolerance: float = Field(0.0, ge=0, le=MAX_TOLERANCE)
    model: str | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=500, description="Combined scenarios assessed")


class EvidenceIn(_Strict):
    """A verbatim quote from a source."""

    source: str = Field(min_length=1, max_length=200)
    quote: str = Field(min_length=1, max_length=5000)


class JudgementEdit(_Strict):
    """New score (0 removes the judgement), and optionally rationale and evidence."""

    score: float = Field(ge=-3, le=3, multiple_of=0.5)
    rationale: str | None = Field(None, max_length=20_000)
    evidence: list[EvidenceIn] | None = Field(None, max_length=50)


def _model_check(state: AppState, model_id: str | None) -> None:
    if model_id is not None and model_id != state.service.model.id:
        raise InputError(f"unknown model {model_id!r} (served: {state.service.model.id})")


def _judgement_json(j: Judgement) -> dict[str, Any]:
    return {
        "from": j.source_variant,
        "to": j.target_variant,
        "score": int(j.score) if float(j.score).is_integer() else j.score,
        "rationale": j.rationale,
        "sources": list(j.sources),
        "source_scores": dict(j.source_scores),
        "basis": j.basis,
        "evidence": [e.model_dump(exclude_none=True) for e in j.evidence],
    }


def _summary(state: AppState) -> dict[str, Any]:
    model: Model = state.service.model
    return {
        "id": model.id,
        "title": model.title,
        "question": model.question,
        "descriptors": len(model.descriptors),
        "variants": sum(len(d.variants) for d in model.descriptors),
        "judgements": len(model.judgements),
        "sources": [s.id for s in model.sources],
        "revision": state.service.snapshot.revision,
        "editable": state.editable,
    }


@router.get("/models", summary="The served model(s)")
def list_models(request: Request) -> list[dict[str, Any]]:
    """One entry per served model."""
    return [_summary(state_of(request))]


@router.get("/models/{model_id}", summary="A model in full (the YAML file's content as JSON)")
def get_model(request: Request, model_id: Annotated[str, Path(max_length=200)]) -> dict[str, Any]:
    """The canonical data of the model."""
    state = state_of(request)
    _model_check(state, model_id)
    return model_to_data(state.service.model)


@router.get("/descriptors", summary="Descriptors with their variants")
def list_descriptors(request: Request) -> list[dict[str, Any]]:
    """Descriptors in matrix order."""
    return [d.model_dump() for d in state_of(request).service.model.descriptors]


@router.get("/descriptors/{descriptor_id}", summary="One descriptor")
def get_descriptor(request: Request, descriptor_id: Annotated[str, Path(max_length=200)]) -> dict[str, Any]:
    """A descriptor by id (422 naming an unknown id)."""
    try:
        return state_of(request).service.model.descriptor(descriptor_id).model_dump()
    except KeyError:
        raise InputError(f"unknown descriptor {descriptor_id!r}") from None


@router.get("/judgements", summary="Judgements with their evidence")
def list_judgements(
    request: Request,
    from_descriptor: Annotated[str | None, Query(max_length=200)] = None,
    to_descriptor: Annotated[str | None, Query(max_length=200)] = None,
    source: Annotated[str | None, Query(max_length=200)] = None,
) -> list[dict[str, Any]]:
    """Every non-zero judgement, optionally filtered."""
    model = state_of(request).service.model
    ids = {d.id for d in model.descriptors}
    for label, value in (("from_descriptor", from_descriptor), ("to_descriptor", to_descriptor)):
        if value is not None and value not in ids:
            raise InputError(f"{label}: unknown descriptor {value!r}")
    out = []
    for j in model.judgements:
        if from_descriptor and j.source_variant.split(".", 1)[0] != from_descriptor:
            continue
        if to_descriptor and j.target_variant.split(".", 1)[0] != to_descriptor:
            continue
        if source and source not in j.sources and all(e.source != source for e in j.evidence):
            continue
        out.append(_judgement_json(j))
    return out


RefPath = Annotated[str, Path(max_length=400, description="descriptor.variant")]


@router.get("/judgements/{source_ref}/{target_ref}", summary="One judgement")
def get_judgement(request: Request, source_ref: RefPath, target_ref: RefPath) -> dict[str, Any]:
    """The judgement of a cell (404 when the cell is empty)."""
    service = state_of(request).service
    service.check_ref(source_ref, "from")
    service.check_ref(target_ref, "to")
    j = service.judgement(source_ref, target_ref)
    if j is None:
        raise HTTPException(404, f"no judgement from {source_ref} to {target_ref}")
    return _judgement_json(j)


@router.put("/judgements/{source_ref}/{target_ref}", summary="Set a judgement's score, rationale and evidence")
def put_judgement(request: Request, source_ref: RefPath, target_ref: RefPath, edit: JudgementEdit) -> dict[str, Any]:
    """Save the cell to the model file (atomically, keeping the previous version for undo)."""
    service = state_of(request).service
    evidence = None if edit.evidence is None else [Evidence(source=e.source, quote=e.quote) for e in edit.evidence]
    result = service.set_judgement(source_ref, target_ref, edit.score, edit.rationale, evidence)
    return {
        "judgement": None if result is None else _judgement_json(result),
        "revision": service.snapshot.revision,
        "history": len(service.history()),
    }


@router.delete("/judgements/{source_ref}/{target_ref}", summary="Remove a judgement")
def delete_judgement(request: Request, source_ref: RefPath, target_ref: RefPath) -> dict[str, Any]:
    """Set the cell to zero."""
    service = state_of(request).service
    service.set_judgement(source_ref, target_ref, 0)
    return {"judgement": None, "revision": service.snapshot.revision, "history": len(service.history())}


@router.get("/history", summary="Previous versions kept for undo")
def get_history(request: Request) -> dict[str, Any]:
    """Undo history of the model file, oldest first."""
    service = state_of(request).service
    return {"editable": service.editable, "versions": [{"number": e.number, "bytes": e.size} for e in service.history()]}


@router.post("/undo", summary="Restore the previous version of the model file")
def undo(request: Request) -> dict[str, Any]:
    """Undo the latest edit."""
    service = state_of(request).service
    remaining = service.undo()
    return {"revision": service.snapshot.revision, "history": remaining}


@router.post("/scenarios", summary="Consistent scenarios under an intervention", response_class=JSONResponse)
def post_scenarios(request: Request, body: ScenarioRequest) -> JSONResponse:
    """The same JSON as ``kizashi scenarios --format json`` (cut at ``limit`` scenarios,
    then ``"complete": false``)."""
    state = state_of(request)
    _model_check(state, body.model)
    resolve_assignment(state.service.snapshot.compiled, body.fixed, origin="fixed")
    return JSONResponse(state.service.scenarios(body.fixed, body.tolerance, body.limit).to_json())


@router.post("/succession", summary="Succession from a start scenario")
def post_succession(request: Request, body: SuccessionRequest) -> dict[str, Any]:
    """The path to the attractor or cycle."""
    state = state_of(request)
    _model_check(state, body.model)
    compiled = state.service.snapshot.compiled
    fixed = resolve_assignment(compiled, body.fixed, origin="fixed")
    start = np.zeros(len(compiled.descriptor_ids), dtype=np.int64)
    for d, v in resolve_assignment(compiled, body.start, origin="start").items():
        start[d] = v
    res = succession(system_of(compiled), start, body.rule, fixed)
    return {
        "rule": body.rule,
        "path": [scenario_ids(compiled, r) for r in res.path.tolist()],
        "end": "cycle" if res.is_cycle else "attractor",
        "cycle": [scenario_ids(compiled, r) for r in res.cycle.tolist()],
    }


@router.post("/ensemble", summary="Where the sources agree and disagree")
def post_ensemble(request: Request, body: EnsembleRequest) -> dict[str, Any]:
    """The combined model's scenarios assessed in each source's own matrix."""
    state = state_of(request)
    _model_check(state, body.model)
    snap = state.service.snapshot
    answer = state.service.scenarios(body.fixed, body.tolerance, body.limit)
    fixed = resolve_assignment(snap.compiled, body.fixed, origin="fixed")
    view = ensemble_view(snap.compiled, snap.members, answer.result.scenarios, fixed, body.tolerance)
    flags = view.consistent_in()
    return {
        "sources": list(view.sources),
        "fixed": dict(body.fixed),
        "tolerance": body.tolerance,
        "complete": bool(answer.result.complete),
        "scenarios": [
            {
                "variants": scenario_ids(snap.compiled, row),
                "consistent_in": [s for s, ok in zip(view.sources, flags[i], strict=True) if ok],
                "member_inconsistency": {s: float(x) for s, x in zip(view.sources, view.member_inconsistency[i], strict=True)},
                "verdicts": {
                    s: {
                        d: {"verdict": v.verdict, **({"prefers": v.preferred} if v.preferred else {})}
                        for d, v in zip(snap.compiled.descriptor_ids, table.verdicts[s], strict=True)
                    }
                    for s in view.sources
                },
                "contested": [snap.compiled.descriptor_ids[j] for j in table.contested()],
            }
            for i, (row, table) in enumerate(zip(view.scenarios.tolist(), view.tables, strict=True))
        ],
    }


@router.get("/search", summary="Search the corpus sentences")
def get_search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    mode: Literal["keyword", "semantic", "hybrid"] = "keyword",
    source: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[dict[str, Any]]:
    """Matching sentences, with the judgements whose evidence quotes them."""
    from kizashi.evidence import search

    state = state_of(request)
    if mode != "keyword" and not state.settings.semantic:
        raise InputError(f"{mode} search is turned off on this server; use mode=keyword")
    state.ensure_corpus()
    quotes = state.quotes()
    hits = search(q, mode=mode, source=source, limit=limit, db_url=state.settings.db_url)
    return [
        hit.to_dict() | {"judgements": [{"from": r.source_variant, "to": r.target_variant} for r in quotes.quoting(hit.source_id, hit.text)]}
        for hit in hits
    ]


@router.get("/sources", summary="Documents of the corpus")
def get_sources(request: Request) -> list[dict[str, Any]]:
    """Every stored document, without its text."""
    from kizashi.evidence import list_sources

    state = state_of(request)
    state.ensure_corpus()
    return [
        {k: getattr(d, k) for k in ("id", "title", "author", "publisher", "date", "url", "version", "sentence_count")}
        for d in list_sources(state.settings.db_url)
    ]


@router.get("/sources/{source_id}", summary="One document with its cleaned text")
def get_source(request: Request, source_id: Annotated[str, Path(max_length=200)]) -> dict[str, Any]:
    """A document's current version."""
    from kizashi.evidence import get_document

    state = state_of(request)
    state.ensure_corpus()
    d = get_document(source_id, None, state.settings.db_url)
    return {
        "id": d.id,
        "title": d.title,
        "author": d.author,
        "publisher": d.publisher,
        "date": d.date,
        "url": d.url,
        "version": d.version,
        "sentence_count": d.sentence_count,
        "text": d.text,
        "removed": [{"kind": k, "text": t} for k, t in d.removed],
    }


@router.get("/sentences/{reference}", summary="A sentence with its neighbours")
def get_sentence_context(
    request: Request,
    reference: Annotated[str, Path(max_length=300, description="SOURCE#N or SOURCE:vV:sN")],
    context: Annotated[int, Query(ge=0, le=20)] = 2,
) -> dict[str, Any]:
    """The sentence, its neighbours and the judgements that quote it."""
    from kizashi.evidence import get_sentence, sentence_context

    state = state_of(request)
    state.ensure_corpus()
    sentence = get_sentence(reference, state.settings.db_url)
    around = sentence_context(sentence, context, context, state.settings.db_url)
    quotes = state.quotes()
    return {
        "sentence": vars(sentence),
        "context": [vars(s) for s in around],
        "judgements": [{"from": r.source_variant, "to": r.target_variant} for r in quotes.quoting(sentence.source_id, sentence.text)],
    }


@router.get("/claims", summary="Claims extracted from the corpus")
def get_claims(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[dict[str, Any]]:
    """Stored claims with their sentence (an empty list before claim extraction has run)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from kizashi.evidence import get_engine
    from kizashi.evidence.schema import Claim, Sentence

    state = state_of(request)
    state.ensure_corpus()
    engine = get_engine(state.settings.db_url)
    with Session(engine) as session:
        rows = session.execute(
            select(Claim, Sentence).join(Sentence, Sentence.pk == Claim.sentence_pk).order_by(Claim.id).offset(offset).limit(limit)
        ).all()
        return [
            {
                "id": c.id,
                "sentence_id": s.id,
                "source_id": s.document_id,
                "text": s.text,
                "kind": c.kind,
                "likelihood": c.likelihood,
                "probability": c.probability,
                "actors": list(c.actors or []),
                "quantities": list(c.quantities or []),
            }
            for c, s in rows
        ]
