"""The layer rules of the design: a layer imports only from the layers above it.

Order: model, cib, formats, analysis, evidence, monitor, report, then cli and web.
The engine is stricter still: it imports no other kizashi layer at all. The command
line may start the web app (``kizashi serve``), so ``cli`` may import ``web``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "kizashi"
ORDER = ["model", "cib", "formats", "analysis", "evidence", "monitor", "report", "cli", "web"]
SHARED = {"errors", "__init__"}
STRICT = {"cib": set(), "model": set(), "formats": {"model"}}
# The Python API (``kizashi.api``) sits over every layer; the shells render its results.
EXTRA = {("cli", "web"), ("cli", "api"), ("web", "api")}


def _rank(layer: str) -> int:
    return min(ORDER.index(layer), ORDER.index("cli")) if layer in ("cli", "web") else ORDER.index(layer)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "kizashi" and len(parts) > 1:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("layer", [layer for layer in ORDER if (SRC / layer).is_dir()])
def test_layer_imports_only_from_layers_above(layer: str) -> None:
    offenders = []
    for path in sorted((SRC / layer).rglob("*.py")):
        for target in _imports(path) - SHARED - {layer, "data"}:
            allowed = STRICT.get(layer)
            ok = target in allowed if allowed is not None else (target in ORDER and _rank(target) < _rank(layer))
            if not ok and (layer, target) not in EXTRA:
                offenders.append(f"{path.relative_to(SRC)} imports kizashi.{target}")
    assert not offenders, "\n".join(offenders)
