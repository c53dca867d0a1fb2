"""Sentence segmentation: abbreviations, currency, percentages, quotes, bullets, offsets."""

from __future__ import annotations

import pysbd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kizashi.evidence.sentences import _Segmenter, split_sentences


def texts(paragraph: str) -> list[str]:
    spans = split_sentences(paragraph)
    for span in spans:
        assert paragraph[span.start : span.end] == span.text
    return [span.text for span in spans]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "Japan hosts U.S. troops. The U.S. Congress agreed.",
            ["Japan hosts U.S. troops.", "The U.S. Congress agreed."],
        ),
        (
            "Dr Elli-Katharina Pohlkamp is the Director. Image credit: Wikimedia",
            ["Dr Elli-Katharina Pohlkamp is the Director.", "Image credit: Wikimedia"],
        ),
        (
            "Trump asked for US$ 8 billion in 2019. Japan spends 2% of GDP on defence.",
            ["Trump asked for US$ 8 billion in 2019.", "Japan spends 2% of GDP on defence."],
        ),
        (
            'He said Japan "must have its military strategy." Tokyo agreed.',
            ['He said Japan "must have its military strategy."', "Tokyo agreed."],
        ),
        (
            "To cooperate “on equal terms with the U.S.,” he spoke. Next.",
            ["To cooperate “on equal terms with the U.S.,” he spoke.", "Next."],
        ),
        (
            "• Energy Security: LNG sales may rise. Both countries agree.",
            ["Energy Security: LNG sales may rise.", "Both countries agree."],
        ),
        ("1. Security and Defense Cooperation", ["1. Security and Defense Cooperation"]),
    ],
)
def test_segmentation(paragraph: str, expected: list[str]) -> None:
    assert texts(paragraph) == expected


def test_bullet_marker_is_outside_the_sentence() -> None:
    paragraph = "• Reinforcing Partnerships: The United States would act."
    (span,) = split_sentences(paragraph)
    assert span.start == 2
    assert span.text.startswith("Reinforcing")


def test_empty_paragraph_has_no_sentences() -> None:
    assert split_sentences("   ") == []


_WORDS = ["U.S.", "Dr.", "Japan", "said", "US$ 8 billion", "2%", "e.g.", "Mr.", "the", "No."]
_MARKS = [". ", "? ", "! ", '." ', "; ", ", ", "\n", "  ", " ", "... "]


@given(
    st.lists(
        st.tuples(st.sampled_from(_WORDS), st.sampled_from(_MARKS)), min_size=1, max_size=30
    ).map(lambda parts: "".join(word + mark for word, mark in parts))
)
@settings(max_examples=300, deadline=None)
def test_span_search_is_pysbds_own(text: str) -> None:
    """The substring span search returns exactly what pysbd's regex search returns."""
    reference = pysbd.Segmenter(language="en", clean=False)
    assert _Segmenter(language="en", clean=False).segment(text) == reference.segment(text)


def test_span_search_on_repeated_sentences() -> None:
    text = "Japan agreed. Japan agreed. The U.S. did not.  Japan agreed."
    reference = pysbd.Segmenter(language="en", clean=False).segment(text)
    assert _Segmenter(language="en", clean=False).segment(text) == reference
    assert [(s.start, s.text) for s in split_sentences(text)] == [
        (0, "Japan agreed."),
        (14, "Japan agreed."),
        (28, "The U.S. did not."),
        (47, "Japan agreed."),
    ]
