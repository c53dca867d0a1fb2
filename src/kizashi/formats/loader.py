"""Load a CIB system from any supported file, chosen by extension.

=============== ======================= ===================================================
extension       kind                    what comes back
=============== ======================= ===================================================
.yaml, .yml     ``yaml``                the model and its compiled matrix
.scw            ``scw``                 the ScenarioWizard project's exact matrix (diagonal
                                        blocks included) and the model ``to_model`` makes
.csv            ``csv``                 the matrix; no model
.json           ``json``                the matrix, and the model for a model document
=============== ======================= ===================================================

For YAML and JSON models, ``compiled`` uses the model's ids. For a ``.scw``, ``compiled``
uses the file's names (``ScwProject.to_compiled()``: blank names become ``D3``/``V2``,
repeats ``name_2``) while the model's ids are those names folded to the model alphabet
(``ScwProject.model_ids()``); the two correspond by position. For a ``.scw`` with
non-zero diagonal blocks the model omits them (a kizashi model cannot hold them) while
``compiled`` keeps them, as ScenarioWizard counts them; ``diagonal_cells`` lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kizashi.errors import InputError, ModelError
from kizashi.formats.csv_matrix import read_csv_matrix
from kizashi.formats.json_io import read_json
from kizashi.formats.scw import ScwProject, read_scw
from kizashi.model.compile import CompiledModel, compile_model
from kizashi.model.schema import Model
from kizashi.model.validate import Problem, validate_model
from kizashi.model.yaml_io import load_model

Kind = Literal["yaml", "scw", "csv", "json"]

EXTENSIONS: dict[str, Kind] = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".scw": "scw",
    ".csv": "csv",
    ".json": "json",
}

# Problems that do not stop a model from being compiled and analysed (they concern its
# evidence, which ``kizashi check`` reports); every other problem is structural.
_EVIDENTIAL = (
    "needs a rationale",
    "evidence quote",
    "source_scores names",
    "is not the median",
    "unknown source",
    "no text for source",
    "quote not found",
)


def is_structural(problem: Problem) -> bool:
    """True for problems that make the model's matrix wrong or undefined."""
    return not any(marker in problem.message for marker in _EVIDENTIAL)


@dataclass(frozen=True)
class LoadedSystem:
    """A system ready for the engine, with where it came from."""

    compiled: CompiledModel
    model: Model | None
    kind: Kind
    path: str
    project: ScwProject | None = None
    diagonal_cells: tuple[tuple[int, int, float], ...] = field(default=())


def _load_yaml(path: Path) -> LoadedSystem:
    loaded = load_model(path)
    structural = [p for p in validate_model(loaded) if is_structural(p)]
    if structural:
        first = structural[0]
        raise ModelError(
            f"{first.subject}: {first.message}",
            path=first.path,
            where=str(first.line) if first.line is not None else None,
        )
    return LoadedSystem(compile_model(loaded.model), loaded.model, "yaml", str(path))


def load_system(path: str | Path) -> LoadedSystem:
    """Load a ``.yaml``/``.yml`` model, ``.scw`` project, ``.csv`` matrix or ``.json`` file."""
    p = Path(path)
    kind = EXTENSIONS.get(p.suffix.lower())
    if kind is None:
        known = ", ".join(sorted(EXTENSIONS))
        raise InputError(f"unknown file type {p.suffix or '(none)'!r}; expected one of {known}", path=str(p))
    if kind == "yaml":
        return _load_yaml(p)
    if kind == "scw":
        project = read_scw(p)
        return LoadedSystem(
            project.to_compiled(ids="names"),
            project.to_model(),
            "scw",
            str(p),
            project=project,
            diagonal_cells=tuple(project.diagonal_cells()),
        )
    if kind == "csv":
        return LoadedSystem(read_csv_matrix(p), None, "csv", str(p))
    compiled, model = read_json(p)
    return LoadedSystem(compiled, model, "json", str(p))
