"""The HTML report opened in headless chromium with the network off."""

from __future__ import annotations

from pathlib import Path

import pytest

from kizashi.analysis.corpus_texts import bundled_model
from kizashi.report import write_report
from tests.browser_support import chromium, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]


def test_html_report_renders_offline(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    write_report(bundled_model(), out, {"us_orientation": "america_first"})
    requested: list[str] = []
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        context.set_offline(True)

        def refuse(route) -> None:  # type: ignore[no-untyped-def]
            requested.append(route.request.url)
            route.abort()

        context.route(lambda url: not url.startswith("file:"), refuse)
        page = context.new_page()
        page.goto(out.as_uri())
        figures = page.locator("figure svg.impact-network")
        assert figures.count() == page.locator("section.scenario[id^=scenario-]").count() >= 1
        for k in range(figures.count()):
            box = figures.nth(k).bounding_box()
            assert box is not None and box["width"] > 500 and box["height"] > 300
            assert figures.nth(k).locator("g.edge").count() > 10
        assert page.locator("#ensemble table").count() == 1
        assert page.locator("sup.fn").count() >= 5
        context.close()
    assert requested == []
