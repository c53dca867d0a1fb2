"""The Somewhereland golden fixtures: structure, the matrix cell by cell against the
reference table, and the ten consistent scenarios re-derived by brute force (numpy
only, independent of the engine) against the fixture ``.sl``."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from kizashi.formats import load_system, read_csv_matrix, read_scw, read_sl

from .somewhereland_table import DESCRIPTORS, consistent_rows, table_rows

DATA = Path(__file__).resolve().parent.parent / "data"
SCW, CSV, SL = DATA / "somewhereland.scw", DATA / "somewhereland.csv", DATA / "somewhereland.sl"


def _balances(matrix: np.ndarray, offsets: np.ndarray, scenario: tuple[int, ...]) -> np.ndarray:
    rows = [int(offsets[i]) + v for i, v in enumerate(scenario)]
    return matrix[rows].sum(axis=0)


def test_scw_structure_and_bytes() -> None:
    raw = SCW.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")  # CRLF throughout, like an original
    project = read_scw(SCW)
    assert project.header == "$ ScenarioWizard 4.0"
    assert project.name == "Somewhereland"
    assert [(d.name, d.variants) for d in project.descriptors] == DESCRIPTORS
    assert project.counts.tolist() == [3, 3, 3, 2, 3, 3]
    assert project.matrix.shape == (17, 17)
    assert len(project.texts) == 1 + 6 + 36
    assert project.diagonal_cells() == []


@pytest.mark.parametrize("path", [SCW, CSV], ids=["scw", "csv"])
def test_matrix_matches_reference_table_cell_by_cell(path: Path) -> None:
    compiled = read_scw(path).to_compiled() if path.suffix == ".scw" else read_csv_matrix(path)
    assert compiled.descriptor_ids == tuple(d for d, _ in DESCRIPTORS)
    assert compiled.variant_ids == tuple(tuple(v) for _, v in DESCRIPTORS)
    rows = table_rows()
    labels = [(i, k, v.split()[0]) for i, (_, vs) in enumerate(DESCRIPTORS) for k, v in enumerate(vs)]
    offsets = compiled.offsets
    for r, (i_row, _, label) in enumerate(labels):
        for c, (j_col, m, _) in enumerate(labels):
            block = rows[label][j_col]
            expected = 0 if block is None else block[m]
            if j_col == i_row:
                assert block is None
            assert compiled.matrix[r, c] == expected, f"{label} -> column {c} ({offsets[j_col]}+{m})"


def test_manual_balances_of_a2_b1_c3_d1_e1_f1() -> None:
    compiled = read_scw(SCW).to_compiled()
    theta = _balances(compiled.matrix, compiled.offsets, (1, 0, 2, 0, 0, 0))
    assert theta.tolist() == [0, 3, -3, 2, 1, -3, -9, -1, 10, -7, 7, 4, -1, -3, 2, -1, -1]


def _brute_force(matrix: np.ndarray, counts: list[int]) -> dict[tuple[int, ...], tuple[float, float]]:
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))
    found = {}
    for z in itertools.product(*(range(c) for c in counts)):
        theta = _balances(matrix, offsets, z)
        margins = []
        for j, c in enumerate(counts):
            block = theta[offsets[j] : offsets[j] + c]
            others = np.delete(block, z[j])
            margins.append(block[z[j]] - others.max())
        if min(margins) >= 0:
            tis = sum(theta[offsets[j] + z[j]] for j in range(len(counts)))
            found[z] = (float(tis), float(min(margins)))
    return found


def _global_succession(matrix: np.ndarray, counts: list[int], start: tuple[int, ...]) -> tuple[int, ...] | None:
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))
    seen = []
    z = start
    while z not in seen:
        seen.append(z)
        theta = _balances(matrix, offsets, z)
        nxt = []
        for j, c in enumerate(counts):
            block = theta[offsets[j] : offsets[j] + c]
            best = block.max()
            nxt.append(z[j] if block[z[j]] == best else int(np.argmax(block == best)))
        if tuple(nxt) == z:
            return z
        z = tuple(nxt)
    return None  # a cycle


def test_solution_list_matches_brute_force() -> None:
    compiled = read_scw(SCW).to_compiled()
    counts = compiled.counts.tolist()
    found = _brute_force(compiled.matrix, counts)
    sl = read_sl(SL)
    assert len(sl.rows) == 10
    assert sl.scenarios() == set(found)
    assert [(r.scenario, r.tis, r.consistency, r.weight) for r in sl.rows] == [
        (z, float(t), float(cv), float(w)) for z, t, cv, w in consistent_rows()
    ]
    for row in sl.rows:
        assert found[row.scenario] == (row.tis, row.consistency)
        assert row.zero == 0 and row.note == ""
    weights: dict[tuple[int, ...], int] = {}
    for start in itertools.product(*(range(c) for c in counts)):
        end = _global_succession(compiled.matrix, counts, start)
        if end is not None:
            weights[end] = weights.get(end, 0) + 1
    assert {r.scenario: r.weight for r in sl.rows} == {z: float(w) for z, w in weights.items()}


def test_load_system_on_fixtures() -> None:
    for path in (SCW, CSV):
        system = load_system(path)
        assert system.kind == path.suffix[1:]
        assert system.compiled.counts.tolist() == [3, 3, 3, 2, 3, 3]
        assert np.array_equal(system.compiled.matrix, read_csv_matrix(CSV).matrix)
    scw = load_system(SCW)
    assert scw.model is not None
    assert scw.compiled.descriptor_ids == tuple(d for d, _ in DESCRIPTORS)
    assert scw.model.descriptors[0].id == "A_Government"
    assert scw.model.descriptors[0].name == scw.compiled.descriptor_ids[0]
    assert scw.model.descriptors[0].variants[1].name == "A2 Prosperity party"
