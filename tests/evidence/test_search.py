"""Search over the seed corpus: the sentences a reader would pick, on both backends."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kizashi.errors import InputError
from kizashi.evidence import embeddings as emb
from kizashi.evidence import get_engine, ingest_bundled_corpus, search
from kizashi.evidence.schema import Sentence, SentenceEmbedding
from kizashi.evidence.search import HIGHLIGHT_END, HIGHLIGHT_START

HNS_NATH = "host nation support agreement between the US and Japan is set to be renewed in 2026"
HNS_UNATTRIBUTED = (
    "making negotiations for the renewal of its Host Nation Support much more difficult"
)
CHIPS_POHLKAMP = "limiting the export of advanced semiconductor equipment to China"
CHIPS_KOTHIWALE = "policies that include export controls on Chinese tech"
CHIPS_BASU = "tighter export controls on sensitive technologies"
LNG_KOTHIWALE = "increase in liquefied natural gas (LNG) sales to Japan"
STEEL_POHLKAMP = "Nippon Steel’s proposed purchase of US Steel"

# query -> (sentences that must make the top of the list, how many places they may use)
EXPECTED_KEYWORD = {
    "host nation support": ([HNS_NATH, HNS_UNATTRIBUTED], 2),
    "semiconductor export controls": ([CHIPS_POHLKAMP, CHIPS_KOTHIWALE, CHIPS_BASU], 3),
    "LNG": ([LNG_KOTHIWALE], 1),
    "Nippon Steel": ([STEEL_POHLKAMP], 1),
}
EXPECTED_SEMANTIC = {
    "host nation support": ([HNS_NATH], 1),
    "semiconductor export controls": ([CHIPS_POHLKAMP], 1),
    "LNG": ([LNG_KOTHIWALE], 1),
    "Nippon Steel": ([STEEL_POHLKAMP], 1),
}
EXPECTED_HYBRID = {
    "host nation support": ([HNS_NATH, HNS_UNATTRIBUTED], 2),
    "semiconductor export controls": ([CHIPS_POHLKAMP, CHIPS_KOTHIWALE], 3),
    "LNG": ([LNG_KOTHIWALE], 1),
    "Nippon Steel": ([STEEL_POHLKAMP], 1),
}


def _assert_top(hits: list, wanted: list[str], places: int) -> None:  # type: ignore[type-arg]
    top = [hit.text for hit in hits[:places]]
    for fragment in wanted:
        assert any(fragment in text for text in top), f"{fragment!r} not in top {places}: {top}"


def _check_hit_fields(hits: list, db_url: str) -> None:  # type: ignore[type-arg]
    engine = get_engine(db_url)
    with Session(engine) as session:
        for hit in hits:
            stored = session.execute(
                select(Sentence).where(Sentence.id == hit.sentence_id)
            ).scalar_one()
            assert (stored.document_id, stored.start, stored.end, stored.text) == (
                hit.source_id,
                hit.start,
                hit.end,
                hit.text,
            )
            assert set(hit.to_dict()) == {
                "source_id",
                "sentence_id",
                "start",
                "end",
                "text",
                "score",
                "snippet",
            }


def test_keyword_search_finds_what_a_reader_would_pick(db_url: str) -> None:
    ingest_bundled_corpus(db_url, embed=False)
    for query, (wanted, places) in EXPECTED_KEYWORD.items():
        hits = search(query, mode="keyword", limit=10, db_url=db_url)
        _assert_top(hits, wanted, places)
        _check_hit_fields(hits, db_url)
        scores = [hit.score for hit in hits[:places]]
        assert all(score > 0 for score in scores)
    (hit,) = search("LNG", mode="keyword", db_url=db_url)
    assert f"{HIGHLIGHT_START}LNG{HIGHLIGHT_END}" in hit.snippet
    # Stemming: "controls" finds "control"-words and the plural alike on both backends.
    assert search("export control", mode="keyword", limit=3, db_url=db_url)


def test_keyword_search_by_source_and_limit(db_url: str) -> None:
    ingest_bundled_corpus(db_url, embed=False)
    hits = search("Japan", mode="keyword", source="nath-krf-2025", limit=5, db_url=db_url)
    assert len(hits) == 5
    assert {hit.source_id for hit in hits} == {"nath-krf-2025"}
    assert search("zyxwvut", mode="keyword", db_url=db_url) == []
    with pytest.raises(InputError, match="no words"):
        search("?!", mode="keyword", db_url=db_url)
    with pytest.raises(InputError, match="unknown search mode"):
        search("LNG", mode="fuzzy", db_url=db_url)


def test_semantic_and_hybrid_search(db_url: str, embedding_model: object) -> None:
    report = ingest_bundled_corpus(db_url, embed=True)
    assert report.errors == []
    engine = get_engine(db_url)
    with Session(engine) as session:
        sentences = session.execute(select(func.count()).select_from(Sentence)).scalar()
        rows = session.execute(
            select(Sentence.text, SentenceEmbedding.vector, SentenceEmbedding.model)
            .join(SentenceEmbedding, SentenceEmbedding.sentence_pk == Sentence.pk)
            .order_by(Sentence.pk)
            .limit(3)
        ).all()
        embedded = session.execute(select(func.count()).select_from(SentenceEmbedding)).scalar()
    assert embedded == sentences
    stored = np.stack([emb.from_bytes(row[1]) for row in rows])
    assert stored.shape == (3, emb.DIMENSION)
    assert np.allclose(np.linalg.norm(stored, axis=1), 1.0, atol=1e-4)
    # The stored vectors are the model's vectors of those sentences. In bfloat16 the
    # rounding depends on the batch a sentence was encoded in, so compare by cosine.
    again = emb.embed([row[0] for row in rows])
    assert np.all(np.sum(stored * again, axis=1) > 0.999)
    assert {row[2] for row in rows} == {emb.MODEL_NAME}

    for query, (wanted, places) in EXPECTED_SEMANTIC.items():
        hits = search(query, mode="semantic", limit=5, db_url=db_url)
        _assert_top(hits, wanted, places)
        assert hits[0].score > hits[-1].score
        _check_hit_fields(hits, db_url)
    for query, (wanted, places) in EXPECTED_HYBRID.items():
        hits = search(query, mode="hybrid", limit=5, db_url=db_url)
        _assert_top(hits, wanted, places)
        _check_hit_fields(hits, db_url)
    (top,) = search("LNG", mode="hybrid", limit=1, db_url=db_url)
    assert f"{HIGHLIGHT_START}LNG{HIGHLIGHT_END}" in top.snippet
    # A paraphrase with none of the words still finds the burden-sharing sentences.
    hits = search(
        "Japan paying more for American soldiers based there",
        mode="semantic",
        limit=5,
        db_url=db_url,
    )
    assert any("troops" in hit.text or "military presence" in hit.text for hit in hits)
    hits = search("Nippon Steel", mode="semantic", source="nath-krf-2025", limit=3, db_url=db_url)
    assert {hit.source_id for hit in hits} == {"nath-krf-2025"}


def test_semantic_search_embeds_sentences_ingested_without_embeddings(
    db_url: str, embedding_model: object
) -> None:
    ingest_bundled_corpus(db_url, embed=False)
    engine = get_engine(db_url)
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(SentenceEmbedding)).scalar() == 0
    hits = search("LNG", mode="semantic", limit=1, db_url=db_url)
    assert LNG_KOTHIWALE in hits[0].text
    with Session(engine) as session:
        total = session.execute(select(func.count()).select_from(Sentence)).scalar()
        assert (
            session.execute(select(func.count()).select_from(SentenceEmbedding)).scalar() == total
        )


def test_embedding_precision_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(emb.PRECISION_VARIABLE, "float32")
    assert emb.precision() == "float32"
    monkeypatch.setenv(emb.PRECISION_VARIABLE, " BFloat16 ")
    assert emb.precision() == "bfloat16"
    monkeypatch.setenv(emb.PRECISION_VARIABLE, "auto")
    assert emb.precision() in ("float32", "bfloat16")
    monkeypatch.setenv(emb.PRECISION_VARIABLE, "fp8")
    with pytest.raises(InputError, match="auto, float32 or bfloat16") as raised:
        emb.precision()
    assert emb.PRECISION_VARIABLE in raised.value.describe()
