"""End-to-end tests in headless chromium against a live server on a model copy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kizashi.analysis.scenarios import ask_scenarios
from kizashi.model import compile_model, load_model
from tests.browser_support import chromium, live_server, needs_chromium
from tests.web.conftest import MakeApp

pytestmark = [pytest.mark.browser, needs_chromium]
CELL = ("us_orientation.america_first", "hns_pressure.high")


def expected_rows(model_path: Path, fixed: dict[str, str]) -> list[list[int]]:
    """The scenarios the engine finds on the model copy (shown 12 at most)."""
    compiled = compile_model(load_model(model_path).model)
    return ask_scenarios(compiled, fixed, 0).result.scenarios[:12].tolist()


def cell_judgement(model_path: Path):  # type: ignore[no-untyped-def]
    return next(j for j in load_model(model_path).model.judgements if (j.source_variant, j.target_variant) == CELL)


@pytest.fixture
def site(make_app: MakeApp) -> Iterator[tuple[str, Any]]:
    with live_server(make_app()) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield base, page
        assert not errors, errors


def test_overview_lists_the_model(site: tuple[str, Any]) -> None:
    base, page = site
    page.goto(base + "/")
    assert "US-Japan alliance" in page.locator("h1").inner_text()
    assert page.locator("table.descriptors tbody tr").count() == 24
    page.get_by_role("link", name="Pose a what-if").click()
    page.wait_for_url("**/whatif")


def test_whatif_recomputes_when_us_orientation_is_fixed(site: tuple[str, Any], model_copy: Path) -> None:
    base, page = site
    model = load_model(model_copy).model
    names = [v.name for v in model.descriptors[0].variants]
    free = expected_rows(model_copy, {})
    fixed = expected_rows(model_copy, {"us_orientation": "america_first"})
    assert len(fixed) >= 2
    page.goto(base + "/whatif")
    first_row = page.locator("#scenario-table tbody tr").first
    assert first_row.locator("td").all_inner_texts() == [names[r[0]] for r in free]
    page.get_by_label("US administration's orientation toward allies").select_option(label="Transactional America First")
    page.wait_for_function(
        "n => document.querySelectorAll('#scenario-table tbody tr:first-child td').length === n"
        " && !document.querySelector('#results').classList.contains('loading')",
        arg=len(fixed),
    )
    cells = page.locator("#scenario-table tbody tr").first.locator("td")
    assert cells.all_inner_texts() == ["Transactional America First"] * len(fixed)
    second = page.locator("#scenario-table tbody tr").nth(1).locator("td").all_inner_texts()
    assert second == [model.descriptors[1].variants[r[1]].name for r in fixed]
    assert "fix=us_orientation%3Damerica_first" in page.url or "fix=us_orientation=america_first" in page.url
    # compare the two scenarios side by side
    page.locator("input.pick").nth(0).check()
    page.locator("input.pick").nth(1).check()
    page.locator("#compare-btn").click()
    page.wait_for_url("**/compare?**")
    assert page.locator("h1").inner_text() == "Two scenarios side by side"
    assert page.locator("tr.is-diff").count() >= 1
    assert page.locator("svg.impact-network").count() == 2


def test_judgement_shows_its_quote(site: tuple[str, Any], model_copy: Path) -> None:
    base, page = site
    evidence = cell_judgement(model_copy).evidence
    page.goto(base + "/matrix")
    page.locator(f'a[title="{CELL[0]} → {CELL[1]}"]').click()
    page.wait_for_url("**/judgement?**")
    quotes = page.locator("blockquote.quote")
    assert quotes.count() == len(evidence) > 0
    assert evidence[0].quote in quotes.first.inner_text()


def test_network_draws_the_scenario(site: tuple[str, Any]) -> None:
    base, page = site
    page.goto(base + "/whatif?fix=us_orientation=america_first")
    page.locator("#scenario-table thead a", has_text="network").first.click()
    page.wait_for_url("**/network?**")
    svg = page.locator("svg.impact-network")
    box = svg.bounding_box()
    assert box is not None and box["width"] > 400
    assert svg.locator("g.node").count() == 24
    assert svg.locator("g.edge.promote").count() > 10
    assert svg.locator("g.node.fixed").count() == 1


def test_edit_is_saved_to_the_model_file_and_undone(site: tuple[str, Any], model_copy: Path) -> None:
    base, page = site
    original = model_copy.read_bytes()
    page.goto(f"{base}/judgement?from={CELL[0]}&to={CELL[1]}")
    page.locator("#score-input").select_option("-2")
    page.get_by_role("button", name="Save to the model file").click()
    page.wait_for_function("() => document.querySelector('#score').innerText.trim() === '-2'")
    saved = {(j.source_variant, j.target_variant): j for j in load_model(model_copy).model.judgements}
    assert saved[CELL].score == -2
    page.goto(base + "/matrix")
    assert page.locator(f'a[title="{CELL[0]} → {CELL[1]}"]').inner_text() == "-2"
    page.locator("#undo").click()
    page.wait_for_function("() => document.querySelector('#undo') && document.querySelector('#undo').disabled")
    assert model_copy.read_bytes() == original


def test_bad_edit_shows_the_error(site: tuple[str, Any], model_copy: Path) -> None:
    base, page = site
    original = model_copy.read_bytes()
    page.goto(f"{base}/judgement?from={CELL[0]}&to={CELL[1]}")
    page.locator("textarea[name=evidence]").fill("nath-krf-2025 | a sentence nobody wrote")
    page.get_by_role("button", name="Save to the model file").click()
    status = page.locator("#save-status")
    status.filter(has_text="not found verbatim").wait_for()
    assert model_copy.read_bytes() == original


def test_search_links_sentences_to_judgements(site: tuple[str, Any], model_copy: Path) -> None:
    base, page = site
    evidence = cell_judgement(model_copy).evidence[0]
    page.goto(base + "/search")
    page.get_by_label("search the corpus").fill(evidence.quote)
    page.get_by_label("source").select_option(evidence.source)
    page.get_by_role("button", name="Search").click()
    hit = page.locator("article.hit").first
    assert evidence.source in hit.locator("header").inner_text()
    hit.locator(".quoted-by a", has_text=f"{CELL[0]} → {CELL[1]}").click()
    page.wait_for_url("**/judgement?**")
    assert evidence.quote in page.locator("blockquote.quote").first.inner_text()
