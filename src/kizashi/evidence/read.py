"""Reading the store: the list of sources, one document, one sentence and its neighbours.

Sentence references accept the stable id (``<source>:v<version>:s<index>``) and the
shorter forms ``<source>#<index>``, ``<source>#s<index>`` and ``<source>#v<version>:s<index>``
(without a version, the current one).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kizashi.errors import InputError
from kizashi.evidence.db import get_engine
from kizashi.evidence.schema import Document, DocumentVersion, Furniture, Sentence

REF_RE = re.compile(r"^(?P<source>[^#:\s]+)(?:#|:)(?:v(?P<version>\d+):)?s?(?P<index>\d+)$")


@dataclass(frozen=True)
class SentenceView:
    """A stored sentence."""

    id: str
    source_id: str
    version: int
    index: int
    start: int
    end: int
    paragraph: int
    text: str
    is_current: bool


@dataclass
class DocumentView:
    """A stored document (its current version unless asked otherwise)."""

    id: str
    title: str | None
    author: str | None
    publisher: str | None
    date: str | None
    url: str | None
    origin: str
    version: int
    versions: list[int]
    content_hash: str
    sentence_count: int
    metadata: dict[str, Any]
    removed: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""


def _view(sentence: Sentence) -> SentenceView:
    return SentenceView(
        sentence.id,
        sentence.document_id,
        sentence.version,
        sentence.index,
        sentence.start,
        sentence.end,
        sentence.paragraph,
        sentence.text,
        sentence.is_current,
    )


def list_sources(db_url: str | os.PathLike[str] | None = None) -> list[DocumentView]:
    """Every document of the store, by id, without its text."""
    engine = get_engine(db_url)
    counts = (
        select(Sentence.document_id, func.count().label("n"))
        .where(Sentence.is_current.is_(True))
        .group_by(Sentence.document_id)
        .subquery()
    )
    with Session(engine) as session:
        rows = session.execute(
            select(Document, counts.c.n)
            .outerjoin(counts, counts.c.document_id == Document.id)
            .order_by(Document.id)
        ).all()
        return [
            DocumentView(
                d.id,
                d.title,
                d.author,
                d.publisher,
                d.date,
                d.url,
                d.origin,
                d.version,
                list(range(1, d.version + 1)),
                d.content_hash,
                int(n or 0),
                dict(d.meta or {}),
            )
            for d, n in rows
        ]


def get_document(
    source_id: str, version: int | None = None, db_url: str | os.PathLike[str] | None = None
) -> DocumentView:
    """One document with its cleaned text and the furniture removed from it."""
    engine = get_engine(db_url)
    with Session(engine) as session:
        document = session.get(Document, source_id)
        if document is None:
            raise InputError(f"unknown source id {source_id!r} (see `kizashi sources`)")
        wanted = version or document.version
        stored = session.get(DocumentVersion, (source_id, wanted))
        if stored is None:
            raise InputError(
                f"source {source_id!r} has no version {wanted} (versions 1..{document.version})"
            )
        removed = session.execute(
            select(Furniture.kind, Furniture.text)
            .where(Furniture.document_id == source_id, Furniture.version == wanted)
            .order_by(Furniture.index)
        ).all()
        count = session.execute(
            select(func.count()).where(
                Sentence.document_id == source_id, Sentence.version == wanted
            )
        ).scalar()
        return DocumentView(
            document.id,
            document.title,
            document.author,
            document.publisher,
            document.date,
            document.url,
            stored.origin,
            wanted,
            list(range(1, document.version + 1)),
            stored.content_hash,
            int(count or 0),
            dict(document.meta or {}),
            [(k, t) for k, t in removed],
            stored.cleaned_text,
        )


def get_sentence(reference: str, db_url: str | os.PathLike[str] | None = None) -> SentenceView:
    """Resolve a sentence reference (see the module docstring)."""
    match = REF_RE.match(reference.strip())
    if match is None:
        raise InputError(
            f"not a sentence reference: {reference!r} (use SOURCE#N or SOURCE:vVERSION:sN)"
        )
    engine = get_engine(db_url)
    source = match.group("source")
    with Session(engine) as session:
        version = int(match.group("version")) if match.group("version") else None
        if version is None:
            version = session.execute(
                select(Document.version).where(Document.id == source)
            ).scalar()
            if version is None:
                raise InputError(f"unknown source id {source!r} (see `kizashi sources`)")
        sentence = session.execute(
            select(Sentence).where(
                Sentence.document_id == source,
                Sentence.version == version,
                Sentence.index == int(match.group("index")),
            )
        ).scalar_one_or_none()
        if sentence is None:
            raise InputError(f"no sentence {reference!r} in the store")
        return _view(sentence)


def sentence_context(
    sentence: SentenceView,
    before: int = 2,
    after: int = 2,
    db_url: str | os.PathLike[str] | None = None,
) -> list[SentenceView]:
    """The sentence with up to ``before``/``after`` neighbours of the same version."""
    engine = get_engine(db_url)
    with Session(engine) as session:
        rows = session.execute(
            select(Sentence)
            .where(
                Sentence.document_id == sentence.source_id,
                Sentence.version == sentence.version,
                Sentence.index >= sentence.index - before,
                Sentence.index <= sentence.index + after,
            )
            .order_by(Sentence.index)
        ).scalars()
        return [_view(row) for row in rows]
