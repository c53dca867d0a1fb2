"""Cross-impact matrices as CSV, the form spreadsheets exchange them in.

Layout (row = impacting variant, column = impacted variant, as in ScenarioWizard)::

    ,,A,,,B,,
    ,,A1,A2,A3,B1,B2,B3
    A,A1,0,0,0,-2,1,1
    ,A2,0,0,0,2,1,-3
    ...

Two header rows name the descriptor and the variant of each column; two leading columns
name them for each row. A descriptor's name may stand on its first row/column only
(what ``write_csv_matrix`` writes) or be repeated on every one; both are read. Empty
cells count as 0. Comma or semicolon separators; UTF-8 (with or without a byte-order
mark), else cp1252.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from kizashi.errors import InputError
from kizashi.formats._text import parse_number, read_bytes
from kizashi.model.compile import CompiledModel


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _groups(names: list[str], variants: list[str]) -> list[tuple[str, list[str]]]:
    """Group consecutive variants under descriptor names (blank or repeated = continue)."""
    groups: list[tuple[str, list[str]]] = []
    for name, variant in zip(names, variants, strict=True):
        name = name.strip()
        if not groups or (name and name != groups[-1][0]):
            groups.append((name, []))
        groups[-1][1].append(variant.strip())
    return groups


def _structure_error(path: str, where: str, message: str) -> InputError:
    return InputError(message, path=path, where=where)


def parse_csv_matrix(text: str, path: str = "<csv>") -> CompiledModel:
    """Parse CSV text into a compiled model; ``InputError`` names file, row and column."""
    if not text.strip():
        raise InputError("the file is empty", path=path, where="row 1")
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if len(rows) < 3:
        raise InputError(
            "a matrix needs two header rows and at least one data row",
            path=path,
            where=f"row {len(rows) + 1}",
        )
    head_d, head_v = rows[0][2:], rows[1][2:]
    width = max(len(head_d), len(head_v))
    head_d = head_d + [""] * (width - len(head_d))
    head_v = head_v + [""] * (width - len(head_v))
    while width and not head_d[width - 1].strip() and not head_v[width - 1].strip():
        width -= 1
    del head_d[width:], head_v[width:]
    if width == 0:
        raise InputError("the header rows name no columns", path=path, where="row 1, column 3")
    for c, v in enumerate(head_v):
        if not v.strip():
            raise InputError(
                "a column has no variant name", path=path, where=f"row 2, column {c + 3}"
            )
    if head_d and not head_d[0].strip():
        raise InputError("the first column names no descriptor", path=path, where="row 1, column 3")
    columns = _groups(head_d, head_v)
    data = rows[2:]
    if len(data) != width:
        raise InputError(
            f"the matrix has {len(data)} rows but {width} columns (it must be square)",
            path=path,
            where=f"row {len(rows) + (0 if len(data) > width else 1)}",
        )
    row_d = [(r[0] if r else "") for r in data]
    row_v = [(r[1] if len(r) > 1 else "") for r in data]
    if not row_d[0].strip():
        raise InputError(
            "the first data row names no descriptor", path=path, where="row 3, column 1"
        )
    row_groups = _groups(row_d, row_v)
    if row_groups != columns:
        # Find the first row that disagrees, to name it.
        flat_cols = [(d, v) for d, vs in columns for v in vs]
        flat_rows = [(d, v) for d, vs in row_groups for v in vs]
        for k, (a, b) in enumerate(zip(flat_rows, flat_cols, strict=False)):
            if a != b:
                raise InputError(
                    f"row names {a[0]}/{a[1]} but column {k + 1} names {b[0]}/{b[1]}; "
                    "rows and columns must list the same variants in the same order",
                    path=path,
                    where=f"row {k + 3}, column 1",
                )
        raise InputError(
            "rows and columns list different descriptors", path=path, where="row 3, column 1"
        )
    matrix = np.zeros((width, width), dtype=np.float64)
    for r, row in enumerate(data):
        cells = row[2:]
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            raise InputError(
                f"the row has {len(cells)} values, expected {width}",
                path=path,
                where=f"row {r + 3}, column {width + 3}",
            )
        for c in range(width):
            cell = cells[c] if c < len(cells) else ""
            if not cell.strip():
                continue
            value = parse_number(cell.replace(",", ".") if delimiter == ";" else cell)
            if value is None:
                raise InputError(
                    f"{cell.strip()!r} is not a number",
                    path=path,
                    where=f"row {r + 3}, column {c + 3}",
                )
            matrix[r, c] = value
    for k, (name, variants) in enumerate(columns):
        if not name:
            raise InputError("a descriptor has no name", path=path, where=f"row 1, column {k + 3}")
        if len(set(variants)) != len(variants):
            raise InputError(
                f"descriptor {name!r} repeats a variant name", path=path, where="row 2"
            )
    names = [name for name, _ in columns]
    if len(set(names)) != len(names):
        raise InputError("a descriptor name appears twice (not adjacent)", path=path, where="row 1")
    return CompiledModel(
        tuple(names),
        tuple(tuple(vs) for _, vs in columns),
        np.array([len(vs) for _, vs in columns], dtype=np.int64),
        matrix,
    )


def read_csv_matrix(path: str | Path) -> CompiledModel:
    """Read a CSV cross-impact matrix."""
    return parse_csv_matrix(_decode(read_bytes(path)), str(path))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def format_csv_matrix(compiled: CompiledModel) -> str:
    """CSV text: descriptor names on the first row/column of each descriptor only."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    head_d: list[str] = ["", ""]
    head_v: list[str] = ["", ""]
    labels: list[tuple[str, str]] = []
    for did, vids in zip(compiled.descriptor_ids, compiled.variant_ids, strict=True):
        for k, vid in enumerate(vids):
            head_d.append(did if k == 0 else "")
            head_v.append(vid)
            labels.append((did if k == 0 else "", vid))
    writer.writerow(head_d)
    writer.writerow(head_v)
    for (d, v), row in zip(labels, compiled.matrix, strict=True):
        writer.writerow([d, v, *(_number(x) for x in row)])
    return buf.getvalue()


def write_csv_matrix(compiled: CompiledModel, path: str | Path) -> None:
    """Write a CSV matrix (UTF-8, LF endings)."""
    p = Path(path)
    tmp = p.with_name(p.name + ".tmp")
    tmp.write_text(format_csv_matrix(compiled), encoding="utf-8", newline="")
    tmp.replace(p)
