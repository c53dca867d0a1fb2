"""Output formats of the commands: CSV with the same rows as their JSON, never a table; JSON listings."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from kizashi.cli.main import app

DATA = Path(__file__).resolve().parent / "data"
FLAGSHIP = Path(__file__).resolve().parents[1] / "src/kizashi/data/models/us-japan-alliance.yaml"
runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _rows(text: str) -> list[dict[str, str]]:
    assert "┃" not in text and "│" not in text  # not a rich table
    return list(csv.DictReader(io.StringIO(text)))


def test_ensemble_csv_lists_the_json_scenarios() -> None:
    args = ["ensemble", str(FLAGSHIP), "--fix", "us_orientation=america_first"]
    listed = json.loads(_run(*args, "--format", "json"))["scenarios"]
    rows = _rows(_run(*args, "--format", "csv"))
    assert len(rows) == len(listed) > 0
    for row, item in zip(rows, listed, strict=True):
        assert {d: row[d] for d in item["variants"]} == item["variants"]
        for member in item["consistent_in"]:
            assert row[f"consistent_in_{member}"] == "True"


def test_succession_csv_is_the_path() -> None:
    scw = str(DATA / "somewhereland.scw")
    start = "A. Government=A1 Patriots party"
    path = json.loads(_run("succession", scw, "--start", start, "--format", "json"))["path"]
    rows = _rows(_run("succession", scw, "--start", start, "--format", "csv"))
    assert [int(r["step"]) for r in rows] == list(range(len(path)))
    for row, state in zip(rows, path, strict=True):
        assert {d: row[d] for d in state} == state


def test_attractors_csv_has_one_row_per_state_with_weights() -> None:
    scw = str(DATA / "somewhereland.scw")
    found = json.loads(_run("attractors", scw, "--format", "json"))["attractors"]
    rows = _rows(_run("attractors", scw, "--format", "csv"))
    assert len(rows) == sum(len(a["states"]) for a in found)
    assert sum(int(r["weight"]) for r in rows if r["state"] == "1") == sum(
        a["weight"] for a in found
    )


def test_sources_lists_the_store_as_json(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    assert json.loads(_run("sources", "--db", db, "--format", "json")) == []
    article = tmp_path / "notes.txt"
    article.write_text(
        "Alliance notes\n\nJapan will buy more US LNG. Prices fell.\n", encoding="utf-8"
    )
    _run("ingest", str(article), "--db", db, "--no-embed")
    listed = json.loads(_run("sources", "--db", db, "--format", "json"))
    assert [d["id"] for d in listed] == ["notes"]
    assert listed[0]["version"] == 1 and listed[0]["sentences"] >= 2
    bad = runner.invoke(app, ["sources", "--db", db, "--format", "xml"])
    assert bad.exit_code != 0
