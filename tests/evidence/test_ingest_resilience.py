"""A bad file never costs the batch, and an interrupted batch keeps what it finished."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pypdf
import pytest
from pypdf.errors import DependencyError
from typer.testing import CliRunner

from kizashi.cli.main import app
from kizashi.evidence import dispose_engine, ingest_paths, list_sources

from .pdf_fixture import make_pdf

SRC = Path(__file__).resolve().parents[2] / "src"
GOOD = "Tokyo and Washington agreed to expand joint exercises. The U.S. welcomed it.\n"
FILE_ID = "/ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]"
RAISE_MARKER = b"%kizashi-test-raise:"
SENTENCES = 5


def _pdf(objects: list[bytes], trailer_extra: str = "", comment: bytes = b"") -> bytes:
    """A one-page PDF built from ``objects`` with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n" + comment)
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R {trailer_extra}>>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _page(
    stream: bytes = b"BT /F1 11 Tf 72 720 Td (Japan buys more US LNG.) Tj ET",
    stream_keys: bytes = b"",
) -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
        b"<< /Length "
        + str(len(stream)).encode()
        + b" "
        + stream_keys
        + b" >>\nstream\n"
        + stream
        + b"\nendstream",
    ]


def _encrypted(encrypt: bytes) -> bytes:
    return _pdf([*_page(), encrypt], f"/Encrypt 6 0 R {FILE_ID}")


AES_256 = (
    b"<< /Filter /Standard /V 5 /R 6 /Length 256 /P -4 "
    b"/CF << /StdCF << /CFM /AESV3 /Length 32 /AuthEvent /DocOpen >> >> "
    b"/StmF /StdCF /StrF /StdCF /O <" + b"00" * 48 + b"> /U <" + b"00" * 48 + b"> "
    b"/OE <" + b"00" * 32 + b"> /UE <" + b"00" * 32 + b"> /Perms <" + b"00" * 16 + b"> >>"
)

# Real files the PDF library cannot handle, with a word each reason must contain.
CRAFTED: dict[str, tuple[bytes, str]] = {
    "unknown-filter.pdf": (_pdf(_page(stream_keys=b"/Filter /FooDecode")), "FooDecode"),
    "encryption-v9.pdf": (
        _encrypted(b"<< /Filter /Standard /V 9 /R 9 /O (aaaa) /U (bbbb) /P -4 /Length 128 >>"),
        "V=9",
    ),
    "foreign-security-handler.pdf": (
        _encrypted(b"<< /Filter /FooSec /V 1 /R 2 /O (aaaa) /U (bbbb) /P -4 >>"),
        "Standard",
    ),
    # AES needs the optional ``cryptography`` package; with it the file is just encrypted
    "aes-256.pdf": (_encrypted(AES_256), "PDF"),
    "nested-content.pdf": (
        _pdf(_page(stream=b"BT /F1 11 Tf 72 720 Td (a) Tj ET " + b"[" * 600 + b"]" * 600)),
        "nested too deeply",
    ),
}

# Exception classes seen from inside the reader on fuzzed files; files carrying the marker
# make the patched reader raise them.
RAISED: dict[str, type[Exception]] = {
    "raises-not-implemented.pdf": NotImplementedError,
    "raises-dependency.pdf": DependencyError,
    "raises-assertion.pdf": AssertionError,
    "raises-overflow.pdf": OverflowError,
    "raises-recursion.pdf": RecursionError,
    "raises-runtime.pdf": RuntimeError,
}


