"""Tables of the evidence store (SQLAlchemy 2 typed declarative models).

A document keeps its stable source id across versions. Every ingested version stays in
``document_versions`` with its cleaned text, and its sentences keep their ids
(``<source-id>:v<version>:s<index>``), so a citation made against an old version still
resolves. Only the sentences of a document's current version are searched.

The full-text index is not declared here: it is backend-specific (an FTS5 table with
triggers on SQLite, a generated ``tsvector`` column with a GIN index on PostgreSQL) and
is created by the migrations.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base of the evidence store."""


class Document(Base):
    """A source document in its current version."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(Text)
    date: Mapped[str | None] = mapped_column(String(40))
    url: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    cleaned_text: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", order_by="DocumentVersion.version"
    )


class DocumentVersion(Base):
    """One ingested version of a document; old versions stay for old citations."""

    __tablename__ = "document_versions"

    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(Text)
    cleaned_text: Mapped[str] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    document: Mapped[Document] = relationship(back_populates="versions")


class Furniture(Base):
    """A piece of text set aside by cleaning (navigation, disclaimer, pull-quote ...)."""

    __tablename__ = "furniture"
    __table_args__ = (
        ForeignKeyConstraint(
            ["document_id", "version"],
            ["document_versions.document_id", "document_versions.version"],
            ondelete="CASCADE",
        ),
        Index("ix_furniture_document", "document_id", "version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    index: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    paragraph: Mapped[int | None] = mapped_column(Integer)


class Sentence(Base):
    """A sentence of one document version, with offsets into that version's cleaned text."""

    __tablename__ = "sentences"
    __table_args__ = (
        ForeignKeyConstraint(
            ["document_id", "version"],
            ["document_versions.document_id", "document_versions.version"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("document_id", "version", "index", name="uq_sentences_position"),
        Index("ix_sentences_current", "is_current", "document_id"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(260), unique=True)
    document_id: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    index: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    paragraph: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)


class SentenceEmbedding(Base):
    """A sentence's embedding: a float32 unit vector stored as bytes."""

    __tablename__ = "sentence_embeddings"

    sentence_pk: Mapped[int] = mapped_column(
        ForeignKey("sentences.pk", ondelete="CASCADE"), primary_key=True
    )
    model: Mapped[str] = mapped_column(String(100))
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class StoreState(Base):
    """Small counters of the store; ``generation`` grows with every write."""

    __tablename__ = "store_state"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


GENERATION_KEY = "generation"


class Claim(Base):
    """A sentence that asserts, predicts, conditions or recommends (filled by extraction)."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sentence_pk: Mapped[int] = mapped_column(
        ForeignKey("sentences.pk", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    likelihood: Mapped[str | None] = mapped_column(String(60))
    probability: Mapped[float | None] = mapped_column(Float)
    actors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    quantities: Mapped[list[Any]] = mapped_column(JSON, default=list)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ClaimLink(Base):
    """A candidate (or accepted/rejected) link from a claim to a model judgement."""

    __tablename__ = "claim_links"
    __table_args__ = (
        UniqueConstraint("claim_id", "model_id", "judgement", name="uq_claim_links_target"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    model_id: Mapped[str] = mapped_column(String(200))
    judgement: Mapped[str] = mapped_column(String(400))
    score: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20), default="candidate")
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Observation(Base):
    """A dated observation of a signpost, optionally citing a source sentence."""

    __tablename__ = "observations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    signpost: Mapped[str] = mapped_column(String(200), index=True)
    observed_on: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    source_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    sentence_pk: Mapped[int | None] = mapped_column(ForeignKey("sentences.pk", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
