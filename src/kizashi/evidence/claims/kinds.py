"""What a sentence does: predict, condition, recommend, assess, or state background.

The kinds, in the order they are tested:

- **recommendation**: what an actor should do (*should* + verb, *ought to*, *must*,
  *need to*, *it is important for X to*), outside quotations and reported speech;
- **conditional**: a forward-looking claim with an explicit antecedent: *if X*,
  inverted *should X*, *in the event of X*, *unless X*, *under X* (a regime), or a
  hypothetical subject (*an administration committed to ...*). The antecedent and the
  consequent are kept as text;
- **prediction**: a forward-looking claim without an antecedent (a modal or future form,
  or a likelihood word such as *likely* or *is expected to*);
- **assessment** / **background**: the rest, split by evaluative words (importance,
  concern, causes, uncertainty) against event and reporting words, dates and headings.

Estimative cues inside some zones do not make a sentence forward-looking: an indirect
question (*raises questions over what ... might*), a reported concern (*is concerned
that it may*), reported speech or a quotation (*declared that it will*), a leading
concessive clause (*While Trump may ...,*) and a modal in the perfect (*may have been*).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kizashi.evidence.claims.estimative import FORWARD_CLASSES, Cue

if TYPE_CHECKING:
    from spacy.tokens import Doc

KINDS = ("prediction", "conditional", "recommendation", "assessment", "background")
FORWARD_LOOKING = frozenset({"prediction", "conditional", "recommendation"})

_DISCOURSE = {"however", "nonetheless", "nevertheless", "additionally", "moreover", "therefore",
              "furthermore", "thus", "finally", "firstly", "secondly", "thirdly", "also", "notably",
              "still", "yet", "indeed", "consequently", "hence", "now", "specifically", "politically",
              "historically", "ironically", ","}
_CONCESSIVE = {"while", "although", "though", "whereas", "as", "despite", "even"}
_UNCERTAINTY = {"question", "questions", "unclear", "uncertain", "uncertainty", "wonder", "wondering",
                "ask", "asking", "speculation", "speculations", "unknown", "unknowns", "doubt", "whether"}
_WH = {"what", "how", "whether", "if", "which", "who", "when"}
_CONCERN = {"concerned", "worried", "fears", "fear", "feared", "worry", "worries", "anxious", "afraid"}
_REPORTING = {"said", "says", "stated", "states", "declared", "declares", "announced", "announces",
              "claimed", "claims", "remarked", "promised", "pledged", "reiterated", "insisted",
              "told", "argued", "noted", "vowed", "indicated"}
_SUBJECT_START = {"the", "a", "an", "this", "these", "those", "such", "it", "he", "she", "they",
                  "we", "i", "its", "his", "their", "our"}
_REGIME = {"trump", "biden", "harris", "administration", "government", "presidency", "president",
           "regime", "2.0", "term", "tenure", "rule"}
_HYPOTHETICAL_HEADS = {"administration", "government", "regime", "presidency", "president"}
_IMPORTANT = {"important", "essential", "crucial", "vital", "imperative", "necessary", "critical"}

_BACKGROUND_WORDS = {
    "congratulated", "met", "meet", "signed", "visited", "traveled", "travelled", "announced",
    "declared", "appointed", "introduced", "took", "agreed", "joined", "revised", "released",
    "reaffirmed", "dispatching", "mobilised", "mobilized", "toured", "remarked", "stated",
    "reiterated", "promised", "expressed", "highlighted", "saw", "made", "launched", "adopted",
    "advocating", "supported", "turned", "withdrawal", "spent", "founded", "elected", "won",
    "lost", "failed", "held", "hosts", "home", "january", "february", "march", "april", "may",
    "june", "july", "august", "september", "october", "november", "december", "includes",
    "according", "revitalized", "revitalised", "embraced", "developed", "increased", "fund",
    "progress", "scheduled", "mediating", "developing", "stepping", "largest", "fifth-largest",
    "explores", "examine", "title", "led",
}
_ASSESSMENT_WORDS = {
    "important", "importance", "significant", "significance", "crucial", "essential", "vital",
    "key", "central", "critical", "concern", "concerns", "concerned", "worried", "worries",
    "uncertainty", "unclear", "seems", "seem", "appears", "remains", "remain", "resilience",
    "challenge", "challenges", "risk", "risks", "threat", "indispensable", "reliable", "trusted",
    "underscore", "underscores", "reflects", "implies", "suggests", "suggesting", "because",
    "due", "largely", "regarded", "seen", "perceived", "believe", "quandary", "delicate",
    "difficult", "ironically", "apparent", "signal", "signals", "strategic", "strategically",
    "powerful", "successful", "never", "unprecedented", "clear", "primary", "cause", "trend",
    "reality", "question", "implications", "stake", "stakes", "said", "famously", "exemplifies",
    "demonstrated", "survived", "emerged", "strengthening", "convergence", "stabilized",
    "stabilised", "obstacle", "potential", "wants", "prefers", "seeks", "indications", "shifts",
    "speculations", "conjectures", "focused", "truly", "true", "interests", "influence",
}


@dataclass
class Condition:
    """An antecedent and the consequent that depends on it."""

    marker: str
    antecedent: str
    consequent: str

    def to_dict(self) -> dict[str, str]:
        """Plain-data form."""
        return {"marker": self.marker, "antecedent": self.antecedent, "consequent": self.consequent}


@dataclass
class KindResult:
    """The kind of a sentence, the cues that decided it, and its conditions."""

    kind: str
    governing: list[Cue] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    recommendation_cue: str | None = None
    reason: str = ""
    present_hedge: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form."""
        return {"kind": self.kind, "reason": self.reason,
                "conditions": [c.to_dict() for c in self.conditions]}


