"""Reports of a model: one self-contained HTML file, a PDF, or Markdown with SVG figures.

``write_report(model, output, fixed, tolerance)`` picks the format from the output's
suffix. Same input, same bytes: nothing depends on the clock unless ``date`` is given.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from kizashi.errors import InputError

FORMATS = (".html", ".htm", ".pdf", ".md")


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write_report(
    model: str | Path,
    output: str | Path,
    fixed: Mapping[str, str] | None = None,
    tolerance: float = 0.0,
    *,
    max_scenarios: int = 6,
    date: str | None = None,
) -> list[Path]:
    """Write the report; return the files written (Markdown also writes its SVG figures)."""
    from kizashi.report.content import build_report

    out = Path(output)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(f"unknown report format {out.suffix or '(none)'!r}: use .html, .pdf or .md", path=str(out))
    if not out.parent.is_dir():
        raise InputError("the output directory does not exist", path=str(out.parent))
    if tolerance < 0:
        raise InputError("the tolerance must be 0 or more", where="--tolerance")
    if max_scenarios < 1:
        raise InputError("show at least one scenario", where="--scenarios")
    content = build_report(model, fixed, tolerance, max_scenarios=max_scenarios, date=date)
    if suffix in (".html", ".htm"):
        from kizashi.report.html import render_html

        _atomic_write(out, render_html(content).encode("utf-8"))
        return [out]
    if suffix == ".pdf":
        from kizashi.report.pdf import render_pdf

        _atomic_write(out, render_pdf(content))
        return [out]
    from kizashi.report.markdown import render_markdown

    figures_dir = out.stem + "-figures"
    text, figures = render_markdown(content, figures_dir)
    written = []
    if figures:
        (out.parent / figures_dir).mkdir(exist_ok=True)
        for name, svg in figures.items():
            target = out.parent / figures_dir / name
            _atomic_write(target, svg.encode("utf-8"))
            written.append(target)
    _atomic_write(out, text.encode("utf-8"))
    return [out, *written]


__all__ = ["FORMATS", "write_report"]
