"""ScenarioWizard solution lists (``.sl``), read and written.

ScenarioWizard (Weimer-Jehle, ZIRIUS Stuttgart) saves the scenarios it found as::

    $ ScenarioWizard 3.0
    Solution set
     4

    " 2 3 2",4,0,0,15,""

header, the words ``Solution set``, the number of rows (Visual Basic ``Str``: a leading
space), a blank line, then one row per scenario written with VB's ``Write #``: the
1-based variant indices (each preceded by a space, quoted), the volume weight (a
single-precision number, ``1.677722E+07`` when large), the consistency value, a field
that is always zero (meaning unknown), the total impact score and an empty quoted field
(meaning unknown). Row order is whatever ScenarioWizard's view was sorted by.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kizashi.errors import InputError
from kizashi.formats._text import (
    decode,
    encode,
    join_lines,
    parse_number,
    read_bytes,
    split_lines,
    vb_number,
    vb_str,
)

SL_HEADER = "$ ScenarioWizard 3.0"
SL_TITLE = "Solution set"


@dataclass(frozen=True)
class SolutionRow:
    """One saved scenario; ``indices`` are 1-based variant numbers, one per descriptor."""

    indices: tuple[int, ...]
    weight: float
    consistency: float
    zero: float = 0.0
    tis: float = 0.0
    note: str = ""
    extra: tuple[str, ...] = ()
    raw: str | None = field(default=None, compare=False, repr=False)

    @property
    def scenario(self) -> tuple[int, ...]:
        """The scenario as 0-based variant indices (kizashi's convention)."""
        return tuple(i - 1 for i in self.indices)


@dataclass
class SolutionList:
    """A ``.sl`` file: its header lines and its rows, in file order."""

    rows: list[SolutionRow]
    header: str = SL_HEADER
    title: str = SL_TITLE
    separator: str = ""
    trailing: list[str] = field(default_factory=list)
    newline: str = "\r\n"
    final_newline: bool = True
    encoding: str = "cp1252"
    count_line: str | None = field(default=None, compare=False, repr=False)
    path: str | None = field(default=None, compare=False, repr=False)

    def scenarios(self) -> set[tuple[int, ...]]:
        """The listed scenarios as 0-based tuples."""
        return {row.scenario for row in self.rows}


def _parse_row(line: str, lineno: int, path: str) -> SolutionRow:
    def fail(message: str) -> InputError:
        return InputError(message, path=path, where=f"line {lineno}")

    try:
        fields = next(csv.reader([line]))
    except (csv.Error, StopIteration):
        raise fail(f"not a solution row: {line[:40]!r}") from None
    if len(fields) < 5:
        raise fail(f"a solution row needs at least 5 fields, found {len(fields)}")
    try:
        indices = tuple(int(tok) for tok in fields[0].split())
    except ValueError:
        raise fail(f"the scenario field {fields[0]!r} is not a list of variant numbers") from None
    if not indices or min(indices) < 1:
        raise fail(f"the scenario field {fields[0]!r} needs 1-based variant numbers")
    numbers: list[float] = []
    for k, name in zip(range(1, 5), ("volume weight", "consistency value", "fourth field", "total impact score"), strict=True):
        value = parse_number(fields[k])
        if value is None:
            raise fail(f"the {name} {fields[k]!r} is not a number")
        numbers.append(value)
    note = fields[5] if len(fields) > 5 else ""
    return SolutionRow(indices, numbers[0], numbers[1], numbers[2], numbers[3], note, tuple(fields[6:]), line)


def parse_sl(data: str | bytes, path: str | Path = "<sl>") -> SolutionList:
    """Parse a solution list; ``InputError`` names the file and line."""
    p = str(path)
    text, encoding = decode(data)
    split = split_lines(text, encoding)
    lines = split.lines
    if not any(line.strip() for line in lines):
        raise InputError("the file is empty", path=p, where="line 1")
    if not lines[0].startswith("$ ScenarioWizard"):
        raise InputError(f"not a ScenarioWizard solution list: the first line is {lines[0][:40]!r}", path=p, where="line 1")
    if len(lines) < 3:
        raise InputError("the file ends before the number of solutions (truncated?)", path=p, where=f"line {len(lines) + 1}")
    count_value = parse_number(lines[2])
    if count_value is None or not count_value.is_integer() or count_value < 0:
        raise InputError(f"expected the number of solutions, found {lines[2][:40]!r}", path=p, where="line 3")
    count = int(count_value)
    separator = lines[3] if len(lines) > 3 else ""
    rows: list[SolutionRow] = []
    i = 4
    while i < len(lines) and lines[i].strip():
        rows.append(_parse_row(lines[i], i + 1, p))
        i += 1
    if len(rows) != count:
        raise InputError(
            f"the file announces {count} solutions but holds {len(rows)} (truncated?)",
            path=p,
            where=f"line {i + 1}",
        )
    widths = {len(r.indices) for r in rows}
    if len(widths) > 1:
        raise InputError(f"solution rows name different numbers of descriptors: {sorted(widths)}", path=p, where="line 5")
    return SolutionList(
        rows=rows,
        header=lines[0],
        title=lines[1],
        separator=separator,
        trailing=lines[i:],
        newline=split.newline,
        final_newline=split.final_newline,
        encoding=encoding,
        count_line=lines[2],
        path=p,
    )


def read_sl(path: str | Path) -> SolutionList:
    """Read a ``.sl`` file."""
    return parse_sl(read_bytes(path), path)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def format_row(row: SolutionRow) -> str:
    """A row as ScenarioWizard writes it (the original line if the row is unchanged)."""
    if row.raw is not None:
        try:
            if _parse_row(row.raw, 0, "") == row:
                return row.raw
        except InputError:
            pass
    parts = [
        _quote("".join(f" {i}" for i in row.indices)),
        vb_number(row.weight),
        vb_number(row.consistency),
        vb_number(row.zero),
        vb_number(row.tis),
        _quote(row.note),
        *(_quote(x) for x in row.extra),
    ]
    return ",".join(parts)


def format_sl(solutions: SolutionList) -> str:
    """The file text of a solution list."""
    count = vb_str(len(solutions.rows))
    count_line = solutions.count_line
    if count_line is None or parse_number(count_line) != len(solutions.rows):
        count_line = count
    lines = [solutions.header, solutions.title, count_line, solutions.separator]
    lines.extend(format_row(r) for r in solutions.rows)
    lines.extend(solutions.trailing)
    return join_lines(lines, solutions.newline, solutions.final_newline)


def write_sl(solutions: SolutionList | Iterable[SolutionRow], path: str | Path) -> None:
    """Write a solution list (rows alone get the standard header and CRLF endings)."""
    sl = solutions if isinstance(solutions, SolutionList) else SolutionList(rows=list(solutions))
    p = Path(path)
    tmp = p.with_name(p.name + ".tmp")
    tmp.write_bytes(encode(format_sl(sl), sl.encoding))
    tmp.replace(p)


def compare_solutions(
    found: set[tuple[int, ...]], sl: SolutionList
) -> tuple[set[tuple[int, ...]], set[tuple[int, ...]]]:
    """``(missing_in_found, missing_in_sl)`` for 0-based scenarios ``found`` vs a list."""
    listed = sl.scenarios()
    found = {tuple(int(x) for x in s) for s in found}
    return listed - found, found - listed
