"""Source texts for quote checking, read from a corpus manifest (``seeds.yaml`` shape).

The bundled corpus ships in ``kizashi/data/corpus``; a manifest lists each source's id
and file, relative to the manifest.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from kizashi.errors import InputError
from kizashi.model.yaml_io import read_yaml

BUNDLED_MODEL = "us-japan-alliance.yaml"


def bundled_manifest() -> Path:
    """Path of the bundled corpus manifest."""
    return Path(str(resources.files("kizashi") / "data" / "corpus" / "seeds.yaml"))


def bundled_model() -> Path:
    """Path of the bundled flagship model."""
    return Path(str(resources.files("kizashi") / "data" / "models" / BUNDLED_MODEL))


def source_texts(manifest: Path | None = None) -> dict[str, str]:
    """``{source id: text}`` for every entry of a manifest."""
    path = manifest or bundled_manifest()
    entries = read_yaml(path, "the corpus manifest")
    if not isinstance(entries, list):
        raise InputError("a corpus manifest is a list of {id, file, ...} entries", path=str(path), where="1")
    texts: dict[str, str] = {}
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or "id" not in entry or "file" not in entry:
            raise InputError(f"entry {n} needs an id and a file", path=str(path))
        file = path.parent / str(entry["file"])
        try:
            texts[str(entry["id"])] = file.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"entry {n} ({entry['id']}): cannot read {file}: {exc.strerror}", path=str(path)) from None
    return texts
