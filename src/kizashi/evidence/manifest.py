"""Document metadata from a YAML manifest or a sidecar ``<file>.yaml``.

A manifest is a list of entries (the shape of ``corpus/seeds.yaml``)::

    - id: kothiwale-tatvita-2024       # stable source id
      file: seeds/000_0a64474a96dfc126.txt   # relative to the manifest
      title: ...
      author: ...                      # several authors separated by ";"
      publisher: ...
      date: 2024-04-17                 # or null
      url: ...                         # optional
      any_other_key: ...               # kept in the document's metadata

A sidecar next to a file (``article.html.yaml``) holds one such mapping, without
``file``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from kizashi.errors import InputError

CORE_FIELDS = ("title", "author", "publisher", "date", "url")
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")


@dataclass
class SourceInfo:
    """Metadata of one source document."""

    id: str
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def slug_id(path: Path) -> str:
    """A source id derived from a file name (used when no metadata names one)."""
    slug = re.sub(r"[^A-Za-z0-9._\-]+", "-", path.stem).strip("-.").lower()
    return slug or "document"


def _load_yaml(path: Path) -> Any:
    try:
        with path.open("r", encoding="utf-8") as handle:
            return YAML(typ="safe").load(handle)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{mark.line + 1}" if mark is not None else None
        raise InputError(f"malformed YAML: {exc.problem}", path=str(path), where=where) from exc
    except (YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"malformed YAML: {exc}", path=str(path)) from exc
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", path=str(path)) from exc


def _entry_to_info(entry: dict[str, Any], path: Path, where: str) -> SourceInfo:
    source_id = entry.get("id")
    if not isinstance(source_id, str) or not ID_RE.match(source_id):
        raise InputError(
            f"entry needs an 'id' of letters, digits, '.', '_' or '-' (got {source_id!r})",
            path=str(path),
            where=where,
        )
    values = {key: _plain(entry.get(key)) for key in CORE_FIELDS}
    extra = {str(k): _plain(v) for k, v in entry.items() if k not in (*CORE_FIELDS, "id", "file")}
    return SourceInfo(
        id=source_id,
        **{k: (None if v is None else str(v)) for k, v in values.items()},
        extra=extra,
    )


def load_manifest(path: Path) -> dict[Path, SourceInfo]:
    """Map resolved document paths to their metadata, from a manifest file."""
    data = _load_yaml(path)
    if not isinstance(data, list):
        raise InputError("a manifest must be a YAML list of entries", path=str(path))
    result: dict[Path, SourceInfo] = {}
    seen: set[str] = set()
    for number, entry in enumerate(data, start=1):
        where = f"entry {number}"
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise InputError("entry needs a 'file' path", path=str(path), where=where)
        info = _entry_to_info(entry, path, where)
        if info.id in seen:
            raise InputError(f"duplicate id {info.id!r}", path=str(path), where=where)
        seen.add(info.id)
        result[(path.parent / entry["file"]).resolve()] = info
    return result


def sidecar_info(document: Path) -> SourceInfo | None:
    """Metadata from ``<file>.yaml`` next to ``document``, if there is one."""
    sidecar = document.with_name(document.name + ".yaml")
    if not sidecar.is_file():
        return None
    data = _load_yaml(sidecar)
    if not isinstance(data, dict):
        raise InputError("a sidecar must be a YAML mapping", path=str(sidecar))
    data.setdefault("id", slug_id(document))
    return _entry_to_info(data, sidecar, "id")
