"""Deterministic ids for names read from foreign files.

Foreign files (ScenarioWizard projects, CSV matrices) name descriptors and variants
freely: names may be blank, repeat, or contain spaces and quotes. Two id schemes are
used:

* ``unique_names``: the names themselves, stripped; a blank name becomes ``D3`` / ``V2``
  (its 1-based position), a repeated one gets ``_2``, ``_3``... (for ``CompiledModel``);
* ``unique_slugs``: the same, folded to the model's id alphabet ``[A-Za-z0-9_-]``
  (for ``kizashi.model.Model``, whose ids must match ``ID_PATTERN``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_NOT_ID = re.compile(r"[^A-Za-z0-9_\-]+")


def slug(name: str) -> str:
    """Fold a name to ``[A-Za-z0-9_-]``, not starting with a hyphen ("" if nothing is left)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return _NOT_ID.sub("_", ascii_name).strip("_").lstrip("-")


def _dedupe(bases: Sequence[str]) -> list[str]:
    used: set[str] = set()
    out: list[str] = []
    for base in bases:
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}_{n}", n + 1
        used.add(candidate)
        out.append(candidate)
    return out


def unique_names(names: Sequence[str], blank_prefix: str) -> list[str]:
    """Names as ids: blank -> ``{prefix}{position}``, repeats -> ``name_2``, ``name_3``."""
    return _dedupe([n.strip() or f"{blank_prefix}{k + 1}" for k, n in enumerate(names)])


def unique_slugs(names: Sequence[str], blank_prefix: str) -> list[str]:
    """Model-valid ids: ``slug(name)``, blank -> ``{prefix}{position}``, repeats suffixed."""
    return _dedupe([slug(n) or f"{blank_prefix}{k + 1}" for k, n in enumerate(names)])
