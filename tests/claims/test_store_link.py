"""Claims in the store, the CLI, and link accept/reject with write-back to the model."""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kizashi.cli.main import app
from kizashi.errors import StaleModelError
from kizashi.evidence.claims import (
    accept_link,
    by_source,
    ensure_claims,
    list_claims,
    list_links,
    reject_link,
    suggest_links,
)
from kizashi.evidence.claims.evaluate import default_model_path
from kizashi.evidence.db import dispose_engine
from kizashi.model import load_model, normalise_text, validate_model
from kizashi.model.edit import content_version
from kizashi.web.service import ModelService


def test_claims_store_cli_and_linking(tmp_path: Path) -> None:
    db = str(tmp_path / "k.db")
    report = ensure_claims(db)
    assert report.created == 264
    assert ensure_claims(db).sentences == 0  # incremental
    conditionals = list_claims(db, kind="conditional")
    assert conditionals and all(c.conditions for c in conditionals)
    japan = list_claims(db, actor="Tokyo")
    assert japan and all("Japan" in c.actors for c in japan)
    result = CliRunner().invoke(
        app,
        [
            "claims",
            "--db",
            db,
            "--source",
            "nath-krf-2025",
            "--kind",
            "recommendation",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and all(
        r["kind"] == "recommendation" and r["source"] == "nath-krf-2025" for r in rows
    )

    model_path = tmp_path / "model.yaml"
    shutil.copy(default_model_path(), model_path)
    assert suggest_links(model_path, db) > 0
    suggestions = list_links(model_path, db, limit=5)
    assert suggestions
    rejected = reject_link(model_path, suggestions[0].id, db)
    suggest_links(model_path, db)  # re-scoring keeps the rejection
    assert rejected.id not in {v.id for v in list_links(model_path, db, limit=None)}

    target = list_links(model_path, db, limit=None)[0]
    accept_link(model_path, target.id, db)
    model = load_model(model_path).model
    judgement = next(
        j for j in model.judgements if f"{j.source_variant} -> {j.target_variant}" == target.target
    )
    added = [e for e in judgement.evidence if e.sentence == target.sentence_id]
    assert added and added[0].quote == target.text and added[0].source == target.source
    assert not [p for p in validate_model(model) if "quote" in p.message]
    assert normalise_text(added[0].quote) in normalise_text(target.text)
    stances = {s.source: s for s in by_source(model_path, db)}
    assert target.target in stances[target.source].judgements(target.relation)
    dispose_engine(db)


def test_accept_keeps_the_file_and_a_stale_web_save_is_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "k.db")
    ensure_claims(db)
    model_path = tmp_path / "model.yaml"
    shutil.copy(default_model_path(), model_path)
    suggest_links(model_path, db)
    service = ModelService(model_path, editable=True)  # the web editor loads the model
    before = model_path.read_text(encoding="utf-8")
    target = list_links(model_path, db, limit=None)[0]
    accept_link(model_path, target.id, db)
    accepted = model_path.read_bytes()
    opcodes = difflib.SequenceMatcher(
        None, before.splitlines(), accepted.decode().splitlines()
    ).get_opcodes()
    assert {tag for tag, *_ in opcodes} == {"equal", "insert"}  # accept only adds lines
    source_ref, target_ref = target.target.split(" -> ")
    with pytest.raises(StaleModelError):
        service.set_judgement(source_ref, target_ref, 1, "written over the accepted quote")
    assert model_path.read_bytes() == accepted and service.history() == []
    # the refusal reloaded the file: an edit made now keeps the accepted quote
    service.set_judgement(source_ref, target_ref, 1, "a new rationale")
    judgement = service.judgement(source_ref, target_ref)
    assert judgement is not None and any(
        e.sentence == target.sentence_id for e in judgement.evidence
    )
    # and an accept against a version read before that edit is refused too
    with pytest.raises(StaleModelError):
        accept_link(model_path, target.id, db, expected_version=content_version(accepted))
    dispose_engine(db)
