"""Cleaning: setting aside page furniture and repeated pull-quotes.

A web article saved as text carries more than the article: site navigation, bylines
and datelines, share and comment prompts, disclaimers, image credits, "read the full
brief" links, author biographies, and pull-quotes that repeat a sentence of the body.
Cleaning sets each of these aside with its *kind* (so it stays inspectable), turns
bylines, datelines, series names and biographies into metadata, and returns the cleaned
text with its paragraphs and sentences (offsets into the cleaned text).

Rules work on paragraphs first (navigation bars, bare numbers, datelines, bylines,
biography headings) and then on sentences (prompts, disclaimers, credits, links,
biographies). Pull-quotes are found last: a short paragraph whose text appears inside
another paragraph, or an exact repeat of an earlier paragraph (a repeated title).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kizashi.evidence.sentences import SentenceSpan, split_sentences

PARAGRAPH_SEPARATOR = "\n\n"
# Up to this many (candidate, paragraph) pairs, pull-quotes are found by direct substring
# tests; beyond it, by one automaton pass (linear in the text, slower per character).
DIRECT_PAIRS = 20_000

NAV_SEPARATOR_RE = re.compile(r"\s(?:I|\||·|•|»|/)\s")
COUNTER_RE = re.compile(r"^\d{1,7}$")
BIO_HEADING_RE = re.compile(
    r"^(?:author biography|about the authors?|author bios?|authors?)$", re.I
)
BYLINE_RE = re.compile(r"^(?:written\s+)?by\s+(.+)$", re.I)
HONORIFIC_RE = re.compile(r"^(?:dr|prof|professor|mr|mrs|ms)\.?\s+", re.I)
NAME = r"[A-Z][\w.'’\-]+(?:\s+[A-Z][\w.'’\-]+){1,3}"
BIO_RE = re.compile(
    rf"^[–—\-]?\s*(?:(?:Dr|Prof|Professor|Mr|Mrs|Ms)\.?\s+)?(?P<name>{NAME})\s+is\s+"
    r"(?:a|an|the|currently|now|also)\b"
)
ROLE_RE = re.compile(
    r"\b(?:fellow|analyst|researcher|research|director|intern|professor|lecturer|associate|"
    r"editor|journalist|scholar|student|author|writer|founder|head|chair)\b",
    re.I,
)
DATE_FORMATS = ("%d %B %Y", "%B %d, %Y", "%B %d %Y", "%d %b %Y", "%b %d, %Y", "%Y-%m-%d")

SENTENCE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "comment-form",
        re.compile(
            r"^(?:leave a (?:reply|comment)|post comment|your email address will not be "
            r"published|required fields are marked)\b",
            re.I,
        ),
    ),
    ("share", re.compile(r"^(?:share (?:this|on)\b|(?:tweet|share|print|email)$)", re.I)),
    (
        "disclaimer",
        re.compile(
            r"^disclaimer\b|\b(?:the )?views expressed (?:above |here |herein |in this \w+ )?"
            r"(?:are|belong)\b",
            re.I,
        ),
    ),
    (
        "image-credit",
        re.compile(
            r"^(?:cover |featured |header )?(?:image|photo|picture)\s*(?:source|credit)s?\s*:",
            re.I,
        ),
    ),
    (
        "read-full-link",
        re.compile(r"^\[?\s*read (?:the )?full (?:brief|report|paper|article|text)s?\b", re.I),
    ),
    (
        "promotion",
        re.compile(
            r"\bnow available on (?:telegram|whatsapp|substack)\b|^click here\b|^subscribe\b|"
            r"^follow us\b|^sign up\b",
            re.I,
        ),
    ),
    (
        "series",
        re.compile(r"^this (?:article|piece|essay|commentary) is part of the series\b", re.I),
    ),
)


@dataclass(frozen=True)
class RemovedText:
    """A piece of text set aside by cleaning, with its kind and raw paragraph index."""

    kind: str
    text: str
    paragraph: int | None


@dataclass(frozen=True)
class CleanSentence:
    """A sentence with offsets into the cleaned text and its cleaned paragraph index."""

    start: int
    end: int
    paragraph: int
    text: str


@dataclass
class CleanedDocument:
    """The result of cleaning: text, sentences, what was removed, and found metadata."""

    text: str
    paragraphs: list[tuple[int, int]]
    sentences: list[CleanSentence]
    removed: list[RemovedText]
    metadata: dict[str, Any] = field(default_factory=dict)


def _norm(text: str) -> str:
    text = text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    return re.sub(r"\s+", " ", text).strip().casefold()


def _name_key(name: str) -> str:
    return _norm(HONORIFIC_RE.sub("", name.strip(" –—-")))


def author_names(author: str | None) -> list[str]:
    """Split a manifest author field ("A; B", "A and B") into names."""
    if not author:
        return []
    return [part.strip() for part in re.split(r";|,|\band\b|&", author) if part.strip()]


def parse_date(text: str) -> str | None:
    """An ISO date for a paragraph that is only a date, else ``None``."""
    candidate = text.strip().rstrip(".")
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(candidate, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _paragraph_kind(text: str, authors: set[str]) -> str | None:
    if len(NAV_SEPARATOR_RE.findall(text)) >= 3 and not text.rstrip().endswith("."):
        return "navigation"
    if COUNTER_RE.match(text):
        return "counter"
    if parse_date(text):
        return "dateline"
    if BIO_HEADING_RE.match(text):
        return "bio-heading"
    byline = BYLINE_RE.match(text)
    if byline and len(text.split()) <= 10 and not text.endswith("."):
        return "byline"
    if authors and _name_key(text) in authors:
        return "byline"
    return None


def _sentence_kind(text: str) -> str | None:
    for kind, pattern in SENTENCE_RULES:
        if pattern.search(text):
            return kind
    return None


def _is_bio(text: str, authors: set[str], after_bio_heading: bool, near_end: bool) -> bool:
    match = BIO_RE.match(text)
    if match is None:
        return False
    if _name_key(match.group("name")) in authors:
        return True
    return (after_bio_heading or near_end) and bool(ROLE_RE.search(text))


@dataclass
class _Paragraph:
    index: int
    text: str
    sentences: list[SentenceSpan]
    removed: bool = False


def _sentence_pass(
    paragraphs: Sequence[str],
    authors: set[str],
    removed: list[RemovedText],
    metadata: dict[str, Any],
) -> list[_Paragraph]:
    kept: list[_Paragraph] = []
    after_bio_heading = False
    tail_start = max(0, len(paragraphs) - 4)
    for index, text in enumerate(paragraphs):
        kind = _paragraph_kind(text, authors)
        if kind is not None:
            removed.append(RemovedText(kind, text, index))
            if kind == "bio-heading":
                after_bio_heading = True
            elif kind == "byline":
                metadata.setdefault("byline", text)
            elif kind == "dateline":
                metadata.setdefault("dateline", parse_date(text))
            continue
        spans = split_sentences(text)
        keep: list[SentenceSpan] = []
        previous_kind: str | None = None
        for position, span in enumerate(spans):
            sentence_kind = _sentence_kind(span.text)
            if (
                sentence_kind is None
                and position == 0
                and _is_bio(span.text, authors, after_bio_heading, index >= tail_start)
            ):
                sentence_kind = "author-bio"
            if sentence_kind is None and previous_kind == "author-bio":
                sentence_kind = "author-bio"
            previous_kind = sentence_kind
            if sentence_kind is None:
                keep.append(span)
                continue
            removed.append(RemovedText(sentence_kind, span.text, index))
            if sentence_kind == "series":
                quoted = re.search(r"[\"“]([^\"”]+)[\"”]", span.text)
                metadata.setdefault("series", quoted.group(1) if quoted else span.text)
        bio = [r.text for r in removed if r.paragraph == index and r.kind == "author-bio"]
        if bio:
            metadata.setdefault("author_bios", []).append(" ".join(bio))
        if not keep:
            continue
        if len(keep) == len(spans):
            kept.append(_Paragraph(index, text, spans))
        else:
            rebuilt = " ".join(text[span.start : span.end] for span in keep)
            kept.append(_Paragraph(index, rebuilt, split_sentences(rebuilt)))
    return kept


def _contained_in_longer(texts: Sequence[str], candidates: set[str]) -> set[str]:
    """The candidates that occur inside some text longer than themselves.

    One Aho-Corasick automaton over the candidates reads every text once, so the cost is
    linear in the total length (plus the candidates' length), however many there are.
    A candidate found inside a longer text is marked; so are the candidates that end it
    (its suffixes), and the walk along those stops at the first one already marked.
    """
    goto: list[dict[str, int]] = [{}]
    found: list[str | None] = [None]
    for candidate in candidates:
        state = 0
        for ch in candidate:
            nxt = goto[state].get(ch)
            if nxt is None:
                nxt = len(goto)
                goto[state][ch] = nxt
                goto.append({})
                found.append(None)
            state = nxt
        found[state] = candidate
    fail = [0] * len(goto)
    # Nearest proper suffix state that ends a candidate (0: none).
    output = [0] * len(goto)
    queue = deque(goto[0].values())
    while queue:
        state = queue.popleft()
        for ch, child in goto[state].items():
            back = fail[state]
            while back and ch not in goto[back]:
                back = fail[back]
            target = goto[back].get(ch, 0) if state else 0
            fail[child] = target
            output[child] = target if found[target] is not None else output[target]
            queue.append(child)
    marked: set[int] = set()
    for text in texts:
        length = len(text)
        state = 0
        for ch in text:
            while state and ch not in goto[state]:
                state = fail[state]
            state = goto[state].get(ch, 0)
            hit = state if found[state] is not None else output[state]
            while hit:
                ending = found[hit]
                if ending is not None and len(ending) < length:
                    if hit in marked:
                        break
                    marked.add(hit)
                hit = output[hit]
    return {ending for state in marked if (ending := found[state]) is not None}


def _repeat_pass(paragraphs: list[_Paragraph], removed: list[RemovedText]) -> None:
    """Set aside repeated paragraphs and pull-quotes, in one pass in document order.

    A paragraph repeating an earlier kept one is a duplicate when it has eight words or
    more, or the earlier one is at most two paragraphs back. A short paragraph (six
    words or more, at most two sentences) whose text occurs inside a longer paragraph is
    a pull-quote. (A longer paragraph that was itself set aside always leaves a kept
    one that also contains the text: the paragraph it repeats, or the one it was quoted
    from; so containment is checked against all paragraphs at once.)
    """
    norms = [_norm(p.text) for p in paragraphs]
    words = [len(norm.split()) for norm in norms]
    short = [words[k] >= 6 and len(p.sentences) <= 2 for k, p in enumerate(paragraphs)]
    candidates = {norm for norm, is_short in zip(norms, short, strict=True) if is_short}
    if len(candidates) * len(norms) <= DIRECT_PAIRS:
        quoted = {c for c in candidates if any(len(o) > len(c) and c in o for o in norms)}
    else:
        quoted = _contained_in_longer(norms, candidates)
    last_kept: dict[str, int] = {}
    for position, paragraph in enumerate(paragraphs):
        norm = norms[position]
        earlier = last_kept.get(norm)
        if earlier is not None and (words[position] >= 8 or position - earlier <= 2):
            paragraph.removed = True
            removed.append(RemovedText("duplicate", paragraph.text, paragraph.index))
        elif short[position] and norm in quoted:
            paragraph.removed = True
            removed.append(RemovedText("pull-quote", paragraph.text, paragraph.index))
        else:
            last_kept[norm] = position


def clean_paragraphs(
    paragraphs: Sequence[str],
    *,
    authors: Iterable[str] = (),
    furniture: Iterable[tuple[str, str]] = (),
) -> CleanedDocument:
    """Clean a document given as paragraphs; ``furniture`` is what a reader already set aside."""
    author_keys = {_name_key(name) for name in authors if name.strip()}
    removed = [RemovedText(kind, text, None) for kind, text in furniture]
    metadata: dict[str, Any] = {}
    kept = _sentence_pass(paragraphs, author_keys, removed, metadata)
    _repeat_pass(kept, removed)
    removed.sort(key=lambda r: -1 if r.paragraph is None else r.paragraph)
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    sentences: list[CleanSentence] = []
    offset = 0
    for paragraph in (p for p in kept if not p.removed):
        if parts:
            offset += len(PARAGRAPH_SEPARATOR)
        number = len(spans)
        spans.append((offset, offset + len(paragraph.text)))
        for span in paragraph.sentences:
            sentences.append(
                CleanSentence(offset + span.start, offset + span.end, number, span.text)
            )
        parts.append(paragraph.text)
        offset += len(paragraph.text)
    text = PARAGRAPH_SEPARATOR.join(parts)
    return CleanedDocument(text, spans, sentences, removed, metadata)
