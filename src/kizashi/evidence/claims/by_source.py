"""Per-source view: which judgements each analysis supports, contradicts or is silent on.

A source supports a judgement when an accepted link from one of its claims supports it
or the model cites it as evidence (or lists it among the judgement's sources with a score
of the same sign); it contradicts a judgement when an accepted link contradicts it or its
own score has the opposite sign; otherwise it is silent.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from kizashi.evidence.claims.scoring import judgement_key
from kizashi.evidence.db import session_scope
from kizashi.evidence.schema import Claim, ClaimLink, Document, Sentence
from kizashi.model import load_model

STANCES = ("supports", "contradicts", "silent")


@dataclass
class SourceStance:
    """One source's stance on every judgement of a model."""

    source: str
    stances: dict[str, str] = field(default_factory=dict)

    def judgements(self, stance: str) -> list[str]:
        """The judgements with this stance."""
        return [key for key, value in self.stances.items() if value == stance]

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form."""
        return {"source": self.source, **{s: self.judgements(s) for s in STANCES}}


def by_source(model_path: str | os.PathLike[str], db_url: str | os.PathLike[str] | None = None) -> list[SourceStance]:
    """Every source's stance on every judgement of the model."""
    model = load_model(model_path).model
    keys = [judgement_key(j) for j in model.judgements]
    with session_scope(db_url) as session:
        sources = [d.id for d in session.scalars(select(Document).order_by(Document.id))]
        accepted = session.execute(
            select(Sentence.document_id, ClaimLink.judgement, ClaimLink.note)
            .join(Claim, ClaimLink.claim_id == Claim.id)
            .join(Sentence, Claim.sentence_pk == Sentence.pk)
            .where(ClaimLink.model_id == model.id, ClaimLink.status == "accepted")
        ).all()
    for sid in model.source_ids():
        if sid not in sources:
            sources.append(sid)
    table = {s: SourceStance(s, dict.fromkeys(keys, "silent")) for s in sources}
    for judgement, key in zip(model.judgements, keys, strict=True):
        for source in {e.source for e in judgement.evidence} | set(judgement.sources):
            own = judgement.score_for(source)
            stance = "contradicts" if own is not None and own * judgement.score < 0 else "supports"
            if source in table:
                table[source].stances[key] = stance
    for source, key, relation in accepted:
        if source in table and key in table[source].stances:
            table[source].stances[key] = "contradicts" if relation == "contradicts" else "supports"
    return list(table.values())
