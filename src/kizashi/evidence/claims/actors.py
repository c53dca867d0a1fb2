"""Actors named in a sentence, normalised to one name per entity.

Capitals and governments map to their state or its executive (Tokyo -> Japan,
Washington -> United States, "the Trump administration" -> United States executive);
leaders and institutions (Quad, AUKUS, CPTPP, IPEF, SOFA, host-nation support ...) are
their own entities. Patterns are matched case-insensitively by spaCy's ``EntityRuler``
(phrase patterns on lower-cased tokens, token patterns for possessives); the longest
match wins, so "Trump's administration" is the executive and not the man.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

LABEL_STATE = "STATE"
LABEL_EXECUTIVE = "EXECUTIVE"
LABEL_LEADER = "LEADER"
LABEL_INSTITUTION = "INSTITUTION"

US_EXECUTIVE = "United States executive"
JAPAN_EXECUTIVE = "Japan executive"

# normalised name -> (label, surface forms)
_ALIASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "United States": (
        LABEL_STATE,
        ("United States", "US", "U.S.", "USA", "U.S.A.", "America", "Washington",
         "Washington DC", "the United States of America"),
    ),
    "Japan": (LABEL_STATE, ("Japan", "Tokyo", "Nippon")),
    "China": (LABEL_STATE, ("China", "Beijing", "PRC", "People's Republic of China")),
    "North Korea": (LABEL_STATE, ("North Korea", "DPRK", "Pyongyang")),
    "South Korea": (LABEL_STATE, ("South Korea", "ROK", "Seoul", "Republic of Korea")),
    "Taiwan": (LABEL_STATE, ("Taiwan", "Taipei")),
    "Australia": (LABEL_STATE, ("Australia", "Canberra")),
    "India": (LABEL_STATE, ("India", "New Delhi")),
    "Philippines": (LABEL_STATE, ("Philippines", "the Philippines", "Manila")),
    "United Kingdom": (LABEL_STATE, ("United Kingdom", "UK", "U.K.", "Britain", "London")),
    "Germany": (LABEL_STATE, ("Germany", "Berlin")),
    "United Arab Emirates": (LABEL_STATE, ("United Arab Emirates", "UAE")),
    "Saudi Arabia": (LABEL_STATE, ("Saudi Arabia", "Riyadh")),
    "Qatar": (LABEL_STATE, ("Qatar",)),
    "South Africa": (LABEL_STATE, ("South Africa",)),
    "Israel": (LABEL_STATE, ("Israel",)),
    "Ukraine": (LABEL_STATE, ("Ukraine", "Kyiv")),
    "Russia": (LABEL_STATE, ("Russia", "Moscow")),
    US_EXECUTIVE: (
        LABEL_EXECUTIVE,
        ("Trump administration", "the Trump administration", "Trump 2.0", "Trump government",
         "Biden administration", "the Biden administration", "US administration",
         "U.S. administration", "US government", "U.S. government", "American government",
         "White House", "the White House", "Trump administration 2.0",
         "Trump's administration", "Trump’s administration", "Trump's team", "Trump’s team",
         "Biden's administration", "Biden’s administration"),
    ),
    JAPAN_EXECUTIVE: (
        LABEL_EXECUTIVE,
        ("Japanese government", "Japanese administration", "Kishida administration",
         "Kishida cabinet", "Ishiba administration", "Ishiba cabinet", "Japanese Foreign Ministry",
         "Kishida's cabinet", "Kishida’s cabinet"),
    ),
    "Donald Trump": (LABEL_LEADER, ("Donald Trump", "Trump", "President Trump", "President-elect")),
    "Joe Biden": (LABEL_LEADER, ("Joe Biden", "Biden", "President Biden")),
    "Shigeru Ishiba": (LABEL_LEADER, ("Shigeru Ishiba", "Ishiba", "Prime Minister Ishiba")),
    "Fumio Kishida": (LABEL_LEADER, ("Fumio Kishida", "Kishida", "Prime Minister Kishida")),
    "Shinzo Abe": (LABEL_LEADER, ("Shinzo Abe", "Shinzō Abe", "Abe", "Prime Minister Abe")),
    "Xi Jinping": (LABEL_LEADER, ("Xi Jinping", "President Xi Jinping", "Xi")),
    "Kim Jong Un": (LABEL_LEADER, ("Kim Jong Un", "Kim Jong-un")),
    "Yoon Suk Yeol": (LABEL_LEADER, ("Yoon Suk Yeol", "Yoon")),
    "Taro Aso": (LABEL_LEADER, ("Taro Aso", "Aso")),
    "Marco Rubio": (LABEL_LEADER, ("Marco Rubio", "Rubio")),
    "Mike Waltz": (LABEL_LEADER, ("Mike Waltz", "Waltz")),
    "Scott Bessent": (LABEL_LEADER, ("Scott Bessent", "Bessent")),
    "Takeo Akiba": (LABEL_LEADER, ("Takeo Akiba", "Akiba")),
    "Wang Yi": (LABEL_LEADER, ("Wang Yi",)),
    "Quad": (LABEL_INSTITUTION, ("Quad", "the Quad", "Quadrilateral Security Dialogue")),
    "AUKUS": (LABEL_INSTITUTION, ("AUKUS",)),
    "CPTPP": (
        LABEL_INSTITUTION,
        ("CPTPP", "Comprehensive and Progressive Agreement for Trans-Pacific Partnership"),
    ),
    "TPP": (LABEL_INSTITUTION, ("TPP", "Trans-Pacific Partnership")),
    "IPEF": (LABEL_INSTITUTION, ("IPEF", "Indo-Pacific Economic Framework")),
    "SOFA": (LABEL_INSTITUTION, ("SOFA", "Status of Force Agreement", "Status of Forces Agreement")),
    "host-nation support": (
        LABEL_INSTITUTION,
        ("host-nation support", "host nation support", "Host Nation Support",
         "host nation support agreement", "special measures agreement"),
    ),
    "US-Japan Security Treaty": (
        LABEL_INSTITUTION,
        ("Japan-U.S. Security Treaty", "Japan-US Security Treaty", "US-Japan Security Treaty",
         "U.S.-Japan Security Treaty", "1960 treaty"),
    ),
    "US-Japan Trade Agreement": (
        LABEL_INSTITUTION,
        ("US-Japan Trade Agreement", "Japan-US Trade Agreement", "U.S.-Japan Trade Agreement"),
    ),
    "FOIP": (LABEL_INSTITUTION, ("FOIP", "Free and Open Indo-Pacific")),
    "G7": (LABEL_INSTITUTION, ("G7", "G-7")),
    "G20": (LABEL_INSTITUTION, ("G20", "G-20")),
    "APEC": (LABEL_INSTITUTION, ("APEC", "Asia-Pacific Economic Cooperation")),
    "WTO": (LABEL_INSTITUTION, ("WTO", "World Trade Organization")),
    "United Nations": (LABEL_INSTITUTION, ("United Nations", "UN", "U.N.")),
    "ASEAN": (LABEL_INSTITUTION, ("ASEAN",)),
    "Paris Agreement": (LABEL_INSTITUTION, ("Paris Agreement", "Paris climate agreement")),
    "Inflation Reduction Act": (LABEL_INSTITUTION, ("Inflation Reduction Act", "IRA")),
    "Belt and Road Initiative": (LABEL_INSTITUTION, ("Belt and Road Initiative", "BRI")),
    "LDP": (LABEL_INSTITUTION, ("LDP", "Liberal Democratic Party")),
    "JSDF": (LABEL_INSTITUTION, ("JSDF", "Japanese Self-Defense Forces", "Self-Defense Forces")),
    "International Criminal Court": (LABEL_INSTITUTION, ("International Criminal Court", "ICC")),
    "Nippon Steel": (LABEL_INSTITUTION, ("Nippon Steel",)),
    "US Steel": (LABEL_INSTITUTION, ("US Steel", "U.S. Steel")),
    "Huawei": (LABEL_INSTITUTION, ("Huawei",)),
    "ZTE": (LABEL_INSTITUTION, ("ZTE",)),
}

# Short aliases that are ordinary words in lower case: matched only as written.
_CASE_SENSITIVE = {"US", "UN", "Abe", "Xi", "Aso", "Yoon", "IRA", "Quad", "SOFA", "Waltz", "ICC"}


def _surface_to_name() -> dict[str, str]:
    return {alias.lower(): name for name, (_, aliases) in _ALIASES.items() for alias in aliases}


def actor_patterns() -> list[dict[str, Any]]:
    """EntityRuler patterns: one per surface form, labelled, with the normalised name as id."""
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    patterns: list[dict[str, Any]] = []
    for name, (label, aliases) in _ALIASES.items():
        for alias in aliases:
            tokens = [t.text for t in tokenizer(alias)]
            if alias in _CASE_SENSITIVE:
                pattern: Any = [{"ORTH": t} for t in tokens]
            else:
                pattern = [{"LOWER": t.lower()} for t in tokens]
            patterns.append({"label": label, "pattern": pattern, "id": name})
    return patterns


def normalise_actor(text: str) -> str | None:
    """The normalised name of a surface form (``Tokyo`` -> ``Japan``), None if unknown."""
    return _surface_to_name().get(text.strip().lower())


def actor_spans(doc: Doc) -> list[Span]:
    """The actor spans the entity ruler found, in text order."""
    return [ent for ent in doc.ents if ent.ent_id_]


def actors_of(doc: Doc) -> list[dict[str, Any]]:
    """Actors of a parsed sentence: ``{name, kind, text, start, end}`` (character offsets)."""
    return [
        {
            "name": ent.ent_id_,
            "kind": ent.label_.lower(),
            "text": ent.text,
            "start": ent.start_char,
            "end": ent.end_char,
        }
        for ent in actor_spans(doc)
    ]
