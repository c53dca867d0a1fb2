"""Evaluation against the hand-labelled gold set (``tests/data/claims_gold.yaml``).

Reports precision, recall and F1 per kind, F1 of forward-looking (prediction,
conditional, recommendation) against the rest, agreement on the ICD 203 band, and top-1 /
top-3 linking accuracy: a suggestion is right when it is one of the sentence's gold
judgements of the flagship model.

Linking is reported twice: *in-sample*, with the shipped weights (``scoring.WEIGHTS``,
fitted on this very gold set), and *held out*, leave-one-source-out: for each of the seed
sources the weights are refitted on the other sources' sentences and rank that source's
sentences (``fitting.leave_one_source_out``); the held-out figures are the honest ones.
Gold judgements the model no longer has are listed; a sentence none of whose gold
judgements exists is *unlinkable*: left out of the accuracy (and listed), while
``top3_all`` counts it as a miss.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from kizashi.errors import InputError
from kizashi.evidence.claims.extract import extract_claims
from kizashi.evidence.claims.fitting import Example, leave_one_source_out, top_k_hits
from kizashi.evidence.claims.kinds import FORWARD_LOOKING, KINDS
from kizashi.model.yaml_io import read_yaml


@dataclass
class PRF:
    """Precision, recall, F1 and support."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class EvalReport:
    """The scores of one evaluation."""

    per_kind: dict[str, PRF] = field(default_factory=dict)
    forward_looking: PRF | None = None
    band_accuracy: float = 0.0
    band_support: int = 0
    top1: float | None = None
    top3: float | None = None
    link_support: int = 0
    heldout_top1: float | None = None
    heldout_top3: float | None = None
    heldout_per_source: dict[str, dict[str, float | int]] = field(default_factory=dict)
    top3_all: float | None = None
    labelled: int = 0
    unlinkable: list[str] = field(default_factory=list)
    missing_judgements: list[str] = field(default_factory=list)
    sentences: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form."""
        return {
            "sentences": self.sentences,
            "per_kind": {k: vars(v) for k, v in self.per_kind.items()},
            "forward_looking": vars(self.forward_looking) if self.forward_looking else None,
            "band_accuracy": self.band_accuracy,
            "band_support": self.band_support,
            "linking": {
                "top1": self.top1, "top3": self.top3, "support": self.link_support,
                "heldout_top1": self.heldout_top1, "heldout_top3": self.heldout_top3,
                "heldout_per_source": self.heldout_per_source, "top3_all": self.top3_all,
                "labelled": self.labelled, "unlinkable": self.unlinkable,
                "missing_judgements": self.missing_judgements,
            },
            "seconds": self.seconds,
        }


def _prf(tp: int, fp: int, fn: int) -> PRF:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return PRF(round(p, 4), round(r, 4), round(f, 4), tp + fn)


def load_gold(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The labelled sentences of a gold file."""
    p = Path(path)
    data = read_yaml(p, "the gold file")
    items = data.get("sentences") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise InputError("expected a mapping with a 'sentences' list", path=str(p))
    for i, item in enumerate(items):
        if not isinstance(item, dict) or "text" not in item or item.get("kind") not in KINDS:
            raise InputError(f"entry {i} needs 'text' and a 'kind' among {', '.join(KINDS)}", path=str(p))
    return items


def default_model_path() -> Path:
    """The bundled flagship model."""
    return Path(str(resources.files("kizashi") / "data" / "models" / "us-japan-alliance.yaml"))


