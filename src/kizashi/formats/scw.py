"""ScenarioWizard version-4 project files (``.scw``), read and written losslessly.

ScenarioWizard is the reference tool of cross-impact balance analysis (W. Weimer-Jehle,
ZIRIUS, University of Stuttgart). Its manual's file-format appendix was not available;
the layout below was reconstructed from public sample files (see
``reference/scenariowizard.md``). Everything whose meaning is unknown is kept verbatim
and written back unchanged, so that ``format_scw(parse_scw(x)) == x`` for well-formed
files (same code page, same line endings)::

    $ ScenarioWizard 4.0        header
    Project name                stored project name
    &Descriptor                 section A: "&" + descriptor name,
     -Variant                   " -" + variant name (blank and repeated names occur)
    #
    &                           section B: short names, same shape without the hyphen
    <space>
    #
    #                           section C (empty in every sample)
    FFFFFF                      section D: one colour per variant
    #
    #                           section E (empty in every sample)
     0 , 2 ,-3 , 15             section F: V x V matrix, Visual-Basic ``Str(n) & " "``
    #                                      cells joined by commas, diagonal blocks included
    # 0-0                       texts: a "#" key line and one double-quoted line;
    "project text"              0-0, then one per descriptor, then n*n pair texts
    #                           trailing "#" lines
    #

Diagonal blocks: ScenarioWizard counts non-zero diagonal blocks in the balances, so the
matrix keeps them (``to_compiled`` is exact). A kizashi ``Model`` cannot hold them (its
judgements may not sit in a diagonal block): ``to_model`` leaves them out and
``diagonal_cells`` lists them, so a caller (``kizashi import``) can refuse or warn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from kizashi.errors import InputError
from kizashi.formats._ids import slug, unique_names, unique_slugs
from kizashi.formats._text import (
    decode,
    encode,
    join_lines,
    parse_number,
    read_bytes,
    split_lines,
    vb_number,
)
from kizashi.model.compile import CompiledModel, compile_model
from kizashi.model.schema import Descriptor, Judgement, Model, Variant

SCW_HEADER = "$ ScenarioWizard 4.0"
DEFAULT_COLOUR = "FFFFFF"
# Marks the rationale of an imported judgement whose file gave no text; export skips it.
NO_JUSTIFICATION = "the file gives no justification"
_SECTION_NAMES = (
    "section A (descriptors and variants)",
    "section B (short names)",
    "section C",
    "section D (colours)",
    "section E",
    "section F (the cross-impact matrix)",
)


def block_diagonal_cells(
    matrix: npt.NDArray[np.float64], counts: npt.NDArray[np.int64]
) -> list[tuple[int, int, float]]:
    """Non-zero cells inside diagonal blocks as (row, column, value), matrix indices."""
    cells: list[tuple[int, int, float]] = []
    start = 0
    for count in counts:
        s, e = start, start + int(count)
        block = matrix[s:e, s:e]
        for r, c in zip(*np.nonzero(block), strict=True):
            cells.append((s + int(r), s + int(c), float(block[r, c])))
        start = e
    return cells


@dataclass
class ScwDescriptor:
    """A descriptor's name and its variants' names, exactly as written."""

    name: str
    variants: list[str]


@dataclass
class ScwText:
    """One text entry: its ``#`` key line (kept verbatim) and the decoded text.

    ``raw_lines``/``raw_text`` remember how the entry was written in the file; when the
    text is unchanged the writer emits those lines again (lossless even for quoting
    ScenarioWizard wrote differently from our ``""`` escaping).
    """

    header: str
    text: str
    raw_lines: tuple[str, ...] | None = field(default=None, compare=False, repr=False)
    raw_text: str | None = field(default=None, compare=False, repr=False)

    def lines(self, newline: str) -> list[str]:
        """The entry as file lines (key line, then the quoted text)."""
        if self.raw_lines is not None and self.raw_text == self.text:
            return [self.header, *self.raw_lines]
        body = '"' + self.text.replace('"', '""') + '"'
        return [self.header, *body.replace("\r\n", "\n").split("\n")]


@dataclass(eq=False)
class ScwProject:
    """Everything in a ScenarioWizard 4 project file.

    ``texts`` holds the text entries in file order: ``texts[0]`` is keyed ``0-0`` (the
    project text), ``texts[1 : n + 1]`` are the descriptor descriptions and the next
    ``n * n`` the pair justifications, row-major, source descriptor first. Files may
    hold fewer (or more) entries; accessors return "" for missing ones.
    """

    header: str
    name: str
    descriptors: list[ScwDescriptor]
    matrix: npt.NDArray[np.float64]
    short_names: list[ScwDescriptor] | None = None
    section_b_raw: list[str] = field(default_factory=list)
    section_c: list[str] = field(default_factory=list)
    colours: list[str] = field(default_factory=list)
    section_e: list[str] = field(default_factory=list)
    texts: list[ScwText] = field(default_factory=list)
    trailing: list[str] = field(default_factory=lambda: ["#", "#"])
    terminators: list[str] = field(default_factory=lambda: ["#"] * 6)
    newline: str = "\r\n"
    final_newline: bool = True
    encoding: str = "cp1252"
    path: str | None = None
    _raw_rows: tuple[npt.NDArray[np.float64], list[str]] | None = field(default=None, repr=False)

    # -- structure -------------------------------------------------------------------

    @property
    def counts(self) -> npt.NDArray[np.int64]:
        """Number of variants of each descriptor."""
        return np.array([len(d.variants) for d in self.descriptors], dtype=np.int64)

    @property
    def offsets(self) -> npt.NDArray[np.int64]:
        """Matrix index of each descriptor's first variant."""
        counts = self.counts
        return np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ScwProject):
            return NotImplemented
        return (
            self.header == other.header
            and self.name == other.name
            and self.descriptors == other.descriptors
            and self.matrix.shape == other.matrix.shape
            and bool(np.array_equal(self.matrix, other.matrix))
            and self.short_names == other.short_names
            and (self.short_names is not None or self.section_b_raw == other.section_b_raw)
            and self.section_c == other.section_c
            and self.colours == other.colours
            and self.section_e == other.section_e
            and self.texts == other.texts
            and self.trailing == other.trailing
            and self.terminators == other.terminators
            and self.newline == other.newline
            and self.final_newline == other.final_newline
        )

    __hash__ = None  # type: ignore[assignment]

    # -- texts -----------------------------------------------------------------------

    def _text(self, index: int) -> str:
        return self.texts[index].text if 0 <= index < len(self.texts) else ""

    @property
    def project_text(self) -> str:
        """The text keyed ``0-0`` (most likely the project description)."""
        return self._text(0)

    def descriptor_text(self, i: int) -> str:
        """Description of descriptor ``i`` (0-based)."""
        return self._text(1 + i)

    def pair_text(self, i: int, j: int) -> str:
        """Justification text of the judgement section "descriptor i impacts descriptor j"."""
        n = len(self.descriptors)
        return self._text(1 + n + i * n + j)

    # -- diagonal --------------------------------------------------------------------

    def diagonal_cells(self) -> list[tuple[int, int, float]]:
        """Non-zero cells inside diagonal blocks as (row, column, value), matrix indices."""
        return block_diagonal_cells(self.matrix, self.counts)

    # -- conversions -----------------------------------------------------------------

    def to_compiled(self, ids: Literal["names", "model"] = "names") -> CompiledModel:
        """The exact matrix (diagonal blocks included).

        With ``ids="names"`` the ids are the file's names, stripped: a blank name becomes
        ``D3`` / ``V2`` (its 1-based position), a repeated one ``name_2``, ``name_3``...
        With ``ids="model"`` they are the ids ``to_model`` gives (``model_ids``).
        """
        if ids == "model":
            dids, vids = self.model_ids()
        else:
            dids = unique_names([d.name for d in self.descriptors], "D")
            vids = [unique_names(d.variants, "V") for d in self.descriptors]
        return CompiledModel(
            tuple(dids),
            tuple(tuple(v) for v in vids),
            self.counts,
            self.matrix.astype(np.float64, copy=True),
        )

    def model_ids(self) -> tuple[list[str], list[list[str]]]:
        """The ids ``to_model`` uses: names folded to ``[A-Za-z0-9_-]``, made unique."""
        dids = unique_slugs([d.name for d in self.descriptors], "D")
        vids = [unique_slugs(d.variants, "V") for d in self.descriptors]
        return dids, vids

    def to_model(self, model_id: str | None = None) -> Model:
        """A kizashi model: names kept, ids from ``model_ids``, texts as descriptions.

        * model title: the stored project name; description: the ``0-0`` text;
        * descriptor description: its text entry;
        * every non-zero off-diagonal cell becomes a judgement with ``basis: analyst``
          whose rationale is the justification text of its descriptor pair (or a note
          that the file gave none);
        * non-zero diagonal cells are left out (see ``diagonal_cells``).
        """
        dids, vids = self.model_ids()
        base = Path(self.path).stem if self.path else ""
        mid = model_id or slug(self.name) or slug(base) or "scw-import"
        descriptors = [
            Descriptor(
                id=did,
                name=d.name,
                description=self.descriptor_text(i),
                variants=[
                    Variant(id=vid, name=vname)
                    for vid, vname in zip(vids[i], d.variants, strict=True)
                ],
            )
            for i, (did, d) in enumerate(zip(dids, self.descriptors, strict=True))
        ]
        source = Path(self.path).name if self.path else "a ScenarioWizard project"
        judgements: list[Judgement] = []
        offsets, counts = self.offsets, self.counts
        # One string per variant reference, shared by all of its judgements.
        refs = [[f"{did}.{vid}" for vid in vs] for did, vs in zip(dids, vids, strict=True)]
        for i in range(len(self.descriptors)):
            for j in range(len(self.descriptors)):
                if i == j:
                    continue
                text = self.pair_text(i, j).strip() or (
                    f"Imported from {source}; {NO_JUSTIFICATION} for "
                    f"{self.descriptors[i].name.strip() or dids[i]} -> {self.descriptors[j].name.strip() or dids[j]}."
                )
                for k in range(int(counts[i])):
                    for m in range(int(counts[j])):
                        value = float(self.matrix[offsets[i] + k, offsets[j] + m])
                        if value == 0:
                            continue
                        if value * 2 != int(value * 2):
                            raise InputError(
                                f"cell ({offsets[i] + k + 1}, {offsets[j] + m + 1}) is {value:g}; a kizashi model "
                                "holds only integer or half-integer scores",
                                path=self.path,
                            )
                        judgements.append(
                            Judgement.model_validate(
                                {
                                    "from": refs[i][k],
                                    "to": refs[j][m],
                                    "score": value,
                                    "rationale": text,
                                    "basis": "analyst",
                                }
                            )
                        )
        return Model(
            id=mid,
            title=self.name,
            description=self.project_text,
            descriptors=descriptors,
            judgements=judgements,
        )


