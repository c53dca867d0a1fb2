"""Which judgements quote a corpus sentence.

A judgement's evidence quote and a stored sentence are linked when, after the model's
quote normalisation, one contains the other (a quote may be part of a sentence or span
several sentences).
"""

from __future__ import annotations

from dataclasses import dataclass

from kizashi.model import Model, normalise_text


@dataclass(frozen=True)
class QuoteRef:
    """One evidence quote of one judgement."""

    source_variant: str
    target_variant: str
    score: float
    quote: str


class QuoteIndex:
    """Evidence quotes of a model grouped by source, normalised once."""

    def __init__(self, model: Model) -> None:
        self._by_source: dict[str, list[tuple[str, QuoteRef]]] = {}
        for j in model.judgements:
            for ev in j.evidence:
                self._by_source.setdefault(ev.source, []).append(
                    (normalise_text(ev.quote).lower(), QuoteRef(j.source_variant, j.target_variant, j.score, ev.quote))
                )

    def quoting(self, source_id: str, sentence: str) -> list[QuoteRef]:
        """Judgements whose evidence from ``source_id`` overlaps ``sentence``."""
        text = normalise_text(sentence).lower()
        if len(text) < 12:
            return []
        out: list[QuoteRef] = []
        for quote, ref in self._by_source.get(source_id, []):
            if quote and (quote in text or text in quote) and ref not in out:
                out.append(ref)
        return out
