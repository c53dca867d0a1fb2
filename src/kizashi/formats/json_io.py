"""Models and compiled matrices as JSON.

Two documents, told apart by ``"format"``:

* a compiled matrix::

      {"format": "kizashi-matrix", "version": 1,
       "descriptors": [{"id": "A", "variants": ["A1", "A2"]}, ...],
       "matrix": [[0, 0, -2, 1], ...]}     # row = impacting variant, V x V

* a model: ``{"format": "kizashi-model", "version": 1, "model": {...}}`` where ``model``
  has exactly the shape of the YAML model file (DESIGN.md, "The model file").

Output is deterministic (sorted nowhere, indented, integers where scores are whole).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from kizashi.errors import InputError, ModelError
from kizashi.formats._text import read_bytes
from kizashi.model.compile import CompiledModel, compile_model
from kizashi.model.schema import Model
from kizashi.model.yaml_io import model_to_data

MATRIX_FORMAT = "kizashi-matrix"
MODEL_FORMAT = "kizashi-model"


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def compiled_to_data(compiled: CompiledModel) -> dict[str, Any]:
    """The JSON-ready form of a compiled matrix."""
    return {
        "format": MATRIX_FORMAT,
        "version": 1,
        "descriptors": [
            {"id": did, "variants": list(vids)}
            for did, vids in zip(compiled.descriptor_ids, compiled.variant_ids, strict=True)
        ],
        "matrix": [[_num(x) for x in row] for row in np.asarray(compiled.matrix)],
    }


def model_to_json_data(model: Model) -> dict[str, Any]:
    """The JSON-ready form of a model."""
    return {"format": MODEL_FORMAT, "version": 1, "model": model_to_data(model)}


def dumps(obj: CompiledModel | Model) -> str:
    """JSON text of a compiled matrix or a model."""
    data = model_to_json_data(obj) if isinstance(obj, Model) else compiled_to_data(obj)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def compiled_from_data(data: Any, path: str = "<json>") -> CompiledModel:
    """Check and convert a ``kizashi-matrix`` document."""
    descriptors = data.get("descriptors") if isinstance(data, dict) else None
    if not isinstance(descriptors, list) or not descriptors:
        raise InputError("'descriptors' must be a non-empty list", path=path, where="descriptors")
    dids: list[str] = []
    vids: list[tuple[str, ...]] = []
    for k, d in enumerate(descriptors):
        if not isinstance(d, dict) or not isinstance(d.get("id"), str) or not isinstance(d.get("variants"), list):
            raise InputError("each descriptor needs an 'id' and a list of 'variants'", path=path, where=f"descriptors[{k}]")
        if not d["variants"] or not all(isinstance(v, str) for v in d["variants"]):
            raise InputError("'variants' must be a non-empty list of strings", path=path, where=f"descriptors[{k}].variants")
        dids.append(d["id"])
        vids.append(tuple(d["variants"]))
    size = sum(len(v) for v in vids)
    rows = data.get("matrix")
    if not isinstance(rows, list) or len(rows) != size:
        got = len(rows) if isinstance(rows, list) else "no"
        raise InputError(f"'matrix' must have {size} rows, found {got}", path=path, where="matrix")
    matrix = np.zeros((size, size), dtype=np.float64)
    for r, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != size:
            raise InputError(f"each matrix row needs {size} numbers", path=path, where=f"matrix[{r}]")
        for c, x in enumerate(row):
            if isinstance(x, bool) or not isinstance(x, (int, float)) or not np.isfinite(x):
                raise InputError(f"{x!r} is not a number", path=path, where=f"matrix[{r}][{c}]")
            matrix[r, c] = float(x)
    return CompiledModel(tuple(dids), tuple(vids), np.array([len(v) for v in vids], dtype=np.int64), matrix)


def model_from_data(data: Any, path: str = "<json>") -> Model:
    """Check and convert a ``kizashi-model`` document."""
    body = data.get("model") if isinstance(data, dict) else None
    if not isinstance(body, dict):
        raise ModelError("'model' must be an object", path=path, where="model")
    try:
        return Model.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        dotted = ".".join(str(k) for k in first["loc"])
        raise ModelError(f"{first['msg']}", path=path, where=f"model.{dotted}" if dotted else "model") from None


def loads(text: str, path: str = "<json>") -> tuple[CompiledModel, Model | None]:
    """Parse either document; a model comes back compiled as well."""
    if not text.strip():
        raise InputError("the file is empty", path=path, where="line 1")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON: {exc.msg}", path=path, where=f"line {exc.lineno}, column {exc.colno}") from None
    kind = data.get("format") if isinstance(data, dict) else None
    if kind == MODEL_FORMAT:
        model = model_from_data(data, path)
        try:
            return compile_model(model), model
        except ModelError as exc:
            raise ModelError(exc.message, path=path, where="model.judgements") from None
    if kind == MATRIX_FORMAT:
        return compiled_from_data(data, path), None
    raise InputError(
        f"'format' must be {MATRIX_FORMAT!r} or {MODEL_FORMAT!r}, found {kind!r}", path=path, where="line 1"
    )


def read_json(path: str | Path) -> tuple[CompiledModel, Model | None]:
    """Read a JSON matrix or model file."""
    data = read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path=str(path)) from None
    return loads(text, str(path))


def write_json(obj: CompiledModel | Model, path: str | Path) -> None:
    """Write a compiled matrix or a model as JSON (UTF-8)."""
    p = Path(path)
    tmp = p.with_name(p.name + ".tmp")
    tmp.write_text(dumps(obj), encoding="utf-8")
    tmp.replace(p)
