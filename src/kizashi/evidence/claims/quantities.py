"""Quantities with units and normalised values.

Money (``US$ 8 billion`` -> 8e9 USD), percentages (``2 per cent of GDP by 2027``,
``60 percent``, ``13.4 per cent``), ranges (``10 to 20 percent`` -> low 10, high 20),
changes (``from 1% to 2% of GDP``) and counts with a unit noun (``54,000 ... troops``,
``70 different pacts``, ``five-minute``). Spans are found with spaCy ``Matcher``
patterns over the tokens; numbers written as words (one to twenty) are understood.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc, Span

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}
SCALES = {"thousand": 1e3, "million": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
CURRENCIES = {"us$": "USD", "usd": "USD", "$": "USD", "¥": "JPY", "jpy": "JPY", "yen": "JPY",
              "€": "EUR", "eur": "EUR", "£": "GBP"}
COUNT_UNITS = {
    "troops": "troops", "troop": "troops", "personnel": "troops", "soldiers": "troops",
    "pacts": "pacts", "agreements": "agreements", "deliverables": "deliverables",
    "years": "years", "year": "years", "months": "months", "month": "months", "days": "days",
    "minutes": "minutes", "minute": "minutes", "hours": "hours", "countries": "countries",
    "nations": "countries", "summits": "summits", "per cent": "percent",
}
_NUM_RE = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")

_NUM = {"TEXT": {"REGEX": r"^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$"}}
_WORDNUM = {"LOWER": {"IN": list(NUMBER_WORDS)}}
_ANYNUM = {"TEXT": {"REGEX": r"^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^(?i:" + "|".join(NUMBER_WORDS) + ")$"}}
_SCALE = {"LOWER": {"IN": list(SCALES)}, "OP": "?"}
_CUR = {"LOWER": {"IN": list(CURRENCIES)}}
_PCT = [{"LOWER": {"IN": ["percent", "%", "pct"]}}]
_PERCENT_WORDS = [[{"LOWER": {"IN": ["percent", "%", "pct"]}}], [{"LOWER": "per"}, {"LOWER": "cent"}]]
_RANGE_SEP = {"LOWER": {"IN": ["to", "-", "–", "and"]}}


def _percent_patterns() -> list[list[dict[str, Any]]]:
    patterns: list[list[dict[str, Any]]] = []
    for pct in _PERCENT_WORDS:
        patterns.append([_NUM, *pct])
        patterns.append([_NUM, *pct, {"LOWER": "of"}, {"LOWER": "gdp"}])
        patterns.append([_NUM, _RANGE_SEP, _NUM, *pct])
        patterns.append([_NUM, *pct, _RANGE_SEP, _NUM, *pct])
        patterns.append([_NUM, _RANGE_SEP, _NUM, *pct, {"LOWER": "of"}, {"LOWER": "gdp"}])
        patterns.append([_NUM, *pct, _RANGE_SEP, _NUM, *pct, {"LOWER": "of"}, {"LOWER": "gdp"}])
    return patterns


def _money_patterns() -> list[list[dict[str, Any]]]:
    return [
        [_CUR, _NUM, _SCALE],
        [_CUR, _NUM, _SCALE, _RANGE_SEP, _NUM, _SCALE],
        [_NUM, _SCALE, {"LOWER": {"IN": ["dollars", "yen", "usd", "euros"]}}],
    ]


def _count_patterns() -> list[list[dict[str, Any]]]:
    unit = {"LOWER": {"IN": [u for u in COUNT_UNITS if " " not in u]}}
    filler = {"TEXT": {"REGEX": r"^[A-Za-z.\-]+$"},
              "LOWER": {"NOT_IN": ["and", "or", "of", "in", "to", "the", "by", "from", "with"]}, "OP": "?"}
    return [
        [_ANYNUM, unit],
        [_ANYNUM, {"ORTH": "-"}, unit],
        [_ANYNUM, filler, unit],
        [_ANYNUM, filler, filler, filler, filler, filler, filler, unit],
        [_ANYNUM, _RANGE_SEP, _ANYNUM, unit],
    ]


@lru_cache(maxsize=1)
def _matcher() -> Matcher:
    from spacy.matcher import Matcher

    from kizashi.evidence.claims.nlp import pipeline

    matcher = Matcher(pipeline().vocab)
    matcher.add("PERCENT", _percent_patterns(), greedy="LONGEST")
    matcher.add("MONEY", _money_patterns(), greedy="LONGEST")
    matcher.add("COUNT", _count_patterns(), greedy="LONGEST")
    return matcher


def parse_number(text: str) -> float | None:
    """``54,000`` -> 54000.0, ``13.4`` -> 13.4, ``five`` -> 5.0; None if not a number."""
    lowered = text.lower()
    if lowered in NUMBER_WORDS:
        return float(NUMBER_WORDS[lowered])
    if _NUM_RE.match(text):
        return float(text.replace(",", ""))
    return None


def _numbers(span: Span) -> list[tuple[int, float]]:
    """(token index, value) of each number in the span, with a following scale word applied."""
    out: list[tuple[int, float]] = []
    for token in span:
        value = parse_number(token.text)
        if value is None:
            continue
        nxt = token.nbor(1).lower_ if token.i + 1 < len(token.doc) else ""
        if nxt in SCALES:
            value *= SCALES[nxt]
        out.append((token.i, value))
    return out


def _target_year(span: Span) -> int | None:
    doc = span.doc
    if span.end + 1 < len(doc) and doc[span.end].lower_ in ("by", "in") and re.fullmatch(r"(19|20)\d\d", doc[span.end + 1].text):
        return int(doc[span.end + 1].text)
    return None


def _describe(label: str, span: Span) -> dict[str, Any] | None:
    numbers = [value for _, value in _numbers(span)]
    if not numbers:
        return None
    doc = span.doc
    lower = span.text.lower()
    item: dict[str, Any] = {"text": span.text, "start": span.start_char, "end": span.end_char}
    is_change = span.start > 0 and doc[span.start - 1].lower_ == "from" and len(numbers) == 2
    if label == "PERCENT":
        item["unit"] = "percent of GDP" if lower.endswith("gdp") else "percent"
    elif label == "MONEY":
        first = span[0].lower_
        item["unit"] = CURRENCIES.get(first) or CURRENCIES.get(span[-1].lower_, "USD")
    else:
        unit_token = span[-1].lower_
        item["unit"] = COUNT_UNITS.get(unit_token, unit_token)
    if len(numbers) >= 2:
        low, high = numbers[0], numbers[1]
        if is_change:
            item.update(kind="change", value=high, **{"from": low, "to": high})
        else:
            item.update(kind="range", low=min(low, high), high=max(low, high), value=None)
    else:
        item.update(kind="amount", value=numbers[0])
    approx = span.start > 0 and doc[span.start - 1].lower_ in ("about", "around", "approximately", "nearly", "roughly")
    if span.start > 1 and doc[span.start - 2].lower_ == "close" and doc[span.start - 1].lower_ == "to":
        approx = True
    if approx:
        item["approximate"] = True
    year = _target_year(span)
    if year is not None:
        item["by"] = year
    return item


def extract_quantities(doc: Doc) -> list[dict[str, Any]]:
    """The quantities of a parsed sentence, non-overlapping, in text order."""
    matches = sorted(_matcher()(doc), key=lambda m: (-(m[2] - m[1]), m[1]))
    taken: set[int] = set()
    found: list[tuple[int, dict[str, Any]]] = []
    for match_id, start, end in matches:
        if taken.intersection(range(start, end)):
            continue
        span = doc[start:end]
        label = doc.vocab.strings[match_id]
        # Extend "from 1 % to 2 % of GDP" style spans and skip bare years.
        item = _describe(label, span)
        if item is None:
            continue
        taken.update(range(start, end))
        found.append((start, item))
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]
