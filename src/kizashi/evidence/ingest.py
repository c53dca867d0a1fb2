"""Ingesting documents into the evidence store.

Each document is read, cleaned, split into sentences, optionally embedded, and written
in one transaction. A document whose content hash is unchanged is left as it is; a
changed one becomes a new version (its old sentences stay resolvable but are no longer
searched). Files that cannot be ingested are reported with their path and reason and
the rest of the batch goes on; nothing of a failed document is written.
"""

from __future__ import annotations

import os
import queue
import shutil
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kizashi.errors import InputError
from kizashi.evidence import embeddings
from kizashi.evidence.cleaning import CleanedDocument, author_names, clean_paragraphs
from kizashi.evidence.db import get_engine
from kizashi.evidence.manifest import SourceInfo, load_manifest, sidecar_info, slug_id
from kizashi.evidence.readers import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, read_document
from kizashi.evidence.schema import (
    Document,
    DocumentVersion,
    Furniture,
    Sentence,
    SentenceEmbedding,
    utcnow,
)

Status = Literal["ingested", "new-version", "unchanged", "metadata-updated", "failed"]


@dataclass
class IngestOutcome:
    """What happened to one file."""

    path: str
    status: Status
    source_id: str | None = None
    version: int | None = None
    sentences: int = 0
    removed: int = 0
    error: InputError | None = None


