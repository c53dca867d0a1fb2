"""CSV and JSON matrices and models."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kizashi.errors import InputError
from kizashi.formats import (
    format_csv_matrix,
    json_dumps,
    json_loads,
    parse_csv_matrix,
    parse_scw,
    read_csv_matrix,
    read_json,
    write_csv_matrix,
    write_json,
)
from kizashi.model import CompiledModel, compile_model

from .test_scw import SAMPLE


@st.composite
def compiled_models(draw: st.DrawFn) -> CompiledModel:
    n = draw(st.integers(1, 6))
    counts = draw(st.lists(st.integers(1, 4), min_size=n, max_size=n))
    dids = draw(st.lists(st.text("abcdefgh XYZ.-'\"", min_size=1, max_size=6).map(str.strip).filter(bool), min_size=n, max_size=n, unique=True))
    vids = [tuple(f"{d}{k}" if draw(st.booleans()) else f'v "{k}"' for k in range(c)) for d, c in zip(dids, counts, strict=True)]
    size = sum(counts)
    values = draw(st.lists(st.integers(-6, 6).map(lambda x: x / 2), min_size=size * size, max_size=size * size))
    return CompiledModel(tuple(dids), tuple(vids), np.array(counts, dtype=np.int64), np.array(values).reshape(size, size))


def _same(a: CompiledModel, b: CompiledModel) -> None:
    assert a.descriptor_ids == b.descriptor_ids
    assert a.variant_ids == b.variant_ids
    assert a.counts.tolist() == b.counts.tolist()
    assert np.array_equal(a.matrix, b.matrix)


@settings(max_examples=100, deadline=None)
@given(compiled_models())
def test_csv_round_trip(compiled: CompiledModel) -> None:
    _same(parse_csv_matrix(format_csv_matrix(compiled), "m.csv"), compiled)


@settings(max_examples=50, deadline=None)
@given(compiled_models())
def test_json_round_trip(compiled: CompiledModel) -> None:
    back, model = json_loads(json_dumps(compiled), "m.json")
    assert model is None
    _same(back, compiled)


def test_csv_file_round_trip_and_repeated_descriptor_names(tmp_path: Path) -> None:
    compiled = parse_scw(SAMPLE, "s.scw").to_compiled()
    write_csv_matrix(compiled, tmp_path / "m.csv")
    _same(read_csv_matrix(tmp_path / "m.csv"), compiled)
    repeated = "\n".join(
        [",,A,A,B,B", ",,a1,a2,b1,b2", "A,a1,0,0,1,-1", "A,a2,0,0,-2,2", "B,b1,3,,0,0", "B,b2,-3,0,0,0"]
    )
    m = parse_csv_matrix(repeated, "r.csv")
    assert m.descriptor_ids == ("A", "B") and m.variant_ids == (("a1", "a2"), ("b1", "b2"))
    assert m.matrix[2].tolist() == [3, 0, 0, 0]
    semicolon = repeated.replace(",", ";").replace(";-2;", ";-1,5;")
    assert parse_csv_matrix(semicolon, "s.csv").matrix[1, 2] == -1.5


def _csv_error(tmp_path: Path, text: str) -> InputError:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        read_csv_matrix(path)
    assert str(path) in str(info.value)
    return info.value


GOOD = [",,A,,B,", ",,a1,a2,b1,b2", "A,a1,0,0,1,-1", ",a2,0,0,-2,2", "B,b1,3,0,0,0", ",b2,-3,0,0,0"]


def test_csv_errors(tmp_path: Path) -> None:
    assert _csv_error(tmp_path, "").where == "row 1"
    bad = list(GOOD)
    bad[4] = "B,b1,3,zero,0,0"
    assert _csv_error(tmp_path, "\n".join(bad)).where == "row 5, column 4"
    assert "square" in _csv_error(tmp_path, "\n".join(GOOD[:-1])).message
    bad = list(GOOD)
    bad[3] = ",a3,0,0,-2,2"
    err = _csv_error(tmp_path, "\n".join(bad))
    assert err.where == "row 4, column 1" and "a3" in err.message
    bad = list(GOOD)
    bad[2] = "A,a1,0,0,1,-1,7"
    assert _csv_error(tmp_path, "\n".join(bad)).where == "row 3, column 7"


def test_json_model_round_trip(tmp_path: Path) -> None:
    model = parse_scw(SAMPLE, "s.scw").to_model()
    write_json(model, tmp_path / "m.json")
    compiled, back = read_json(tmp_path / "m.json")
    assert back == model
    assert np.array_equal(compiled.matrix, compile_model(model).matrix)
    write_json(compiled, tmp_path / "c.json")
    _same(read_json(tmp_path / "c.json")[0], compiled)


def test_json_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    for text, where in [
        ("", "line 1"),
        ('{"format": "kizashi-matrix",\n "descriptors": [', "line 2, column 18"),
        ('{"format": "other"}', "line 1"),
        ('{"format": "kizashi-matrix", "descriptors": [{"id": "A", "variants": ["a", "b"]}], "matrix": [[0, 1], [0, "x"]]}', "matrix[1][1]"),
        ('{"format": "kizashi-matrix", "descriptors": [{"id": "A", "variants": ["a", "b"]}], "matrix": [[0, 1]]}', "matrix"),
    ]:
        path.write_text(text)
        with pytest.raises(InputError) as info:
            read_json(path)
        assert info.value.path == str(path) and info.value.where == where, text
