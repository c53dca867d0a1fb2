"""Load and save models as YAML, with errors that name the file and the line.

Loading keeps ruamel.yaml's round-trip document so that line numbers of every key are
known; saving writes a canonical, deterministic layout in which only non-zero
judgements appear.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent

from kizashi.errors import InputError, ModelError
from kizashi.model.schema import Judgement, Model

MAX_MODEL_BYTES = 50 * 1024 * 1024


def _line_of(doc: Any, loc: Iterable[int | str]) -> int | None:
    """1-based line of the deepest node of ``loc`` that carries position data."""
    node = doc
    line: int | None = None
    for key in loc:
        if isinstance(node, CommentedMap) and key in node:
            pos = node.lc.key(key)
            line = pos[0] + 1
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
            pos = node.lc.item(key)
            line = pos[0] + 1
            node = node[key]
        else:
            break
    return line


class LoadedModel:
    """A model together with the YAML document it came from (for line numbers)."""

    def __init__(self, model: Model, document: Any, path: str) -> None:
        self.model = model
        self.document = document
        self.path = path

    def line(self, *loc: int | str) -> int | None:
        """1-based line of a path such as ``("judgements", 3, "to")``."""
        return _line_of(self.document, loc)


class _NoAliasComposer(Composer):
    """A composer that refuses aliases (``*name``).

    An alias shares a node, so a few lines can stand for an exponentially large
    document (an "alias bomb") once converted to plain data. Kizashi's files never
    need them, so the first alias is an error naming its line and column.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Compose the next node, refusing an alias."""
        if self.parser.check_event(AliasEvent):
            event = self.parser.peek_event()
            raise ComposerError(
                None,
                None,
                f"YAML aliases (*{event.anchor}) are not allowed; write the value out in full",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def _yaml(typ: str = "rt") -> YAML:
    yaml = YAML(typ=typ, pure=True)
    yaml.Composer = _NoAliasComposer
    if typ == "rt":
        yaml.allow_duplicate_keys = False
    return yaml


def parse_model_text(text: str, path: str = "<string>") -> LoadedModel:
    """Parse YAML text into a validated-by-type model (see ``validate`` for semantics)."""
    if not text.strip():
        raise ModelError("the model file is empty", path=path, where="1")
    try:
        document = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{mark.line + 1}:{mark.column + 1}" if mark is not None else None
        raise ModelError(
            f"malformed YAML: {exc.problem or exc.context}", path=path, where=where
        ) from None
    except YAMLError as exc:
        raise ModelError(f"malformed YAML: {exc}", path=path) from None
    if not isinstance(document, CommentedMap):
        raise ModelError(
            "a model file must be a mapping with id, descriptors and judgements",
            path=path,
            where="1",
        )
    try:
        model = Model.model_validate(_plain(document))
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [k for k in first["loc"] if isinstance(k, (int, str))]
        line = _line_of(document, loc)
        dotted = ".".join(str(k) for k in loc) or "(top level)"
        raise ModelError(
            f"{dotted}: {first['msg']}",
            path=path,
            where=str(line) if line is not None else None,
        ) from None
    return LoadedModel(model, document, path)


def _plain(node: Any) -> Any:
    """Convert ruamel containers to plain dicts and lists (keys as str)."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def read_yaml(path: str | Path, what: str) -> Any:
    """Plain data of a YAML file; ``InputError`` naming the file (and line) if unreadable.

    ``what`` names the file's role in the message ("the corpus manifest", ...).
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", path=str(p)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{what} is not UTF-8 text (byte {exc.start})", path=str(p)) from None
    try:
        return _yaml("safe").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{mark.line + 1}:{mark.column + 1}" if mark is not None else None
        raise InputError(
            f"malformed YAML in {what}: {exc.problem or exc.context}", path=str(p), where=where
        ) from None
    except YAMLError as exc:
        raise InputError(f"malformed YAML in {what}: {exc}", path=str(p)) from None


def load_model(path: str | Path) -> LoadedModel:
    """Read and type-check a model YAML file; raise ``ModelError`` naming file and line."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ModelError(f"cannot read the model file: {exc.strerror}", path=str(p)) from None
    if size > MAX_MODEL_BYTES:
        raise ModelError(f"the model file is too large ({size} bytes)", path=str(p))
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ModelError(f"not UTF-8 text (byte {exc.start})", path=str(p)) from None
    return parse_model_text(text, str(p))


def _score(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def judgement_to_data(judgement: Judgement) -> dict[str, Any]:
    """The fields of a judgement as the model file writes them (defaults left out)."""
    data: dict[str, Any] = {
        "from": judgement.source_variant,
        "to": judgement.target_variant,
        "score": _score(judgement.score),
    }
    if judgement.rationale:
        data["rationale"] = judgement.rationale
    if judgement.basis != "sources":
        data["basis"] = judgement.basis
    if judgement.sources:
        data["sources"] = list(judgement.sources)
    if judgement.source_scores:
        data["source_scores"] = {k: _score(v) for k, v in judgement.source_scores.items()}
    if judgement.evidence:
        data["evidence"] = [e.model_dump(exclude_none=True) for e in judgement.evidence]
    return data


def model_to_data(model: Model) -> dict[str, Any]:
    """The canonical plain-data form of a model (what ``dump_model`` writes)."""
    data: dict[str, Any] = {"id": model.id}
    if model.title:
        data["title"] = model.title
    if model.description:
        data["description"] = model.description
    if model.question:
        data["question"] = model.question
    if model.aggregate != "explicit":
        data["aggregate"] = model.aggregate
    if model.folds:
        data["folds"] = dict(model.folds)
    if model.sources:
        data["sources"] = [s.model_dump(exclude_none=True) for s in model.sources]
    data["descriptors"] = []
    for d in model.descriptors:
        entry: dict[str, Any] = {"id": d.id}
        if d.name:
            entry["name"] = d.name
        if d.description:
            entry["description"] = d.description
        if d.themes:
            entry["themes"] = list(d.themes)
        entry["variants"] = [v.model_dump(exclude_defaults=True) | {"id": v.id} for v in d.variants]
        entry["variants"] = [
            {k: v[k] for k in ("id", "name", "description") if k in v} for v in entry["variants"]
        ]
        data["descriptors"].append(entry)
    data["judgements"] = [judgement_to_data(j) for j in model.judgements]
    return data


def dump_model(model: Model) -> str:
    """Serialise a model to YAML text deterministically (round-trips with ``parse_model_text``)."""
    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    yaml.dump(model_to_data(model), buf)
    return buf.getvalue()


def save_model(model: Model, path: str | Path) -> None:
    """Write a model atomically (a temporary file renamed over the target)."""
    p = Path(path)
    tmp = p.with_name(p.name + ".tmp")
    tmp.write_text(dump_model(model), encoding="utf-8")
    tmp.replace(p)
