"""``kizashi import`` and ``kizashi export``: ScenarioWizard, CSV and JSON files.

``import`` turns a ScenarioWizard project (``.scw``, Weimer-Jehle's format), a CSV or a
JSON matrix into a kizashi model YAML; ``export`` writes any loadable system (YAML
model, ``.scw``, CSV, JSON) as ``.scw``, ``.csv`` or ``.json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console

from kizashi.errors import InputError
from kizashi.formats.convert import diagonal_cells, model_from_compiled
from kizashi.formats.csv_matrix import read_csv_matrix, write_csv_matrix
from kizashi.formats.json_io import read_json, write_json
from kizashi.formats.loader import load_system
from kizashi.formats.scw import read_scw, scw_from_compiled, scw_from_model, write_scw
from kizashi.model.compile import CompiledModel
from kizashi.model.schema import Model
from kizashi.model.yaml_io import save_model

console = Console()


def _describe_cells(compiled: CompiledModel, cells: list[tuple[int, int, float]]) -> str:
    labels = [f"{d}.{v}" for d, vs in zip(compiled.descriptor_ids, compiled.variant_ids, strict=True) for v in vs]
    shown = ", ".join(f"{labels[r]} -> {labels[c]} = {v:g}" for r, c, v in cells[:5])
    more = f" and {len(cells) - 5} more" if len(cells) > 5 else ""
    return shown + more


def import_file(source: Path, output: Path, model_id: str | None = None, drop_diagonal: bool = False) -> Model:
    """Convert ``source`` (.scw, .csv, .json) into a model YAML at ``output``."""
    suffix = source.suffix.lower()
    if suffix == ".scw":
        project = read_scw(source)
        compiled = project.to_compiled(ids="model")
        cells = project.diagonal_cells()
        model = project.to_model(model_id)
    elif suffix in (".csv", ".json"):
        if suffix == ".csv":
            compiled, model_or_none = read_csv_matrix(source), None
        else:
            compiled, model_or_none = read_json(source)
        cells = diagonal_cells(compiled)
        model = model_or_none or model_from_compiled(compiled, model_id or source.stem, origin=source.name, path=str(source))
    else:
        raise InputError("import reads .scw, .csv or .json files", path=str(source))
    if cells and not drop_diagonal:
        raise InputError(
            f"{len(cells)} non-zero cell(s) in diagonal blocks ({_describe_cells(compiled, cells)}); "
            "a kizashi model cannot hold them and results would differ from ScenarioWizard's. "
            "Analyse the file directly, or pass --drop-diagonal to import without them",
            path=str(source),
        )
    if output.suffix.lower() not in (".yaml", ".yml"):
        raise InputError("the output of import is a model YAML (.yaml or .yml)", path=str(output))
    save_model(model, output)
    return model


def export_file(source: Path, output: Path) -> str:
    """Write the system in ``source`` to ``output`` (.scw, .csv or .json); a note on what was done."""
    system = load_system(source)
    suffix = output.suffix.lower()
    if suffix == ".scw":
        if system.project is not None:
            write_scw(system.project, output)
        elif system.model is not None:
            write_scw(scw_from_model(system.model), output)
        else:
            write_scw(scw_from_compiled(system.compiled, name=source.stem), output)
        if not np.all(system.compiled.matrix == np.round(system.compiled.matrix)):
            return "note: the matrix has non-integer scores; ScenarioWizard expects integers"
    elif suffix == ".csv":
        write_csv_matrix(system.compiled, output)
    elif suffix == ".json":
        write_json(system.model if system.model is not None and not system.diagonal_cells else system.compiled, output)
    else:
        raise InputError("export writes .scw, .csv or .json files", path=str(output))
    return ""


def register(app: typer.Typer) -> None:
    """Add ``import`` and ``export`` to the command line."""

    @app.command("import")
    def import_cmd(
        source: Annotated[Path, typer.Argument(help="A ScenarioWizard .scw project, or a .csv / .json matrix.")],
        output: Annotated[Path, typer.Option("--output", "-o", help="The model YAML to write.")],
        model_id: Annotated[str | None, typer.Option("--id", help="Model id (default: from the file).")] = None,
        drop_diagonal: Annotated[
            bool, typer.Option("--drop-diagonal", help="Import even if diagonal blocks hold non-zero cells (they are left out).")
        ] = False,
    ) -> None:
        """Convert a ScenarioWizard project (or a CSV/JSON matrix) into a kizashi model YAML."""
        model = import_file(source, output, model_id, drop_diagonal)
        console.print(
            f"wrote {output}: {len(model.descriptors)} descriptors, "
            f"{sum(len(d.variants) for d in model.descriptors)} variants, {len(model.judgements)} judgements"
        )

    @app.command("export")
    def export_cmd(
        source: Annotated[Path, typer.Argument(help="A model YAML, .scw project, or .csv / .json matrix.")],
        output: Annotated[Path, typer.Option("--output", "-o", help="The file to write: .scw, .csv or .json.")],
    ) -> None:
        """Write a model or matrix as a ScenarioWizard .scw project, a CSV matrix or JSON."""
        note = export_file(source, output)
        console.print(f"wrote {output}")
        if note:
            console.print(note)
