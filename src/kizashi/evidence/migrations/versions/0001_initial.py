"""Initial evidence store: documents, versions, furniture, sentences, embeddings,
claims, claim links, observations, and the backend's full-text index.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SQLITE_FTS = [
    """CREATE VIRTUAL TABLE sentences_fts USING fts5(
        text, content='sentences', content_rowid='pk', tokenize='porter unicode61'
    )""",
    """CREATE TRIGGER sentences_fts_insert AFTER INSERT ON sentences BEGIN
        INSERT INTO sentences_fts(rowid, text) VALUES (new.pk, new.text);
    END""",
    """CREATE TRIGGER sentences_fts_delete AFTER DELETE ON sentences BEGIN
        INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.pk, old.text);
    END""",
    """CREATE TRIGGER sentences_fts_update AFTER UPDATE OF text ON sentences BEGIN
        INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.pk, old.text);
        INSERT INTO sentences_fts(rowid, text) VALUES (new.pk, new.text);
    END""",
]

POSTGRES_FTS = [
    """ALTER TABLE sentences ADD COLUMN tsv tsvector
        GENERATED ALWAYS AS (to_tsvector('english', text)) STORED""",
    "CREATE INDEX ix_sentences_tsv ON sentences USING gin (tsv)",
]


def _timestamp() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("title", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("publisher", sa.Text),
        sa.Column("date", sa.String(40)),
        sa.Column("url", sa.Text),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("cleaned_text", sa.Text, nullable=False),
        sa.Column("metadata", sa.JSON, nullable=False),
        sa.Column("ingested_at", _timestamp(), nullable=False),
    )
    op.create_table(
        "document_versions",
        sa.Column(
            "document_id",
            sa.String(200),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("cleaned_text", sa.Text, nullable=False),
        sa.Column("ingested_at", _timestamp(), nullable=False),
    )
    op.create_table(
        "furniture",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("index", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("paragraph", sa.Integer),
        sa.ForeignKeyConstraint(
            ["document_id", "version"],
            ["document_versions.document_id", "document_versions.version"],
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_furniture_document", "furniture", ["document_id", "version"])
    op.create_table(
        "sentences",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(260), nullable=False, unique=True),
        sa.Column("document_id", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("index", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("paragraph", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("is_current", sa.Boolean, nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id", "version"],
            ["document_versions.document_id", "document_versions.version"],
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("document_id", "version", "index", name="uq_sentences_position"),
    )
    op.create_index("ix_sentences_current", "sentences", ["is_current", "document_id"])
    op.create_table(
        "sentence_embeddings",
        sa.Column(
            "sentence_pk",
            sa.Integer,
            sa.ForeignKey("sentences.pk", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("model", sa.String(100), nullable=False),
        sa.Column("dim", sa.Integer, nullable=False),
        sa.Column("vector", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "sentence_pk",
            sa.Integer,
            sa.ForeignKey("sentences.pk", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("likelihood", sa.String(60)),
        sa.Column("probability", sa.Float),
        sa.Column("actors", sa.JSON, nullable=False),
        sa.Column("quantities", sa.JSON, nullable=False),
        sa.Column("metadata", sa.JSON, nullable=False),
        sa.Column("created_at", _timestamp(), nullable=False),
    )
    op.create_index("ix_claims_sentence_pk", "claims", ["sentence_pk"])
    op.create_table(
        "claim_links",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "claim_id", sa.Integer, sa.ForeignKey("claims.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("model_id", sa.String(200), nullable=False),
        sa.Column("judgement", sa.String(400), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("updated_at", _timestamp(), nullable=False),
        sa.UniqueConstraint("claim_id", "model_id", "judgement", name="uq_claim_links_target"),
    )
    op.create_index("ix_claim_links_claim_id", "claim_links", ["claim_id"])
    op.create_table(
        "observations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("signpost", sa.String(200), nullable=False),
        sa.Column("observed_on", sa.String(40), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("source_id", sa.String(200), sa.ForeignKey("documents.id", ondelete="SET NULL")),
        sa.Column("sentence_pk", sa.Integer, sa.ForeignKey("sentences.pk", ondelete="SET NULL")),
        sa.Column("created_at", _timestamp(), nullable=False),
    )
    op.create_index("ix_observations_signpost", "observations", ["signpost"])

    dialect = op.get_bind().dialect.name
    statements = {"sqlite": SQLITE_FTS, "postgresql": POSTGRES_FTS}.get(dialect, [])
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS sentences_fts")
    for table in (
        "observations",
        "claim_links",
        "claims",
        "sentence_embeddings",
        "sentences",
        "furniture",
        "document_versions",
        "documents",
    ):
        op.drop_table(table)
