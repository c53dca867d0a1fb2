"""Size-scaling checks: inputs doubled several times cost time linear in their size.

Each check times one path on inputs of size n, 2n, 4n and 8n (best of a few runs) and
asserts that the time per unit of size at the largest input stays within a generous
factor of that at the smallest. A quadratic path gives a factor of about 8; a linear
one about 1. No absolute time is asserted.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

import pytest

from kizashi.errors import InputError, ModelError
from kizashi.evidence.cleaning import (
    RemovedText,
    _contained_in_longer,
    _Paragraph,
    _repeat_pass,
    clean_paragraphs,
)
from kizashi.evidence.sentences import SentenceSpan, split_sentences
from kizashi.formats.csv_matrix import parse_csv_matrix
from kizashi.formats.scw import parse_scw
from kizashi.model.yaml_io import load_model, parse_model_text

SIZES = (1, 2, 4, 8)
MAX_GROWTH = 4.0


def _best_time(run: Callable[[Any], object], data: Any, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run(data)
        best = min(best, time.perf_counter() - start)
    return max(best, 1e-6)


def _growth(run: Callable[[Any], object], make: Callable[[int], Any], unit: int) -> float:
    """Time per unit of size at the largest input over that at the smallest."""
    per_unit = []
    for factor in SIZES:
        n = unit * factor
        per_unit.append(_best_time(run, make(n)) / n)
    return per_unit[-1] / per_unit[0]


def _raises_input_error(run: Callable[[Any], object]) -> Callable[[Any], object]:
    def wrapped(data: Any) -> object:
        with pytest.raises(InputError):
            run(data)
        return None

    return wrapped


# -- .scw: an unterminated quoted text --------------------------------------------------


def _scw_unterminated(lines: int) -> str:
    head = ["$ ScenarioWizard 4.0", "p", "&A", " -a1", " -a2", "#", "#", "#", "#", "#"]
    body = [" 0 , 1 ", " 1 , 0 ", "#", "# 0-0", '"an unterminated text']
    return "\r\n".join(head + body + ["a line of text"] * lines) + "\r\n"


def test_scw_unterminated_quote_is_linear() -> None:
    growth = _growth(_raises_input_error(parse_scw), _scw_unterminated, 5_000)
    assert growth < MAX_GROWTH


def _scw_long_text(lines: int) -> str:
    head = ["$ ScenarioWizard 4.0", "p", "&A", " -a1", " -a2", "#", "#", "#", "#", "#"]
    body = [" 0 , 1 ", " 1 , 0 ", "#", "# 0-0", '"a ""quoted"" text']
    return "\r\n".join(head + body + ['a line "of" text'] * lines + ['end"', "#", "#"]) + "\r\n"


def test_scw_long_text_is_linear() -> None:
    growth = _growth(parse_scw, _scw_long_text, 5_000)
    assert growth < MAX_GROWTH


# -- CSV: header rows with many blank trailing columns ---------------------------------


def _csv_wide_header(columns: int) -> str:
    blank = "," * columns
    return f",,A,,{blank}\n,,a1,a2{blank}\nA,a1,0,0\n,a2,0,0\n"


def test_csv_header_trimming_is_linear() -> None:
    growth = _growth(parse_csv_matrix, _csv_wide_header, 20_000)
    assert growth < MAX_GROWTH


# -- YAML: aliases are refused -----------------------------------------------------------


def _alias_bomb(levels: int = 12) -> str:
    lines = ["id: bomb", 'a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join([*lines, "descriptors: []", "judgements: []"]) + "\n"


def test_yaml_alias_bomb_is_refused_quickly(tmp_path: Any) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(_alias_bomb(), encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(ModelError) as info:
        load_model(path)
    assert time.perf_counter() - start < 5
    assert str(path) in str(info.value)
    assert info.value.where == "3:10"
    assert "alias" in info.value.message


def test_yaml_single_alias_is_refused() -> None:
    text = "id: m\ndescriptors: &d []\njudgements: *d\n"
    with pytest.raises(ModelError, match="alias") as info:
        parse_model_text(text, "m.yaml")
    assert info.value.path == "m.yaml"
    assert info.value.where == "3:13"


# -- sentences: one long paragraph ---------------------------------------------------------


def _long_paragraph(sentences: int) -> str:
    return " ".join(
        f"Sentence number {i} is here, said Dr. Smith of the U.S. office." for i in range(sentences)
    )


def test_sentence_spans_are_linear() -> None:
    growth = _growth(split_sentences, _long_paragraph, 80)
    assert growth < MAX_GROWTH


def test_long_paragraph_spans_are_exact() -> None:
    paragraph = _long_paragraph(400)
    spans = split_sentences(paragraph)
    assert len(spans) == 400
    assert all(paragraph[s.start : s.end] == s.text for s in spans)
    assert [s.start for s in spans[1:]] == [s.end + 1 for s in spans[:-1]]


# -- cleaning: many short paragraphs -----------------------------------------------------


def _many_paragraphs(count: int) -> list[str]:
    return [
        f"Paragraph {i} says that the numbers went up by {i * 7} percent." for i in range(count)
    ]


def _repeat_pass_of(texts: list[str]) -> list[RemovedText]:
    paragraphs = [
        _Paragraph(k, text, [SentenceSpan(0, len(text), text)]) for k, text in enumerate(texts)
    ]
    removed: list[RemovedText] = []
    _repeat_pass(paragraphs, removed)
    return removed


def test_repeat_pass_is_linear() -> None:
    growth = _growth(_repeat_pass_of, _many_paragraphs, 250)
    assert growth < MAX_GROWTH


def test_clean_paragraphs_finds_repeats_among_many() -> None:
    texts = _many_paragraphs(2_000)
    texts.insert(1_000, "that the numbers went up by 77")
    texts.append(texts[5])
    kinds = [(r.kind, r.paragraph) for r in clean_paragraphs(texts).removed]
    assert kinds == [("pull-quote", 1_000), ("duplicate", 2_001)]


def _contained_directly(texts: list[str], candidates: set[str]) -> set[str]:
    return {c for c in candidates if any(len(t) > len(c) and c in t for t in texts)}


def test_automaton_agrees_with_direct_search() -> None:
    rng = random.Random(7)
    vocab = ["a", "b", "ab", "the", "cat", "sat"]
    for _ in range(500):
        base = [" ".join(rng.choice(vocab) for _ in range(rng.randint(1, 10))) for _ in range(4)]
        texts = []
        for _ in range(rng.randint(1, 10)):
            words = rng.choice(base).split()
            i = rng.randint(0, len(words))
            j = rng.randint(i, len(words))
            texts.append(
                " ".join(words[i:j]) if rng.random() < 0.5 else " ".join(rng.sample(base, 2))
            )
        candidates = {t for t in texts if t and rng.random() < 0.7}
        assert _contained_in_longer(texts, candidates) == _contained_directly(texts, candidates)
