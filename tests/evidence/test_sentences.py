"""Sentence segmentation: abbreviations, currency, percentages, quotes, bullets, offsets."""

from __future__ import annotations

import pytest

from kizashi.evidence.sentences import split_sentences


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
