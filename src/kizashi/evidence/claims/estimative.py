"""Estimative language and the ICD 203 scale of likelihood.

US Intelligence Community Directive 203 (*Analytic Standards*, 2015) fixes seven terms of
likelihood with their probability ranges: almost no chance (1-5 %), very unlikely
(5-20 %), unlikely (20-45 %), roughly even chance (45-55 %), likely (55-80 %), very likely
(80-95 %) and almost certain (95-99 %). Analyses rarely use those words; this module maps
the cues they do use onto that scale:

- likelihood words and phrases (*likely*, *probably*, *is expected to*, *undoubtedly*,
  *there are indications that*, *cannot be assumed*);
- modal verbs: plain *will* / *is going to* reads as very likely, a bare hypothetical
  *would* as likely, and the possibility modals *may*, *might*, *could*, *can* as roughly
  even chance (the directive places none of them; they commit to a possibility only);
- stacked hedges: a likelihood adverb next to a modal governs it (*would probably* ->
  likely, *will undoubtedly* -> almost certain); a possibility modal stacked with a second
  hedge (*could potentially*, *may possibly*) moves one band down.

Cues are found with spaCy ``Matcher`` patterns on the tokens of a blank pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc

ICD203_SCALE: tuple[tuple[str, float, float], ...] = (
    ("almost no chance", 0.01, 0.05),
    ("very unlikely", 0.05, 0.20),
    ("unlikely", 0.20, 0.45),
    ("roughly even chance", 0.45, 0.55),
    ("likely", 0.55, 0.80),
    ("very likely", 0.80, 0.95),
    ("almost certain", 0.95, 0.99),
)
BANDS: tuple[str, ...] = tuple(name for name, _, _ in ICD203_SCALE)


def band_probability(band: str) -> float:
    """The midpoint of an ICD 203 band's probability range."""
    for name, low, high in ICD203_SCALE:
        if name == band:
            return round((low + high) / 2, 3)
    raise KeyError(band)


def shift_band(band: str, steps: int) -> str:
    """The band ``steps`` places up (positive) or down (negative) the scale, clamped."""
    index = min(max(BANDS.index(band) + steps, 0), len(BANDS) - 1)
    return BANDS[index]


# cue class -> (band, patterns). Class names say how the cue combines with others.
_CUES: dict[str, tuple[str, list[list[dict[str, Any]]]]] = {
    # certainty adverbs and likelihood words: govern a neighbouring modal
    "ADV_ALMOST_CERTAIN": (
        "almost certain",
        [[{"LOWER": {"IN": ["undoubtedly", "certainly", "unequivocally", "surely", "inevitably"]}}],
         [{"LOWER": "almost"}, {"LOWER": "certainly"}], [{"LOWER": "without"}, {"LOWER": "doubt"}]],
    ),
    "ADV_VERY_LIKELY": (
        "very likely",
        [[{"LOWER": {"IN": ["very", "highly"]}}, {"LOWER": {"IN": ["likely", "probably", "probable"]}}],
         [{"LOWER": "almost"}, {"LOWER": "certain"}, {"LOWER": "to"}]],
    ),
    "ADV_VERY_UNLIKELY": (
        "very unlikely",
        [[{"LOWER": {"IN": ["very", "highly"]}}, {"LOWER": {"IN": ["unlikely", "improbable"]}}]],
    ),
    "ADV_NO_CHANCE": (
        "almost no chance",
        [[{"LOWER": "almost"}, {"LOWER": "no"}, {"LOWER": "chance"}],
         [{"LOWER": "no"}, {"LOWER": "chance"}], [{"LOWER": "remote"}, {"LOWER": "chance"}]],
    ),
    "ADV_UNLIKELY": ("unlikely", [[{"LOWER": {"IN": ["unlikely", "improbable", "doubtful"]}}]]),
    "ADV_EVEN": (
        "roughly even chance",
        [[{"LOWER": {"IN": ["roughly", "about"]}}, {"LOWER": "even"}, {"LOWER": "chance"}],
         [{"LOWER": "even"}, {"LOWER": "odds"}], [{"LOWER": "toss"}, {"OP": "?"}, {"LOWER": "up"}],
         [{"LOWER": "can"}, {"LOWER": "not"}, {"LOWER": "be"}, {"LOWER": "assumed"}],
         [{"LOWER": "cannot"}, {"LOWER": "be"}, {"LOWER": "assumed"}]],
    ),
    "ADV_LIKELY": (
        "likely",
        [[{"LOWER": {"IN": ["likely", "probably", "probable", "presumably"]}}],
         [{"LOWER": {"IN": ["expected", "anticipated", "predicted"]}}, {"LOWER": "to"}],
         [{"LOWER": {"IN": ["expect", "expects", "anticipates", "anticipate"]}}],
         [{"LOWER": "it"}, {"LOWER": {"IN": ["is", "was"]}},
          {"LOWER": {"IN": ["expected", "anticipated"]}}, {"LOWER": "that"}],
         [{"LOWER": "there"}, {"LOWER": "are"}, {"LOWER": "indications"}, {"LOWER": "that"}]],
    ),
    # modal verbs and future forms
    "MODAL_WILL": (
        "very likely",
        [[{"LOWER": {"IN": ["will", "'ll", "shall", "wo"]}}],
         [{"LOWER": {"IN": ["is", "are", "am", "'s", "’s"]}}, {"LOWER": "going"}, {"LOWER": "to"}],
         [{"LOWER": "going"}, {"LOWER": "to"}, {"IS_ALPHA": True, "LOWER": {"NOT_IN": ["the", "a", "an"]}}],
         [{"LOWER": {"IN": ["is", "are"]}}, {"LOWER": "set"}, {"LOWER": "to"}]],
    ),
    "MODAL_WOULD": ("likely", [[{"LOWER": "would"}]]),
    "MODAL_MAY": ("roughly even chance", [[{"LOWER": {"IN": ["may", "might", "could", "can"]}}]]),
    # second hedges that weaken a possibility modal
    "HEDGE": ("unlikely", [[{"LOWER": {"IN": ["potentially", "possibly", "perhaps", "conceivably"]}}]]),
}

