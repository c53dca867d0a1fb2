"""Evaluation against the hand-labelled gold set (``tests/data/claims_gold.yaml``).

Reports precision, recall and F1 per kind, F1 of forward-looking (prediction,
conditional, recommendation) against the rest, agreement on the ICD 203 band, and top-1 /
top-3 linking accuracy: a suggestion is right when it is one of the sentence's gold
judgements of the flagship model.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from kizashi.errors import InputError
from kizashi.evidence.claims.extract import extract_claims
from kizashi.evidence.claims.kinds import FORWARD_LOOKING, KINDS


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
            "linking": {"top1": self.top1, "top3": self.top3, "support": self.link_support},
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
    try:
        data = YAML(typ="safe").load(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read the gold file: {exc.strerror}", path=str(p)) from None
    except YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", path=str(p)) from None
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


def _evaluate_linking(gold: list[dict[str, Any]], infos: list[Any], model_path: str | os.PathLike[str],
                      report: EvalReport) -> None:
    from kizashi.evidence.claims.linking import link_inputs
    from kizashi.evidence.claims.scoring import ModelIndex, rank
    from kizashi.model import load_model

    linked = [(g, c) for g, c in zip(gold, infos, strict=True) if g.get("judgements")]
    if not linked:
        return
    index = ModelIndex(load_model(model_path).model)
    ranked = rank(index, link_inputs([c for _, c in linked]), top=3, top_variants=0)
    top1 = top3 = 0
    for (g, _), (judgements, _) in zip(linked, ranked, strict=True):
        wanted = set(g["judgements"])
        keys = [r.target for r in judgements]
        top1 += bool(keys) and keys[0] in wanted
        top3 += bool(wanted & set(keys[:3]))
    report.link_support = len(linked)
    report.top1 = round(top1 / len(linked), 4)
    report.top3 = round(top3 / len(linked), 4)
