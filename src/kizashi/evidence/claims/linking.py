"""Links from stored claims to a model's judgements: suggest, accept, reject.

``suggest_links`` scores every current claim against every judgement and variant of a
model (see ``scoring``) and keeps each claim's best judgements and variants in
``claim_links``. Re-running it updates scores but never the status an analyst gave: a
rejected link stays rejected and is not suggested again. ``accept_link`` writes the claim's
sentence, verbatim, into the judgement's evidence (``{source, quote, sentence}``), adds
the source to the judgement's sources and saves the model with ``edit_model``: only those
lines of the file change, ``validate_model`` must find no new problem, and a file that
changed while the link was being accepted is not overwritten.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import delete, select

from kizashi.errors import InputError
from kizashi.evidence import embeddings
from kizashi.evidence.claims.scoring import LinkInput, ModelIndex, judgement_key, rank
from kizashi.evidence.claims.store import ensure_claims, list_claims
from kizashi.evidence.db import session_scope
from kizashi.evidence.schema import Claim, ClaimLink, Document, Sentence, utcnow
from kizashi.model import (
    Evidence,
    Model,
    SourceRef,
    load_model,
    normalise_text,
    validate_model,
)
from kizashi.model.edit import ModelDocument, edit_model

DbUrl = str | os.PathLike[str] | None
TOP_JUDGEMENTS = 5
TOP_VARIANTS = 2


@dataclass
class LinkView:
    """A stored link with its claim's sentence."""

    id: int
    claim_id: int
    sentence_id: str
    source: str
    text: str
    kind: str
    target: str
    score: float
    relation: str
    status: str

    @property
    def is_judgement(self) -> bool:
        """A link to a judgement (``from -> to``), not to a variant."""
        return " -> " in self.target

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form."""
        return {
            "id": self.id,
            "claim": self.claim_id,
            "sentence": self.sentence_id,
            "source": self.source,
            "text": self.text,
            "kind": self.kind,
            "target": self.target,
            "score": self.score,
            "relation": self.relation,
            "status": self.status,
        }


def _actor_names(view: Any) -> tuple[str, ...]:
    names = getattr(view, "actor_names", None)
    if names is None:
        names = [a["name"] if isinstance(a, dict) else str(a) for a in view.actors]
    return tuple(names)


def link_inputs(views: list[Any]) -> list[LinkInput]:
    """Linking inputs of claim views (or ``ClaimInfo``s): text, first condition, negation, actors."""
    out = []
    for view in views:
        condition = view.conditions[0] if view.conditions else None
        out.append(
            LinkInput(
                view.text,
                condition["antecedent"] if condition else None,
                condition["consequent"] if condition else None,
                bool(view.negations),
                _actor_names(view),
            )
        )
    return out


def _model(model_path: str | os.PathLike[str]) -> Model:
    return load_model(Path(model_path)).model


def suggest_links(model_path: str | os.PathLike[str], db_url: DbUrl = None) -> int:
    """Score all current claims against the model and store the best links; return their count."""
    model = _model(model_path)
    ensure_claims(db_url)
    views = list_claims(db_url)
    index = ModelIndex(model)
    vectors = embeddings.embed([v.text for v in views]) if views else np.zeros((0, 384), np.float32)
    ranked = rank(index, link_inputs(views), vectors, top=TOP_JUDGEMENTS, top_variants=TOP_VARIANTS)
    written = 0
    with session_scope(db_url) as session:
        existing = {
            (link.claim_id, link.judgement): link
            for link in session.scalars(select(ClaimLink).where(ClaimLink.model_id == model.id))
        }
        keep: set[tuple[int, str]] = set()
        for view, (judgements, variants) in zip(views, ranked, strict=True):
            for item in [*judgements, *variants]:
                key = (view.id, item.target)
                keep.add(key)
                link = existing.get(key)
                if link is None:
                    link = ClaimLink(claim_id=view.id, model_id=model.id, judgement=item.target)
                    session.add(link)
                link.score = item.score
                link.note = item.relation
                link.updated_at = utcnow()
                written += 1
        stale = [
            link.id
            for key, link in existing.items()
            if key not in keep and link.status == "candidate"
        ]
        if stale:
            session.execute(delete(ClaimLink).where(ClaimLink.id.in_(stale)))
    return written


def _views(query: Any, db_url: DbUrl) -> list[LinkView]:
    with session_scope(db_url) as session:
        rows = session.execute(query).all()
        return [
            LinkView(
                link.id,
                claim.id,
                sentence.id,
                sentence.document_id,
                sentence.text,
                claim.kind,
                link.judgement,
                link.score,
                link.note or "",
                link.status,
            )
            for link, claim, sentence in rows
        ]


def _base_query(model_id: str) -> Any:
    return (
        select(ClaimLink, Claim, Sentence)
        .join(Claim, ClaimLink.claim_id == Claim.id)
        .join(Sentence, Claim.sentence_pk == Sentence.pk)
        .where(ClaimLink.model_id == model_id, Sentence.is_current.is_(True))
    )


def list_links(
    model_path: str | os.PathLike[str],
    db_url: DbUrl = None,
    *,
    status: str | None = "candidate",
    limit: int | None = 20,
    judgements_only: bool = True,
) -> list[LinkView]:
    """Stored links of a model, best first (candidates by default; rejected ones never unless asked)."""
    model = _model(model_path)
    query = _base_query(model.id)
    if status is not None:
        query = query.where(ClaimLink.status == status)
    views = _views(query.order_by(ClaimLink.score.desc(), ClaimLink.id), db_url)
    if judgements_only:
        views = [v for v in views if v.is_judgement]
    cited = _cited(model)
    if status == "candidate":
        views = [v for v in views if (v.target, v.source, normalise_text(v.text)) not in cited]
    return views[:limit] if limit else views


def _cited(model: Model) -> set[tuple[str, str, str]]:
    """(judgement, source, sentence) triples already in the model's evidence (by quote containment)."""
    return {
        (judgement_key(j), e.source, normalise_text(e.quote))
        for j in model.judgements
        for e in j.evidence
    }