# -- reading ---------------------------------------------------------------------------


class _Cursor:
    """Lines with a position and errors that name the file and line."""

    def __init__(self, lines: list[str], path: str) -> None:
        self.lines = lines
        self.path = path
        self.i = 0

    @property
    def lineno(self) -> int:
        return self.i + 1

    def at_end(self) -> bool:
        return self.i >= len(self.lines)

    def peek(self, ahead: int = 0) -> str | None:
        k = self.i + ahead
        return self.lines[k] if k < len(self.lines) else None

    def take(self, inside: str) -> str:
        if self.at_end():
            raise self.error(f"the file ends inside {inside} (truncated?)")
        line = self.lines[self.i]
        self.i += 1
        return line

    def error(self, message: str, line: int | None = None) -> InputError:
        return InputError(message, path=self.path, where=f"line {line or self.lineno}")


def _is_end(line: str) -> bool:
    return line.rstrip() == "#"


def _section(cur: _Cursor, index: int, terminators: list[str]) -> list[str]:
    lines: list[str] = []
    while True:
        line = cur.take(_SECTION_NAMES[index])
        if _is_end(line):
            terminators[index] = line
            return lines
        lines.append(line)


def _parse_structure(cur: _Cursor, terminators: list[str]) -> list[ScwDescriptor]:
    descriptors: list[ScwDescriptor] = []
    start = cur.lineno
    while True:
        lineno = cur.lineno
        line = cur.take(_SECTION_NAMES[0])
        if _is_end(line):
            terminators[0] = line
            break
        if line.startswith("&"):
            descriptors.append(ScwDescriptor(line[1:], []))
        elif line.startswith((" -", "-")):
            if not descriptors:
                raise cur.error("a variant line comes before any '&descriptor' line", lineno)
            descriptors[-1].variants.append(line.split("-", 1)[1])
        else:
            raise cur.error(
                f"unexpected line in section A: {line[:40]!r} (expected '&descriptor' or ' -variant')",
                lineno,
            )
    if not descriptors:
        raise cur.error("section A names no descriptors", start)
    for d in descriptors:
        if not d.variants:
            raise cur.error(f"descriptor {d.name!r} has no variants", start)
    return descriptors