ADVERB_CLASSES = {k for k in _CUES if k.startswith("ADV_")}
MODAL_CLASSES = {"MODAL_WILL", "MODAL_WOULD", "MODAL_MAY"}
FORWARD_CLASSES = MODAL_CLASSES | {"ADV_LIKELY", "ADV_VERY_LIKELY", "ADV_UNLIKELY", "ADV_VERY_UNLIKELY",
                                   "ADV_NO_CHANCE", "ADV_EVEN"}


@dataclass(frozen=True)
class Cue:
    """One estimative cue: its words, token span, class and ICD 203 band."""

    text: str
    start: int
    end: int
    cls: str
    band: str

    @property
    def is_modal(self) -> bool:
        """A modal verb or future form (will, would, may, is going to ...)."""
        return self.cls in MODAL_CLASSES

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form."""
        return {"text": self.text, "band": self.band, "class": self.cls.lower(), "token": self.start}


@lru_cache(maxsize=1)
def _matcher() -> Matcher:
    from spacy.matcher import Matcher

    from kizashi.evidence.claims.nlp import pipeline

    matcher = Matcher(pipeline().vocab)
    for cls, (_, patterns) in _CUES.items():
        matcher.add(cls, patterns, greedy="LONGEST")
    return matcher


def find_cues(doc: Doc) -> list[Cue]:
    """Every estimative cue of a sentence, in order; overlapping matches keep the longest."""
    matches = _matcher()(doc)
    taken: set[int] = set()
    cues: list[Cue] = []
    for match_id, start, end in sorted(matches, key=lambda m: (-(m[2] - m[1]), m[1])):
        if taken.intersection(range(start, end)):
            continue
        cls = doc.vocab.strings[match_id]
        taken.update(range(start, end))
        cues.append(Cue(doc[start:end].text, start, end, cls, _CUES[cls][0]))
    return sorted(cues, key=lambda c: c.start)


@dataclass(frozen=True)
class Estimate:
    """The likelihood a sentence expresses for its main claim."""

    band: str | None
    cues: tuple[Cue, ...]
    stacked: bool

    @property
    def probability(self) -> float | None:
        """Midpoint of the band's range (None without a band)."""
        return band_probability(self.band) if self.band else None


def estimate(cues: list[Cue]) -> Estimate:
    """Combine the cues that govern the main claim into one ICD 203 band.

    The first cue group decides: a likelihood word within two tokens of a modal governs
    it (*would probably*, *will likely*, *is probably going to*); a possibility modal with
    a hedge right after it (*could potentially*) goes one band down; otherwise the first
    cue's band stands.
    """
    governing = [c for c in cues if c.cls != "HEDGE" or _near_modal(c, cues)]
    if not governing:
        return Estimate(None, (), False)
    first = governing[0]
    group = _chain(first, governing)
    adverbs = [c for c in group if c.cls in ADVERB_CLASSES]
    modals = [c for c in group if c.is_modal]
    hedges = [c for c in group if c.cls == "HEDGE"]
    stacked = len(group) > 1
    if adverbs:
        band = adverbs[0].band
    elif modals and modals[0].cls == "MODAL_MAY" and hedges:
        band = shift_band(modals[0].band, -1)
    else:
        band = first.band
    return Estimate(band, tuple(group), stacked)


def _near_modal(cue: Cue, cues: list[Cue]) -> bool:
    return any(c.is_modal and 0 <= cue.start - c.end <= 1 for c in cues)


def _chain(first: Cue, cues: list[Cue]) -> list[Cue]:
    """``first`` and the cues that follow it with at most two tokens between each."""
    group = [first]
    for cue in cues:
        if cue.start <= first.start:
            continue
        if cue.start - group[-1].end <= 2:
            group.append(cue)
        else:
            break
    return group
