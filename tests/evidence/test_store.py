"""The store on SQLite and PostgreSQL: first use, bundled corpus, idempotence, versions."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kizashi.errors import InputError
from kizashi.evidence import (
    get_document,
    get_engine,
    get_sentence,
    ingest_bundled_corpus,
    ingest_paths,
    list_sources,
    resolve_db_url,
    search,
    sentence_context,
)
from kizashi.evidence.schema import (
    Base,
    Document,
    DocumentVersion,
    Furniture,
    Sentence,
    SentenceEmbedding,
)

from .test_cleaning import EXPECTED_REMOVED

ARTICLE = (
    "Alliance notes\n\n"
    "Tokyo and Washington agreed to expand joint exercises in 2025. "
    "The U.S. side welcomed Japan's plan to reach 2% of GDP.\n\n"
    "Leave a Reply\n"
)


def _counts(db_url: str) -> dict[str, int]:
    engine = get_engine(db_url)
    with Session(engine) as session:
        return {
            model.__tablename__: int(
                session.execute(select(func.count()).select_from(model)).scalar() or 0
            )
            for model in (Document, DocumentVersion, Furniture, Sentence, SentenceEmbedding)
        }


def test_store_is_created_on_first_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIZASHI_DB", str(tmp_path / "fresh.db"))
    assert resolve_db_url() == f"sqlite:///{tmp_path / 'fresh.db'}"
    assert list_sources() == []
    assert (tmp_path / "fresh.db").is_file()
    monkeypatch.delenv("KIZASHI_DB")
    monkeypatch.chdir(tmp_path)
    assert resolve_db_url() == f"sqlite:///{tmp_path / 'kizashi.db'}"


BACKEND_ONLY = {"alembic_version", "tsv", "ix_sentences_tsv"}  # full-text index, bookkeeping


def _in_models(name: str | None, kind: str, _parent: object) -> bool:
    if kind == "table" and (name or "").startswith("sentences_fts"):
        return False
    return name not in BACKEND_ONLY


def test_migrations_match_the_models(db_url: str) -> None:
    engine = get_engine(db_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": _in_models})
        assert compare_metadata(context, Base.metadata) == []


def test_bundled_corpus_is_stored_with_offsets_and_furniture(db_url: str) -> None:
    report = ingest_bundled_corpus(db_url, embed=False)
    assert [o.status for o in report.outcomes] == ["ingested"] * 5
    assert report.errors == []
    sources = {d.id: d for d in list_sources(db_url)}
    assert set(sources) == set(EXPECTED_REMOVED)
    assert sources["pohlkamp-9dashline-2024"].date == "2024-04-17"
    assert sources["kothiwale-tatvita-2024"].metadata["written_before_election"] is True
    assert sources["nath-krf-2025"].metadata["author_bios"][0].startswith("Saume Saptaparna Nath")
    for source_id, expected in EXPECTED_REMOVED.items():
        document = get_document(source_id, db_url=db_url)
        assert document.removed == expected
        assert document.origin.startswith("kizashi:data/corpus/seeds/")
        engine = get_engine(db_url)
        with Session(engine) as session:
            sentences = (
                session.execute(
                    select(Sentence)
                    .where(Sentence.document_id == source_id)
                    .order_by(Sentence.index)
                )
                .scalars()
                .all()
            )
        assert len(sentences) == document.sentence_count > 30
        for sentence in sentences:
            assert document.text[sentence.start : sentence.end] == sentence.text
            assert sentence.id == f"{source_id}:v1:s{sentence.index}"


def test_reingesting_unchanged_documents_changes_nothing(db_url: str) -> None:
    from kizashi.evidence.embeddings import signature

    assert signature(get_engine(db_url)) == 0
    ingest_bundled_corpus(db_url, embed=False)
    generation = signature(get_engine(db_url))
    assert generation == 5  # one write per document
    before = _counts(db_url)
    hashes = {d.id: d.content_hash for d in list_sources(db_url)}
    report = ingest_bundled_corpus(db_url, embed=False)
    assert [o.status for o in report.outcomes] == ["unchanged"] * 5
    assert _counts(db_url) == before
    assert {d.id: d.content_hash for d in list_sources(db_url)} == hashes
    assert signature(get_engine(db_url)) == generation


def test_changed_document_gets_a_new_version_and_old_sentences_resolve(
    db_url: str, tmp_path: Path
) -> None:
    article = tmp_path / "notes.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "notes.txt.yaml").write_text("id: alliance-notes\ntitle: Alliance notes\n")
    first = ingest_paths([article], db_url=db_url, embed=False)
    assert first.outcomes[0].status == "ingested"
    old = get_sentence("alliance-notes#1", db_url)
    assert old.text == "Tokyo and Washington agreed to expand joint exercises in 2025."

    article.write_text(ARTICLE.replace("joint exercises", "joint missile production"), "utf-8")
    second = ingest_paths([article], db_url=db_url, embed=False)
    assert (second.outcomes[0].status, second.outcomes[0].version) == ("new-version", 2)

    # The old citation still resolves, to the old text, and is no longer current.
    again = get_sentence("alliance-notes:v1:s1", db_url)
    assert again.text == old.text and not again.is_current
    assert [s.index for s in sentence_context(again, db_url=db_url)] == [0, 1, 2]
    assert get_sentence("alliance-notes#1", db_url).id == "alliance-notes:v2:s1"
    assert "joint exercises" in get_document("alliance-notes", 1, db_url).text
    assert get_document("alliance-notes", db_url=db_url).versions == [1, 2]
    assert [r for r in get_document("alliance-notes", db_url=db_url).removed] == [
        ("comment-form", "Leave a Reply")
    ]
    # Only the current version is searched.
    hits = search("joint", mode="keyword", db_url=db_url)
    assert [h.sentence_id for h in hits] == ["alliance-notes:v2:s1"]


def test_metadata_only_change_updates_in_place(db_url: str, tmp_path: Path) -> None:
    article = tmp_path / "notes.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    sidecar = tmp_path / "notes.txt.yaml"
    sidecar.write_text("id: alliance-notes\npublisher: A\n")
    ingest_paths([article], db_url=db_url, embed=False)
    sidecar.write_text("id: alliance-notes\npublisher: B\n")
    report = ingest_paths([article], db_url=db_url, embed=False)
    assert report.outcomes[0].status == "metadata-updated"
    document = get_document("alliance-notes", db_url=db_url)
    assert (document.publisher, document.version) == ("B", 1)


def test_unknown_references_are_input_errors(db_url: str) -> None:
    ingest_bundled_corpus(db_url, embed=False)
    with pytest.raises(InputError, match="unknown source id"):
        get_document("no-such-source", db_url=db_url)
    with pytest.raises(InputError, match="no sentence"):
        get_sentence("nath-krf-2025#9999", db_url)
    with pytest.raises(InputError, match="not a sentence reference"):
        get_sentence("nath-krf-2025#abc", db_url)
    with pytest.raises(InputError, match="no version 7"):
        get_document("nath-krf-2025", 7, db_url)


def test_bad_database_url_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unsupported database backend"):
        get_engine("mysql://localhost/x")
    with pytest.raises(InputError, match="does not exist"):
        get_engine(tmp_path / "missing-dir" / "k.db")
