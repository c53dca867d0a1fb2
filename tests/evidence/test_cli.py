"""The evidence commands: ingest, search, show, sources."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from kizashi.cli.main import app

runner = CliRunner()


def test_search_on_an_empty_store_ingests_the_bundled_corpus(
    db_url: str, embedding_model: object
) -> None:
    result = runner.invoke(
        app, ["search", "Nippon Steel", "--db", db_url, "--format", "json", "--limit", "3"]
    )
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert hits[0]["source_id"] == "pohlkamp-9dashline-2024"
    assert "Nippon Steel’s proposed purchase of US Steel" in hits[0]["text"]
    assert set(hits[0]) == {"source_id", "sentence_id", "start", "end", "text", "score", "snippet"}
    result = runner.invoke(app, ["sources", "--db", db_url])
    assert result.exit_code == 0
    assert "kothiwale-tatvita-2024" in result.stdout and "nath-krf-2025" in result.stdout


def test_ingest_show_and_keyword_search(db_url: str, tmp_path: Path) -> None:
    article = tmp_path / "notes.txt"
    article.write_text(
        "Alliance notes\n\nJapan will buy more US LNG. Prices fell.\n\n"
        "Leave a Reply\n\nYour email address will not be published.\n",
        encoding="utf-8",
    )
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(article), str(bad), "--db", db_url, "--no-embed"])
    assert result.exit_code == 2
    assert "notes" in result.stdout and "ingested" in result.stdout
    assert f"{bad}: file is empty" in result.stderr

    result = runner.invoke(app, ["show", "notes", "--db", db_url])
    assert result.exit_code == 0
    assert "Japan will buy more US LNG." in result.stdout
    assert "comment-form" in result.stdout and "Leave a Reply" in result.stdout

    result = runner.invoke(app, ["show", "notes#1", "--db", db_url, "--context", "1"])
    assert result.exit_code == 0
    assert "> notes:v1:s1" in result.stdout
    assert "notes:v1:s0" in result.stdout and "notes:v1:s2" in result.stdout

    result = runner.invoke(app, ["search", "LNG", "--mode", "keyword", "--db", db_url])
    assert result.exit_code == 0
    assert "notes:v1:s1" in result.stdout


def test_user_errors_print_one_line_and_exit_2(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    for args, message in (
        (["show", "no-such-source"], "unknown source id 'no-such-source'"),
        (["search", "LNG", "--mode", "fuzzy"], "unknown search mode 'fuzzy'"),
        (["ingest"], "give files or directories to ingest"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "kizashi.cli.main", *args, "--db", str(db)],
            capture_output=True,
            text=True,
            check=False,
            env={"PATH": "/usr/bin:/bin", "KIZASHI_DB": str(db)},
        )
        assert done.returncode == 2, done.stderr
        assert message in done.stderr
        assert "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1


def test_bad_embedding_precision_is_one_clear_error_and_stores_nothing(tmp_path: Path) -> None:
    article = tmp_path / "notes.txt"
    article.write_text("Japan will buy more US LNG. Prices fell.\n", encoding="utf-8")
    db = tmp_path / "store.db"
    done = subprocess.run(
        [sys.executable, "-m", "kizashi.cli.main", "ingest", str(article), "--db", str(db)],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "KIZASHI_EMBEDDING_PRECISION": "fp8"},
    )
    assert done.returncode == 2, done.stderr
    assert "KIZASHI_EMBEDDING_PRECISION: must be auto, float32 or bfloat16, not 'fp8'" in (
        done.stderr
    )
    assert "Traceback" not in done.stderr
    listed = runner.invoke(app, ["sources", "--db", str(db)])
    assert listed.exit_code == 0 and "notes" not in listed.stdout