def _parse_short_names(lines: list[str]) -> list[ScwDescriptor] | None:
    names: list[ScwDescriptor] = []
    for line in lines:
        if line.startswith("&"):
            names.append(ScwDescriptor(line[1:], []))
        elif line.startswith(" ") and names:
            names[-1].variants.append(line[1:])
        else:
            return None
    return names


def _parse_matrix(
    cur: _Cursor, size: int, terminators: list[str]
) -> tuple[npt.NDArray[np.float64], list[str]]:
    matrix = np.zeros((size, size), dtype=np.float64)
    raw: list[str] = []
    for r in range(size):
        lineno = cur.lineno
        line = cur.take(_SECTION_NAMES[5])
        if _is_end(line):
            raise cur.error(f"the matrix has {r} rows, expected {size} (one per variant)", lineno)
        cells = line.split(",")
        if len(cells) == size + 1 and not cells[-1].strip():
            cells = cells[:-1]
        if len(cells) != size:
            raise cur.error(f"matrix row {r + 1} has {len(cells)} cells, expected {size}", lineno)
        for c, cell in enumerate(cells):
            value = parse_number(cell)
            if value is None:
                raise cur.error(
                    f"matrix row {r + 1}, column {c + 1}: {cell.strip()!r} is not a number", lineno
                )
            matrix[r, c] = value
        raw.append(line)
    lineno = cur.lineno
    line = cur.take("the end of the matrix ('#')")
    if not _is_end(line):
        raise cur.error(
            f"the matrix has more than {size} rows (one per variant expected), or its '#' is missing",
            lineno,
        )
    terminators[5] = line
    return matrix, raw


