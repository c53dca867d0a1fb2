"""``load_system``: dispatch by extension and errors that name file and line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kizashi.errors import InputError, ModelError
from kizashi.formats import format_scw, load_system, parse_scw, write_json

from .test_scw import SAMPLE

MODEL = """\
id: tiny
title: Tiny
descriptors:
  - id: a
    variants:
      - {id: up}
      - {id: down}
  - id: b
    variants:
      - {id: yes}
      - {id: no}
judgements:
  - from: a.up
    to: b.yes
    score: 2
    rationale: because
    basis: analyst
"""


def test_yaml(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(MODEL)
    system = load_system(path)
    assert system.kind == "yaml" and system.model is not None and system.path == str(path)
    assert system.compiled.matrix[0, 2] == 2 and np.count_nonzero(system.compiled.matrix) == 1


def test_yaml_without_evidence_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "m.yml"
    path.write_text(MODEL.replace("    basis: analyst\n", ""))
    assert load_system(path).kind == "yaml"


def test_yaml_with_unknown_variant_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(MODEL.replace("to: b.yes", "to: b.maybe"))
    with pytest.raises(ModelError) as info:
        load_system(path)
    assert info.value.path == str(path) and info.value.where == "14"
    assert "unknown variant 'maybe'" in info.value.message


def test_scw_ids_and_the_diagonal(tmp_path: Path) -> None:
    path = tmp_path / "s.scw"
    path.write_bytes(SAMPLE)
    system = load_system(path)
    assert system.kind == "scw" and system.model is not None and system.project is not None
    # compiled ids are the file's names; the model's are their folded form, by position
    assert system.compiled.descriptor_ids == ("Economy", "Economy_2", "D3")
    assert [d.id for d in system.model.descriptors] == ["Economy", "Economy_2", "D3"]
    assert system.compiled.variant_ids[1] == ('yes "quoted"', "no")
    assert [v.id for v in system.model.descriptors[1].variants] == ["yes_quoted", "no"]
    assert np.array_equal(system.compiled.matrix, parse_scw(SAMPLE).matrix)
    assert system.diagonal_cells == ((0, 1, 1.0),)


def test_json_and_unknown_extension(tmp_path: Path) -> None:
    project = parse_scw(SAMPLE)
    write_json(project.to_model(), tmp_path / "m.json")
    system = load_system(tmp_path / "m.json")
    assert system.kind == "json" and system.model is not None
    (tmp_path / "m.txt").write_text(format_scw(project))
    with pytest.raises(InputError) as info:
        load_system(tmp_path / "m.txt")
    assert info.value.path == str(tmp_path / "m.txt") and ".txt" in info.value.message
