"""Reports of the flagship model in HTML, Markdown and PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kizashi.analysis.corpus_texts import bundled_model
from kizashi.cli.main import app as cli_app
from kizashi.errors import InputError
from kizashi.report import write_report
from kizashi.report.content import build_report
from kizashi.report.network import active_edges

AMERICA_FIRST = {"us_orientation": "america_first"}
SECTIONS = ("Scenarios", "Scenario S1", "Storyline", "Ensemble", "Evidence", "Provenance")


@pytest.fixture(scope="module")
def content():  # type: ignore[no-untyped-def]
    return build_report(bundled_model(), AMERICA_FIRST, 0)


def test_content_follows_the_engine(content) -> None:  # type: ignore[no-untyped-def]
    from kizashi.analysis.scenarios import ask_scenarios
    from kizashi.model import compile_model

    expected = ask_scenarios(compile_model(content.model), AMERICA_FIRST, 0).result
    assert content.total == len(expected) >= 1
    assert [list(p.row) for p in content.scenarios] == expected.scenarios[:6].tolist()
    for part in content.scenarios:
        assert part.row[0] == 1  # america_first is fixed
        edges = active_edges(content.model, part.row)
        strongest = max(abs(e.score) for e in edges)
        assert abs(part.lines[0].score) == strongest
        # every footnote is a verbatim quote of a judgement active in this scenario
        quotes = {ev.quote for e in edges for ev in e.judgement.evidence}
        notes = [n for line in part.lines for n in line.notes]
        assert notes and all(n.quote in quotes for n in notes)
    numbers = [n.number for n in content.footnotes]
    assert numbers == list(range(1, len(numbers) + 1))


def test_html_is_self_contained_and_deterministic(tmp_path: Path, content) -> None:  # type: ignore[no-untyped-def]
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    write_report(bundled_model(), first, AMERICA_FIRST)
    write_report(bundled_model(), second, AMERICA_FIRST)
    html = first.read_text(encoding="utf-8")
    assert first.read_bytes() == second.read_bytes()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<link" not in html and "@import" not in html and "<script" not in html
    for section in SECTIONS:
        assert section in html
    assert html.count("<svg") == len(content.scenarios)
    first_quote = content.footnotes[0].quote
    assert first_quote.replace('"', "&#34;") in html or first_quote in html
    assert "kothiwale-tatvita-2024" in html  # provenance and evidence name the sources


def test_date_only_when_given(tmp_path: Path) -> None:
    plain, dated = tmp_path / "plain.html", tmp_path / "dated.html"
    write_report(bundled_model(), plain)
    write_report(bundled_model(), dated, date="2026-01-15")
    assert "2026-01-15" in dated.read_text(encoding="utf-8")
    assert "2026-01-15" not in plain.read_text(encoding="utf-8")


def test_markdown_writes_its_figures(tmp_path: Path, content) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "report.md"
    written = write_report(bundled_model(), out, AMERICA_FIRST)
    text = out.read_text(encoding="utf-8")
    figures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(figures) == len(content.scenarios)
    for ref in figures:
        svg = (tmp_path / ref).read_text(encoding="utf-8")
        assert svg.startswith("<svg") and "</svg>" in svg
    assert set(written[1:]) == {tmp_path / ref for ref in figures}
    for section in SECTIONS:
        assert section in text
    assert "| Descriptor | " + " | ".join(p.label for p in content.scenarios) + " |" in text
    assert "[^1]:" in text and "[^1]" in text.split("[^1]:")[0]
    before = out.read_bytes()
    write_report(bundled_model(), out, AMERICA_FIRST)
    assert out.read_bytes() == before


def test_bad_requests(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown report format"):
        write_report(bundled_model(), tmp_path / "r.docx")
    with pytest.raises(InputError, match="'nope'"):
        write_report(bundled_model(), tmp_path / "r.html", {"nope": "x"})
    with pytest.raises(InputError, match="does not exist"):
        write_report(bundled_model(), tmp_path / "missing" / "r.html")
    assert not list(tmp_path.iterdir())


def test_cli_report(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = CliRunner().invoke(cli_app, ["report", str(bundled_model()), "--fix", "us_orientation=america_first", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Scenario S1" in out.read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None, reason="poppler-utils is not installed (scripts/install-browser.sh)")
def test_pdf_renders_its_sections(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    write_report(bundled_model(), out, AMERICA_FIRST)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    write_report(bundled_model(), tmp_path / "again.pdf", AMERICA_FIRST)
    assert (tmp_path / "again.pdf").read_bytes() == data
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(out), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 4
    assert all(p.read_bytes().startswith(b"\x89PNG") and p.stat().st_size > 2000 for p in pages)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], check=True, capture_output=True, text=True, timeout=60).stdout
    for section in SECTIONS:
        assert section in text
    assert "Transactional America First" in text
