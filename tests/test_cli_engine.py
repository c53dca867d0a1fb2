"""The engine commands end to end, through the real entry point (exit codes included)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kizashi.analysis.corpus_texts import bundled_model
from kizashi.cli.main import run

DATA = Path(__file__).parent / "data"
SW = DATA / "somewhereland.scw"


def kizashi(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        run(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_scenarios_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kizashi(capsys, "scenarios", str(SW), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert {"descriptors", "fixed", "tolerance", "complete", "nodes_visited", "scenarios"} <= set(data)
    assert data["omitted"] is None  # nothing left out by the default limit
    assert data["complete"] is True and data["tolerance"] == 0 and data["fixed"] == {}
    assert [d["id"] for d in data["descriptors"]] == ["A. Government", "B. Foreign policy", "C. Economy", "D. Distribution of wealth", "E. Social cohesion", "F. Social values"]
    assert len(data["scenarios"]) == 10
    first = data["scenarios"][0]
    assert first["total_impact_score"] == 21 and first["consistency_value"] == 1 and first["inconsistency"] == 0
    assert first["variants"]["A. Government"] == "A1 Patriots party"
    tis = [s["total_impact_score"] for s in data["scenarios"]]
    assert tis == sorted(tis, reverse=True)


def test_scenarios_with_an_intervention_and_tolerance(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kizashi(capsys, "scenarios", str(SW), "--fix", "A. Government=A3 Social party", "-t", "1", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["fixed"] == {"A. Government": "A3 Social party"}
    assert all(s["variants"]["A. Government"] == "A3 Social party" for s in data["scenarios"])
    assert all(s["inconsistency"] <= 1 for s in data["scenarios"])
    assert len(data["scenarios"]) >= 4


def test_scenarios_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kizashi(capsys, "scenarios", str(SW), "--format", "csv")
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == 11
    assert lines[0].endswith("inconsistency,consistency_value,total_impact_score")


def test_compare_with_a_solution_list(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = kizashi(capsys, "scenarios", str(SW), "--compare", str(DATA / "somewhereland.sl"), "--format", "csv")
    assert code == 0 and "identical scenario sets" in err
    # drop one row: it is reported as missing from the list, and the exit code says so
    text = (DATA / "somewhereland.sl").read_bytes().decode("cp1252").replace("\r\n", "\n").splitlines()
    rows = [i for i, line in enumerate(text) if line.startswith('"')]
    dropped = text[rows[0]]
    text = [line for i, line in enumerate(text) if i != rows[0]]
    text[2] = f" {len(rows) - 1}"
    short = tmp_path / "short.sl"
    short.write_text("\r\n".join(text) + "\r\n", encoding="cp1252")
    code, _, err = kizashi(capsys, "scenarios", str(SW), "--compare", str(short), "--format", "csv")
    assert code == 1
    missing = dropped.split('"')[1].split()
    assert f"only in kizashi's result: {' '.join(missing)}" in err


def test_succession_reaches_an_attractor(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kizashi(
        capsys, "succession", str(SW), "--start", "A. Government=A2 Prosperity party,B. Foreign policy=B1 Cooperation", "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["end"] == "attractor" and len(data["cycle"]) == 1
    assert data["path"][0]["A. Government"] == "A2 Prosperity party"


def test_attractors_write_a_solution_list(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from kizashi.formats import read_sl

    out_sl = tmp_path / "out.sl"
    code, out, _ = kizashi(capsys, "attractors", str(SW), "--sl-out", str(out_sl))
    assert code == 0 and "volume weight" in out
    rows = read_sl(out_sl).rows
    assert sorted(r.weight for r in rows) == sorted([178, 127, 55, 35, 28, 24, 19, 14, 3, 3])


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["scenarios", str(SW), "--fix", "A. Government=nope"], "unknown variant 'nope'"),
        (["scenarios", str(SW), "--fix", "Nope=A1"], "unknown descriptor 'Nope'"),
        (["scenarios", str(SW), "--fix", "novalue"], "expected DESCRIPTOR=VARIANT"),
        (["scenarios", str(SW), "-t", "-1"], "tolerance"),
        (["scenarios", "missing.yaml"], "missing.yaml"),
        (["scenarios", str(DATA / "somewhereland.sl")], "unknown file type"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(capsys: pytest.CaptureFixture[str], args: list[str], needle: str) -> None:
    code, _, err = kizashi(capsys, *args)
    assert code == 2
    assert needle in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("", ":1: the model file is empty"),
        ("id: x\ndescriptors: [\n", "malformed YAML"),
        ("id: x\ndescriptors:\n  - id: a\n    variants: [{id: p}, {id: q}]\njudgements:\n  - {from: a.p, to: b.q, score: 1, rationale: r, basis: analyst}\n", ":6: a.p -> b.q: unknown descriptor 'b'"),
        ("id: x\ndescriptors:\n  - id: a\n    variants: [{id: p}, {id: q}]\n  - id: b\n    variants: [{id: p}, {id: q}]\njudgements:\n  - {from: a.p, to: b.q, score: abc}\n", ":8: judgements.0.score"),
    ],
)
def test_malformed_model_names_file_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, needle: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    code, _, err = kizashi(capsys, "scenarios", str(path))
    assert code == 2
    assert f"{path}" in err and needle in " ".join(err.split())
    assert "Traceback" not in err


def test_check_passes_on_the_flagship_model_and_fails_on_a_wrong_quote(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = kizashi(capsys, "check", str(bundled_model()))
    assert code == 0 and "all found verbatim" in out
    text = bundled_model().read_text()
    marker = "quote: "
    at = text.index(marker) + len(marker)
    broken = text[:at] + "ZZZ not in any source " + text[at:]
    bad = tmp_path / "bad.yaml"
    bad.write_text(broken)
    code, _, err = kizashi(capsys, "check", str(bad))
    assert code == 2
    assert "quote not found verbatim" in err and str(bad) in err


def test_demo_prints_both_families_and_the_agreement_view(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kizashi(capsys, "demo", "--no-corpus")
    assert code == 0
    assert "Transactional America First" in out and "Alliance-centred" in out
    assert "Where the 5 analyses agree and disagree" in out


def test_truncated_scw_names_file_and_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = SW.read_bytes()
    cut = tmp_path / "cut.scw"
    cut.write_bytes(data[: len(data) // 3])
    code, _, err = kizashi(capsys, "scenarios", str(cut))
    assert code == 2 and "Traceback" not in err
    assert f"{cut}:line " in err


def test_scw_with_a_non_number_cell(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    lines = SW.read_bytes().decode("cp1252").split("\r\n")
    at = next(i for i, line in enumerate(lines) if "," in line and line.strip().startswith(("0", "-", "1", "2", "3")))
    cells = lines[at].split(",")
    cells[1] = " x "
    lines[at] = ",".join(cells)
    bad = tmp_path / "bad.scw"
    bad.write_bytes("\r\n".join(lines).encode("cp1252"))
    code, _, err = kizashi(capsys, "scenarios", str(bad))
    assert code == 2 and f"{bad}:line {at + 1}" in err


def test_csv_of_the_wrong_size_and_empty_csv(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rows = (DATA / "somewhereland.csv").read_text().splitlines()
    short = tmp_path / "short.csv"
    short.write_text("\n".join(rows[:-1]) + "\n")
    code, _, err = kizashi(capsys, "scenarios", str(short))
    assert code == 2 and str(short) in err and "Traceback" not in err
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    code, _, err = kizashi(capsys, "scenarios", str(empty))
    assert code == 2 and str(empty) in err


def test_malformed_corpus_manifest_names_file_and_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    manifest = tmp_path / "seeds.yaml"
    manifest.write_text("- id: a\n  file: [unclosed\n")
    code, _, err = kizashi(capsys, "check", str(bundled_model()), "--corpus", str(manifest))
    assert code == 2 and "Traceback" not in err
    assert f"{manifest}:3:" in err and "malformed YAML in the corpus manifest" in err
    missing = tmp_path / "nowhere.yaml"
    code, _, err = kizashi(capsys, "check", str(bundled_model()), "--corpus", str(missing))
    assert code == 2 and f"{missing}: cannot read the corpus manifest" in err


def test_ensemble_json_lists_the_sum_and_counts_the_sources(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from kizashi.cib import Ensemble, enumerate_scenarios
    from kizashi.model import compile_model, load_model, source_matrices

    model = load_model(bundled_model()).model
    members = source_matrices(model)
    compiled = compile_model(model)
    combined = Ensemble.build(compiled.counts, {k: m.matrix for k, m in members.items()}).combined()
    expected = enumerate_scenarios(combined)

    code, out, _ = kizashi(
        capsys, "ensemble", str(bundled_model()), "--format", "json", "--limit", "500"
    )
    assert code == 0
    data = json.loads(out)
    assert data["members"] == list(members)
    assert data["combined_count"] == len(expected) and data["combined_complete"] is True
    # every source is silent on much of the model: each supports more than 500 scenarios,
    # so they are counted (up to the limit) and not listed
    assert data["per_member_counts"] == {name: 500 for name in members}
    assert data["per_member_complete"] == {name: False for name in members}
    assert data["listed_members"] == []
    rows = [tuple(s["variants"][d] for d in compiled.descriptor_ids) for s in data["scenarios"]]
    assert rows == [
        tuple(compiled.variant_ids[j][v] for j, v in enumerate(row))
        for row in expected.scenarios.tolist()
    ]
    assert all(s["combined_inconsistency"] == 0 for s in data["scenarios"])
