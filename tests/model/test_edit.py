"""Edits of a hand-written model file change only what was edited; stale versions are refused."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from kizashi.errors import InputError, ModelError, StaleModelError
from kizashi.model import Evidence, load_model
from kizashi.model.edit import ModelDocument, content_version, edit_model, replace_model_bytes

HAND_WRITTEN = """\
# A small model written by hand.
# The header comment must survive every save.
id: tiny
title: A tiny model   # an inline comment
descriptors:
- id: a
  variants:
  - {id: hi, name: High}
  - {id: lo, name: Low}
- id: b
  variants: [{id: up}, {id: down}]
judgements:
- from: a.hi
  to: b.up
  score: 2    # strong
  rationale: >
    A folded rationale that runs
    over two lines.
  basis: analyst
- {from: a.lo, to: b.down, score: 1, rationale: flow judgement, basis: analyst}
# a comment between judgements
- from: b.up
  to: a.hi
  score: -1
  rationale: 'quoted text'
  basis: analyst
"""

FIRST = range(12, 19)  # lines (0-based) of the judgement a.hi -> b.up
LAST = range(21, 26)  # lines of b.up -> a.hi


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    return path


def changed_lines(before: str, after: str) -> set[int]:
    """0-based lines of ``before`` that a line diff replaces or deletes (inserts: the line after)."""
    out: set[int] = set()
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag != "equal":
            out.update(range(i1, i2) if i2 > i1 else [i1 - 1])
    return out


def test_the_hand_written_model_is_valid(model_file: Path) -> None:
    model = load_model(model_file).model
    assert [j.score for j in model.judgements] == [2, 1, -1]
    assert model.judgements[0].rationale == "A folded rationale that runs over two lines.\n"


def test_score_edit_changes_only_that_judgements_lines(model_file: Path) -> None:
    version = ModelDocument.read(model_file).version

    def edit(document: ModelDocument) -> None:
        judgement = document.judgement("a.hi", "b.up")
        assert judgement is not None
        document.put_judgement(judgement.model_copy(update={"score": -2.0}))

    result = edit_model(model_file, edit, expected_version=version)
    after = model_file.read_text(encoding="utf-8")
    assert result.changed and result.version == content_version(after.encode())
    assert result.previous == HAND_WRITTEN.encode()
    changed = changed_lines(HAND_WRITTEN, after)
    assert changed and changed <= set(FIRST)
    assert "score: -2   # strong" in after
    assert load_model(model_file).model.judgements[0].score == -2


def test_rationale_and_flow_judgement_edits_stay_local(model_file: Path) -> None:
    def edit(document: ModelDocument) -> None:
        flow = document.judgement("a.lo", "b.down")
        assert flow is not None
        document.put_judgement(flow.model_copy(update={"score": -0.5}))

    edit_model(model_file, edit)
    after = model_file.read_text(encoding="utf-8")
    assert changed_lines(HAND_WRITTEN, after) == {19}
    assert (
        "- {from: a.lo, to: b.down, score: -0.5, rationale: flow judgement, basis: analyst}"
        in after
    )

    def rationale(document: ModelDocument) -> None:
        last = document.judgement("b.up", "a.hi")
        assert last is not None
        document.put_judgement(last.model_copy(update={"rationale": "a new reason"}))

    before = after
    edit_model(model_file, rationale)
    after = model_file.read_text(encoding="utf-8")
    assert changed_lines(before, after) <= set(LAST)
    assert load_model(model_file).model.judgements[2].rationale == "a new reason"


def test_adding_a_quote_keeps_the_rest_byte_identical(model_file: Path) -> None:
    quote = Evidence(source="s1", quote="Growth follows high investment.", sentence="s1#4")
    result = edit_model(model_file, lambda d: d.add_evidence("b.up", "a.hi", quote))
    assert result.value is True
    after = model_file.read_text(encoding="utf-8")
    assert after.startswith(HAND_WRITTEN)  # the judgement is the file's last: only lines are added
    assert after[len(HAND_WRITTEN) :] == (
        "  evidence:\n  - source: s1\n    quote: Growth follows high investment.\n    sentence: s1#4\n"
    )
    assert load_model(model_file).model.judgements[2].evidence == [quote]
    # the same quote again changes nothing and writes nothing
    again = edit_model(model_file, lambda d: d.add_evidence("b.up", "a.hi", quote))
    assert again.value is False and not again.changed
    assert model_file.read_text(encoding="utf-8") == after


def test_a_quote_in_the_middle_changes_only_that_judgement(model_file: Path) -> None:
    quote = Evidence(source="s1", quote="A quote.")
    edit_model(model_file, lambda d: d.add_evidence("a.hi", "b.up", quote))
    after = model_file.read_text(encoding="utf-8")
    assert changed_lines(HAND_WRITTEN, after) <= set(FIRST)
    assert after.startswith(HAND_WRITTEN.split("- {from")[0].rsplit("  basis", 1)[0])
    assert after.endswith(HAND_WRITTEN[HAND_WRITTEN.index("- {from") :])


def test_new_and_removed_judgements(model_file: Path) -> None:
    def add(document: ModelDocument) -> None:
        template = document.judgement("b.up", "a.hi")
        assert template is not None
        document.put_judgement(
            template.model_copy(update={"source_variant": "b.down", "score": 3.0})
        )

    edit_model(model_file, add)
    assert load_model(model_file).model.judgements[-1].source_variant == "b.down"
    assert model_file.read_text(encoding="utf-8").startswith(HAND_WRITTEN)
    assert edit_model(model_file, lambda d: d.remove_judgement("b.down", "a.hi")).value is True
    assert model_file.read_text(encoding="utf-8") == HAND_WRITTEN


def test_a_stale_version_is_refused_and_the_file_untouched(model_file: Path) -> None:
    stale = content_version(HAND_WRITTEN.encode())
    changed = HAND_WRITTEN.replace("score: -1", "score: -2")
    model_file.write_text(changed, encoding="utf-8")  # another program saved meanwhile
    with pytest.raises(StaleModelError, match="changed since it was read") as info:
        edit_model(model_file, lambda d: d.remove_judgement("a.hi", "b.up"), expected_version=stale)
    assert isinstance(info.value, InputError)
    assert model_file.read_text(encoding="utf-8") == changed
    with pytest.raises(StaleModelError):
        replace_model_bytes(model_file, HAND_WRITTEN.encode(), expected_version=stale)
    assert model_file.read_text(encoding="utf-8") == changed
    replace_model_bytes(
        model_file, HAND_WRITTEN.encode(), expected_version=content_version(changed.encode())
    )
    assert model_file.read_text(encoding="utf-8") == HAND_WRITTEN
    assert [p.name for p in model_file.parent.iterdir()] == ["tiny.yaml"]  # no temporary file left


def test_an_invalid_edit_writes_nothing(model_file: Path) -> None:
    def break_it(document: ModelDocument) -> None:
        document.document["judgements"][0]["score"] = 0.25

    with pytest.raises(ModelError, match="would make the model invalid"):
        edit_model(model_file, break_it)
    assert model_file.read_text(encoding="utf-8") == HAND_WRITTEN

    def dangling(document: ModelDocument) -> None:
        document.document["judgements"][0]["to"] = "b.sideways"

    with pytest.raises(ModelError, match="would make the model invalid"):
        edit_model(model_file, dangling, check_problems=True)
    assert model_file.read_text(encoding="utf-8") == HAND_WRITTEN
