"""The report as one self-contained HTML file (inline CSS and SVG, no network)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from jinja2 import Environment, StrictUndefined, select_autoescape

from kizashi.report.content import ReportContent


def _num(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:g}"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(autoescape=select_autoescape(default=True), undefined=StrictUndefined, keep_trailing_newline=True)
    env.globals["num"] = _num
    return env


def _resource(name: str) -> str:
    return (resources.files("kizashi.report") / "templates" / name).read_text(encoding="utf-8")


def render_html(content: ReportContent) -> str:
    """The report as HTML text."""
    template = _environment().from_string(_resource("report.html"))
    return template.render(
        c=content,
        css=_resource("report.css"),
        counts=content.judgement_counts(),
        contested=content.ensemble.contested(),
    )
