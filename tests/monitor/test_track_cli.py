"""``kizashi track`` and ``kizashi observations`` on the flagship with its bundled log."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from kizashi.cli.main import app

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
