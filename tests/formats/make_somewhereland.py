"""Regenerate the Somewhereland golden fixtures in ``tests/data`` with kizashi's writers.

    python tests/formats/make_somewhereland.py

Writes ``somewhereland.scw`` (CRLF, cp1252, like a ScenarioWizard original),
``somewhereland.csv`` and ``somewhereland.sl`` (the ten consistent scenarios with the
weights, consistency values and total impact scores of ``reference/scenariowizard.md``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from somewhereland_table import DESCRIPTORS, consistent_rows, table_rows  # noqa: E402

from kizashi.formats import (  # noqa: E402
    SolutionList,
    SolutionRow,
    scw_from_compiled,
    write_csv_matrix,
    write_scw,
    write_sl,
)
from kizashi.model import CompiledModel  # noqa: E402

DATA = HERE.parent / "data"


def build_matrix() -> np.ndarray:
    counts = [len(v) for _, v in DESCRIPTORS]
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))
    size = sum(counts)
    matrix = np.zeros((size, size))
    rows = table_rows()
    labels = [v.split()[0] for _, vs in DESCRIPTORS for v in vs]
    for r, label in enumerate(labels):
        for j, block in enumerate(rows[label]):
            if block is not None:
                matrix[r, offsets[j] : offsets[j] + counts[j]] = block
    return matrix


def main() -> None:
    compiled = CompiledModel(
        tuple(d for d, _ in DESCRIPTORS),
        tuple(tuple(v) for _, v in DESCRIPTORS),
        np.array([len(v) for _, v in DESCRIPTORS], dtype=np.int64),
        build_matrix(),
    )
    project = scw_from_compiled(
        compiled,
        name="Somewhereland",
        project_text="Somewhereland: the teaching example of the ScenarioWizard manual (Weimer-Jehle).",
        descriptor_texts=[
            "Which party leads the government.",
            "Somewhereland's stance toward its neighbours.",
            "Economic development.",
            "How evenly wealth is distributed.",
            "Social cohesion.",
            "The values that prevail in society.",
        ],
    )
    write_scw(project, DATA / "somewhereland.scw")
    write_csv_matrix(compiled, DATA / "somewhereland.csv")
    rows = [
        SolutionRow(tuple(i + 1 for i in scenario), float(weight), float(cv), 0.0, float(tis))
        for scenario, tis, cv, weight in consistent_rows()
    ]
    write_sl(SolutionList(rows=rows), DATA / "somewhereland.sl")


if __name__ == "__main__":
    main()
