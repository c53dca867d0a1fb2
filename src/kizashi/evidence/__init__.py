"""The evidence layer: corpus store, ingestion, cleaning, sentences with offsets, search.

Public API::

    from kizashi.evidence import ingest_paths, ingest_bundled_corpus, search

    report = ingest_paths(["article.html"], manifest="seeds.yaml", db_url="kizashi.db")
    hits = search("host nation support", mode="hybrid", db_url="kizashi.db")

The store is a SQLite file by default (``./kizashi.db`` or ``KIZASHI_DB``) or a
PostgreSQL database given as a ``postgresql+psycopg://`` URL; it is created and migrated
on first use.
"""

from __future__ import annotations

from kizashi.evidence.db import dispose_engine, get_engine, resolve_db_url
from kizashi.evidence.ingest import (
    IngestOutcome,
    IngestReport,
    ingest_bundled_corpus,
    ingest_paths,
)
from kizashi.evidence.read import (
    DocumentView,
    SentenceView,
    get_document,
    get_sentence,
    list_sources,
    sentence_context,
)
from kizashi.evidence.search import SearchHit, corpus_is_empty, search

__all__ = [
    "DocumentView",
    "IngestOutcome",
    "IngestReport",
    "SearchHit",
    "SentenceView",
    "corpus_is_empty",
    "dispose_engine",
    "get_document",
    "get_engine",
    "get_sentence",
    "ingest_bundled_corpus",
    "ingest_paths",
    "list_sources",
    "resolve_db_url",
    "search",
    "sentence_context",
]
