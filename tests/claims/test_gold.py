"""Extraction and linking measured against the hand-labelled gold set."""

from __future__ import annotations

from pathlib import Path

import pytest

from kizashi.evidence.claims import evaluate, load_gold

GOLD = Path(__file__).resolve().parents[1] / "data" / "claims_gold.yaml"


def test_gold_set_is_large_enough_and_labelled() -> None:
    gold = load_gold(GOLD)
    assert len(gold) >= 150
    assert sum(1 for g in gold if g.get("judgements")) >= 100


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return evaluate(GOLD)


def test_forward_looking_f1_meets_target(report) -> None:  # type: ignore[no-untyped-def]
    assert report.forward_looking.f1 >= 0.85


def test_per_kind_scores(report) -> None:  # type: ignore[no-untyped-def]
    for kind in ("prediction", "conditional", "recommendation"):
        assert report.per_kind[kind].f1 >= 0.85
    assert report.per_kind["assessment"].f1 >= 0.7
    assert report.per_kind["background"].f1 >= 0.75
    assert report.band_accuracy >= 0.85


def test_linking_accuracy_meets_target(report) -> None:  # type: ignore[no-untyped-def]
    # The target is top-3 >= 0.8, held out (leave one source out): the headline figure.
    # With the gold links relabelled for the refined flagship model the structured ranker
    # reaches 0.811 top-3 (90 of 111 sentences) and 0.631 top-1 held out; the top-1
    # floor is the measured value rounded down.
    assert report.heldout_top3 is not None and report.heldout_top3 >= 0.8
    assert report.heldout_top1 is not None and report.heldout_top1 >= 0.6
    assert report.top3 is not None and report.top3 >= 0.8
    assert report.top1 is not None and report.top1 >= 0.6
    assert set(report.heldout_per_source) == {g["source"] for g in load_gold(GOLD) if g.get("judgements")}
    assert all(row["top3"] >= 0.55 for row in report.heldout_per_source.values())


def test_unlinkable_sentences_are_reported(report) -> None:  # type: ignore[no-untyped-def]
    # Gold judgements the model no longer has are listed; a sentence left without any
    # is unlinkable: out of the accuracy, but counted as a miss in top3_all.
    assert report.link_support + len(report.unlinkable) == report.labelled
    assert sum(row["support"] for row in report.heldout_per_source.values()) == report.link_support
    assert report.top3_all is not None and report.top3_all <= report.top3
    if report.unlinkable:
        assert report.missing_judgements
