"""Extractors on the hard cases of the seed analyses."""

from __future__ import annotations

import pytest

from kizashi.evidence.claims import extract_claim


def test_conditional_if_keeps_antecedent_and_consequent() -> None:
    c = extract_claim(
        "If the US government still sees China as a rival in high technology, it could press Japan "
        "into stronger cooperation on reliable supply chains for AI, semiconductors, and 5G systems."
    )
    assert c.kind == "conditional"
    assert c.conditions[0]["marker"] == "if"
    assert c.conditions[0]["antecedent"].startswith("the US government still sees China")
    assert c.conditions[0]["consequent"].startswith("it could press Japan")
    assert c.likelihood == "roughly even chance"


def test_inverted_should_is_a_condition_not_a_recommendation() -> None:
    c = extract_claim(
        "Should the Trump administration decide to escalate military engagement with important allies, "
        "Japan’s strategic direction may shift even further towards defence."
    )
    assert c.kind == "conditional"
    assert c.conditions[0]["marker"] == "should"
    assert "Trump administration decide" in c.conditions[0]["antecedent"]


def test_should_with_a_verb_is_a_recommendation() -> None:
    c = extract_claim("Japan should prioritize three-party summits between China, South Korea, and itself.")
    assert c.kind == "recommendation"
    assert c.likelihood is None


def test_trailing_if_and_hypothetical_subject() -> None:
    c = extract_claim(
        "Increased military cooperation between the US and Japan could become a reality if a more "
        "confrontational US government adopts a tougher position towards North Korea."
    )
    assert c.kind == "conditional"
    assert "confrontational US government" in c.conditions[0]["antecedent"]
    h = extract_claim(
        "A more protectionist or America-first administration might push Japan to increase its "
        "financial contributions to the US military presence on its soil."
    )
    assert h.kind == "conditional"
    assert h.conditions[0]["marker"] == "hypothetical subject"


def test_should_in_a_purpose_clause_without_forward_claim_is_not_conditional() -> None:
    c = extract_claim(
        "It seeks to promote the implementation of newly introduced strategies to make them more binding "
        "and prevent a major change in course should Donald Trump win the election."
    )
    assert c.kind in {"assessment", "background"}


def test_past_under_is_not_conditional_but_future_under_is() -> None:
    past = extract_claim("It survived the first Trump administration and emerged stronger under Biden.")
    assert past.kind not in {"conditional", "prediction"}
    future = extract_claim(
        "Under Trump 2.0, the strategic orientation and agenda of these groupings will likely shift "
        "towards deeper military cooperation."
    )
    assert future.kind == "conditional"
    assert future.conditions[0]["antecedent"] == "Trump 2.0"
    assert future.likelihood == "likely"


@pytest.mark.parametrize(
    ("text", "band", "stacked"),
    [
        ("A diplomatic US administration would probably engage North Korea anew in talks.", "likely", True),
        ("The United States will undoubtedly put pressure on Japan to stick to its existing course.", "almost certain", True),
        ("This, in turn, could potentially backfire on Japan’s position as a key ally.", "unlikely", True),
        ("Trump is likely to push Japan to increase its defence spending further.", "likely", False),
        ("Trump’s administration is probably going to back the economic security alliance with Japan.", "likely", True),
        ("He may seek to reinforce the US military presence in Japan.", "roughly even chance", False),
        ("Trump 2.0 will re-emphasise his ‘America First’ trade agenda.", "very likely", False),
    ],
)
def test_icd203_bands_and_stacked_hedges(text: str, band: str, stacked: bool) -> None:
    c = extract_claim(text)
    assert c.kind in {"prediction", "conditional"}
    assert c.likelihood == band
    assert c.stacked_hedge is stacked


def test_hedges_in_concerns_questions_and_reported_speech_do_not_predict() -> None:
    concern = extract_claim("Tokyo is concerned that it may not be able to rely on a stable alliance.")
    assert concern.kind not in {"prediction", "conditional"}
    assert concern.likelihood is None
    reported = extract_claim("Tokyo declared that it will bolster deterrence by acquiring counterstrike capabilities.")
    assert reported.kind == "background"
    question = extract_claim("The question is whether closer cooperation or increased tension may result.")
    assert question.kind not in {"prediction", "conditional"}
    perfect = extract_claim("Japan may have been getting ready for Trump’s potential second tenure.")
    assert perfect.kind not in {"prediction", "conditional"}
    assert perfect.likelihood == "roughly even chance"


def test_negation_cue_and_scope() -> None:
    c = extract_claim(
        "However, Trump has avoided repeating his earlier episodic criticisms of Japan’s trade surplus, "
        "suggesting that he recognizes the importance of the relationship."
    )
    assert c.negations[0]["cue"] == "avoided"
    assert c.negations[0]["scope"].startswith("repeating his earlier episodic criticisms")
    idiom = extract_claim("Japan has not only expanded its traditional economic relationships but also signed agreements.")
    assert idiom.negations == []
    treaty = extract_claim("The Japan-U.S. Security Treaty has not been altered since 1960.")
    assert treaty.negations[0]["cue"] == "not"


def test_quantities_money_percent_ranges_counts() -> None:
    q = extract_claim(
        "When he promised to slap a 60 percent tax on Chinese goods and a 10 to 20 percent levy on "
        "imports from its allies, his impulses were exposed."
    ).quantities
    assert q[0]["kind"] == "amount" and q[0]["value"] == 60 and q[0]["unit"] == "percent"
    assert q[1]["kind"] == "range" and (q[1]["low"], q[1]["high"]) == (10, 20)
    money = extract_claim("The administration asked Japan to increase its payments to US$ 8 billion in 2019.").quantities
    assert money[0]["value"] == 8e9 and money[0]["unit"] == "USD"
    troops = extract_claim("Japan currently hosts close to 54,000 active-duty US military troops.").quantities
    assert troops[0]["value"] == 54000 and troops[0]["unit"] == "troops" and troops[0]["approximate"]
    gdp = extract_claim("It set a goal of increasing annual defence spending to 2 per cent of GDP by 2027.").quantities
    assert gdp[0]["unit"] == "percent of GDP" and gdp[0]["value"] == 2 and gdp[0]["by"] == 2027
    change = extract_claim("Tokyo will raise the defense budget from 1% to 2% of GDP by 2027.").quantities
    assert change[0]["kind"] == "change" and change[0]["from"] == 1 and change[0]["to"] == 2
    assert extract_claim("Spending rose by 13.4 per cent compared to last year.").quantities[0]["value"] == 13.4
    assert extract_claim("Exports reached USD 120 billion in 2022.").quantities[0]["value"] == 1.2e11


def test_actors_are_normalised() -> None:
    c = extract_claim(
        "Tokyo and Washington worry that the Trump administration will pressure Beijing, the Quad, "
        "AUKUS, CPTPP, IPEF, SOFA and host-nation support talks, and Ishiba."
    )
    names = c.actor_names
    for name in ["Japan", "United States", "United States executive", "China", "Quad", "AUKUS",
                 "CPTPP", "IPEF", "SOFA", "host-nation support", "Shigeru Ishiba"]:
        assert name in names
    assert "Donald Trump" not in names  # "the Trump administration" is the executive
