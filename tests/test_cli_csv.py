"""CSV output of the engine commands: the same rows as their JSON, never a table."""

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