@pytest.fixture
def batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of good text, Markdown and PDF files among broken PDFs of every kind."""
    real_reader = pypdf.PdfReader

    def reader(stream: Any, *args: Any, **kwargs: Any) -> pypdf.PdfReader:
        data = stream.getvalue()
        if RAISE_MARKER in data:
            name = data.split(RAISE_MARKER, 1)[1].split(b"\n", 1)[0].decode()
            raise {cls.__name__: cls for cls in RAISED.values()}[name]("from inside the reader")
        return real_reader(stream, *args, **kwargs)

    monkeypatch.setattr(pypdf, "PdfReader", reader)
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a-good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b-good.md").write_text("# Alliance\n\nJapan and the US agree.\n", encoding="utf-8")
    (folder / "z-good.pdf").write_bytes(make_pdf([["Japan buys more US LNG. Prices fell."]]))
    for name, (data, _word) in CRAFTED.items():
        (folder / name).write_bytes(data)
    for name, cls in RAISED.items():
        marker = RAISE_MARKER + cls.__name__.encode() + b"\n"
        (folder / name).write_bytes(_pdf(_page(), comment=marker))
    return folder


def test_broken_pdfs_are_reported_and_the_good_files_stored(batch: Path, db_url: str) -> None:
    report = ingest_paths([batch], db_url=db_url, embed=False)
    by_name = {Path(o.path).name: o for o in report.outcomes}
    assert {n for n, o in by_name.items() if o.status == "ingested"} == {
        "a-good.txt",
        "b-good.md",
        "z-good.pdf",
    }
    assert {Path(o.path).name for o in report.failed} == set(CRAFTED) | set(RAISED)
    for outcome in report.failed:
        assert outcome.error is not None
        assert outcome.error.path == outcome.path
        assert outcome.error.describe().startswith(f"{outcome.path}: ")
    reasons = {Path(o.path).name: o.error.message for o in report.failed if o.error}
    for name, (_data, word) in CRAFTED.items():
        assert word in reasons[name], (name, reasons[name])
    assert "optional package" in reasons["raises-dependency.pdf"]
    assert "does not support" in reasons["raises-not-implemented.pdf"]
    assert "nested too deeply" in reasons["raises-recursion.pdf"]
    for name in ("raises-assertion.pdf", "raises-overflow.pdf", "raises-runtime.pdf"):
        assert RAISED[name].__name__ in reasons[name], reasons[name]
    assert sorted(d.id for d in list_sources(db_url)) == ["a-good", "b-good", "z-good"]


def test_cli_ingest_stores_the_good_files_and_exits_2(batch: Path, db_url: str) -> None:
    result = CliRunner().invoke(app, ["ingest", str(batch), "--db", db_url, "--no-embed"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for name in ("a-good", "b-good", "z-good"):
        assert name in result.stdout
    for name in (*CRAFTED, *RAISED):
        assert f"{batch / name}: " in result.stderr
    assert sorted(d.id for d in list_sources(db_url)) == ["a-good", "b-good", "z-good"]


def _stored(db: Path) -> list[tuple[str, str, int]]:
    """(id, content hash, current sentences) of every stored document, read-only."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
            return connection.execute(
                "SELECT d.id, d.content_hash, "
                "(SELECT count(*) FROM sentences s WHERE s.document_id = d.id AND s.is_current) "
                "FROM documents d ORDER BY d.id"
            ).fetchall()
    except sqlite3.OperationalError:  # the store is not created yet
        return []


def _sentences(db: Path) -> list[tuple[str, str, int, int, str]]:
    """Every stored sentence (id, document, start, end, text), read-only."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return connection.execute(
            'SELECT id, document_id, start, "end", text FROM sentences ORDER BY id'
        ).fetchall()


def _ingest_command(folder: Path, db: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "kizashi.cli.main",
        "ingest",
        str(folder),
        "--no-embed",
        "--db",
        f"sqlite:///{db}",
    ]


@pytest.mark.slow
def test_a_killed_no_embed_ingest_keeps_finished_documents(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    total = 100
    for number in range(total):
        text = " ".join(
            f"Report {number} notes that Japan expands exercise {k} with the US."
            for k in range(SENTENCES)
        )
        (folder / f"doc-{number:04d}.txt").write_text(text + "\n", encoding="utf-8")
    # The last file of the batch is a pipe nobody writes to: reading it blocks, so the
    # process is killed late in the batch, after every other document was read.
    fifo = tmp_path / "never-written"
    os.mkfifo(fifo)
    last = folder / "zz-last.txt"
    last.symlink_to(fifo)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    db = tmp_path / "store.db"

    process = subprocess.Popen(
        _ingest_command(folder, db), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 15
    try:
        while len(_stored(db)) < total and time.monotonic() < deadline:
            assert process.poll() is None, "the ingest ended before it was killed"
            time.sleep(0.02)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL
    kept = _stored(db)
    files = {path.stem: path for path in sorted(folder.iterdir()) if path != last}
    # every document finished before the kill is stored, whole: its hash and all sentences
    assert [row[0] for row in kept] == sorted(files)
    for source_id, content_hash, sentences in kept:
        assert content_hash == hashlib.sha256(files[source_id].read_bytes()).hexdigest()
        assert sentences == SENTENCES, source_id

    # the re-run leaves the kept documents as they are and ingests only the rest
    last.unlink()
    last.write_text("The last report arrives. Japan and the US agree.\n", encoding="utf-8")
    report = ingest_paths([folder], db_url=f"sqlite:///{db}", embed=False)
    dispose_engine(f"sqlite:///{db}")
    assert {o.source_id for o in report.outcomes if o.status == "unchanged"} == set(files)
    assert [o.source_id for o in report.outcomes if o.status != "unchanged"] == ["zz-last"]
    assert report.outcomes[-1].status == "ingested"

    # and the store ends as one clean ingest of the folder would leave it
    clean = tmp_path / "clean.db"
    ingest_paths([folder], db_url=f"sqlite:///{clean}", embed=False)
    dispose_engine(f"sqlite:///{clean}")
    assert _stored(db) == _stored(clean)
    assert _sentences(db) == _sentences(clean)
