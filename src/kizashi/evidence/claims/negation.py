"""Negation: the cue (*not*, *never*, *has avoided*, *failed to* ...) and its scope.

Without a parser the scope is approximated as the words after the cue up to the end of
its clause (a comma, semicolon, dash, or a conjunction such as *but*). Idioms that
negate nothing are skipped: *not only ... but also*, *no matter*, *not least*.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc

_CUE_PATTERNS: list[list[dict[str, Any]]] = [
    [{"LOWER": {"IN": ["not", "n't", "never", "neither", "nor", "cannot", "without", "none"]}}],
    [{"LOWER": "no"}, {"LOWER": {"NOT_IN": ["matter", "doubt"]}}],
    [{"LOWER": {"IN": ["avoided", "avoids", "avoid", "refrained", "refused", "refuses", "declined",
                       "failed", "fails", "ceased", "stopped"]}}],
    [{"LOWER": {"IN": ["turned", "turns", "turn"]}}, {"LOWER": "down"}],
]
_IDIOMS = {("not", "only"), ("not", "least"), ("no", "matter"), ("no", "doubt"), ("without", "doubt")}
_CLAUSE_END = {",", ";", ":", "—", "–", ".", "!", "?", "but", "while", "whereas", "although", "though"}


@dataclass(frozen=True)
class Negation:
    """A negation cue and the words it scopes over."""

    cue: str
    scope: str
    start: int
    end: int
    scope_end: int

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form."""
        return {"cue": self.cue, "scope": self.scope, "token": self.start}


@lru_cache(maxsize=1)
def _matcher() -> Matcher:
    from spacy.matcher import Matcher

    from kizashi.evidence.claims.nlp import pipeline

    matcher = Matcher(pipeline().vocab)
    matcher.add("NEG", _CUE_PATTERNS)
    return matcher


def find_negations(doc: Doc) -> list[Negation]:
    """The negations of a parsed sentence, in order."""
    out: list[Negation] = []
    seen: set[int] = set()
    for _, start, _end in sorted(_matcher()(doc), key=lambda m: m[1]):
        if start in seen:
            continue
        seen.add(start)
        token = doc[start]
        nxt = doc[start + 1].lower_ if start + 1 < len(doc) else ""
        if (token.lower_, nxt) in _IDIOMS:
            continue
        cue_end = start + 1
        if token.lower_ in ("turned", "turns", "turn"):
            cue_end = start + 2
        scope_end = cue_end
        while scope_end < len(doc) and doc[scope_end].lower_ not in _CLAUSE_END:
            scope_end += 1
        cue = doc[start:cue_end].text
        if token.lower_ == "n't" and start > 0:
            cue = doc[start - 1 : cue_end].text
        out.append(Negation(cue, doc[cue_end:scope_end].text, start, cue_end, scope_end))
    return out
