"""The shared spaCy pipeline of claim extraction.

A blank English pipeline (``spacy.blank("en")``): spaCy's rule-based tokenizer plus an
``entity_ruler`` that marks actors. No statistical model is loaded, so nothing is fetched
at run time and the pipeline builds in well under a second. Every extractor works on the
tokens of this pipeline with ``Matcher``/``PhraseMatcher`` patterns.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

_lock = threading.Lock()


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """The blank English pipeline with the actor entity ruler (built once per process)."""
    import spacy

    from kizashi.evidence.claims.actors import actor_patterns

    with _lock:
        nlp = spacy.blank("en")
        ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
        ruler.add_patterns(actor_patterns())  # type: ignore[attr-defined]
    return nlp


def parse(text: str) -> Doc:
    """Tokenise ``text`` and mark its actors."""
    return pipeline()(text)


def parse_many(texts: list[str]) -> list[Doc]:
    """Tokenise many texts in one batch (faster than one call per text)."""
    return list(pipeline().pipe(texts, batch_size=256))
