"""Edit a model file in place: keep what was not edited, refuse a stale version.

Every program that changes a model file goes through ``edit_model`` (or, to put back a
previous version of the file, ``replace_model_bytes``):

1. the file is read once, and its version is the SHA-256 of its bytes; when the caller
   names the version it made its edit against and the file differs, ``StaleModelError``
   is raised and nothing is written;
2. the edit is applied to the ruamel.yaml round-trip document, so comments, key order,
   flow style and folded or literal text of everything not edited are kept; lines that
   the YAML library would lay out differently are taken from the file as it was;
3. the new text is parsed back into a ``Model``; a text that does not parse, or (when
   asked) one with a validation problem the file did not have, is refused;
4. the new bytes are written to a temporary file in the same directory, flushed to disk
   and renamed over the model, while an advisory lock on the file is held.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from kizashi.errors import ModelError, StaleModelError
from kizashi.model.schema import Evidence, Judgement, Model, SourceRef
from kizashi.model.validate import validate_model
from kizashi.model.yaml_io import MAX_MODEL_BYTES, _plain, judgement_to_data, parse_model_text

try:  # pragma: no cover - every supported POSIX system has fcntl
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")

WIDTH = 100
JUDGEMENT_KEYS = (
    "from",
    "to",
    "score",
    "rationale",
    "basis",
    "sources",
    "source_scores",
    "evidence",
)


def content_version(data: bytes) -> str:
    """The version of a model file's content: the hex SHA-256 of its bytes.

    Parameters
    ----------
    data : bytes
        The file's bytes.

    Returns
    -------
    str
        64 hexadecimal digits.
    """
    return hashlib.sha256(data).hexdigest()


def _folded(text: str, indent: int) -> FoldedScalarString:
    """Folded text whose lines break at spaces before ``WIDTH`` columns."""
    folded: FoldedScalarString = FoldedScalarString(text)
    positions: list[int] = []
    start = 0
    limit = max(WIDTH - indent, 20)
    while len(text) - start > limit:
        cut = text.rfind(" ", start + 1, start + limit)
        if cut <= start or "\n" in text[start:cut]:
            break
        positions.append(cut)
        start = cut + 1
    folded.fold_pos = positions  # type: ignore[attr-defined]
    return folded


def _styled(old: Any, new: Any, indent: int) -> Any:
    """``new`` in the scalar style of ``old`` (literal or folded text stays so)."""
    if isinstance(new, str) and not isinstance(new, (LiteralScalarString, FoldedScalarString)):
        if isinstance(old, LiteralScalarString):
            return LiteralScalarString(new)
        if isinstance(old, FoldedScalarString) and "\n" not in new.rstrip("\n"):
            return _folded(new, indent)
    return new


def _node(value: Any) -> Any:
    """Round-trip containers for plain data (so that new entries are block style)."""
    if isinstance(value, dict):
        node = CommentedMap()
        for key, item in value.items():
            node[key] = _node(item)
        return node
    if isinstance(value, list):
        return CommentedSeq(_node(item) for item in value)
    return value


def _put(node: CommentedMap, key: str, value: Any, order: Sequence[str], indent: int) -> None:
    """Set ``node[key]`` unless equal; a new key goes where ``order`` places it."""
    if key in node:
        old = node[key]
        if _plain(old) == value:
            return
        if isinstance(old, list) and isinstance(value, list) and _plain(old) == value[: len(old)]:
            for item in value[len(old) :]:
                old.append(_node(item))
            return
        node[key] = _styled(old, _node(value), indent)
        return
    rank = order.index(key) if key in order else len(order)
    position = sum(1 for k in node if (order.index(k) if k in order else len(order)) <= rank)
    node.insert(position, key, _node(value))


class ModelDocument:
    """A model file as read for an edit: its bytes, version and round-trip document.

    Parameters
    ----------
    path : str or Path
        The model file.
    data : bytes
        The file's bytes as read.

    Raises
    ------
    ModelError
        When the bytes are not a model (malformed YAML, wrong types).
    """

    def __init__(self, path: str | Path, data: bytes) -> None:
        self.path = Path(path)
        self.data = data
        self.version = content_version(data)
        try:
            self.text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ModelError(f"not UTF-8 text (byte {exc.start})", path=str(self.path)) from None
        self.original = parse_model_text(self.text, str(self.path)).model
        self._layout = (2, 2, 0)
        self.document: CommentedMap = self._yaml().load(self.text)
        self._base: str | None = None

    def _choose_layout(self) -> str:
        """Pick the indentation that writes the unedited file most like the file itself."""
        unedited = self._yaml().load(self.text)
        _, sequence, offset = load_yaml_guess_indent(self.text)
        sequence, offset = int(sequence or 2), int(offset or 0)
        candidates = dict.fromkeys(
            [
                (max(sequence - offset, 1), sequence, offset),
                (sequence, sequence, offset),
                (2, 2, 0),
                (2, 4, 2),
            ]
        )
        lines = self.text.splitlines(keepends=True)
        best: tuple[int, tuple[int, int, int], str] | None = None
        for layout in candidates:
            self._layout = layout
            base = self._dump(unedited)
            if base == self.text:
                return base
            matcher = difflib.SequenceMatcher(
                None, base.splitlines(keepends=True), lines, autojunk=False
            )
            same = sum(block.size for block in matcher.get_matching_blocks())
            if best is None or same > best[0]:
                best = (same, layout, base)
        assert best is not None
        self._layout = best[1]
        return best[2]

    @classmethod
    def read(cls, path: str | Path) -> ModelDocument:
        """Read a model file for an edit.

        Parameters
        ----------
        path : str or Path
            The model file.

        Returns
        -------
        ModelDocument
            The file's document and version.
        """
        p = Path(path)
        return cls(p, _read(p))

    # -- reading the document --------------------------------------------------------
    def model(self) -> Model:
        """The document as it stands, type-checked into a ``Model``.

        Returns
        -------
        Model
            The edited model.
        """
        return parse_model_text(self.render(), str(self.path)).model

    def _judgements(self) -> CommentedSeq:
        judgements = self.document.get("judgements")
        if judgements is None:
            judgements = CommentedSeq()
            self.document["judgements"] = judgements
        if not isinstance(judgements, CommentedSeq):
            raise ModelError("judgements must be a list", path=str(self.path))
        return judgements

    def _index(self, source_ref: str, target_ref: str) -> int | None:
        for n, node in enumerate(self._judgements()):
            if (
                isinstance(node, dict)
                and node.get("from") == source_ref
                and node.get("to") == target_ref
            ):
                return n
        return None

    def judgement(self, source_ref: str, target_ref: str) -> Judgement | None:
        """The judgement of a cell as the document has it, or None.

        Parameters
        ----------
        source_ref, target_ref : str
            ``descriptor.variant`` of the cell's row and column.

        Returns
        -------
        Judgement or None
            The cell's judgement; None when the cell is empty.
        """
        index = self._index(source_ref, target_ref)
        if index is None:
            return None
        return Judgement.model_validate(_plain(self._judgements()[index]))

    # -- editing the document --------------------------------------------------------
    def put_judgement(self, judgement: Judgement) -> None:
        """Write a judgement into its cell, changing only the fields that differ.

        A new cell is appended to the judgements. A list that only grew (evidence, sources)
        keeps its entries and gains the new ones.

        Parameters
        ----------
        judgement : Judgement
            The cell's new judgement.
        """
        data = judgement_to_data(judgement)
        judgements = self._judgements()
        index = self._index(judgement.source_variant, judgement.target_variant)
        if index is None:
            judgements.append(_node(data))
            return
        node = judgements[index]
        indent = self._layout[1] + self._layout[0]
        for key in [k for k in node if k in JUDGEMENT_KEYS and k not in data]:
            del node[key]
        for key, value in data.items():
            _put(node, key, value, JUDGEMENT_KEYS, indent)

    def remove_judgement(self, source_ref: str, target_ref: str) -> bool:
        """Remove a cell's judgement.

        Parameters
        ----------
        source_ref, target_ref : str
            ``descriptor.variant`` of the cell's row and column.

        Returns
        -------
        bool
            False when the cell was already empty.
        """
        index = self._index(source_ref, target_ref)
        if index is None:
            return False
        del self._judgements()[index]
        return True

    def add_evidence(self, source_ref: str, target_ref: str, evidence: Evidence) -> bool:
        """Append an evidence quote to a judgement.

        Parameters
        ----------
        source_ref, target_ref : str
            ``descriptor.variant`` of the cell's row and column.
        evidence : Evidence
            The quote.

        Returns
        -------
        bool
            False when the judgement already has this quote from this source.

        Raises
        ------
        ModelError
            When the cell has no judgement.
        """
        judgement = self.judgement(source_ref, target_ref)
        if judgement is None:
            raise ModelError(
                f"the model has no judgement {source_ref} -> {target_ref}", path=str(self.path)
            )
        if any(
            e.source == evidence.source and e.quote == evidence.quote for e in judgement.evidence
        ):
            return False
        judgement.evidence.append(evidence)
        self.put_judgement(judgement)
        return True

    def add_source(self, source: SourceRef) -> bool:
        """Append a source to the model's list of sources.

        Parameters
        ----------
        source : SourceRef
            The source.

        Returns
        -------
        bool
            False when a source with this id is listed already.
        """
        sources = self.document.get("sources")
        if sources is None:
            sources = CommentedSeq()
            order = (
                "id",
                "title",
                "description",
                "question",
                "aggregate",
                "folds",
                "sources",
                "descriptors",
            )
            _put(self.document, "sources", [], order, 0)
            sources = self.document["sources"]
        if any(isinstance(s, dict) and s.get("id") == source.id for s in sources):
            return False
        sources.append(_node(source.model_dump(exclude_none=True)))
        return True

    # -- writing ---------------------------------------------------------------------
    def _yaml(self) -> YAML:
        yaml = YAML(typ="rt")
        yaml.allow_duplicate_keys = False
        yaml.preserve_quotes = True
        yaml.width = WIDTH
        mapping, sequence, offset = self._layout
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        return yaml

    def _dump(self, document: CommentedMap) -> str:
        buf = io.StringIO()
        self._yaml().dump(document, buf)
        return buf.getvalue()

    def render(self) -> str:
        """The document as YAML text, with unedited lines as the file had them.

        Returns
        -------
        str
            The text to write.
        """
        if self._base is None:
            self._base = self._choose_layout()
        return _merge(self.text, self._base, self._dump(self.document))


def _merge(original: str, base: str, after: str) -> str:
    """Apply the line changes from ``base`` to ``after`` onto ``original``.

    ``base`` is the unedited document as the YAML library writes it; where it differs
    from ``original`` (a layout the library does not reproduce), the original lines are
    kept. A change next to such a line takes the library's lines up to the nearest line
    the three texts share.
    """
    if base == after:
        return original
    if base == original:
        return after
    o, b, a = (s.splitlines(keepends=True) for s in (original, base, after))
    to_original: dict[int, int] = {}
    for block in difflib.SequenceMatcher(None, b, o, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            to_original[block.a + k] = block.b + k
    to_after: dict[int, int] = {}
    spans: list[list[int]] = []
    for tag, i1, i2, j1, _ in difflib.SequenceMatcher(None, b, a, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                to_after[i1 + k] = j1 + k
        else:
            spans.append([i1, i2])

    def anchored(i: int) -> bool:
        return i in to_original and i in to_after

    merged: list[list[int]] = []
    for lo, hi in spans:
        while lo > 0 and not anchored(lo - 1):
            lo -= 1
        while hi < len(b) and not anchored(hi):
            hi += 1
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    out: list[str] = []
    pos = 0
    for lo, hi in merged:
        start = to_original[lo - 1] + 1 if lo > 0 else 0
        stop = to_original[hi] if hi < len(b) else len(o)
        first = to_after[lo - 1] + 1 if lo > 0 else 0
        last = to_after[hi] if hi < len(b) else len(a)
        if start < pos or stop < start:
            return after
        out.extend(o[pos:start])
        out.extend(a[first:last])
        pos = stop
    out.extend(o[pos:])
    return "".join(out)


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_MODEL_BYTES:
            raise ModelError(f"the model file is too large ({size} bytes)", path=str(path))
        return path.read_bytes()
    except OSError as exc:
        raise ModelError(f"cannot read the model file: {exc.strerror}", path=str(path)) from None


@contextmanager
def _locked(path: Path) -> Iterator[bytes]:
    """Hold an exclusive advisory lock on the model file; yield its bytes as locked."""
    while True:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError as exc:
            raise ModelError(
                f"cannot read the model file: {exc.strerror}", path=str(path)
            ) from None
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            if os.fstat(fd).st_ino != os.stat(path).st_ino:
                continue  # replaced while we waited: lock the new file
            chunks = []
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
            yield b"".join(chunks)
            return
        finally:
            os.close(fd)


def _check_version(path: Path, data: bytes, expected: str | None) -> None:
    if expected is not None and content_version(data) != expected:
        raise StaleModelError(
            "the model file changed since it was read (saved by another program or window); "
            "reload it and make the edit again",
            path=str(path),
        )


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it and rename it over."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with suppress(OSError):
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:  # pragma: no cover - directories cannot be opened on some systems
        return
    try:
        os.fsync(dir_fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(dir_fd)


@dataclass(frozen=True)
class Edited(Generic[T]):
    """What an edit did.

    Attributes
    ----------
    value : T
        What the edit function returned.
    model : Model
        The model as the file now holds it.
    version : str
        The file's version now.
    previous : bytes
        The file's bytes before the edit.
    changed : bool
        False when the edit changed nothing (and nothing was written).
    """

    value: T
    model: Model
    version: str
    previous: bytes
    changed: bool


def edit_model(
    path: str | Path,
    edit: Callable[[ModelDocument], T],
    *,
    expected_version: str | None = None,
    texts: Mapping[str, str] | None = None,
    check_problems: bool = False,
    check: Callable[[Model], object] | None = None,
    keep: Callable[[bytes], None] | None = None,
    what: str = "the edit",
) -> Edited[T]:
    """Apply ``edit`` to a model file and save it, keeping everything not edited.

    Parameters
    ----------
    path : str or Path
        The model file.
    edit : callable
        Changes the ``ModelDocument`` it is given; its return value is passed back.
    expected_version : str, optional
        The ``content_version`` the edit was made against; the edit is refused when the
        file differs.
    texts : mapping, optional
        Source texts for ``validate_model`` (quotes are checked against them).
    check_problems : bool
        Refuse an edit that adds a ``validate_model`` problem the file did not have.
    check : callable, optional
        Called with the edited model before anything is written; raises to refuse.
    keep : callable, optional
        Called with the file's previous bytes just before they are replaced.
    what : str
        Names the edit in the message of a refusal.

    Returns
    -------
    Edited
        The edit's value, the new model and version, and the previous bytes.

    Raises
    ------
    StaleModelError
        When the file is not at ``expected_version``.
    ModelError
        When the edited text is not a model, or adds a validation problem.
    """
    p = Path(path)
    with _locked(p) as data:
        _check_version(p, data, expected_version)
        document = ModelDocument(p, data)
        original = document.original.model_copy(deep=True)
        value = edit(document)
        text = document.render()
        if text == document.text:
            return Edited(value, original, document.version, data, False)
        try:
            model = parse_model_text(text, str(p)).model
        except ModelError as exc:
            raise ModelError(
                f"{what} would make the model invalid: {exc.message}", path=str(p)
            ) from None
        if check_problems:
            before = {str(q) for q in validate_model(original, texts, str(p))}
            problems = [q for q in validate_model(model, texts, str(p)) if str(q) not in before]
            if problems:
                raise ModelError(f"{what} would make the model invalid: {problems[0]}", path=str(p))
        if check is not None:
            check(model)
        new = text.encode("utf-8")
        if keep is not None:
            keep(data)
        _write(p, new)
    return Edited(value, model, content_version(new), data, True)


def replace_model_bytes(
    path: str | Path, data: bytes, *, expected_version: str | None = None
) -> str:
    """Put ``data`` (a whole model file, such as a kept previous version) in place of a model.

    Parameters
    ----------
    path : str or Path
        The model file.
    data : bytes
        The new content; it must parse as a model.
    expected_version : str, optional
        The ``content_version`` the caller last saw; refused when the file differs.

    Returns
    -------
    str
        The file's new version.

    Raises
    ------
    StaleModelError
        When the file is not at ``expected_version``.
    ModelError
        When ``data`` is not a model.
    """
    p = Path(path)
    ModelDocument(p, data)
    with _locked(p) as current:
        _check_version(p, current, expected_version)
        _write(p, data)
    return content_version(data)
