"""Searching the current sentences of the corpus: keyword, semantic and hybrid.

* **keyword** — the backend's full-text index: SQLite FTS5 (porter stemming, ranked by
  BM25) or PostgreSQL ``tsvector`` (English stemming, ranked by ``ts_rank_cd``). The
  query's words are tried as a phrase, then all together (AND), then any of them (OR);
  each stage only adds sentences not already found, so exact phrases rank first.
  Snippets mark matched words with ``«`` and ``»``.
* **semantic** — cosine similarity between the query's embedding and the sentences'
  embeddings (all-MiniLM-L6-v2), computed with numpy on a matrix cached per store.
* **hybrid** — weighted reciprocal rank fusion of the two rankings: each sentence scores
  ``sum(weight / (60 + rank))`` over the keyword and semantic top-50 lists (rank from 1).
  The weight is 1, except 2 for keyword hits that contain every query word (phrase or
  AND stage): a sentence that literally names what was asked for should not be
  outvoted by sentences that are merely semantically close. RRF
  needs no score calibration between BM25 and cosine and rewards agreement.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
from sqlalchemy import Engine, bindparam, func, select, text

from kizashi.errors import InputError
from kizashi.evidence import embeddings
from kizashi.evidence.db import get_engine
from kizashi.evidence.schema import Sentence, SentenceEmbedding

Mode = Literal["keyword", "semantic", "hybrid"]
MODES: tuple[str, ...] = ("keyword", "semantic", "hybrid")
RRF_K = 60
FUSION_DEPTH = 50
HIGHLIGHT_START = "«"
HIGHLIGHT_END = "»"
WORD_RE = re.compile(r"[\w$%]+", re.UNICODE)


@dataclass(frozen=True)
class SearchHit:
    """One matching sentence."""

    source_id: str
    sentence_id: str
    start: int
    end: int
    text: str
    score: float
    snippet: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return asdict(self)


STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "this",
        "to",
        "was",
        "were",
        "will",
        "with",
    ]
)


def _terms(query: str) -> list[str]:
    """The query's words, without common function words (unless that leaves none)."""
    words = [t for t in (w.strip("$%") for w in WORD_RE.findall(query)) if t]
    content = [w for w in words if w.casefold() not in STOPWORDS]
    return content or words


def _fts5_query(terms: list[str], stage: str) -> str:
    quoted = [f'"{t}"' for t in terms]
    if stage == "phrase":
        return '"' + " ".join(terms) + '"'
    return (" OR " if stage == "or" else " AND ").join(quoted)


def _pg_query(terms: list[str], stage: str) -> str:
    quoted = [f"'{t}'" for t in terms]
    joiner = {"phrase": " <-> ", "and": " & ", "or": " | "}[stage]
    return joiner.join(quoted)


SQLITE_SNIPPET = f"snippet(sentences_fts, 0, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', 24)"
PG_HEADLINE_OPTIONS = (
    f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxWords=35, MinWords=15"
)


def _keyword_stage(
    engine: Engine,
    terms: list[str],
    stage: str,
    limit: int,
    source: str | None,
    snippets: bool = True,
) -> list[tuple[int, float, str]]:
    """One stage of keyword search: ``(pk, score, snippet)`` best first.

    Without ``snippets`` the snippet is empty (they cost more than the ranking).
    """
    source_clause = "AND s.document_id = :source" if source else ""
    if engine.dialect.name == "sqlite":
        snippet = SQLITE_SNIPPET if snippets else "''"
        statement = text(
            f"""SELECT s.pk, -bm25(sentences_fts) AS score, {snippet}
                FROM sentences_fts JOIN sentences s ON s.pk = sentences_fts.rowid
                WHERE sentences_fts MATCH :query AND s.is_current {source_clause}
                ORDER BY bm25(sentences_fts), s.pk LIMIT :limit"""
        )
        query = _fts5_query(terms, stage)
    elif engine.dialect.name == "postgresql":
        headline = (
            f"ts_headline('english', s.text, q, '{PG_HEADLINE_OPTIONS}')" if snippets else "''"
        )
        statement = text(
            f"""SELECT s.pk, ts_rank_cd(s.tsv, q) AS score, {headline}
                FROM sentences s, to_tsquery('english', :query) q
                WHERE s.tsv @@ q AND s.is_current {source_clause}
                ORDER BY score DESC, s.pk LIMIT :limit"""
        )
        query = _pg_query(terms, stage)
    else:  # pragma: no cover - get_engine admits only these two
        raise InputError(f"keyword search is not supported on {engine.dialect.name}")
    params: dict[str, Any] = {"query": query, "limit": limit}
    if source:
        params["source"] = source
    with engine.connect() as connection:
        return [(int(r[0]), float(r[1]), str(r[2])) for r in connection.execute(statement, params)]