def evaluate(gold_path: str | os.PathLike[str], model_path: str | os.PathLike[str] | None = None,
             *, linking: bool = True) -> EvalReport:
    """Score extraction (and linking, unless ``linking=False``) against a gold file."""
    gold = load_gold(gold_path)
    started = time.perf_counter()
    infos = extract_claims([item["text"] for item in gold])
    report = EvalReport(sentences=len(gold))
    for kind in KINDS:
        tp = sum(1 for g, c in zip(gold, infos, strict=True) if g["kind"] == kind and c.kind == kind)
        fp = sum(1 for g, c in zip(gold, infos, strict=True) if g["kind"] != kind and c.kind == kind)
        fn = sum(1 for g, c in zip(gold, infos, strict=True) if g["kind"] == kind and c.kind != kind)
        report.per_kind[kind] = _prf(tp, fp, fn)
    pairs = [(g["kind"] in FORWARD_LOOKING, c.forward_looking) for g, c in zip(gold, infos, strict=True)]
    report.forward_looking = _prf(sum(a and b for a, b in pairs), sum(b and not a for a, b in pairs),
                                  sum(a and not b for a, b in pairs))
    banded = [(g.get("likelihood"), c.likelihood) for g, c in zip(gold, infos, strict=True)
              if g.get("likelihood") or c.likelihood]
    report.band_support = len(banded)
    report.band_accuracy = round(sum(a == b for a, b in banded) / len(banded), 4) if banded else 0.0
    if linking:
        _evaluate_linking(gold, infos, model_path or default_model_path(), report)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _sentence_id(item: dict[str, Any]) -> str:
    return f"{item.get('source', '?')}#{item.get('index', '?')}"


def linking_examples(
    gold: list[dict[str, Any]], model_path: str | os.PathLike[str], infos: list[Any] | None = None
) -> tuple[list[Example], dict[str, Any]]:
    """Ranking examples of the gold sentences that carry judgements, and what could not be linked.

    The second value has ``labelled`` (sentences with gold judgements), ``unlinkable``
    (their ids when none of their judgements is in the model) and ``missing`` (gold
    judgements the model lacks, each once).
    """
    from kizashi.evidence.claims.linking import link_inputs
    from kizashi.evidence.claims.scoring import ModelIndex, score_claims
    from kizashi.model import load_model

    if infos is None:
        infos = extract_claims([item["text"] for item in gold])
    labelled = [(g, c) for g, c in zip(gold, infos, strict=True) if g.get("judgements")]
    index = ModelIndex(load_model(model_path).model)
    row = {key: i for i, key in enumerate(index.keys)}
    missing = sorted({k for g, _ in labelled for k in g["judgements"] if k not in row})
    linkable = [(g, c) for g, c in labelled if any(k in row for k in g["judgements"])]
    unlinkable = [_sentence_id(g) for g, _ in labelled if not any(k in row for k in g["judgements"])]
    scores = score_claims(index, link_inputs([c for _, c in linkable]))
    examples = [
        Example(s.features, sorted({row[k] for k in g["judgements"] if k in row}), str(g.get("source", "")))
        for (g, _), s in zip(linkable, scores, strict=True)
    ]
    return examples, {"labelled": len(labelled), "unlinkable": unlinkable, "missing": missing}


def _rate(hits: list[bool]) -> float:
    return round(sum(hits) / len(hits), 4) if hits else 0.0


def _evaluate_linking(gold: list[dict[str, Any]], infos: list[Any], model_path: str | os.PathLike[str],
                      report: EvalReport) -> None:
    from kizashi.evidence.claims.scoring import WEIGHTS

    examples, info = linking_examples(gold, model_path, infos)
    report.labelled = info["labelled"]
    report.unlinkable = info["unlinkable"]
    report.missing_judgements = info["missing"]
    if not examples:
        return
    top3 = top_k_hits(examples, WEIGHTS, 3)
    report.link_support = len(examples)
    report.top1 = _rate(top_k_hits(examples, WEIGHTS, 1))
    report.top3 = _rate(top3)
    report.top3_all = round(sum(top3) / report.labelled, 4)
    held = leave_one_source_out(examples) if len({ex.source for ex in examples}) > 1 else {}
    all1 = [h for h1, _ in held.values() for h in h1]
    all3 = [h for _, h3 in held.values() for h in h3]
    if held:
        report.heldout_top1 = _rate(all1)
        report.heldout_top3 = _rate(all3)
        report.heldout_per_source = {
            source: {"top1": _rate(h1), "top3": _rate(h3), "support": len(h1)}
            for source, (h1, h3) in held.items()
        }
