"""The linking lexicon: which descriptor a sentence is about, which variant it points to.

The hand-written file ``kizashi/data/claims_lexicon.yaml`` gives, per descriptor of the
flagship model, theme terms (``terms``), actor names that show the theme (``actors``,
as normalised by ``actors.py``) and cue phrases per variant (``variants``). The words of
each descriptor's own name are added as weaker, derived terms, so a descriptor of any
model gets some lexical signal even when the file does not cover it.

Phrases match case-insensitively on word boundaries; a trailing ``*`` matches any word
ending and ``_`` matches a space or a hyphen ("cost_sharing" finds "cost-sharing" and
"cost sharing"). A term or actor listed under several descriptors says less about each:
it counts ``1 / n`` for each of the ``n`` descriptors that list it. Scores saturate:
``1 - 0.5 ** hits``, so the first distinct term counts most.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ruamel.yaml import YAML

if TYPE_CHECKING:
    from kizashi.model import Model

# Words of descriptor names too general to show a theme.
_GENERIC = frozenset(
    ["the", "and", "for", "with", "from", "into", "over", "under", "toward", "towards", "what", "how", "whether", "its", "their", "japan", "japan's", "japanese", "us", "u.s.", "united", "states", "america", "american", "washington", "tokyo", "relations", "policy", "level", "overall", "state", "effort", "allies", "ally"]
)


def _compile(phrase: str) -> re.Pattern[str]:
    star = phrase.endswith("*")
    body = phrase[:-1] if star else phrase
    parts = [re.escape(p) for p in re.split(r"[_ ]", body.strip().lower()) if p]
    pattern = r"[\s\-]+".join(parts)
    head = r"(?<![\w.,])" if body[:1].isdigit() else (r"(?<!\w)" if body[:1].isalpha() else "")
    tail = r"[\w'’\-]*" if star else (r"(?![\w])" if body[-1:].isalnum() or body[-1:] == "%" else "")
    return re.compile(head + pattern + tail)


def saturate(hits: float) -> float:
    """``1 - 0.5 ** hits``: 0 for none, 0.5 for one, 0.75 for two ..."""
    return 1.0 - 0.5**hits


@dataclass
class DescriptorTerms:
    """The compiled lexicon entry of one descriptor."""

    terms: list[tuple[re.Pattern[str], float]] = field(default_factory=list)
    name_terms: list[re.Pattern[str]] = field(default_factory=list)
    actors: dict[str, float] = field(default_factory=dict)
    variants: dict[str, list[re.Pattern[str]]] = field(default_factory=dict)


def _hits(patterns: list[re.Pattern[str]], text: str) -> int:
    return sum(1 for p in patterns if p.search(text))


def default_path() -> Path:
    """The bundled lexicon file."""
    return Path(str(resources.files("kizashi") / "data" / "claims_lexicon.yaml"))


@lru_cache(maxsize=4)
def _raw(path: str) -> dict[str, dict[str, object]]:
    data = YAML(typ="safe").load(Path(path).read_text(encoding="utf-8")) or {}
    return dict(data.get("descriptors") or {})


class Lexicon:
    """Theme terms per descriptor and cue phrases per variant of one model."""

    def __init__(self, model: Model, path: str | os.PathLike[str] | None = None) -> None:
        raw = _raw(str(path or default_path()))
        self.entries: dict[str, DescriptorTerms] = {}
        shared: Counter[str] = Counter()
        for descriptor in model.descriptors:
            entry = raw.get(descriptor.id) or {}
            shared.update({str(t).lower() for t in entry.get("terms") or []})  # type: ignore[attr-defined]
            shared.update({f"@{a}" for a in entry.get("actors") or []})  # type: ignore[attr-defined]
        for descriptor in model.descriptors:
            entry = raw.get(descriptor.id) or {}
            words = {w for w in re.findall(r"[a-z][a-z\-]{3,}", descriptor.name.lower()) if w not in _GENERIC}
            variants = entry.get("variants") or {}
            assert isinstance(variants, dict)
            self.entries[descriptor.id] = DescriptorTerms(
                terms=[(_compile(str(t)), 1.0 / shared[str(t).lower()])
                       for t in entry.get("terms") or []],  # type: ignore[attr-defined]
                name_terms=[_compile(w) for w in sorted(words)],
                actors={str(a): 1.0 / shared[f"@{a}"] for a in entry.get("actors") or []},  # type: ignore[attr-defined]
                variants={
                    f"{descriptor.id}.{v.id}": [_compile(str(t)) for t in variants.get(v.id) or []]
                    for v in descriptor.variants
                },
            )

    def descriptor_score(self, descriptor: str, text: str, actors: frozenset[str] = frozenset()) -> float:
        """How clearly ``text`` (with its actor names) is about ``descriptor``: 0 to 1."""
        entry = self.entries.get(descriptor)
        if entry is None:
            return 0.0
        low = text.lower()
        hits = sum(weight for pattern, weight in entry.terms if pattern.search(low))
        return saturate(hits + sum(entry.actors.get(a, 0.0) for a in actors))

    def name_score(self, descriptor: str, text: str) -> float:
        """Hits of the words of the descriptor's own name: 0 to 1."""
        entry = self.entries.get(descriptor)
        return saturate(_hits(entry.name_terms, text.lower())) if entry else 0.0

    def variant_hits(self, variant: str, text: str) -> int:
        """Distinct cue phrases of ``descriptor.variant`` found in ``text``."""
        descriptor = variant.split(".", 1)[0]
        entry = self.entries.get(descriptor)
        if entry is None:
            return 0
        return _hits(entry.variants.get(variant, []), text.lower())