COMMON_FLOOR = 2000
COMMON_SHARE = 0.05


def _distinctive_terms(engine: Engine, terms: list[str]) -> list[str]:
    """The terms worth an any-word search: those in under 5% of sentences (at least
    2,000 allowed), or else the rarest one. Ranking every sentence that contains a word
    like "Japan" would cost a scan of much of the corpus for little value."""
    with engine.connect() as connection:
        size = connection.execute(select(func.coalesce(func.max(Sentence.pk), 0))).scalar() or 0
        cap = max(COMMON_FLOOR, int(COMMON_SHARE * size))
        if engine.dialect.name == "sqlite":
            count = text(
                "SELECT count(*) FROM (SELECT 1 FROM sentences_fts "
                "WHERE sentences_fts MATCH :term LIMIT :cap)"
            )
            quote = '"'
        else:
            count = text(
                "SELECT count(*) FROM (SELECT 1 FROM sentences "
                "WHERE tsv @@ to_tsquery('english', :term) LIMIT :cap) AS hits"
            )
            quote = "'"
        frequencies = {
            t: connection.execute(count, {"term": f"{quote}{t}{quote}", "cap": cap}).scalar() or 0
            for t in terms
        }
    kept = [t for t in terms if frequencies[t] < cap]
    return kept or [min(terms, key=lambda t: frequencies[t])]


def _snippets(engine: Engine, terms: list[str], pks: list[int]) -> dict[int, str]:
    """Highlighted snippets of the given sentences for any of ``terms``."""
    if not pks or not terms:
        return {}
    if engine.dialect.name == "sqlite":
        statement = text(
            f"SELECT rowid, {SQLITE_SNIPPET} FROM sentences_fts "
            "WHERE sentences_fts MATCH :query AND rowid IN :pks"
        )
        query = _fts5_query(terms, "or")
    else:
        statement = text(
            f"SELECT s.pk, ts_headline('english', s.text, to_tsquery('english', :query), "
            f"'{PG_HEADLINE_OPTIONS}') FROM sentences s WHERE s.pk IN :pks"
        )
        query = _pg_query(terms, "or")
    statement = statement.bindparams(bindparam("pks", expanding=True))
    with engine.connect() as connection:
        rows = connection.execute(statement, {"query": query, "pks": pks})
        return {int(r[0]): str(r[1]) for r in rows}


def _keyword_ranked(
    engine: Engine, query: str, limit: int, source: str | None, snippets: bool = True
) -> list[tuple[int, float, str, bool]]:
    """Keyword hits ``(pk, score, snippet, has_every_word)`` in stage order."""
    terms = _terms(query)
    if not terms:
        raise InputError("the query has no words to search for", where="QUERY")
    stages = ["phrase", "and", "or"] if len(terms) > 1 else ["and"]
    found: list[tuple[int, float, str, bool]] = []
    seen: set[int] = set()
    for stage in stages:
        if stage == "or" and found:
            break  # any-word matching is only a fallback when no sentence has every word
        stage_terms = _distinctive_terms(engine, terms) if stage == "or" else terms
        stage_hits = _keyword_stage(engine, stage_terms, stage, limit, source, snippets)
        for pk, score, snippet in stage_hits:
            if pk not in seen:
                seen.add(pk)
                found.append((pk, score, snippet, stage != "or"))
        if len(found) >= limit:
            break
    return found[:limit]


def ensure_embeddings(engine: Engine, batch: int = 512) -> int:
    """Embed current sentences that were ingested without embeddings; return how many."""
    from sqlalchemy import insert
    from sqlalchemy.orm import Session

    missing = (
        select(Sentence.pk, Sentence.text)
        .outerjoin(SentenceEmbedding, SentenceEmbedding.sentence_pk == Sentence.pk)
        .where(Sentence.is_current.is_(True), SentenceEmbedding.sentence_pk.is_(None))
        .order_by(Sentence.pk)
    )
    with engine.connect() as connection:
        rows = connection.execute(missing).all()
    for begin in range(0, len(rows), batch):
        chunk = rows[begin : begin + batch]
        vectors = embeddings.embed([r[1] for r in chunk])
        with Session(engine) as session, session.begin():
            embeddings.bump_generation(session)
            session.execute(
                insert(SentenceEmbedding),
                [
                    {
                        "sentence_pk": r[0],
                        "model": embeddings.MODEL_NAME,
                        "dim": embeddings.DIMENSION,
                        "vector": embeddings.to_bytes(v),
                    }
                    for r, v in zip(chunk, vectors, strict=True)
                ],
            )
    return len(rows)


