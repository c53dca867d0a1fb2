"""Claims: what the sentences of the corpus assert, predict, condition or recommend.

Extraction (``extract_claim``/``extract_claims``) gives each sentence a kind, an
estimative likelihood on the ICD 203 scale, actors, quantities, negations and conditions,
using rule-based spaCy matchers on a blank English pipeline. ``extract_store`` fills the
store's ``claims`` table; ``list_claims`` reads it back. Linking (``suggest_links``,
``accept_link``, ``reject_link``, ``list_links``) connects claims to a model's judgements
with a structured ranker (a theme lexicon, source cues, target-variant shares, the
offline sentence embeddings and the judgements' rationales; ``scoring``, ``features``); ``by_source`` tells each analysis's stance on
every judgement; ``evaluate`` scores all of it against a hand-labelled gold set.
"""

from kizashi.evidence.claims.by_source import SourceStance, by_source
from kizashi.evidence.claims.estimative import BANDS, ICD203_SCALE, band_probability
from kizashi.evidence.claims.evaluate import EvalReport, evaluate, load_gold
from kizashi.evidence.claims.extract import ClaimInfo, extract_claim, extract_claims
from kizashi.evidence.claims.kinds import FORWARD_LOOKING, KINDS
from kizashi.evidence.claims.linking import (
    LinkView,
    accept_link,
    list_links,
    reject_link,
    suggest_links,
)
from kizashi.evidence.claims.store import (
    ClaimView,
    ExtractionReport,
    ensure_claims,
    extract_store,
    list_claims,
)

__all__ = [
    "BANDS",
    "FORWARD_LOOKING",
    "ICD203_SCALE",
    "KINDS",
    "ClaimInfo",
    "ClaimView",
    "EvalReport",
    "ExtractionReport",
    "LinkView",
    "SourceStance",
    "accept_link",
    "band_probability",
    "by_source",
    "ensure_claims",
    "evaluate",
    "extract_claim",
    "extract_claims",
    "extract_store",
    "list_claims",
    "list_links",
    "load_gold",
    "reject_link",
    "suggest_links",
]