@dataclass
class IngestReport:
    """Outcomes of a batch, in input order."""

    outcomes: list[IngestOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[IngestOutcome]:
        """Files that could not be ingested."""
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def errors(self) -> list[InputError]:
        """The errors of the failed files."""
        return [o.error for o in self.outcomes if o.error is not None]

    @property
    def sentences(self) -> int:
        """Sentences written by this batch."""
        return sum(o.sentences for o in self.outcomes if o.status in ("ingested", "new-version"))


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files to ingest: files as given, directories searched for supported files."""
    result: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            result.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if (p.is_file() or p.is_symlink()) and p.suffix.lower() in SUPPORTED_SUFFIXES
                )
            )
        else:
            result.append(path)
    return result


def _source_info(path: Path, manifest: dict[Path, SourceInfo], hints: dict[str, str]) -> SourceInfo:
    info = manifest.get(path.resolve()) or sidecar_info(path)
    if info is None:
        info = SourceInfo(id=slug_id(path))
    for key in ("title", "author", "date", "url"):
        if getattr(info, key) is None and hints.get(key):
            setattr(info, key, hints[key])
    return info


def _existing(engine: Engine, source_id: str) -> tuple[str, int] | None:
    with engine.connect() as connection:
        row = connection.execute(
            select(Document.content_hash, Document.version).where(Document.id == source_id)
        ).first()
    return (row[0], row[1]) if row else None


def _document_fields(info: SourceInfo, cleaned: CleanedDocument) -> dict[str, Any]:
    meta: dict[str, Any] = dict(info.extra)
    meta.update(cleaned.metadata)
    meta["removed"] = dict(Counter(r.kind for r in cleaned.removed))
    return {
        "title": info.title,
        "author": info.author,
        "publisher": info.publisher,
        "date": info.date or cleaned.metadata.get("dateline"),
        "url": info.url,
        "meta": meta,
    }


def _write(
    engine: Engine,
    info: SourceInfo,
    origin: str,
    content_hash: str,
    cleaned: CleanedDocument,
    vectors: Any | None,
) -> tuple[Status, int]:
    """Write one document version in a single transaction."""
    fields = _document_fields(info, cleaned)
    with Session(engine) as session, session.begin():
        document = session.get(Document, info.id, with_for_update=True)
        if document is not None and document.content_hash == content_hash:
            changed = any(getattr(document, k) != v for k, v in fields.items())
            for key, value in fields.items():
                setattr(document, key, value)
            return ("metadata-updated" if changed else "unchanged"), document.version
        now = utcnow()
        embeddings.bump_generation(session)
        if document is None:
            document = Document(id=info.id, version=0)
            session.add(document)
            status: Status = "ingested"
        else:
            session.execute(
                update(Sentence)
                .where(Sentence.document_id == info.id, Sentence.is_current.is_(True))
                .values(is_current=False)
            )
            status = "new-version"
        version = document.version + 1
        document.origin = origin
        document.content_hash = content_hash
        document.version = version
        document.cleaned_text = cleaned.text
        document.ingested_at = now
        for key, value in fields.items():
            setattr(document, key, value)
        session.flush()
        session.add(
            DocumentVersion(
                document_id=info.id,
                version=version,
                content_hash=content_hash,
                origin=origin,
                cleaned_text=cleaned.text,
                ingested_at=now,
            )
        )
        session.flush()
        if cleaned.removed:
            session.execute(
                insert(Furniture),
                [
                    {
                        "document_id": info.id,
                        "version": version,
                        "index": i,
                        "kind": r.kind,
                        "text": r.text,
                        "paragraph": r.paragraph,
                    }
                    for i, r in enumerate(cleaned.removed)
                ],
            )
        rows = [
            {
                "id": f"{info.id}:v{version}:s{i}",
                "document_id": info.id,
                "version": version,
                "index": i,
                "start": s.start,
                "end": s.end,
                "paragraph": s.paragraph,
                "text": s.text,
                "is_current": True,
            }
            for i, s in enumerate(cleaned.sentences)
        ]
        session.execute(insert(Sentence), rows)
        if vectors is not None:
            pks = dict(
                session.execute(
                    select(Sentence.index, Sentence.pk).where(
                        Sentence.document_id == info.id, Sentence.version == version
                    )
                ).all()
            )
            session.execute(
                insert(SentenceEmbedding),
                [
                    {
                        "sentence_pk": pks[i],
                        "model": embeddings.MODEL_NAME,
                        "dim": embeddings.DIMENSION,
                        "vector": embeddings.to_bytes(vectors[i]),
                    }
                    for i in range(len(cleaned.sentences))
                ],
            )
    return status, version


@dataclass
class _Prepared:
    """A document read, cleaned and split, waiting for its vectors and its write."""

    path: Path
    info: SourceInfo
    origin: str
    content_hash: str
    cleaned: CleanedDocument
    needs_vectors: bool


def _prepare(
    path: Path,
    engine: Engine,
    *,
    manifest: dict[Path, SourceInfo],
    embed: bool,
    max_bytes: int,
    origin: str | None,
    claimed: dict[str, Path] | None,
) -> _Prepared:
    """Read, identify and clean one file; user-caused problems raise :class:`InputError`.

    ``claimed`` maps the source ids already taken in this batch to their files, so that
    two different files that would get the same id are reported instead of one silently
    becoming a new version of the other.
    """
    raw = read_document(path, max_bytes=max_bytes)
    info = _source_info(path, manifest, raw.hints)
    if claimed is not None:
        owner = claimed.setdefault(info.id, path.resolve())
        if owner != path.resolve():
            raise InputError(
                f"source id {info.id!r} is already used by {owner} in this batch "
                "(give this file its own id in a manifest or a <file>.yaml sidecar)",
                path=str(path),
            )
    existing = _existing(engine, info.id)
    cleaned = clean_paragraphs(
        raw.paragraphs, authors=author_names(info.author), furniture=raw.furniture
    )
    if not cleaned.sentences:
        raise InputError("no text left after removing page furniture", path=str(path))
    needs_vectors = embed and not (existing and existing[0] == raw.content_hash)
    return _Prepared(path, info, origin or str(path), raw.content_hash, cleaned, needs_vectors)


def _store(prepared: _Prepared, engine: Engine, vectors: Any | None) -> IngestOutcome:
    path, cleaned = prepared.path, prepared.cleaned
    try:
        status, version = _write(
            engine, prepared.info, prepared.origin, prepared.content_hash, cleaned, vectors
        )
    except SQLAlchemyError as exc:
        return _failed(path, exc)
    written = len(cleaned.sentences) if status in ("ingested", "new-version") else 0
    return IngestOutcome(
        str(path), status, prepared.info.id, version, written, len(cleaned.removed)
    )


def _failed(path: Path, exc: InputError | SQLAlchemyError) -> IngestOutcome:
    if isinstance(exc, SQLAlchemyError):
        exc = InputError(
            f"could not store document: {exc.__class__.__name__}: {exc}", path=str(path)
        )
    return IngestOutcome(str(path), "failed", error=exc)


EMBED_BATCH_SENTENCES = 1024
"""Sentences of several documents embedded together: the model sorts one batch by
length, so a larger batch pads less and keeps the cores busy."""


def ingest_paths(
    paths: Sequence[str | os.PathLike[str]],
    manifest: str | os.PathLike[str] | None = None,
    db_url: str | os.PathLike[str] | None = None,
    *,
    embed: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: bool = False,
    origin_of: Callable[[Path], str] | None = None,
) -> IngestReport:
    """Ingest files and directories; with only a manifest, ingest every file it lists.

    Documents are read and cleaned on a background thread while the sentences of
    earlier documents are embedded (the model releases the interpreter lock while it
    computes); sentences are embedded in batches that span documents
    (:data:`EMBED_BATCH_SENTENCES`), and each document is then written in its own
    transaction, in input order. Documents that need no vectors (``embed=False``, or
    unchanged content) are written as soon as the documents before them are, so an
    interrupted batch keeps what it finished and a re-run redoes only the rest.

    Returns a report; failed files carry an :class:`InputError` naming the file and the
    reason, and do not stop the batch.
    """
    engine = get_engine(db_url)
    entries = load_manifest(Path(manifest)) if manifest is not None else {}
    files = expand_paths(paths) if paths else list(entries)
    report = IngestReport()
    claimed: dict[str, Path] = {}
    pending: list[_Prepared | IngestOutcome] = []
    pending_sentences = 0

    with _progress(progress, len(files)) as advance:

        def flush() -> None:
            texts = [
                s.text
                for item in pending
                if isinstance(item, _Prepared) and item.needs_vectors
                for s in item.cleaned.sentences
            ]
            vectors = embeddings.embed(texts) if texts else None
            offset = 0
            for item in pending:
                if isinstance(item, IngestOutcome):
                    report.outcomes.append(item)
                    advance(Path(item.path).name)
                    continue
                own = None
                if item.needs_vectors and vectors is not None:
                    count = len(item.cleaned.sentences)
                    own = vectors[offset : offset + count]
                    offset += count
                report.outcomes.append(_store(item, engine, own))
                advance(item.path.name)
            pending.clear()

        def prepare(path: Path) -> _Prepared | IngestOutcome:
            try:
                return _prepare(
                    path,
                    engine,
                    manifest=entries,
                    embed=embed,
                    max_bytes=max_bytes,
                    origin=origin_of(path) if origin_of else None,
                    claimed=claimed,
                )
            except (InputError, SQLAlchemyError) as exc:
                return _failed(path, exc)

        for item in _ahead(prepare, files, switch_interval=INGEST_SWITCH_INTERVAL):
            pending.append(item)
            if isinstance(item, _Prepared) and item.needs_vectors:
                pending_sentences += len(item.cleaned.sentences)
            # Without sentences waiting for the model (``--no-embed``, unchanged files)
            # each document is written as soon as it is read, so a kill late in a long
            # batch keeps every document finished before it.
            if pending_sentences == 0 or pending_sentences >= EMBED_BATCH_SENTENCES:
                flush()
                pending_sentences = 0
        flush()
    return report


T = TypeVar("T")
R = TypeVar("R")


INGEST_SWITCH_INTERVAL = 1e-4
"""The interpreter's thread switch interval while documents are read ahead (seconds).

The embedding model runs as many short Python calls between its compiled operations;
each needs the interpreter lock, which the reading thread holds while it segments.
With the default 5 ms interval the model waits that long for the lock again and again;
at 0.1 ms ingestion of the benchmark corpus went from about 495 to 540 sentences/s."""


def _ahead(
    work: Callable[[T], R],
    items: Sequence[T],
    depth: int = 32,
    switch_interval: float | None = None,
) -> Iterator[R]:
    """``work(item)`` for each item, in order, computed on a thread ahead of the consumer.

    An unexpected exception in ``work`` is raised here, in the consumer, after the
    results before it; if the consumer stops early the thread stops too. With
    ``switch_interval``, the interpreter's switch interval is set to it while the thread
    runs and restored afterwards.
    """
    results: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        for item in items:
            if stop.is_set():
                return
            try:
                outcome: tuple[bool, Any] = (True, work(item))
            except BaseException as exc:  # handed to the consumer, which raises it
                outcome = (False, exc)
            while not stop.is_set():
                try:
                    results.put(outcome, timeout=0.1)
                    break
                except queue.Full:
                    continue
            if not outcome[0]:
                return

    thread = threading.Thread(target=produce, name="kizashi-ingest-read", daemon=True)
    previous = sys.getswitchinterval()
    if switch_interval is not None:
        sys.setswitchinterval(switch_interval)
    thread.start()
    try:
        for _ in items:
            ok, value = results.get()
            if not ok:
                raise value
            yield value
    finally:
        stop.set()
        thread.join()
        sys.setswitchinterval(previous)


@contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Callable[[str], None]]:
    if not enabled or total <= 1:
        yield lambda _name: None
        return
    columns = (
        TextColumn("[bold]ingesting[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("", total=total)

        def advance(name: str) -> None:
            bar.update(task, advance=1, description=name)

        yield advance


@contextmanager
def bundled_corpus_dir() -> Iterator[Path]:
    """The bundled seed corpus as a directory (extracted if the package is zipped)."""
    root = resources.files("kizashi").joinpath("data", "corpus")
    direct = Path(str(root))
    if direct.is_dir():
        yield direct
        return
    with tempfile.TemporaryDirectory(prefix="kizashi-corpus-") as tmp:  # pragma: no cover
        target = Path(tmp)
        _copy_tree(root, target)
        yield target


def _copy_tree(node: Any, target: Path) -> None:  # pragma: no cover - zipped installs only
    for child in node.iterdir():
        if child.is_dir():
            (target / child.name).mkdir()
            _copy_tree(child, target / child.name)
        else:
            with child.open("rb") as src, (target / child.name).open("wb") as dst:
                shutil.copyfileobj(src, dst)


def ingest_bundled_corpus(
    db_url: str | os.PathLike[str] | None = None, *, embed: bool = True, progress: bool = False
) -> IngestReport:
    """Ingest the seed analyses shipped with kizashi (``data/corpus/seeds.yaml``)."""
    with bundled_corpus_dir() as corpus:
        return ingest_paths(
            [],
            manifest=corpus / "seeds.yaml",
            db_url=db_url,
            embed=embed,
            progress=progress,
            origin_of=lambda p: "kizashi:data/corpus/" + p.relative_to(corpus).as_posix(),
        )