_backfilled: dict[str, int] = {}


def _matrix(engine: Engine) -> embeddings.EmbeddingMatrix:
    """The store's embedding matrix, after embedding any sentence stored without one.

    The scan for missing embeddings runs only when the store changed since the last one.
    """
    key = engine.url.render_as_string(hide_password=False)
    if _backfilled.get(key) != embeddings.signature(engine):
        ensure_embeddings(engine)
        _backfilled[key] = embeddings.signature(engine)
    return embeddings.current_matrix(engine)


def _semantic_ranked(
    engine: Engine, query: str, limit: int, source: str | None
) -> list[tuple[int, float]]:
    if not query.strip():
        raise InputError("the query is empty", where="QUERY")
    matrix = _matrix(engine)
    if len(matrix.sentence_pks) == 0:
        return []
    vector = embeddings.embed([query])[0]
    scores = matrix.vectors @ vector
    if source:
        scores = np.where(matrix.document_ids == source, scores, -np.inf)
    count = min(limit, int(np.isfinite(scores).sum()))
    if count == 0:
        return []
    top = np.argpartition(-scores, count - 1)[:count]
    order = top[np.lexsort((matrix.sentence_pks[top], -scores[top]))]
    return [(int(matrix.sentence_pks[i]), float(scores[i])) for i in order]


def _load_sentences(engine: Engine, pks: list[int]) -> dict[int, Sentence]:
    if not pks:
        return {}
    statement = select(Sentence).where(Sentence.pk.in_(bindparam("pks", expanding=True)))
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        rows = session.execute(statement, {"pks": pks}).scalars().all()
        session.expunge_all()
    return {row.pk: row for row in rows}


def _hits(
    engine: Engine, ranked: list[tuple[int, float]], snippets: dict[int, str]
) -> list[SearchHit]:
    sentences = _load_sentences(engine, [pk for pk, _ in ranked])
    hits = []
    for pk, score in ranked:
        sentence = sentences[pk]
        hits.append(
            SearchHit(
                source_id=sentence.document_id,
                sentence_id=sentence.id,
                start=sentence.start,
                end=sentence.end,
                text=sentence.text,
                score=round(score, 6),
                snippet=snippets.get(pk, sentence.text),
            )
        )
    return hits


def search(
    query: str,
    *,
    mode: str = "hybrid",
    source: str | None = None,
    limit: int = 10,
    db_url: str | os.PathLike[str] | None = None,
) -> list[SearchHit]:
    """Search the corpus; see the module docstring for the three modes."""
    if mode not in MODES:
        raise InputError(f"unknown search mode {mode!r} (use {', '.join(MODES)})", where="--mode")
    if limit < 1:
        raise InputError("--limit must be at least 1", where="--limit")
    engine = get_engine(db_url)
    if mode == "keyword":
        keyword = _keyword_ranked(engine, query, limit, source)
        return _hits(
            engine, [(pk, s) for pk, s, _, _ in keyword], {pk: sn for pk, _, sn, _ in keyword}
        )
    if mode == "semantic":
        return _hits(engine, _semantic_ranked(engine, query, limit, source), {})
    depth = max(FUSION_DEPTH, limit)
    terms = _terms(query)
    keyword = _keyword_ranked(engine, query, depth, source, snippets=False) if terms else []
    semantic = _semantic_ranked(engine, query, depth, source)
    fused: dict[int, float] = {}
    for rank, (pk, _, _, every_word) in enumerate(keyword, start=1):
        fused[pk] = fused.get(pk, 0.0) + (2.0 if every_word else 1.0) / (RRF_K + rank)
    for rank, (pk, _) in enumerate(semantic, start=1):
        fused[pk] = fused.get(pk, 0.0) + 1.0 / (RRF_K + rank)
    ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:limit]
    from_keyword = {pk for pk, _, _, _ in keyword}
    snippets = _snippets(engine, terms, [pk for pk, _ in ranked if pk in from_keyword])
    return _hits(engine, ranked, snippets)


def corpus_is_empty(db_url: str | os.PathLike[str] | None = None) -> bool:
    """True when the store holds no sentence."""
    engine = get_engine(db_url)
    with engine.connect() as connection:
        return not connection.execute(select(func.count()).select_from(Sentence)).scalar()
