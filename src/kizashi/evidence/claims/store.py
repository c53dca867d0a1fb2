"""Claims in the evidence store: extract for every current sentence, read back, filter.

One ``claims`` row per sentence of a document's current version. Extraction is
incremental (sentences that already have a claim from the current extractor version are
skipped) and updates rows in place, so the links of a claim (accepted or rejected by an
analyst) survive re-extraction.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from kizashi.errors import InputError
from kizashi.evidence.claims.actors import normalise_actor
from kizashi.evidence.claims.extract import EXTRACTOR_VERSION, extract_claims
from kizashi.evidence.claims.kinds import KINDS
from kizashi.evidence.db import session_scope
from kizashi.evidence.schema import Claim, Sentence

DbUrl = str | os.PathLike[str] | None


@dataclass
class ExtractionReport:
    """What one extraction run did."""

    sentences: int = 0
    created: int = 0
    updated: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Sentences per second."""
        return self.sentences / self.seconds if self.seconds > 0 else 0.0


@dataclass
class ClaimView:
    """A stored claim with its sentence."""

    id: int
    sentence_id: str
    source: str
    index: int
    text: str
    kind: str
    likelihood: str | None
    probability: float | None
    actors: list[str] = field(default_factory=list)
    quantities: list[dict[str, Any]] = field(default_factory=list)
    negations: list[dict[str, Any]] = field(default_factory=list)
    conditions: list[dict[str, str]] = field(default_factory=list)
    cues: list[dict[str, Any]] = field(default_factory=list)
    stacked_hedge: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form (what ``kizashi claims --format json`` prints)."""
        return {
            "id": self.id,
            "sentence": self.sentence_id,
            "source": self.source,
            "index": self.index,
            "text": self.text,
            "kind": self.kind,
            "likelihood": self.likelihood,
            "probability": self.probability,
            "cues": [c["text"] for c in self.cues],
            "stacked_hedge": self.stacked_hedge,
            "actors": self.actors,
            "quantities": self.quantities,
            "negations": self.negations,
            "conditions": self.conditions,
        }


def extract_store(db_url: DbUrl = None, *, rebuild: bool = False) -> ExtractionReport:
    """Extract claims for every current sentence that lacks an up-to-date one."""
    started = time.perf_counter()
    report = ExtractionReport()
    with session_scope(db_url) as session:
        rows = session.execute(
            select(Sentence, Claim)
            .outerjoin(Claim, Claim.sentence_pk == Sentence.pk)
            .where(Sentence.is_current.is_(True))
            .order_by(Sentence.document_id, Sentence.index)
        ).all()
        todo = [
            (sentence, claim)
            for sentence, claim in rows
            if rebuild or claim is None or (claim.meta or {}).get("extractor") != EXTRACTOR_VERSION
        ]
        infos = extract_claims([sentence.text for sentence, _ in todo])
        for (sentence, claim), info in zip(todo, infos, strict=True):
            if claim is None:
                claim = Claim(sentence_pk=sentence.pk)
                session.add(claim)
                report.created += 1
            else:
                report.updated += 1
            claim.kind = info.kind
            claim.likelihood = info.likelihood
            claim.probability = info.probability
            claim.actors = info.actors
            claim.quantities = info.quantities
            claim.meta = info.meta()
        report.sentences = len(todo)
    report.seconds = time.perf_counter() - started
    return report


def ensure_claims(db_url: DbUrl = None) -> ExtractionReport:
    """Ingest the bundled seed corpus into an empty store, then extract missing claims."""
    from kizashi.evidence.ingest import ingest_bundled_corpus
    from kizashi.evidence.search import corpus_is_empty

    if corpus_is_empty(db_url):
        ingest_bundled_corpus(db_url, embed=False)
    return extract_store(db_url)


def _view(claim: Claim, sentence: Sentence) -> ClaimView:
    meta = claim.meta or {}
    return ClaimView(
        id=claim.id,
        sentence_id=sentence.id,
        source=sentence.document_id,
        index=sentence.index,
        text=sentence.text,
        kind=claim.kind,
        likelihood=claim.likelihood,
        probability=claim.probability,
        actors=list(dict.fromkeys(a["name"] for a in claim.actors or [])),
        quantities=list(claim.quantities or []),
        negations=list(meta.get("negations", [])),
        conditions=list(meta.get("conditions", [])),
        cues=list(meta.get("cues", [])),
        stacked_hedge=bool(meta.get("stacked_hedge", False)),
    )


def list_claims(
    db_url: DbUrl = None,
    *,
    source: str | None = None,
    kind: str | None = None,
    actor: str | None = None,
) -> list[ClaimView]:
    """Claims of the current sentences, optionally of one source, kind or actor.

    ``actor`` may be any surface form (``Tokyo`` finds the claims about Japan).
    """
    if kind is not None and kind not in KINDS:
        raise InputError(f"unknown claim kind {kind!r} (use {', '.join(KINDS)})", where="--kind")
    wanted_actor = None
    if actor is not None:
        wanted_actor = (normalise_actor(actor) or actor).lower()
    with session_scope(db_url) as session:
        query = (
            select(Claim, Sentence)
            .join(Sentence, Claim.sentence_pk == Sentence.pk)
            .where(Sentence.is_current.is_(True))
            .order_by(Sentence.document_id, Sentence.index)
        )
        if source is not None:
            query = query.where(Sentence.document_id == source)
        if kind is not None:
            query = query.where(Claim.kind == kind)
        views = [_view(claim, sentence) for claim, sentence in session.execute(query).all()]
    if source is not None and not views:
        from kizashi.evidence.read import list_sources

        if source not in {doc.id for doc in list_sources(db_url)}:
            raise InputError(f"unknown source {source!r}", where="--source")
    if wanted_actor is not None:
        views = [v for v in views if wanted_actor in {a.lower() for a in v.actors}]
    return views
