"""``kizashi import`` / ``kizashi export``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from kizashi.cli.format_cmds import register
from kizashi.errors import InputError
from kizashi.formats import load_system, read_csv_matrix, read_scw

from .test_scw import SAMPLE

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture()
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def _main() -> None:
        """Group the commands (so that their names are used)."""

    return app


def test_import_then_export_reproduces_the_original_bytes(app: typer.Typer, tmp_path: Path) -> None:
    runner = CliRunner()
    model = tmp_path / "sw.yaml"
    result = runner.invoke(app, ["import", str(DATA / "somewhereland.scw"), "-o", str(model)])
    assert result.exit_code == 0, result.output
    assert "126 judgements" in result.output
    out = tmp_path / "sw.scw"
    assert runner.invoke(app, ["export", str(model), "-o", str(out)]).exit_code == 0
    assert out.read_bytes() == (DATA / "somewhereland.scw").read_bytes()
    csv_out = tmp_path / "sw.csv"
    assert runner.invoke(app, ["export", str(model), "-o", str(csv_out)]).exit_code == 0
    assert np.array_equal(read_csv_matrix(csv_out).matrix, read_scw(DATA / "somewhereland.scw").matrix)


def test_import_refuses_diagonal_cells_unless_asked(app: typer.Typer, tmp_path: Path) -> None:
    source = tmp_path / "s.scw"
    source.write_bytes(SAMPLE)
    runner = CliRunner()
    result = runner.invoke(app, ["import", str(source), "-o", str(tmp_path / "m.yaml")])
    assert isinstance(result.exception, InputError)
    assert "--drop-diagonal" in result.exception.message and result.exception.path == str(source)
    assert not (tmp_path / "m.yaml").exists()
    result = runner.invoke(app, ["import", str(source), "-o", str(tmp_path / "m.yaml"), "--drop-diagonal"])
    assert result.exit_code == 0, result.output
    system = load_system(tmp_path / "m.yaml")
    assert system.compiled.matrix[0, 1] == 0  # the diagonal cell was left out
    assert np.count_nonzero(system.compiled.matrix) == np.count_nonzero(read_scw(source).matrix) - 1


def test_import_csv_and_export_json(app: typer.Typer, tmp_path: Path) -> None:
    runner = CliRunner()
    model = tmp_path / "m.yaml"
    assert runner.invoke(app, ["import", str(DATA / "somewhereland.csv"), "-o", str(model)]).exit_code == 0
    out = tmp_path / "m.json"
    assert runner.invoke(app, ["export", str(model), "-o", str(out)]).exit_code == 0
    system = load_system(out)
    assert system.model is not None and system.model.descriptors[0].name == "A. Government"
    assert np.array_equal(system.compiled.matrix, read_csv_matrix(DATA / "somewhereland.csv").matrix)


def test_bad_output_extension(app: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", str(DATA / "somewhereland.scw"), "-o", str(tmp_path / "x.txt")])
    assert isinstance(result.exception, InputError) and ".scw, .csv or .json" in result.exception.message


def test_import_rejects_scores_a_model_cannot_hold(app: typer.Typer, tmp_path: Path) -> None:
    source = tmp_path / "q.csv"
    source.write_text(",,A,,B,\n,,a1,a2,b1,b2\nA,a1,0,0,0.3,0\n,a2,0,0,0,0\nB,b1,0,0,0,0\n,b2,0,0,0,0\n")
    result = CliRunner().invoke(app, ["import", str(source), "-o", str(tmp_path / "q.yaml")])
    assert isinstance(result.exception, InputError)
    assert result.exception.path == str(source) and "(1, 3) is 0.3" in result.exception.message
