"""Cleaning of the five seed analyses, pinned: exactly this furniture and these
pull-quotes are removed, with these kinds, and every other sentence survives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from kizashi.evidence.cleaning import author_names, clean_paragraphs
from kizashi.evidence.readers import read_document
from kizashi.evidence.sentences import split_sentences

EXPECTED_REMOVED: dict[str, list[tuple[str, str]]] = {
    "kothiwale-tatvita-2024": [
        (
            "navigation",
            "• Research & Analysis Services I Academic I Market & Industry I Government Policy I Country Columnists",
        ),
        ("duplicate", "Presidential Elections & Future of USA-Japan Relationship"),
        ("byline", "Manasi Kothiwale"),
        (
            "author-bio",
            "Manasi Kothiwale is a Research Analyst at Tatvita Analysts pursuing her education in Economics.",
        ),
        (
            "author-bio",
            "Her research interest areas include product and user research, geo-politics etc.",
        ),
        ("comment-form", "Leave a Reply"),
        ("comment-form", "Your email address will not be published."),
    ],
    "pohlkamp-9dashline-2024": [
        ("duplicate", "Charting the future: US elections and the evolving US-Japan alliance"),
        ("byline", "WRITTEN BY DR ELLI-KATHARINA POHLKAMP"),
        ("dateline", "17 April 2024"),
        (
            "pull-quote",
            "In Japan’s business sector, the speculative phrase “moshi tora”, meaning “if Trump” has become widespread, indicating various industrial scenarios developed in the Japanese business sector for the possibility of a Trump presidency.",
        ),
        (
            "disclaimer",
            "DISCLAIMER: All views expressed are those of the writer and do not necessarily represent that of the 9DASHLINE.com platform.",
        ),
        ("bio-heading", "Author biography"),
        (
            "author-bio",
            "Dr Elli-Katharina Pohlkamp is the Director of the Agora Strategy Institute and a Visiting Fellow at the Asia Programme of the European Council on Foreign Relations.",
        ),
        ("image-credit", "Image credit: Wikimedia/首相官邸"),
    ],
    "unattributed-2024-11": [],
    "basu-neb-orf-2024": [
        ("image-credit", "Image Source: Getty"),
        (
            "series",
            'This article is part of the series, "Reignited agendas: Trump’s return and its global repercussions"',
        ),
        (
            "pull-quote",
            "Japan’s snap elections on 27 October failed to provide the Liberal Democratic Party (LDP) with a majority for the first time in over a decade, highlighting shifts in the country’s domestic politics.",
        ),
        (
            "pull-quote",
            "Trump’s administration may also emphasise direct deterrence strategies against China, including more frequent military exercises and enhanced missile defence cooperation with Japan.",
        ),
        (
            "pull-quote",
            "The 2019 Japan-US Trade Agreement, focussing on Japanese industrial goods and American agricultural exports, highlights Trump’s initial plan to reduce trade imbalances.",
        ),
        (
            "pull-quote",
            "As the global technological market competition intensifies, particularly in the 5G and artificial intelligence sectors, Trump’s return to office could see renewed American efforts to restrict Chinese companies’ access to critical technological infrastructure in North America.",
        ),
        (
            "author-bio",
            "Pratnashree Basu is an Associate Fellow, Indo-Pacific with the Strategic Studies Programme and the Centre for New Economic Diplomacy at the Observer Research Foundation.",
        ),
        ("author-bio", "Tripti Neb is a Research Intern at the Observer Research Foundation."),
        ("disclaimer", "The views expressed above belong to the author(s)."),
        ("promotion", "ORF research and analyses now available on Telegram!"),
        (
            "promotion",
            "Click here to access our curated content — blogs, longforms and interviews.",
        ),
    ],
    "nath-krf-2025": [
        ("counter", "167"),
        (
            "author-bio",
            "Saume Saptaparna Nath is a Research Associate at the KRF Center for Bangladesh and Global Affairs (CBGA).",
        ),
        ("author-bio", "She is on Study Leave for Pursuing Her Higher Studies\xa0in\xa0Japan."),
        ("read-full-link", "[Read Full Briefs as a Pdf]"),
    ],
}


def _manifest(seeds_dir: Path) -> dict[str, dict[str, object]]:
    entries = YAML(typ="safe").load((seeds_dir / "seeds.yaml").read_text(encoding="utf-8"))
    return {entry["id"]: entry for entry in entries}


def _clean(seeds_dir: Path, source_id: str):  # type: ignore[no-untyped-def]
    entry = _manifest(seeds_dir)[source_id]
    raw = read_document(seeds_dir / str(entry["file"]))
    return raw, clean_paragraphs(raw.paragraphs, authors=author_names(entry["author"]))  # type: ignore[arg-type]


def test_every_seed_is_pinned(seeds_dir: Path) -> None:
    assert set(_manifest(seeds_dir)) == set(EXPECTED_REMOVED)


@pytest.mark.parametrize("source_id", sorted(EXPECTED_REMOVED))
def test_removed_furniture_is_exactly_the_expected(seeds_dir: Path, source_id: str) -> None:
    _, cleaned = _clean(seeds_dir, source_id)
    assert [(r.kind, r.text) for r in cleaned.removed] == EXPECTED_REMOVED[source_id]


@pytest.mark.parametrize("source_id", sorted(EXPECTED_REMOVED))
def test_nothing_else_is_lost(seeds_dir: Path, source_id: str) -> None:
    raw_text = (seeds_dir / str(_manifest(seeds_dir)[source_id]["file"])).read_text("utf-8")
    _, cleaned = _clean(seeds_dir, source_id)
    removed_texts = {text for _, text in EXPECTED_REMOVED[source_id]}
    checked = 0
    for line in raw_text.split("\n"):
        line = line.strip()
        if not line or line in removed_texts:
            continue
        for span in split_sentences(line):
            if span.text in removed_texts or any(span.text in r for r in removed_texts):
                continue
            assert span.text in cleaned.text, f"lost: {span.text!r}"
            checked += 1
    assert checked > 30
    # What the text says stays said once: a removed pull-quote is still in the body (a
    # pull-quote may drop a leading word, "Additionally, the 2019 ..." -> "The 2019 ...").
    for kind, text in EXPECTED_REMOVED[source_id]:
        if kind == "pull-quote":
            assert cleaned.text.casefold().count(text.casefold()) == 1
        elif kind not in ("duplicate",):
            assert text not in cleaned.text


@pytest.mark.parametrize("source_id", sorted(EXPECTED_REMOVED))
def test_sentence_offsets_reproduce_the_text(seeds_dir: Path, source_id: str) -> None:
    _, cleaned = _clean(seeds_dir, source_id)
    assert cleaned.sentences
    previous_end = -1
    for sentence in cleaned.sentences:
        assert cleaned.text[sentence.start : sentence.end] == sentence.text
        assert sentence.start > previous_end
        previous_end = sentence.end
        start, end = cleaned.paragraphs[sentence.paragraph]
        assert start <= sentence.start and sentence.end <= end


def test_titles_and_headings_are_kept(seeds_dir: Path) -> None:
    _, cleaned = _clean(seeds_dir, "kothiwale-tatvita-2024")
    assert cleaned.text.startswith("Presidential Elections & Future of USA-Japan Relationship\n\n")
    assert cleaned.text.count("Presidential Elections & Future of USA-Japan Relationship") == 1
    assert "1. Security and Defense Cooperation" in cleaned.text
    _, cleaned = _clean(seeds_dir, "unattributed-2024-11")
    assert "\n\nWay Forward\n\n" in cleaned.text


def test_metadata_found_by_cleaning(seeds_dir: Path) -> None:
    _, cleaned = _clean(seeds_dir, "pohlkamp-9dashline-2024")
    assert cleaned.metadata["dateline"] == "2024-04-17"
    assert cleaned.metadata["byline"] == "WRITTEN BY DR ELLI-KATHARINA POHLKAMP"
    assert cleaned.metadata["author_bios"] == [
        "Dr Elli-Katharina Pohlkamp is the Director of the Agora Strategy Institute and a "
        "Visiting Fellow at the Asia Programme of the European Council on Foreign Relations."
    ]
    _, cleaned = _clean(seeds_dir, "basu-neb-orf-2024")
    assert cleaned.metadata["series"] == (
        "Reignited agendas: Trump’s return and its global repercussions"
    )
    assert len(cleaned.metadata["author_bios"]) == 2


def test_generic_rules_on_a_small_article() -> None:
    paragraphs = [
        "Home | World | Asia | Opinion",
        "By Jane Roe",
        "March 3, 2025",
        "Tokyo raised its defence budget again this year to meet the new target.",
        "The cabinet also approved a plan for joint production of interceptors with the US.",
        "Tokyo raised its defence budget again this year to meet the new target.",
        "Share this",
        "Photo credit: Reuters",
        "Jane Roe is a senior fellow at an institute in Tokyo.",
    ]
    cleaned = clean_paragraphs(paragraphs, authors=["Jane Roe"])
    kinds = [r.kind for r in cleaned.removed]
    assert kinds == [
        "navigation",
        "byline",
        "dateline",
        "duplicate",
        "share",
        "image-credit",
        "author-bio",
    ]
    assert cleaned.metadata["dateline"] == "2025-03-03"
    assert re.fullmatch(r"Tokyo raised .* target\.\n\nThe cabinet also .* US\.", cleaned.text)
