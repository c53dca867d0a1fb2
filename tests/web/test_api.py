"""The JSON API: answers equal the command line's, ids are checked, edits are guarded,
persisted and undoable."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kizashi.cli.main import app as cli_app
from kizashi.errors import InputError
from kizashi.model import load_model
from tests.web.conftest import MakeApp

AMERICA_FIRST = {"us_orientation": "america_first"}
CELL = ("us_orientation.america_first", "hns_pressure.high")


def judgements_of(path: Path) -> dict:
    return {(j.source_variant, j.target_variant): j for j in load_model(path).model.judgements}


def empty_cell(path: Path) -> tuple[str, str]:
    """A cell between two descriptors that holds no judgement."""
    model = load_model(path).model
    taken = set(judgements_of(path))
    for d in model.descriptors[1:]:
        for e in model.descriptors[1:]:
            if d.id != e.id:
                cell = (f"{d.id}.{d.variants[0].id}", f"{e.id}.{e.variants[0].id}")
                if cell not in taken:
                    return cell
    raise AssertionError("the model has no empty cell")


def cli_json(model: Path, *args: str) -> dict:
    result = CliRunner().invoke(cli_app, ["scenarios", str(model), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("fixed", "tolerance", "cli_args"),
    [
        ({}, 0, []),
        (AMERICA_FIRST, 0, ["--fix", "us_orientation=america_first"]),
        (AMERICA_FIRST, 1, ["--fix", "us_orientation=america_first", "--tolerance", "1"]),
    ],
)
def test_scenarios_equal_cli_json(
    client: TestClient, model_copy: Path, fixed: dict, tolerance: float, cli_args: list[str]
) -> None:
    response = client.post("/api/scenarios", json={"fixed": fixed, "tolerance": tolerance})
    assert response.status_code == 200
    assert response.json() == cli_json(model_copy, *cli_args)


def test_large_answers_are_cut_and_marked_incomplete(client: TestClient) -> None:
    body = client.post("/api/scenarios", json={"tolerance": 1, "limit": 50}).json()
    assert len(body["scenarios"]) == 50 and body["complete"] is False
    assert client.post("/api/scenarios", json={"limit": 10**6}).status_code == 422


def test_scenarios_change_under_intervention(client: TestClient) -> None:
    free = client.post("/api/scenarios", json={}).json()["scenarios"]
    fixed = client.post(
        "/api/scenarios", json={"fixed": AMERICA_FIRST, "model": "us-japan-alliance"}
    ).json()["scenarios"]
    assert fixed and all(s["variants"]["us_orientation"] == "america_first" for s in fixed)
    assert [s["variants"] for s in free] != [s["variants"] for s in fixed]


@pytest.mark.parametrize(
    ("fixed", "named"),
    [
        ({"us_orientatio": "america_first"}, "'us_orientatio'"),
        ({"us_orientation": "america_last"}, "'america_last'"),
    ],
)
def test_unknown_id_is_422_naming_it(client: TestClient, fixed: dict, named: str) -> None:
    response = client.post("/api/scenarios", json={"fixed": fixed})
    assert response.status_code == 422
    assert named in response.json()["detail"]


def test_unknown_model_and_bad_tolerance(client: TestClient) -> None:
    assert (
        "other-model"
        in client.post("/api/scenarios", json={"model": "other-model"}).json()["detail"]
    )
    response = client.post("/api/scenarios", json={"tolerance": -1})
    assert response.status_code == 422 and "tolerance" in response.json()["detail"]
    assert (
        client.post(
            "/api/scenarios", content=b"{not json", headers={"content-type": "application/json"}
        ).status_code
        == 422
    )


def test_oversized_body_is_413(client: TestClient) -> None:
    body = json.dumps({"fixed": {}, "padding": "x" * (1024 * 1024 + 10)})
    response = client.post(
        "/api/scenarios", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_edit_persists_and_undo_restores(client: TestClient, model_copy: Path) -> None:
    original = model_copy.read_bytes()
    original_score = judgements_of(model_copy)[CELL].score
    before = client.get(f"/api/judgements/{CELL[0]}/{CELL[1]}").json()
    assert before["score"] == original_score != -1.5
    response = client.put(
        f"/api/judgements/{CELL[0]}/{CELL[1]}", json={"score": -1.5, "rationale": "revised"}
    )
    assert response.status_code == 200, response.text
    saved = {
        (j.source_variant, j.target_variant): j for j in load_model(model_copy).model.judgements
    }
    assert saved[CELL].score == -1.5 and saved[CELL].rationale == "revised"
    assert saved[CELL].evidence  # evidence kept when not given
    assert client.get(f"/api/judgements/{CELL[0]}/{CELL[1]}").json()["score"] == -1.5
    assert client.get("/api/history").json()["versions"] == [{"number": 1, "bytes": len(original)}]
    # a new cell, then its removal
    new = empty_cell(model_copy)
    assert client.put(f"/api/judgements/{new[0]}/{new[1]}", json={"score": 1}).status_code == 200
    assert client.delete(f"/api/judgements/{new[0]}/{new[1]}").status_code == 200
    assert client.get(f"/api/judgements/{new[0]}/{new[1]}").status_code == 404
    for _ in range(3):
        assert client.post("/api/undo").status_code == 200
    assert model_copy.read_bytes() == original
    assert client.get(f"/api/judgements/{CELL[0]}/{CELL[1]}").json()["score"] == original_score
    assert client.post("/api/undo").status_code == 422  # nothing left to undo


def test_edit_changes_scenarios(client: TestClient) -> None:
    before = client.post("/api/scenarios", json={"fixed": AMERICA_FIRST}).json()
    client.put("/api/judgements/us_orientation.america_first/hns_pressure.high", json={"score": -3})
    after = client.post("/api/scenarios", json={"fixed": AMERICA_FIRST}).json()
    assert before["scenarios"] != after["scenarios"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"score": 1, "evidence": [{"source": "nobody-2024", "quote": "anything"}]},
            "unknown source 'nobody-2024'",
        ),
        (
            {"score": 1, "evidence": [{"source": "nath-krf-2025", "quote": "words nobody wrote"}]},
            "not found verbatim",
        ),
        ({"score": 7}, "score"),
        ({"score": 1.25}, "score"),
    ],
)
def test_edit_validation(client: TestClient, model_copy: Path, body: dict, message: str) -> None:
    original = model_copy.read_bytes()
    response = client.put(f"/api/judgements/{CELL[0]}/{CELL[1]}", json=body)
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert model_copy.read_bytes() == original


def test_edit_refuses_unknown_and_diagonal_cells(client: TestClient) -> None:
    response = client.put(
        "/api/judgements/us_orientation.nope/hns_pressure.high", json={"score": 1}
    )
    assert response.status_code == 422 and "us_orientation.nope" in response.json()["detail"]
    response = client.put(
        "/api/judgements/us_orientation.america_first/us_orientation.alliance_multilateral",
        json={"score": 1},
    )
    assert response.status_code == 422 and "two different descriptors" in response.json()["detail"]


def test_read_only_refuses_edits(make_app: MakeApp, model_copy: Path) -> None:
    original = model_copy.read_bytes()
    client = TestClient(make_app(read_only=True))
    assert client.put(f"/api/judgements/{CELL[0]}/{CELL[1]}", json={"score": 1}).status_code == 403
    assert client.delete(f"/api/judgements/{CELL[0]}/{CELL[1]}").status_code == 403
    assert client.post("/api/undo").status_code == 403
    assert client.post("/api/scenarios", json={}).status_code == 200
    assert model_copy.read_bytes() == original


def test_bundled_model_is_served_read_only(db_path: str) -> None:
    from kizashi.web.app import create_app
    from kizashi.web.settings import WebSettings

    client = TestClient(create_app(WebSettings(db_url=db_path, semantic=False)))
    assert client.get("/api/models").json()[0]["editable"] is False
    assert client.put(f"/api/judgements/{CELL[0]}/{CELL[1]}", json={"score": 1}).status_code == 403


def test_token_required_when_configured(make_app: MakeApp) -> None:
    token = "correct-horse-battery"
    client = TestClient(make_app(token=token))
    assert client.get("/api/models").status_code == 401
    assert client.get("/").status_code == 401
    assert (
        client.get("/api/models", headers={"Authorization": "Bearer wrong-token-xx"}).status_code
        == 401
    )
    assert (
        client.get("/api/models", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    )
    assert client.get("/login?token=nope").status_code == 401
    response = client.get(f"/login?token={token}", follow_redirects=False)
    assert response.status_code == 303 and "kizashi_token" in response.headers["set-cookie"]
    assert client.get("/api/models").status_code == 200  # the cookie now carries the token


def test_non_loopback_host_needs_a_token(make_app: MakeApp) -> None:
    with pytest.raises(InputError, match="--token"):
        make_app(host="0.0.0.0")
    assert make_app(host="0.0.0.0", token="long-enough-token")


def test_cross_site_post_is_refused(client: TestClient) -> None:
    response = client.post("/api/undo", headers={"Origin": "http://evil.example"})
    assert response.status_code == 403
    assert (
        client.post("/api/scenarios", json={}, headers={"Origin": "http://testserver"}).status_code
        == 200
    )


def test_model_descriptors_and_judgements(client: TestClient) -> None:
    models = client.get("/api/models").json()
    assert models[0]["id"] == "us-japan-alliance" and models[0]["descriptors"] == 24
    model = client.get("/api/models/us-japan-alliance").json()
    assert model["descriptors"][0]["id"] == "us_orientation"
    assert client.get("/api/models/other").status_code == 422
    d = client.get("/api/descriptors/us_orientation").json()
    assert [v["id"] for v in d["variants"]] == ["alliance_multilateral", "america_first"]
    assert "'nope'" in client.get("/api/descriptors/nope").json()["detail"]
    judgements = client.get("/api/judgements", params={"from_descriptor": "us_orientation"}).json()
    assert judgements and all(j["from"].startswith("us_orientation.") for j in judgements)
    cell = next(j for j in judgements if (j["from"], j["to"]) == CELL)
    stored = judgements_of(Path(client.app.state.kizashi.service.path))[CELL]  # type: ignore[attr-defined]
    assert [e["quote"] for e in cell["evidence"]] == [e.quote for e in stored.evidence]


def test_succession_and_ensemble(client: TestClient) -> None:
    result = client.post(
        "/api/succession",
        json={"start": {"us_orientation": "america_first"}, "fixed": AMERICA_FIRST},
    ).json()
    assert result["end"] in ("attractor", "cycle")
    assert result["path"][0]["us_orientation"] == "america_first"
    scenarios = client.post("/api/scenarios", json={"fixed": AMERICA_FIRST}).json()["scenarios"]
    if result["end"] == "attractor":
        assert result["cycle"][0] in [s["variants"] for s in scenarios]
    ensemble = client.post("/api/ensemble", json={"fixed": AMERICA_FIRST}).json()
    assert len(ensemble["sources"]) >= 2
    assert [s["variants"] for s in ensemble["scenarios"]] == [s["variants"] for s in scenarios]
    verdicts = ensemble["scenarios"][0]["verdicts"]
    assert all(verdicts[s]["us_orientation"]["verdict"] == "fixed" for s in ensemble["sources"])
    assert {v["verdict"] for s in ensemble["sources"] for v in verdicts[s].values()} <= {
        "agrees",
        "objects",
        "silent",
        "fixed",
    }


def test_search_sources_sentences_and_claims(client: TestClient, model_copy: Path) -> None:
    evidence = judgements_of(model_copy)[CELL].evidence[0]
    hits = client.get("/api/search", params={"q": evidence.quote, "source": evidence.source}).json()
    assert hits and hits[0]["source_id"] == evidence.source
    assert {"from": CELL[0], "to": CELL[1]} in hits[0]["judgements"]
    sources = client.get("/api/sources").json()
    assert {s["id"] for s in sources} >= {"nath-krf-2025", "kothiwale-tatvita-2024"}
    around = client.get(f"/api/sentences/{hits[0]['sentence_id']}", params={"context": 1}).json()
    assert around["sentence"]["id"] == hits[0]["sentence_id"] and len(around["context"]) >= 2
    assert (
        client.get("/api/search", params={"q": "tariffs", "mode": "semantic"}).status_code == 422
    )  # turned off here
    assert client.get("/api/claims").json() == []
    assert client.get("/api/sources/nobody").status_code == 422


def test_edit_changes_only_that_judgements_lines(client: TestClient, model_copy: Path) -> None:
    original = model_copy.read_text(encoding="utf-8")
    response = client.put(f"/api/judgements/{CELL[0]}/{CELL[1]}", json={"score": -1.5})
    assert response.status_code == 200, response.text
    after = model_copy.read_text(encoding="utf-8")
    start = next(
        n for n, line in enumerate(original.splitlines()) if line.endswith(f"from: {CELL[0]}")
    )
    changed = [
        n
        for tag, i1, i2, _, _ in difflib.SequenceMatcher(
            None, original.splitlines(), after.splitlines()
        ).get_opcodes()
        if tag != "equal"
        for n in range(i1, max(i2, i1 + 1))
    ]
    assert changed and all(start <= n < start + 4 for n in changed)


def test_a_save_over_a_changed_file_is_409(client: TestClient, model_copy: Path) -> None:
    changed = model_copy.read_text(encoding="utf-8") + "# saved by another program\n"
    model_copy.write_text(changed, encoding="utf-8")
    response = client.put(f"/api/judgements/{CELL[0]}/{CELL[1]}", json={"score": -1.5})
    assert response.status_code == 409 and "changed since it was read" in response.json()["detail"]
    assert model_copy.read_text(encoding="utf-8") == changed
    assert client.get("/api/history").json()["versions"] == []
    assert (
        client.put(f"/api/judgements/{CELL[0]}/{CELL[1]}", json={"score": -1.5}).status_code == 200
    )
    assert model_copy.read_text(encoding="utf-8").endswith("# saved by another program\n")