def _body_start(doc: Doc) -> int:
    """Skip a leading run-in label ("Energy Security: An American regime ...")."""
    for token in doc[:12]:
        if token.text == ":" and token.i >= 1:
            label = doc[: token.i]
            if all(t.is_title or not t.is_alpha or t.is_stop or t.is_upper for t in label):
                return token.i + 1
    return 0


def _clause_end(doc: Doc, start: int) -> int:
    for token in doc[start:]:
        if token.text in {",", ";", "—", "–"}:
            return token.i
    return len(doc)


def _is_heading(doc: Doc) -> bool:
    words = [t for t in doc if t.is_alpha]
    if not words:
        return True
    last = doc[-1].text
    if last not in {".", "!", "?", "”", '"', "’"} and len(words) <= 14:
        return True
    return last == "?" and len(words) <= 8


def _is_meta(doc: Doc, start: int) -> bool:
    words = [t.lower_ for t in doc[start : start + 10]]
    return any(
        a in {"this", "the"} and b in {"paper", "article", "essay", "study", "report", "brief"}
        for a, b in itertools.pairwise(words)
    )


def _quote_zone(doc: Doc) -> set[int]:
    zone: set[int] = set()
    inside = False
    for token in doc:
        if token.text in {"“", "”", '"'}:
            inside = token.text == "“" or (token.text == '"' and not inside)
            continue
        if inside:
            zone.add(token.i)
    return zone


def _leading_clause(doc: Doc, start: int) -> tuple[int, int] | None:
    """A leading concessive/adverbial clause (``While X may ..., ``): its token range."""
    i = start
    while i < len(doc) and doc[i].lower_ in _DISCOURSE:
        i += 1
    if i < len(doc) and doc[i].lower_ in _CONCESSIVE:
        end = _clause_end(doc, i)
        if end < len(doc):
            return i, end
    return None


def _ignored_zone(doc: Doc, start: int) -> set[int]:
    """Tokens whose estimative cues say nothing about the sentence's own claim."""
    zone = _quote_zone(doc)
    leading = _leading_clause(doc, start)
    if leading:
        zone.update(range(*leading))
    for token in doc:
        low = token.lower_
        window = [t.lower_ for t in doc[token.i + 1 : token.i + 4]]
        if (low in _UNCERTAINTY and (low == "whether" or any(w in _WH for w in window))) or (low in _CONCERN and ("that" in window[:2] or "about" in window[:1])) or (low in _REPORTING and not token.is_title and ("that" in window[:3] or any(w in {"“", '"'} for w in window))):
            zone.update(range(token.i, len(doc)))
    return zone


def _is_inverted_should(doc: Doc, i: int) -> bool:
    if i + 1 >= len(doc):
        return False
    nxt = doc[i + 1]
    return nxt.lower_ in _SUBJECT_START or (nxt.is_title and nxt.is_alpha)


def _recommendation(doc: Doc, start: int, ignored: set[int]) -> str | None:
    for token in doc[start:]:
        if token.i in ignored:
            continue
        low = token.lower_
        nxt = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""
        nxt2 = doc[token.i + 2].lower_ if token.i + 2 < len(doc) else ""
        if low == "should" and not _is_inverted_should(doc, token.i) and nxt != "have":
            return "should"
        if low == "ought" and nxt == "to":
            return "ought to"
        if low == "must" and nxt not in {"have"} and not (nxt == "be" and nxt2 in {"noted", "said", "remembered", "admitted"}):
            return "must"
        if low in {"need", "needs"} and nxt == "to" and not _noun_need(doc, token.i):
            return f"{low} to"
        if low in _IMPORTANT and nxt in {"for", "to"} and token.i > 0 and any(
            t.lower_ in {"is", "it", "makes", "remains"} for t in doc[max(0, token.i - 4) : token.i]
        ):
            return f"{low} for ... to"
    return None


def _noun_need(doc: Doc, i: int) -> bool:
    """*need* used as a noun ("the urgent and shared need to ...")."""
    prev = doc[i - 1].lower_ if i > 0 else ""
    return prev in {"the", "a", "an", "and", "no", "urgent", "shared", "pressing", "growing", "clear", "real"}


def _antecedent_end(doc: Doc, i: int, leading: bool) -> int:
    return _clause_end(doc, i) if leading else len(doc)


