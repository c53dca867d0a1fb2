"""ScenarioWizard ``.sl`` solution lists."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kizashi.errors import InputError
from kizashi.formats import (
    SolutionList,
    SolutionRow,
    compare_solutions,
    format_sl,
    parse_sl,
    read_sl,
    write_sl,
)
from kizashi.formats._text import vb_number

SAMPLE = (
    '$ ScenarioWizard 3.0\r\nSolution set\r\n 3\r\n\r\n'
    '" 2 3 2",4,0,0,15,""\r\n'
    '" 1 1 1",1.677722E+07,-.5,0,-3,""\r\n'
    '" 3 1 2",100000,2,0,7.5,"a ""note"""\r\n'
).encode("cp1252")


def test_sample_round_trips_byte_for_byte(tmp_path: Path) -> None:
    sl = parse_sl(SAMPLE, "s.sl")
    assert format_sl(sl).encode("cp1252") == SAMPLE
    write_sl(sl, tmp_path / "x.sl")
    assert (tmp_path / "x.sl").read_bytes() == SAMPLE


def test_sample_content() -> None:
    sl = parse_sl(SAMPLE, "s.sl")
    assert sl.header == "$ ScenarioWizard 3.0" and sl.title == "Solution set"
    assert [r.indices for r in sl.rows] == [(2, 3, 2), (1, 1, 1), (3, 1, 2)]
    assert sl.rows[0].scenario == (1, 2, 1)
    assert sl.rows[1].weight == pytest.approx(16777220)
    assert sl.rows[1].consistency == -0.5 and sl.rows[2].tis == 7.5
    assert sl.rows[2].note == 'a "note"'


def test_rows_without_raw_are_formatted_like_visual_basic(tmp_path: Path) -> None:
    rows = [SolutionRow((2, 3, 2), 4, 0, 0, 15), SolutionRow((1, 1, 1), 16777216, -0.5, 0, -3)]
    write_sl(rows, tmp_path / "y.sl")
    assert (tmp_path / "y.sl").read_bytes() == (
        b'$ ScenarioWizard 3.0\r\nSolution set\r\n 2\r\n\r\n'
        b'" 2 3 2",4,0,0,15,""\r\n" 1 1 1",1.677722E+07,-.5,0,-3,""\r\n'
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (4, "4"), (-3, "-3"), (16777216, "1.677722E+07"), (1e7, "1E+07"), (0.5, ".5"),
     (-0.25, "-.25"), (9999999, "9999999"), (1.5e-5, "1.5E-05"), (123.456789, "123.4568")],
)
def test_vb_single_formatting(value: float, text: str) -> None:
    assert vb_number(value) == text


rows = st.lists(
    st.builds(
        SolutionRow,
        indices=st.lists(st.integers(1, 9), min_size=4, max_size=4).map(tuple),
        weight=st.integers(0, 10**6).map(float),
        consistency=st.integers(-8, 8).map(lambda x: x / 2),
        zero=st.just(0.0),
        tis=st.integers(-60, 60).map(float),
        note=st.text(st.characters(codec="cp1252", blacklist_characters="\r\n"), max_size=5),
    ),
    max_size=12,
)


@settings(max_examples=100, deadline=None)
@given(rows)
def test_write_then_read_is_identity(rows: list[SolutionRow]) -> None:
    sl = SolutionList(rows=rows)
    back = parse_sl(format_sl(sl).encode("cp1252"), "r.sl")
    assert back.rows == rows
    assert format_sl(back) == format_sl(sl)


def test_compare_solutions() -> None:
    sl = parse_sl(SAMPLE, "s.sl")
    missing_in_found, missing_in_sl = compare_solutions({(1, 2, 1), (0, 0, 1)}, sl)
    assert missing_in_found == {(0, 0, 0), (2, 0, 1)}
    assert missing_in_sl == {(0, 0, 1)}


def _error(tmp_path: Path, data: bytes) -> InputError:
    path = tmp_path / "bad.sl"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_sl(path)
    assert str(path) in str(info.value)
    return info.value


def test_empty(tmp_path: Path) -> None:
    assert _error(tmp_path, b"").where == "line 1"


def test_truncated(tmp_path: Path) -> None:
    cut = SAMPLE[: SAMPLE.index(b'" 3 1 2"')]
    err = _error(tmp_path, cut)
    assert "announces 3 solutions but holds 2" in err.message and err.where == "line 7"


def test_non_number(tmp_path: Path) -> None:
    err = _error(tmp_path, SAMPLE.replace(b",4,0,0,15,", b",4,x,0,15,"))
    assert err.where == "line 5" and "consistency value" in err.message


def test_bad_count(tmp_path: Path) -> None:
    assert _error(tmp_path, SAMPLE.replace(b" 3\r\n", b" three\r\n")).where == "line 3"
