"""The structured linking ranker: lexicon, fitting with held-out sources, ranking, unlinkable gold."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kizashi.evidence.claims import evaluate
from kizashi.evidence.claims.evaluate import default_model_path
from kizashi.evidence.claims.features import FEATURES
from kizashi.evidence.claims.fitting import Example, fit_weights, leave_one_source_out, top_k_hits
from kizashi.evidence.claims.lexicon import Lexicon, saturate
from kizashi.evidence.claims.scoring import LinkInput, ModelIndex, rank
from kizashi.model import load_model


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    return load_model(default_model_path()).model


def test_lexicon_phrases_stems_and_shared_terms(model, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "lexicon.yaml"
    path.write_text(
        "descriptors:\n"
        "  us_china:\n    terms: [beijing, decoupl*]\n"
        "  japan_china:\n    terms: [beijing, mutually beneficial]\n"
        "  hns_pressure:\n    terms: [cost_sharing]\n    actors: [host-nation support]\n"
        "    variants:\n      escalated: [withdraw*, 8 billion]\n",
        encoding="utf-8",
    )
    lex = Lexicon(model, path)
    # a term listed under two descriptors counts half for each
    assert lex.descriptor_score("us_china", "Talks with Beijing resumed.") == pytest.approx(saturate(0.5))
    assert lex.descriptor_score("us_china", "Beijing fears decoupling.") == pytest.approx(saturate(1.5))
    assert lex.descriptor_score("us_china", "The Beijingers met.") == 0.0  # word boundary
    # "_" matches a space or a hyphen; actors count like terms
    assert lex.descriptor_score("hns_pressure", "New cost-sharing talks.") == pytest.approx(0.5)
    assert lex.descriptor_score("hns_pressure", "Cost sharing.", frozenset({"host-nation support"})) == pytest.approx(0.75)
    assert lex.variant_hits("hns_pressure.escalated", "A US$8 billion ask and threats of withdrawal.") == 2
    assert lex.variant_hits("hns_pressure.high", "withdrawal") == 0
    # the words of a descriptor's own name are derived terms
    assert lex.name_score("climate", "Climate cooperation will suffer.") > 0


def _example(rows: list[list[float]], gold: int, source: str) -> Example:
    full = np.zeros((len(rows), len(FEATURES)))
    full[:, : len(rows[0])] = rows
    return Example(full, [gold], source)


def test_fitting_learns_and_holds_sources_out() -> None:
    # Sources a and b: the gold judgement is the one with feature 0. Source c: feature 1.
    examples = [_example([[1, 0], [0, 0], [0, 1]], 0, s) for s in ("a", "b") for _ in range(5)]
    examples += [_example([[1, 0], [0, 1], [0, 0]], 1, "c") for _ in range(5)]
    weights = fit_weights([ex for ex in examples if ex.source != "c"])
    assert weights[FEATURES[0]] > 0 > weights[FEATURES[1]]
    assert all(top_k_hits(examples[:10], weights, 1))
    held = leave_one_source_out(examples)
    assert set(held) == {"a", "b", "c"}
    top1_c, top3_c = held["c"]
    assert not any(top1_c)  # weights fitted without c have never seen its pattern
    assert all(top3_c)


@pytest.fixture(scope="module")
def index(model):  # type: ignore[no-untyped-def]
    return ModelIndex(model)


def _top_targets(index: ModelIndex, claim: LinkInput, k: int = 3) -> list[str]:
    judgements, _ = rank(index, [claim], top=k, top_variants=0)[0]
    return [r.target for r in judgements]


def test_ranking_finds_theme_and_source(index: ModelIndex) -> None:
    hns = LinkInput(
        "If Trump wins, Washington will demand that Tokyo pay far more for hosting US troops "
        "under the host-nation support agreement.",
        "Trump wins", "Washington will demand that Tokyo pay far more for hosting US troops",
        actors=("Donald Trump", "United States", "Japan", "host-nation support"),
    )
    top = _top_targets(index, hns)
    assert any(t.startswith("us_orientation.america_first -> hns_pressure.") for t in top), top
    multilateral = LinkInput(
        "A Harris administration would keep working with allies through multilateral institutions "
        "such as the G7 and the UN.",
        actors=("G7", "United Nations"),
    )
    top = _top_targets(index, multilateral)
    assert top[0].startswith("us_orientation.alliance_multilateral -> "), top
    tariffs = LinkInput("Trump will impose a universal 10% tariff on imports, Japanese cars included.",
                        actors=("Donald Trump",))
    assert any(" -> us_tariffs_japan." in t for t in _top_targets(index, tariffs)), tariffs


def test_scores_are_probabilities_and_relations_follow_the_variant(index: ModelIndex) -> None:
    claim = LinkInput("Trump will pull US troops out of Japan unless Tokyo pays more.")
    judgements, variants = rank(index, [claim], top=len(index.keys), top_variants=2)[0]
    assert sum(r.score for r in judgements) == pytest.approx(1.0, abs=0.01)
    assert [r.score for r in judgements] == sorted((r.score for r in judgements), reverse=True)
    assert {r.relation for r in judgements} <= {"supports", "contradicts"}
    assert len(variants) == 2 and all(r.relation == "mentions" for r in variants)


def test_gold_judgements_missing_from_the_model_are_unlinkable(tmp_path: Path) -> None:
    gold = tmp_path / "gold.yaml"
    gold.write_text(
        "sentences:\n"
        "- {source: a, index: 0, kind: prediction, text: Trump will demand more host-nation support.,\n"
        "   judgements: ['us_orientation.america_first -> hns_pressure.high']}\n"
        "- {source: b, index: 0, kind: prediction, text: Trump will impose tariffs on Japanese cars.,\n"
        "   judgements: ['us_orientation.america_first -> no_such.variant']}\n"
        "- {source: c, index: 3, kind: background, text: Tokyo hosts US bases.}\n",
        encoding="utf-8",
    )
    report = evaluate(gold)
    assert report.labelled == 2 and report.link_support == 1
    assert report.unlinkable == ["b#0"]
    assert report.missing_judgements == ["us_orientation.america_first -> no_such.variant"]
    assert report.top3_all is not None and report.top3_all <= 0.5