def _conditions(doc: Doc, start: int, ignored: set[int]) -> list[tuple[str, int, int]]:
    """(marker, antecedent start, antecedent end) of each antecedent in the sentence."""
    found: list[tuple[str, int, int]] = []
    for token in doc[start:]:
        i = token.i
        if i in ignored:
            continue
        low = token.lower_
        prev = doc[i - 1].lower_ if i > 0 else ""
        nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
        leading = i == start or all(t.lower_ in _DISCOURSE for t in doc[start:i])
        if low == "if" and prev not in {"even", "as"} and nxt not in {"not", "any", "indeed"}:
            found.append(("if", i + 1, _antecedent_end(doc, i, leading)))
        elif low == "unless":
            found.append(("unless", i + 1, _antecedent_end(doc, i, leading)))
        elif low == "should" and _is_inverted_should(doc, i):
            found.append(("should", i + 1, _antecedent_end(doc, i, leading or prev == ",")))
        elif low == "in" and nxt == "the" and i + 2 < len(doc) and doc[i + 2].lower_ == "event":
            found.append(("in the event of", i + 4, _antecedent_end(doc, i, leading)))
        elif low == "under" and any(t.lower_ in _REGIME for t in doc[i + 1 : i + 4]):
            end = _clause_end(doc, i) if leading else min(len(doc), i + 5)
            found.append(("under", i + 1, end))
    for token in doc[start:]:
        if token.lower_ in {"a", "an"} and token.i not in ignored:
            window = doc[token.i + 1 : token.i + 9]
            for head in window:
                if head.lower_ in _HYPOTHETICAL_HEADS:
                    end = head.i + 1
                    while end < len(doc) and doc[end].lower_ not in {
                        "would", "will", "may", "might", "could", "can", "is", "are", ",", "."}:
                        end += 1
                    found.append(("hypothetical subject", token.i, end))
                    break
                if head.text in {",", ".", ";"} or head.lower_ in {"of", "in", "on", "for", "that", "which"}:
                    break
    return found


def _forward_cues(cues: list[Cue], ignored: set[int]) -> tuple[list[Cue], bool]:
    """Cues that make the claim forward-looking, and whether a modal was a present/past hedge."""
    forward: list[Cue] = []
    present_hedge = False
    for cue in cues:
        if cue.start in ignored or cue.cls not in FORWARD_CLASSES:
            continue
        forward.append(cue)
    return forward, present_hedge


def classify(doc: Doc, cues: list[Cue]) -> KindResult:
    """The kind of a parsed sentence given its estimative cues."""
    start = _body_start(doc)
    if _is_heading(doc):
        return KindResult("background", reason="heading or title")
    if _is_meta(doc, start):
        return KindResult("background", reason="the text describing itself")
    ignored = _ignored_zone(doc, start)
    live = [c for c in cues if c.start not in ignored]
    # modals in the perfect or about the present hedge a past/present state
    past = {c.start for c in live if c.is_modal and c.end - c.start == 1 and c.end + 1 < len(doc)
            and (doc[c.end].lower_ in {"now", "already", "currently"}
                 or (doc[c.end].lower_ == "have" and doc[c.end + 1].lower_ != "to"))}
    governing = [c for c in live if c.start not in past or c.cls not in FORWARD_CLASSES]
    rec = _recommendation(doc, start, ignored)
    if rec:
        return KindResult("recommendation", [], [], rec, reason=f"recommendation cue {rec!r}")
    forward = [c for c in governing if c.cls in FORWARD_CLASSES]
    antecedents = _conditions(doc, start, ignored)
    if forward and antecedents:
        for marker, a_start, a_end in antecedents:
            in_consequent = [c for c in forward if not a_start <= c.start < a_end]
            if not in_consequent:
                continue
            antecedent = doc[a_start:a_end].text.strip(" ,")
            if a_start <= start + 1 or a_start < in_consequent[0].start:
                consequent = doc[max(a_end, start) :].text if a_end < len(doc) else doc[start : max(a_start - 1, start)].text
            else:
                consequent = doc[start : a_start - 1].text
            if marker == "hypothetical subject":
                consequent = doc[a_end:].text
            condition = Condition(marker, antecedent, consequent.strip(" ,."))
            governing_cues = [
                c
                for c in governing
                if not a_start <= c.start < a_end and c.start >= in_consequent[0].start
            ]
            return KindResult("conditional", governing_cues, [condition], reason=f"antecedent {marker!r}")
    if forward:
        tail = [c for c in governing if c.start >= forward[0].start]
        return KindResult("prediction", tail, reason=f"forward cue {forward[0].text!r}")
    hedges = [c for c in live if c.start in past]
    # a hedged statement about the past or present is a judgement, not a checkable fact
    kind = "assessment" if hedges else _assessment_or_background(doc, start)
    return KindResult(kind, hedges or [c for c in live if c.cls.startswith("ADV_")], reason="no forward cue",
                      present_hedge=bool(hedges))


def _assessment_or_background(doc: Doc, start: int) -> str:
    words = [t.lower_ for t in doc[start:]]
    background = sum(w in _BACKGROUND_WORDS for w in words)
    background += sum(1 for t in doc if t.like_num and len(t.text) == 4 and t.text[:2] in {"19", "20"})
    assessment = sum(w in _ASSESSMENT_WORDS for w in words)
    return "assessment" if assessment > background else "background"
