"""``kizashi track`` and ``kizashi observations`` on the flagship with its bundled log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kizashi.cli.main import app, run

runner = CliRunner()


def test_track_json_has_the_documented_shape() -> None:
    result = runner.invoke(app, ["track", "us-japan-alliance", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["model"] == "us-japan-alliance"
    assert data["timeline"]
    dates = [e["date"] for e in data["timeline"]]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)
    for entry in data["timeline"]:
        assert {"date", "observed", "remaining", "inconsistency", "contradictions", "drift"} <= set(
            entry
        )
        rem = entry["remaining"]
        assert rem["tolerance"] == 0 and rem["count"] == len(rem["scenarios"])
        for scenario in rem["scenarios"]:
            assert all(scenario[d] == v for d, v in entry["observed"].items())
        for c in entry["contradictions"]:
            assert set(c) == {"descriptor", "observed", "model_prefers", "by"}
            assert c["by"] > 0 and c["observed"] == entry["observed"][c["descriptor"]]
        assert entry["inconsistency"] >= max((c["by"] for c in entry["contradictions"]), default=0)


def test_observations_json_lists_the_log() -> None:
    result = runner.invoke(app, ["observations", "us-japan-alliance", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data) >= 40
    assert {"date", "descriptor", "variant", "source", "quote"} <= set(data[0])


def test_a_bad_observations_file_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "observations:\n  - {date: 2025-01-20, descriptor: nowhere, variant: x}\n", encoding="utf-8"
    )
    with pytest.raises(SystemExit) as info:
        run(["track", "us-japan-alliance", "--observations", str(bad), "--format", "json"])
    assert info.value.code == 2
    _, err = capsys.readouterr()
    assert "observations[0].descriptor" in err and "unknown descriptor" in err and str(bad) in err
    assert "Traceback" not in err


def test_an_unknown_model_is_an_input_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        run(["observations", "no-such-model", "--format", "json"])
    assert info.value.code == 2


def test_track_table_up_to_a_date() -> None:
    result = runner.invoke(app, ["track", "us-japan-alliance", "--as-of", "2025-02-07"])
    assert result.exit_code == 0, result.output
    assert "2025-02-07" in result.output and "2025-03-12" not in result.output
    assert "contradict the model" in result.output


def test_a_bad_as_of_date_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        run(["track", "us-japan-alliance", "--as-of", "soon"])
    assert info.value.code == 2
    assert "--as-of" in capsys.readouterr().err