_QUOTE_RUN = re.compile('"+')


def _unquote_segment(segment: str) -> tuple[str, bool]:
    """Decode one stretch of a quoted text; True when its closing quote ends it.

    A run of ``k`` quotes inside the text stands for ``ceil(k / 2)`` quotes (pairs are
    one quote each, a lone quote is kept). A run at the end closes the text when ``k``
    is odd (the pairs before it are quotes); when it is even the text goes on.
    """
    stripped = segment.rstrip('"')
    k = len(segment) - len(stripped)
    body = _QUOTE_RUN.sub(lambda m: '"' * ((len(m.group()) + 1) // 2), stripped)
    return body + '"' * (k // 2), k % 2 == 1


def _unquote(body: str) -> str | None:
    """Decode a double-quoted text (``""`` is a quote); None while it is unterminated."""
    text, closed = _unquote_segment(body[1:])
    return text if closed else None


def _parse_texts(cur: _Cursor) -> list[ScwText]:
    texts: list[ScwText] = []
    while True:
        key, body = cur.peek(), cur.peek(1)
        if key is None or body is None or not key.startswith("#") or not body.startswith('"'):
            return texts
        cur.take("a text entry")
        start = cur.lineno
        raw = [cur.take("a text entry")]
        # Each line is decoded once: a quote pair never spans a line break.
        piece, closed = _unquote_segment(raw[0][1:])
        pieces = [piece]
        while not closed:
            if cur.at_end():
                raise cur.error("a text entry has no closing quote (truncated?)", start)
            raw.append(cur.take("a text entry"))
            piece, closed = _unquote_segment(raw[-1])
            pieces.append(piece)
        text = "\n".join(pieces)
        texts.append(ScwText(key, text, tuple(raw), text))


def parse_scw(data: str | bytes, path: str | Path = "<scw>") -> ScwProject:
    """Parse the text (or bytes) of a ``.scw`` file; ``InputError`` names file and line."""
    p = str(path)
    text, encoding = decode(data)
    split = split_lines(text, encoding)
    cur = _Cursor(split.lines, p)
    if not split.lines or not any(line.strip() for line in split.lines):
        raise InputError("the file is empty", path=p, where="line 1")
    header = cur.take("the header")
    if not header.startswith("$ ScenarioWizard"):
        raise cur.error(f"not a ScenarioWizard project: the first line is {header[:40]!r}", 1)
    name = cur.take("the project name (line 2)")
    terminators = ["#"] * 6
    descriptors = _parse_structure(cur, terminators)
    section_b = _section(cur, 1, terminators)
    section_c = _section(cur, 2, terminators)
    colours = _section(cur, 3, terminators)
    section_e = _section(cur, 4, terminators)
    size = sum(len(d.variants) for d in descriptors)
    matrix, raw_rows = _parse_matrix(cur, size, terminators)
    texts = _parse_texts(cur)
    trailing = cur.lines[cur.i :]
    short = _parse_short_names(section_b)
    return ScwProject(
        header=header,
        name=name,
        descriptors=descriptors,
        matrix=matrix,
        short_names=short,
        section_b_raw=[] if short is not None else section_b,
        section_c=section_c,
        colours=colours,
        section_e=section_e,
        texts=texts,
        trailing=trailing,
        terminators=terminators,
        newline=split.newline,
        final_newline=split.final_newline,
        encoding=split.encoding,
        path=p,
        _raw_rows=(matrix.copy(), raw_rows),
    )


def read_scw(path: str | Path) -> ScwProject:
    """Read a ``.scw`` file."""
    return parse_scw(read_bytes(path), path)


# -- writing ---------------------------------------------------------------------------


def _cell(value: float) -> str:
    text = vb_number(float(value))
    return (text if text.startswith("-") else " " + text) + " "


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


def _matrix_lines(project: ScwProject) -> list[str]:
    rows: list[str] = []
    raw = project._raw_rows
    for r in range(project.matrix.shape[0]):
        row = project.matrix[r]
        if (
            raw is not None
            and raw[0].shape == project.matrix.shape
            and bool(np.array_equal(raw[0][r], row))
        ):
            rows.append(raw[1][r])
        else:
            rows.append(",".join(_cell(v) for v in row))
    return rows


def format_scw(project: ScwProject) -> str:
    """The file text of a project (``newline`` line endings, as read or CRLF)."""
    size = int(project.counts.sum())
    if project.matrix.shape != (size, size):
        raise InputError(
            f"the matrix is {project.matrix.shape}, expected ({size}, {size})", path=project.path
        )
    t = project.terminators
    lines = [_one_line(project.header), _one_line(project.name)]
    for d in project.descriptors:
        lines.append("&" + _one_line(d.name))
        lines.extend(" -" + _one_line(v) for v in d.variants)
    lines.append(t[0])
    if project.short_names is not None:
        for d in project.short_names:
            lines.append("&" + _one_line(d.name))
            lines.extend(" " + _one_line(v) for v in d.variants)
    else:
        lines.extend(project.section_b_raw)
    lines.append(t[1])
    for section, end in (
        (project.section_c, t[2]),
        (project.colours, t[3]),
        (project.section_e, t[4]),
    ):
        lines.extend(section)
        lines.append(end)
    lines.extend(_matrix_lines(project))
    lines.append(t[5])
    for entry in project.texts:
        lines.extend(entry.lines(project.newline))
    lines.extend(project.trailing)
    return join_lines(lines, project.newline, project.final_newline)


def write_scw(project: ScwProject, path: str | Path) -> None:
    """Write a project in its code page (characters it lacks become ``?``), atomically."""
    p = Path(path)
    data = encode(format_scw(project), project.encoding)
    tmp = p.with_name(p.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(p)


# -- building from kizashi data --------------------------------------------------------


def _texts_for(
    project_text: str, descriptor_texts: list[str], pair_texts: list[list[str]]
) -> list[ScwText]:
    """Text entries in ScenarioWizard's order; short names are blank, so the keys are too."""
    n = len(descriptor_texts)
    texts = [ScwText("# 0-0", project_text)]
    texts.extend(ScwText("# ", t) for t in descriptor_texts)
    for i in range(n):
        for j in range(n):
            texts.append(ScwText("#  -> ", pair_texts[i][j]))
    return texts


def scw_from_compiled(
    compiled: CompiledModel,
    name: str = "",
    project_text: str = "",
    descriptor_texts: list[str] | None = None,
    pair_texts: list[list[str]] | None = None,
) -> ScwProject:
    """A new project from a structure and matrix (ids become names)."""
    n = len(compiled.descriptor_ids)
    total = int(compiled.counts.sum())
    descriptors = [
        ScwDescriptor(did, list(vids))
        for did, vids in zip(compiled.descriptor_ids, compiled.variant_ids, strict=True)
    ]
    return ScwProject(
        header=SCW_HEADER,
        name=name,
        descriptors=descriptors,
        matrix=np.asarray(compiled.matrix, dtype=np.float64).copy(),
        short_names=[ScwDescriptor("", [""] * len(d.variants)) for d in descriptors],
        colours=[DEFAULT_COLOUR] * total,
        texts=_texts_for(
            project_text,
            descriptor_texts or [""] * n,
            pair_texts or [[""] * n for _ in range(n)],
        ),
    )


def scw_from_model(model: Model) -> ScwProject:
    """Export a kizashi model: names (or ids) as names, descriptions and rationales as texts.

    The justification text of a descriptor pair joins the distinct rationales of its
    judgements, in model order, separated by a space (placeholder rationales written by
    an import, which contain ``NO_JUSTIFICATION``, are skipped).
    """
    compiled = compile_model(model)
    index = {d.id: i for i, d in enumerate(model.descriptors)}
    n = len(model.descriptors)
    pairs: list[list[list[str]]] = [[[] for _ in range(n)] for _ in range(n)]
    for j in model.judgements:
        i_from = index[j.source_variant.split(".", 1)[0]]
        i_to = index[j.target_variant.split(".", 1)[0]]
        rationale = _one_line(j.rationale.strip())
        if NO_JUSTIFICATION in rationale and j.basis == "analyst":
            continue
        if rationale and rationale not in pairs[i_from][i_to]:
            pairs[i_from][i_to].append(rationale)
    project = scw_from_compiled(
        compiled,
        name=model.title or model.id,
        project_text=model.description,
        descriptor_texts=[d.description for d in model.descriptors],
        pair_texts=[[" ".join(cell) for cell in row] for row in pairs],
    )
    project.descriptors = [
        ScwDescriptor(d.name or d.id, [v.name or v.id for v in d.variants])
        for d in model.descriptors
    ]
    return project
