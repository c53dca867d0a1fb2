"""ScenarioWizard ``.scw`` projects: lossless round trips, conversions, malformed input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizashi.errors import InputError
from kizashi.formats import (
    ScwDescriptor,
    ScwProject,
    ScwText,
    format_scw,
    parse_scw,
    read_scw,
    scw_from_model,
    write_scw,
)
from kizashi.model import compile_model, validate_model

# A hand-written project with the quirks real files have: CRLF, blank and repeated
# names, quotes in names and texts, short names, a non-zero diagonal block, cells
# written with and without VB spacing, a text ScenarioWizard quoted loosely, and a text
# spanning two lines.
SAMPLE_LINES = [
    "$ ScenarioWizard 4.0",
    "Stored \"project\" name",
    "&Economy",
    " -grows",
    " -",
    " -grows",
    "&Economy",
    " -yes \"quoted\"",
    " -no",
    "&",
    " -x",
    " -y",
    "#",
    "&E",
    " g",
    " ",
    " g2",
    "&P",
    " y",
    " n",
    "&",
    " ",
    " ",
    "#",
    "some unknown C line",
    "#",
    "FFFFFF",
    "00FF00",
    "FFFFFF",
    "FF0000",
    "FFFFFF",
    "123456",
    "ABCDEF",
    "#",
    "#",
    " 0 , 1 , 0 , 2 ,-2 , 0 , 0 ",
    " 0 , 0 , 0 ,-3 , 3 , 1 , 0 ",
    " 0 , 0 , 0 , 0 , 0 , 0 , 15 ",
    "1,0,0,0,0,0,-1",
    " 0 , 0 , 0 , 0 , 0 , 0 , 0 ",
    " 0 , 0 , 2 , 1 ,-1 , 0 , 0 ",
    " 0 , 0 , 0 , 0 , 0 , 0 , 0 ",
    "#",
    "# 0-0",
    "\"A project with \"\"quotes\"\".\"",
    "# E",
    "\"The economy.\"",
    "# P",
    "\"say \"hi\" loosely\"",
    "# ",
    "\"first line",
    "second line\"",
    "# E -> E",
    "\"\"",
    "# E -> P",
    "\"Growth lifts the mood.\"",
    "#",
    "#",
]
SAMPLE = ("\r\n".join(SAMPLE_LINES) + "\r\n").encode("cp1252")


def test_hand_written_sample_round_trips_byte_for_byte(tmp_path: Path) -> None:
    project = parse_scw(SAMPLE, "sample.scw")
    assert format_scw(project).encode("cp1252") == SAMPLE
    path = tmp_path / "out.scw"
    write_scw(project, path)
    assert path.read_bytes() == SAMPLE


def test_hand_written_sample_content() -> None:
    project = parse_scw(SAMPLE, "sample.scw")
    assert project.name == 'Stored "project" name'
    assert [d.name for d in project.descriptors] == ["Economy", "Economy", ""]
    assert project.descriptors[0].variants == ["grows", "", "grows"]
    assert project.descriptors[1].variants == ['yes "quoted"', "no"]
    assert project.short_names == [
        ScwDescriptor("E", ["g", "", "g2"]),
        ScwDescriptor("P", ["y", "n"]),
        ScwDescriptor("", ["", ""]),
    ]
    assert project.section_c == ["some unknown C line"]
    assert project.colours[1] == "00FF00" and len(project.colours) == 7
    assert project.matrix[2, 6] == 15 and project.matrix[3, 0] == 1 and project.matrix[1, 3] == -3
    assert project.project_text == 'A project with "quotes".'
    assert project.descriptor_text(1) == 'say "hi" loosely'
    assert project.descriptor_text(2) == "first line\nsecond line"
    assert project.pair_text(0, 1) == "Growth lifts the mood."
    assert project.pair_text(2, 2) == ""  # absent entries read as empty
    assert project.newline == "\r\n"
    assert project.diagonal_cells() == [(0, 1, 1.0)]


def test_ids_for_blank_and_repeated_names() -> None:
    compiled = parse_scw(SAMPLE, "sample.scw").to_compiled()
    assert compiled.descriptor_ids == ("Economy", "Economy_2", "D3")
    assert compiled.variant_ids == (("grows", "V2", "grows_2"), ('yes "quoted"', "no"), ("x", "y"))
    assert compiled.counts.tolist() == [3, 2, 2]
    dids, vids = parse_scw(SAMPLE, "sample.scw").model_ids()
    assert dids == ["Economy", "Economy_2", "D3"]
    assert vids[1] == ["yes_quoted", "no"]


def test_to_model_keeps_texts_and_leaves_out_the_diagonal() -> None:
    project = parse_scw(SAMPLE, "sample.scw")
    model = project.to_model()
    assert model.title == 'Stored "project" name'
    assert model.description == 'A project with "quotes".'
    assert model.descriptors[0].description == "The economy."
    assert model.descriptors[0].variants[0].name == "grows"
    # every off-diagonal non-zero cell, and only those, became a judgement
    assert len(model.judgements) == int(np.count_nonzero(project.matrix)) - len(project.diagonal_cells())
    assert all(j.basis == "analyst" for j in model.judgements)
    growth = [j for j in model.judgements if j.source_variant.startswith("Economy.") and j.target_variant.startswith("Economy_2.")]
    assert {j.rationale for j in growth} == {"Growth lifts the mood."}
    assert [p for p in validate_model(model)] == []
    compiled = compile_model(model)
    expected = project.matrix.copy()
    for r, c, _ in project.diagonal_cells():
        expected[r, c] = 0
    assert np.array_equal(compiled.matrix, expected)


def test_model_export_round_trip() -> None:
    model = parse_scw(SAMPLE, "sample.scw").to_model()
    exported = scw_from_model(model)
    again = parse_scw(format_scw(exported).encode("cp1252"), "again.scw")
    assert again == exported
    assert np.array_equal(compile_model(again.to_model()).matrix, compile_model(model).matrix)
    assert [d.name for d in again.descriptors] == ["Economy", "Economy", "D3"]
    assert again.pair_text(0, 1) == "Growth lifts the mood."
    assert again.to_model().description == model.description


def test_lf_and_latin1_are_accepted() -> None:
    text = SAMPLE.replace(b"\r\n", b"\n").replace(b"The economy.", b"The \x81conomy.")
    project = parse_scw(text, "lf.scw")
    assert project.newline == "\n" and project.encoding == "latin-1"
    assert project.descriptor_text(0) == "The \x81conomy."
    assert format_scw(project).encode("latin-1") == text


# -- property: write then read is the identity ------------------------------------------

_name_chars = st.characters(codec="cp1252", blacklist_characters="\r\n")
names = st.one_of(
    st.just(""), st.sampled_from(["A", "same", 'q"uote', " spaced out ", "#"]), st.text(_name_chars, max_size=12)
)
texts = st.text(st.characters(codec="cp1252", blacklist_characters="\r"), max_size=30)


@st.composite
def projects(draw: st.DrawFn) -> ScwProject:
    n = draw(st.integers(2, 8))
    counts = draw(st.lists(st.integers(2, 5), min_size=n, max_size=n))
    size = sum(counts)
    descriptors = [ScwDescriptor(draw(names), [draw(names) for _ in range(c)]) for c in counts]
    values = draw(st.lists(st.integers(-30, 30), min_size=size * size, max_size=size * size))
    matrix = np.array(values, dtype=np.float64).reshape(size, size)
    short_names = draw(st.one_of(st.none(), st.just([ScwDescriptor(draw(names), [draw(names) for _ in range(c)]) for c in counts])))
    n_texts = draw(st.sampled_from([0, 1, 1 + n + n * n]))
    text_list = [ScwText(draw(st.sampled_from(["# 0-0", "# ", "#  -> ", "# A -> B"])), draw(texts)) for _ in range(n_texts)]
    return ScwProject(
        header="$ ScenarioWizard 4.0",
        name=draw(names),
        descriptors=descriptors,
        matrix=matrix,
        short_names=short_names,
        section_b_raw=[] if short_names is not None else ["x", *draw(st.lists(st.sampled_from(["&y", " z", "w"]), max_size=2))],
        section_c=draw(st.lists(st.sampled_from(["", "c", "1,2"]), max_size=2)),
        colours=[draw(st.sampled_from(["FFFFFF", "00FF00", "C0C0C0"])) for _ in range(size)],
        texts=text_list,
        trailing=draw(st.sampled_from([["#", "#"], ["#"], []])),
        newline=draw(st.sampled_from(["\r\n", "\n"])),
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_write_then_read_is_identity(project: ScwProject) -> None:
    data = format_scw(project).encode("cp1252")
    back = parse_scw(data, "p.scw")
    assert back == project
    assert format_scw(back).encode("cp1252") == data


# -- malformed input ----------------------------------------------------------------


def _write(tmp_path: Path, lines: list[str], name: str = "bad.scw") -> Path:
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + ("\r\n" if lines else "")).encode("cp1252"))
    return path


def _error(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_scw(path)
    assert str(path) in str(info.value)
    return info.value


def test_empty_file(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, []))
    assert err.where == "line 1" and "empty" in err.message


def test_not_a_scenariowizard_file(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, ["hello", "x"]))
    assert err.where == "line 1"


def test_truncated_inside_the_matrix(tmp_path: Path) -> None:
    cut = SAMPLE_LINES[: SAMPLE_LINES.index("1,0,0,0,0,0,-1")]
    err = _error(_write(tmp_path, cut))
    assert "truncated" in err.message and err.where == f"line {len(cut) + 1}"


def test_missing_sections(tmp_path: Path) -> None:
    cut = SAMPLE_LINES[: SAMPLE_LINES.index("&E")]
    err = _error(_write(tmp_path, cut))
    assert "section B" in err.message and err.where == f"line {len(cut) + 1}"


def test_matrix_row_with_too_few_cells(tmp_path: Path) -> None:
    lines = list(SAMPLE_LINES)
    k = lines.index("1,0,0,0,0,0,-1")
    lines[k] = "1,0,0,0,0,-1"
    err = _error(_write(tmp_path, lines))
    assert err.where == f"line {k + 1}" and "6 cells, expected 7" in err.message


def test_matrix_with_too_few_rows(tmp_path: Path) -> None:
    lines = list(SAMPLE_LINES)
    k = lines.index("1,0,0,0,0,0,-1")
    del lines[k]
    err = _error(_write(tmp_path, lines))
    assert "6 rows, expected 7" in err.message and err.where == f"line {k + 4}"  # the early "#"


def test_matrix_with_too_many_rows(tmp_path: Path) -> None:
    lines = list(SAMPLE_LINES)
    k = lines.index("1,0,0,0,0,0,-1")
    lines.insert(k, "0,0,0,0,0,0,0")
    err = _error(_write(tmp_path, lines))
    first = SAMPLE_LINES.index(" 0 , 1 , 0 , 2 ,-2 , 0 , 0 ")
    assert "more than 7 rows" in err.message and err.where == f"line {first + 1 + 7}"


def test_non_number_cell(tmp_path: Path) -> None:
    lines = list(SAMPLE_LINES)
    k = lines.index("1,0,0,0,0,0,-1")
    lines[k] = "1,0,x,0,0,0,-1"
    err = _error(_write(tmp_path, lines))
    assert err.where == f"line {k + 1}" and "column 3" in err.message and "'x'" in err.message


def test_unterminated_text(tmp_path: Path) -> None:
    lines = SAMPLE_LINES[: SAMPLE_LINES.index("second line\"")]
    err = _error(_write(tmp_path, lines))
    assert "closing quote" in err.message and err.where == f"line {len(lines)}"


def test_unexpected_line_in_structure(tmp_path: Path) -> None:
    lines = list(SAMPLE_LINES)
    lines[3] = "grows"
    err = _error(_write(tmp_path, lines))
    assert err.where == "line 4"


def test_missing_file(tmp_path: Path) -> None:
    _error(tmp_path / "nope.scw")
