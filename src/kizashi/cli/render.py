"""Shared rendering helpers for the command line (rich tables, number formatting)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rich.console import Console
from rich.table import Table

from kizashi.model import CompiledModel, Model


def _console() -> Console:
    probe = Console()
    # Piped output (files, CI logs) is not squeezed to 80 columns: tableaux are wide.
    return Console(highlight=False, width=None if probe.is_terminal else max(probe.width, 180))


console = _console()


def num(value: float) -> str:
    """An integer-looking number without decimals, else up to three."""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.3g}"


def labels(compiled: CompiledModel, model: Model | None) -> tuple[list[str], list[list[str]]]:
    """Readable descriptor and variant names (model names where the model has them)."""
    if model is None:
        return list(compiled.descriptor_ids), [list(v) for v in compiled.variant_ids]
    names = [d.name or d.id for d in model.descriptors]
    variants = [[v.name or v.id for v in d.variants] for d in model.descriptors]
    return names, variants


def tableau(
    compiled: CompiledModel,
    model: Model | None,
    scenarios: np.ndarray,
    headers: Sequence[str],
    *,
    title: str | None = None,
    footer_rows: Sequence[tuple[str, Sequence[str]]] = (),
    highlight: Sequence[int] = (),
    fixed: Sequence[int] = (),
) -> Table:
    """The scenario tableau: one row per descriptor, one column per scenario."""
    names, variants = labels(compiled, model)
    table = Table(title=title, show_lines=False, header_style="bold", title_justify="left")
    table.add_column("descriptor", style="bold", no_wrap=False, max_width=34)
    for h in headers:
        table.add_column(h, max_width=28)
    for j, name in enumerate(names):
        cells = []
        distinct = len({int(s[j]) for s in scenarios}) > 1
        for s in scenarios:
            text = variants[j][int(s[j])]
            if j in fixed:
                text = f"[cyan]{text}[/]"
            elif distinct or j in highlight:
                text = f"[yellow]{text}[/]"
            cells.append(text)
        label = f"{name} [dim](fixed)[/]" if j in fixed else name
        table.add_row(label, *cells)
    if footer_rows:
        table.add_section()
        for label, values in footer_rows:
            table.add_row(f"[dim]{label}[/]", *values)
    return table
