"""Sentence segmentation with exact character offsets.

Segmentation is pysbd's rule-based English segmenter (it knows "U.S.", "Dr", "US$ 8
billion", "2%", quotations and list items). pysbd returns strings; this module maps each
back onto the paragraph so that ``paragraph[start:end] == text`` always holds. A leading
bullet marker is left outside the sentence; a bare list number ("1.") is joined to the
sentence it numbers.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

import pysbd
from pysbd.utils import TextSpan

BULLET_PREFIX_RE = re.compile(r"[•◦▪‣·*\-–—]\s+")
BARE_NUMBER_RE = re.compile(r"^\(?\d{1,3}[.)]$")

_local = threading.local()


@dataclass(frozen=True)
class SentenceSpan:
    """A sentence as a half-open character range of its paragraph."""

    start: int
    end: int
    text: str


class _Segmenter(pysbd.Segmenter):  # type: ignore[misc]
    r"""pysbd's segmenter, locating its sentences by plain substring search.

    pysbd maps each sentence back onto the text with a regular expression built from
    that sentence (``re.escape(sentence) + r"\s*"``), compiling one pattern per
    sentence; that was most of the time spent on ingestion. This is the same search
    (non-overlapping occurrences from the left, trailing whitespace included, the first
    one ending after the previous sentence) with ``str.find``.
    """

    def sentences_with_char_spans(self, sentences: list[str]) -> list[Any]:
        text: str = self.original_text
        spans: list[Any] = []
        prior_end = 0
        for sentence in sentences:
            position = 0
            while True:
                start = text.find(sentence, position)
                if start < 0:
                    break
                end = start + len(sentence)
                while end < len(text) and text[end].isspace():
                    end += 1
                if end > prior_end:
                    spans.append(TextSpan(text[start:end], start, end))
                    prior_end = end
                    break
                position = end if end > start else start + 1
        return spans


def _segmenter() -> pysbd.Segmenter:
    segmenter = getattr(_local, "segmenter", None)
    if segmenter is None:
        segmenter = _Segmenter(language="en", clean=False)
        _local.segmenter = segmenter
    return segmenter


def _locate(paragraph: str, piece: str, cursor: int) -> tuple[int, int] | None:
    index = paragraph.find(piece, cursor)
    if index >= 0:
        return index, index + len(piece)
    words = piece.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(word) for word in words)
    match = re.compile(pattern).search(paragraph, cursor)
    return (match.start(), match.end()) if match else None


# pysbd's cost grows with the square of its input (each abbreviation it finds rewrites
# the whole text), so a long paragraph is handed to it a window at a time.
WINDOW = 3000
MAX_WINDOW = 8 * WINDOW


def _segment_ranges(text: str) -> list[tuple[int, int]]:
    """Sentence ranges of ``text`` as pysbd splits it, located in ``text``."""
    ranges: list[tuple[int, int]] = []
    cursor = 0
    for piece in _segmenter().segment(text):
        piece = piece.strip()
        if not piece:
            continue
        found = _locate(text, piece, cursor)
        if found is None:  # never expected; keep the rest of the text whole
            rest = text[cursor:]
            stripped = rest.strip()
            if stripped:
                begin = cursor + rest.index(stripped)
                ranges.append((begin, begin + len(stripped)))
            cursor = len(text)
            break
        ranges.append(found)
        cursor = found[1]
    return ranges


def _windowed_ranges(paragraph: str) -> list[tuple[int, int]]:
    """Sentence ranges of a paragraph, segmenting at most a few windows' worth at once.

    Each window starts at a sentence start; its last sentence may be cut by the window's
    end, so it is segmented again at the start of the next window. A window holding a
    single sentence grows (up to ``MAX_WINDOW``, where the sentence is taken as found).
    """
    ranges: list[tuple[int, int]] = []
    base, size = 0, WINDOW
    while base < len(paragraph):
        found = _segment_ranges(paragraph[base : base + size])
        if base + size >= len(paragraph):
            ranges.extend((base + start, base + end) for start, end in found)
            break
        if len(found) < 2 and size < MAX_WINDOW:
            size *= 2
            continue
        keep = found[:-1] if len(found) >= 2 else found
        if not keep:  # only blank text in the window
            base += size
            continue
        ranges.extend((base + start, base + end) for start, end in keep)
        base += found[-1][0] if len(found) >= 2 else keep[-1][1]
        size = WINDOW
    return ranges


def split_sentences(paragraph: str) -> list[SentenceSpan]:
    """Split one paragraph into sentences with offsets into that paragraph."""
    if not paragraph.strip():
        return []
    ranges = _segment_ranges(paragraph) if len(paragraph) <= WINDOW else _windowed_ranges(paragraph)
    if not ranges:
        return []
    merged: list[tuple[int, int]] = []
    pending_start: int | None = None
    for start, end in ranges:
        if pending_start is not None:
            start = pending_start
            pending_start = None
        if BARE_NUMBER_RE.match(paragraph[start:end]):
            pending_start = start
            continue
        merged.append((start, end))
    if pending_start is not None:
        merged.append((pending_start, ranges[-1][1]))
    spans: list[SentenceSpan] = []
    for start, end in merged:
        bullet = BULLET_PREFIX_RE.match(paragraph, start, end)
        if bullet is not None and bullet.end() < end:
            start = bullet.end()
        spans.append(SentenceSpan(start, end, paragraph[start:end]))
    return spans