def _link(link_id: int, model: Model, db_url: DbUrl) -> LinkView:
    views = _views(_base_query(model.id).where(ClaimLink.id == link_id), db_url)
    if not views:
        raise InputError(
            f"no link {link_id} for model {model.id!r} (run --suggest first)",
            where="--accept/--reject",
        )
    return views[0]


def _set_status(link_id: int, status: str, db_url: DbUrl) -> None:
    with session_scope(db_url) as session:
        link = session.get(ClaimLink, link_id)
        assert link is not None
        link.status = status
        link.updated_at = utcnow()


def reject_link(model_path: str | os.PathLike[str], link_id: int, db_url: DbUrl = None) -> LinkView:
    """Mark a link rejected: it stays in the store and is not suggested again."""
    view = _link(link_id, _model(model_path), db_url)
    _set_status(link_id, "rejected", db_url)
    view.status = "rejected"
    return view


def _texts(db_url: DbUrl) -> dict[str, str]:
    with session_scope(db_url) as session:
        return {doc.id: doc.cleaned_text for doc in session.scalars(select(Document))}


def _source_ref(source: str, db_url: DbUrl) -> SourceRef:
    with session_scope(db_url) as session:
        doc = session.get(Document, source)
        assert doc is not None
        return SourceRef(
            id=doc.id, title=doc.title, author=doc.author, publisher=doc.publisher, date=doc.date
        )


def accept_link(
    model_path: str | os.PathLike[str],
    link_id: int,
    db_url: DbUrl = None,
    *,
    expected_version: str | None = None,
) -> LinkView:
    """Write a link's sentence into its judgement's evidence and save the model atomically.

    ``expected_version`` (a ``content_version`` of the model file) refuses the accept with
    ``StaleModelError`` when the file changed since that version was read.
    """
    path = Path(model_path)
    current = ModelDocument.read(path)
    model = current.original
    view = _link(link_id, model, db_url)
    if not view.is_judgement:
        raise InputError(
            f"link {link_id} points at a variant ({view.target}); accept a judgement link",
            where="--accept",
        )
    if not any(judgement_key(j) == view.target for j in model.judgements):
        raise InputError(f"the model has no judgement {view.target}", path=str(path))
    texts = _texts(db_url)
    before = {str(p) for p in validate_model(model, texts, str(path))}
    listed = {s.id for s in model.sources}
    source_ref = _source_ref(view.source, db_url) if listed and view.source not in listed else None

    def accept(document: ModelDocument) -> None:
        edited = document.original.model_copy(deep=True)
        judgement = next((j for j in edited.judgements if judgement_key(j) == view.target), None)
        if judgement is None:
            raise InputError(f"the model has no judgement {view.target}", path=str(path))
        if source_ref is not None:
            document.add_source(source_ref)
        quote = normalise_text(view.text)
        if not any(
            e.source == view.source and normalise_text(e.quote) == quote for e in judgement.evidence
        ):
            judgement.evidence.append(
                Evidence(source=view.source, quote=view.text, sentence=view.sentence_id)
            )
        if view.relation == "supports" and view.source not in judgement.sources:
            judgement.sources.append(view.source)
            document.put_judgement(judgement)
            if not [
                p
                for p in validate_model(document.model(), texts, str(path))
                if str(p) not in before
            ]:
                return
            judgement.sources.remove(view.source)
        document.put_judgement(judgement)

    edit_model(
        path,
        accept,
        expected_version=current.version if expected_version is None else expected_version,
        texts=texts,
        check_problems=True,
        what=f"accepting link {link_id}",
    )
    _set_status(link_id, "accepted", db_url)
    view.status = "accepted"
    return view
