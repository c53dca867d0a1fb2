"""Ingestion batches: bad files are reported and skipped, nothing is half-written."""

from __future__ import annotations

import hashlib
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from kizashi.errors import InputError
from kizashi.evidence import get_document, get_engine, get_sentence, ingest_paths, list_sources
from kizashi.evidence import ingest as ingest_module
from kizashi.evidence.schema import (
    Document,
    DocumentVersion,
    Furniture,
    Sentence,
    SentenceEmbedding,
)

from .pdf_fixture import make_pdf
from .test_readers import HTML

GOOD = "Tokyo and Washington agreed to expand joint exercises. The U.S. welcomed it.\n"


def _rows(db_url: str) -> dict[str, int]:
    with Session(get_engine(db_url)) as session:
        return {
            m.__tablename__: int(session.execute(select(func.count()).select_from(m)).scalar() or 0)
            for m in (Document, DocumentVersion, Furniture, Sentence, SentenceEmbedding)
        }


def test_batch_reports_bad_files_and_goes_on(db_url: str, tmp_path: Path) -> None:
    files = {
        "a-good.txt": GOOD.encode(),
        "b-empty.txt": b"",
        "c-binary.txt": b"\x00\xff" * 500,
        "d-broken.pdf": b"%PDF-1.7\n1 0 obj <<",
        "e-big.md": ("# Title\n\n" + "Japan and the US agree. " * 400).encode(),
        "f-empty.html": b"<html><body><nav>Home | About</nav></body></html>",
        "g-good.html": HTML.encode(),
        "h-good.pdf": make_pdf([["Japan buys more US LNG. Prices fell."]]),
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    (tmp_path / "i-missing.txt").symlink_to(tmp_path / "nowhere")
    report = ingest_paths([tmp_path], db_url=db_url, embed=False, max_bytes=5000)
    by_name = {Path(o.path).name: o for o in report.outcomes}
    assert {n for n, o in by_name.items() if o.status == "ingested"} == {
        "a-good.txt",
        "g-good.html",
        "h-good.pdf",
    }
    reasons = {Path(o.path).name: o.error.message for o in report.failed if o.error}
    assert reasons.keys() == {
        "b-empty.txt",
        "c-binary.txt",
        "d-broken.pdf",
        "e-big.md",
        "f-empty.html",
        "i-missing.txt",
    }
    assert "empty" in reasons["b-empty.txt"]
    assert "binary" in reasons["c-binary.txt"]
    assert "malformed PDF" in reasons["d-broken.pdf"]
    assert "too large" in reasons["e-big.md"]
    assert "no text left" in reasons["f-empty.html"] or "no readable" in reasons["f-empty.html"]
    assert "cannot read" in reasons["i-missing.txt"]
    for outcome in report.failed:
        assert outcome.error is not None and outcome.error.path == outcome.path
        assert outcome.path in outcome.error.describe()
    assert sorted(d.id for d in list_sources(db_url)) == ["a-good", "g-good", "h-good"]
    html = get_document("g-good", db_url=db_url)
    assert html.title == "Alliance watch" and html.author == "Jane Roe"
    assert ("footer", "© 2025 Example") in html.removed
    assert get_sentence("h-good#0", db_url).text == "Japan buys more US LNG."


def test_failure_inside_the_transaction_leaves_nothing(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = tmp_path / "notes.txt"
    article.write_text(GOOD, encoding="utf-8")
    ingest_paths([article], db_url=db_url, embed=False)
    before = _rows(db_url)

    def fail(*_args: object) -> bytes:
        raise OperationalError("INSERT INTO sentence_embeddings", {}, Exception("disk I/O error"))

    # A new version fails after its document, version, furniture and sentences were
    # written inside the transaction: all of it is rolled back, version 1 stays current.
    monkeypatch.setattr(ingest_module.embeddings, "embed", lambda texts: [0] * len(texts))
    monkeypatch.setattr(ingest_module.embeddings, "to_bytes", fail)
    article.write_text(GOOD + "Leave a Reply\n\nA new paragraph arrives.\n", encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text("Another document about LNG.\n", encoding="utf-8")
    report = ingest_paths([article, other], db_url=db_url, embed=True)
    assert [o.status for o in report.outcomes] == ["failed", "failed"]
    assert "could not store document" in report.outcomes[0].error.message  # type: ignore[union-attr]
    assert _rows(db_url) == before
    document = get_document("notes", db_url=db_url)
    assert document.version == 1 and document.versions == [1]
    assert get_sentence("notes#0", db_url).is_current


def test_manifest_alone_ingests_its_files_and_reports_bad_manifests(
    db_url: str, tmp_path: Path
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "one.txt").write_text(GOOD, encoding="utf-8")
    manifest = tmp_path / "sources.yaml"
    manifest.write_text(
        "- id: one-2025\n  file: docs/one.txt\n  title: One\n  date: 2025-01-02\n  region: Asia\n",
        encoding="utf-8",
    )
    report = ingest_paths([], manifest=manifest, db_url=db_url, embed=False)
    assert [o.source_id for o in report.outcomes] == ["one-2025"]
    document = get_document("one-2025", db_url=db_url)
    assert (document.title, document.date, document.metadata["region"]) == (
        "One",
        "2025-01-02",
        "Asia",
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text("- id: x\n  file: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match="malformed YAML") as info:
        ingest_paths([], manifest=broken, db_url=db_url, embed=False)
    assert info.value.path == str(broken)
    bad_id = tmp_path / "bad-id.yaml"
    bad_id.write_text("- id: 'has spaces'\n  file: docs/one.txt\n", encoding="utf-8")
    with pytest.raises(InputError, match="needs an 'id'"):
        ingest_paths([], manifest=bad_id, db_url=db_url, embed=False)


def test_two_files_with_the_same_derived_id_are_not_merged(db_url: str, tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.txt").write_text(f"{GOOD}From {folder}.\n", encoding="utf-8")
    report = ingest_paths([tmp_path / "a", tmp_path / "b"], db_url=db_url, embed=False)
    assert [o.status for o in report.outcomes] == ["ingested", "failed"]
    assert "already used by" in report.outcomes[1].error.message  # type: ignore[union-attr]
    assert get_document("notes", db_url=db_url).versions == [1]


def _fake_vectors(texts: list[str]) -> np.ndarray:
    """One distinct unit vector per text, derived from the text alone."""
    rows = []
    for text in texts:
        rng = np.random.default_rng(list(hashlib.sha256(text.encode()).digest()))
        row = rng.standard_normal(384).astype(np.float32)
        rows.append(row / np.linalg.norm(row))
    return np.stack(rows) if rows else np.zeros((0, 384), np.float32)


def test_embedding_batches_span_documents_and_vectors_stay_aligned(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[list[str]] = []

    def embed(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return _fake_vectors(texts)

    monkeypatch.setattr(ingest_module.embeddings, "embed", embed)
    monkeypatch.setattr(ingest_module, "EMBED_BATCH_SENTENCES", 5)
    for number in range(6):
        sentences = " ".join(
            f"Paper {number} makes point {k} about LNG." for k in range(number + 1)
        )
        (tmp_path / f"p{number}.txt").write_text(sentences + "\n", encoding="utf-8")
    (tmp_path / "p2b.txt").write_bytes(b"")  # a failure between two batched documents
    report = ingest_paths([tmp_path], db_url=db_url, embed=True)

    assert [Path(o.path).name for o in report.outcomes] == [
        "p0.txt",
        "p1.txt",
        "p2.txt",
        "p2b.txt",
        "p3.txt",
        "p4.txt",
        "p5.txt",
    ]
    assert [o.status for o in report.outcomes].count("failed") == 1
    assert report.sentences == 21
    # documents were embedded together (0-2, then 3-4), each sentence exactly once
    assert [len(c) for c in calls] == [6, 9, 6]
    assert sorted(t for c in calls for t in c) == sorted(
        f"Paper {n} makes point {k} about LNG." for n in range(6) for k in range(n + 1)
    )
    with Session(get_engine(db_url)) as session:
        rows = session.execute(
            select(Sentence.text, SentenceEmbedding.vector).join(
                SentenceEmbedding, SentenceEmbedding.sentence_pk == Sentence.pk
            )
        ).all()
    assert len(rows) == 21
    for text, blob in rows:
        assert np.array_equal(np.frombuffer(blob, dtype="<f4"), _fake_vectors([text])[0]), text


def test_reading_ahead_keeps_order_and_raises_in_the_consumer() -> None:
    def work(item: int) -> int:
        time.sleep(0.001 * (item % 3))
        if item == 7:
            raise RuntimeError("unexpected")
        return item * item

    seen: list[int] = []
    with pytest.raises(RuntimeError, match="unexpected"):
        for value in ingest_module._ahead(work, list(range(10)), depth=2):
            seen.append(value)
    assert seen == [n * n for n in range(7)]

    started: list[int] = []

    def record(item: int) -> int:
        started.append(item)
        return item

    before = sys.getswitchinterval()
    results = ingest_module._ahead(record, list(range(1000)), depth=2, switch_interval=1e-4)
    assert next(results) == 0
    assert sys.getswitchinterval() == pytest.approx(1e-4)
    results.close()  # the consumer stops early: the reading thread stops as well
    assert sys.getswitchinterval() == before
    assert len(started) < 1000
    assert not any(t.name == "kizashi-ingest-read" for t in threading.enumerate())
