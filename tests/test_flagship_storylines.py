"""The flagship model reproduces the storylines of the five analyses it is built from.

Every assertion runs the CIB engine on the bundled model (the combined median matrix, or
one source's own matrix) and checks what the consistent scenarios contain.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import yaml

from kizashi.cib import CIBSystem, enumerate_scenarios
from kizashi.model import (
    CompiledModel,
    compile_model,
    dump_model,
    load_model,
    source_matrices,
    validate_model,
)

DATA = Path(__file__).resolve().parents[1] / "src" / "kizashi" / "data"
MODEL_PATH = DATA / "models" / "us-japan-alliance.yaml"

KOTHIWALE = "kothiwale-tatvita-2024"
POHLKAMP = "pohlkamp-9dashline-2024"
UNATTRIBUTED = "unattributed-2024-11"
BASU = "basu-neb-orf-2024"
NATH = "nath-krf-2025"
SOURCES = [KOTHIWALE, POHLKAMP, UNATTRIBUTED, BASU, NATH]

AM = "alliance_multilateral"
AF = "america_first"


@cache
def loaded():
    return load_model(MODEL_PATH)


@cache
def combined() -> CompiledModel:
    return compile_model(loaded().model)


@cache
def per_source() -> dict[str, CompiledModel]:
    return source_matrices(loaded().model)


def matrix_of(source: str | None) -> CompiledModel:
    return combined() if source is None else per_source()[source]


def _fixed(compiled: CompiledModel, pins: dict[str, str]) -> dict[int, int]:
    fixed = {}
    for descriptor, variant in pins.items():
        d, v = compiled.variant_index(descriptor, variant)
        fixed[d] = v
    return fixed


def silent_descriptors(compiled: CompiledModel) -> list[int]:
    """Descriptors (other than the driver) that receive no impact at all in a matrix."""
    offsets, counts = compiled.offsets, compiled.counts
    return [
        d
        for d in range(1, len(counts))
        if not np.any(compiled.matrix[:, offsets[d] : offsets[d] + counts[d]])
    ]


@cache
def consistent(source: str | None, orientation: str | None, **extra: str) -> np.ndarray:
    """Consistent scenarios (tolerance 0) under the given interventions.

    In one analysis's own matrix, the descriptors that analysis says nothing about (no
    impact reaches them) would tie across all their variants and multiply the result
    without meaning; they are held at the variant the combined model gives them under the
    same interventions (where the combined model settles them), so the enumeration shows
    what the analysis itself determines.
    """
    pins = dict(extra)
    if orientation is not None:
        pins["us_orientation"] = orientation
    compiled = matrix_of(source)
    fixed = _fixed(compiled, pins)
    if source is not None:
        reference = consistent(None, orientation, **extra)
        for d in silent_descriptors(compiled):
            if d in fixed:
                continue
            held = np.unique(reference[:, d])
            if len(held) == 1:  # otherwise it stays free
                fixed[d] = int(held[0])
    result = enumerate_scenarios(
        CIBSystem(compiled.counts, compiled.matrix), tolerance=0.0, fixed=fixed
    )
    assert result.complete
    return result.scenarios


def values(scenarios: np.ndarray, descriptor: str, source: str | None = None) -> set[str]:
    """The variants a descriptor takes across a set of scenarios."""
    compiled = matrix_of(source)
    d = compiled.index_of(descriptor)
    return {compiled.variant_ids[d][int(v)] for v in np.unique(scenarios[:, d])}


def only(scenarios: np.ndarray, descriptor: str, source: str | None = None) -> str:
    """The variant a descriptor takes in every scenario (fails if it varies)."""
    found = values(scenarios, descriptor, source)
    assert len(found) == 1, f"{descriptor} is not determined: {sorted(found)}"
    return found.pop()


def scenario_of(compiled: CompiledModel, row: np.ndarray, **changes: str) -> np.ndarray:
    """A copy of a scenario row with some descriptors set to other variants."""
    z = np.array(row, dtype=np.int64)
    for descriptor, variant in changes.items():
        d, v = compiled.variant_index(descriptor, variant)
        z[d] = v
    return z


def objections(
    compiled: CompiledModel, z: np.ndarray, free: set[str] | None = None
) -> dict[str, str]:
    """Descriptors whose chosen variant is not a best response, with the variant they prefer.

    ``us_orientation`` is treated as fixed (an intervention) and never objects.
    """
    offsets = compiled.offsets
    rows = [int(offsets[i]) + int(z[i]) for i in range(len(z))]
    theta = compiled.matrix[rows].sum(axis=0)
    out: dict[str, str] = {}
    for d, descriptor in enumerate(compiled.descriptor_ids):
        if descriptor == "us_orientation" or (free is not None and descriptor not in free):
            continue
        block = theta[offsets[d] : offsets[d] + compiled.counts[d]]
        if block.max() - block[z[d]] > 1e-9:
            out[descriptor] = compiled.variant_ids[d][int(np.argmax(block))]
    return out


# ----------------------------------------------------------------- the model itself

# ----------------------------------------------------------------- the model itself


def test_model_validates_against_the_corpus():
    seeds = yaml.safe_load((DATA / "corpus" / "seeds.yaml").read_text(encoding="utf-8"))
    texts = {e["id"]: (DATA / "corpus" / e["file"]).read_text(encoding="utf-8") for e in seeds}
    assert set(texts) == set(SOURCES)
    assert validate_model(loaded(), texts) == []


def test_the_file_is_in_canonical_layout():
    text = MODEL_PATH.read_text(encoding="utf-8")
    body = text[text.index("\nid: ") + 1 :]
    assert dump_model(loaded().model) == body


def test_every_theme_is_a_descriptor_or_a_documented_fold():
    model = loaded().model
    covered = [t for d in model.descriptors for t in d.themes]
    assert sorted(set(covered)) == list(range(1, 27))
    folded = {int(key.split()[-1]) for key in model.folds}
    for theme in folded:
        owners = [d for d in model.descriptors if theme in d.themes]
        assert len(owners) == 1 and len(owners[0].themes) == 2
    first = model.descriptors[0]
    assert first.id == "us_orientation"
    assert first.name == "US administration's orientation toward allies"
    assert [(v.id, v.name) for v in first.variants] == [
        (AM, "Alliance-centred multilateralism"),
        (AF, "Transactional America First"),
    ]
    for d in model.descriptors:
        assert 2 <= len(d.variants) <= 4


def test_the_model_is_large_enough():
    counts = [int(n) for n in combined().counts]
    assert math.prod(counts) >= 10**11
    assert sum(1 for n in counts if n >= 3) >= 18


def test_no_dead_variant():
    """Every variant (except the driver's) is promoted by some judgement."""
    compiled = combined()
    offsets = compiled.offsets
    for d, descriptor in enumerate(compiled.descriptor_ids[1:], start=1):
        for v, variant in enumerate(compiled.variant_ids[d]):
            column = compiled.matrix[:, offsets[d] + v]
            assert column.max() > 0, f"{descriptor}.{variant} is promoted by nothing"


def test_analyst_closure_judgements_are_few_and_explained():
    analyst = [j for j in loaded().model.judgements if j.basis == "analyst"]
    assert len(analyst) <= 5
    assert all("closure" in j.rationale.lower() for j in analyst)
    assert all(not j.evidence and not j.sources for j in analyst)


@pytest.mark.parametrize("source", SOURCES)
def test_each_source_has_its_own_nonempty_matrix(source):
    compiled = per_source()[source]
    assert np.count_nonzero(compiled.matrix) > 0
    assert not np.array_equal(compiled.matrix, combined().matrix)


def test_every_descriptor_is_discriminated_by_at_least_two_others():
    compiled = combined()
    offsets, counts = compiled.offsets, compiled.counts
    for j, descriptor in enumerate(compiled.descriptor_ids[1:], start=1):
        col = slice(offsets[j], offsets[j] + counts[j])
        drivers = set()
        for i in range(len(counts)):
            if i == j:
                continue
            block = compiled.matrix[offsets[i] : offsets[i] + counts[i], col]
            if any(np.ptp(row) > 0 for row in block):
                drivers.add(compiled.descriptor_ids[i])
        assert len(drivers) >= 2, f"{descriptor} is driven only by {drivers}"


def test_each_intervention_yields_a_small_family_and_they_make_up_the_whole_model():
    families = {o: consistent(None, o) for o in (AM, AF)}
    for orientation, rows in families.items():
        assert 1 <= len(rows) <= 10, (orientation, len(rows))
        assert only(rows, "us_orientation") == orientation
    free = consistent(None, None)
    union = {tuple(r) for rows in families.values() for r in rows}
    assert {tuple(r) for r in free} == union


def test_the_families_stay_modest_at_tolerance_one():
    compiled = combined()
    system = CIBSystem(compiled.counts, compiled.matrix)
    for orientation in (AM, AF):
        result = enumerate_scenarios(
            system, tolerance=1.0, fixed=_fixed(compiled, {"us_orientation": orientation})
        )
        assert result.complete and len(result.scenarios) < 500, (orientation, len(result.scenarios))


# ----------------------------------------------------------------- kothiwale-tatvita-2024


def test_kothiwale_contrast_multilateral_versus_america_first():
    am, af = consistent(None, AM), consistent(None, AF)
    expected = {
        # 1. security and defence cooperation, burden-sharing
        "hns_pressure": ("steady", "high"),
        # 2. US-China relations: coordinated competition versus escalation
        "us_china": ("targeted_competition", "escalation"),
        # 3. tariffs: none versus new tariffs (in the combined model, the universal levy)
        "us_tariffs_japan": ("none_new", "universal_levy"),
        # 4. technology: controls agreed among allies versus tightening under US pressure
        "tech_controls": ("coordinated", "aligned_tightening"),
        # 3. supply chains: an allied partnership versus a US-led decoupling drive
        "supply_chain": ("deepened", "decoupling_drive"),
        # 5. climate and LNG
        "climate": ("cooperation", "us_exit"),
        "energy_lng": ("steady", "expanded"),
        # 6. North Korea: allied diplomacy versus direct summitry
        "north_korea": ("allied_talks", "direct_summitry"),
        # 7. multilateral engagement, and Japan stepping up when the US withdraws
        "us_multilateral": ("engaged", "withdrawn"),
        "japan_leadership": ("within_us_frameworks", "regional_leader"),
    }
    for descriptor, (under_am, under_af) in expected.items():
        assert only(am, descriptor) == under_am, descriptor
        assert only(af, descriptor) == under_af, descriptor
    # 1. a partnership-minded administration keeps the bases and deepens cooperation
    assert only(am, "force_posture") == "preserved"
    assert only(am, "operational_integration") == "deepening"
    # 6. FOIP and the minilateral network under a multilateral administration
    assert only(am, "minilaterals") == "institutionalised"


def test_kothiwale_own_matrix_gives_its_multilateral_storyline():
    rows = consistent(KOTHIWALE, AM)
    own = {
        d: only(rows, d, KOTHIWALE)
        for d in (
            "hns_pressure",
            "force_posture",
            "operational_integration",
            "japan_china",
            "north_korea",
            "us_tariffs_japan",
            "supply_chain",
            "climate",
            "energy_lng",
            "us_multilateral",
            "japan_leadership",
        )
    }
    assert own == {
        "hns_pressure": "steady",
        "force_posture": "preserved",
        "operational_integration": "deepening",
        "japan_china": "stabilised",
        "north_korea": "allied_talks",
        "us_tariffs_japan": "none_new",
        "supply_chain": "deepened",
        "climate": "cooperation",
        "energy_lng": "steady",
        "us_multilateral": "engaged",
        "japan_leadership": "within_us_frameworks",
    }
    # and on every descriptor it settles, it agrees with the combined model
    am = consistent(None, AM)
    for descriptor in combined().descriptor_ids:
        settled = values(rows, descriptor, KOTHIWALE)
        if len(settled) == 1:
            assert settled == {only(am, descriptor)}, descriptor


def test_kothiwale_own_matrix_gives_its_america_first_storyline():
    rows = consistent(KOTHIWALE, AF)
    assert only(rows, "hns_pressure", KOTHIWALE) == "high"
    assert only(rows, "us_tariffs_japan", KOTHIWALE) == "sectoral"  # mainly cars and electronics
    assert only(rows, "us_multilateral", KOTHIWALE) == "withdrawn"
    assert only(rows, "japan_leadership", KOTHIWALE) == "regional_leader"
    assert only(rows, "alliance_trajectory", KOTHIWALE) == "strained"


def test_kothiwale_objects_to_the_combined_levy_and_transactional_alliance():
    compiled = per_source()[KOTHIWALE]
    for row in consistent(None, AF):
        assert objections(
            compiled, row, free={"alliance_trajectory", "us_tariffs_japan"}
        ) == {"alliance_trajectory": "strained", "us_tariffs_japan": "sectoral"}


# ----------------------------------------------------------------- pohlkamp-9dashline-2024

POHLKAMP_STORYLINE = {
    "hns_pressure": "escalated",
    "force_posture": "withdrawal_threatened",
    "extended_deterrence": "doubted",
    "japan_china": "coerced",
    "minilaterals": "institutionalised",
    "japan_investment": "blocked",
    "strategic_autonomy": "networked",
    "alliance_trajectory": "strained",
}


def test_pohlkamp_moshi_tora_in_its_own_matrix():
    rows = consistent(POHLKAMP, AF)
    for descriptor, variant in POHLKAMP_STORYLINE.items():
        assert only(rows, descriptor, POHLKAMP) == variant, descriptor
    assert only(rows, "us_china", POHLKAMP) == "escalation"
    assert only(rows, "japan_defence", POHLKAMP) == "on_plan"  # implementing the 2022 plan
    assert only(rows, "us_multilateral", POHLKAMP) == "selective"  # G7 language changed
    assert only(rows, "leader_rapport", POHLKAMP) == "distant"


def test_pohlkamp_moshi_tora_in_the_combined_model():
    rows = consistent(None, AF)
    # what the combined model keeps of Pohlkamp's storyline
    assert only(rows, "us_china") == "escalation"
    assert only(rows, "leader_rapport") == "distant"
    assert only(rows, "strategic_autonomy") == "enhanced"  # beyond her hedging
    # what it does not keep: the post-election analyses outvote the rest
    compiled = combined()
    combined_view = {
        "hns_pressure": "high",
        "force_posture": "reinforced_for_payment",
        "extended_deterrence": "conditional",
        "minilaterals": "military_tilt",
        "japan_investment": "demanded_and_screened",
        "alliance_trajectory": "transactional_stable",
    }
    for descriptor, variant in combined_view.items():
        assert only(rows, descriptor) == variant, descriptor
    for row in rows:
        storyline = scenario_of(compiled, row, **POHLKAMP_STORYLINE)
        objecting = objections(compiled, storyline)
        for descriptor in ("force_posture", "minilaterals", "japan_investment"):
            assert objecting.get(descriptor) == combined_view[descriptor], descriptor
        # her storyline fails the test of consistency in the combined model
        assert objecting


def test_pohlkamp_withdrawal_threat_branch_in_the_combined_model():
    """Posed as an intervention, the withdrawal threat brings her escalation with it."""
    rows = consistent(None, AF, force_posture="withdrawal_threatened")
    assert only(rows, "hns_pressure") == "escalated"
    assert only(rows, "extended_deterrence") == "doubted"
    assert values(rows, "alliance_trajectory") == {"strained", "transactional_stable"}


# ----------------------------------------------------------------- unattributed-2024-11 and basu-neb-orf-2024


@pytest.mark.parametrize("source", [None, UNATTRIBUTED, BASU])
def test_trump_two_expectations(source):
    rows = consistent(source, AF)
    assert only(rows, "hns_pressure", source) == "high"
    assert only(rows, "japan_defence", source) == "beyond_plan"
    assert only(rows, "force_posture", source) == "reinforced_for_payment"
    assert only(rows, "us_china", source) == "escalation"
    assert only(rows, "supply_chain", source) == "decoupling_drive"
    assert only(rows, "operational_integration", source) == "deepening"
    assert only(rows, "alliance_trajectory", source) == "transactional_stable"


@pytest.mark.parametrize("source", [None, BASU])
def test_the_quad_kept_with_a_military_tilt(source):
    assert only(consistent(source, AF), "minilaterals", source) == "military_tilt"


def test_unattributed_doubts_the_network_will_endure():
    assert only(consistent(UNATTRIBUTED, AF), "minilaterals", UNATTRIBUTED) == "eroded"


@pytest.mark.parametrize("source", [UNATTRIBUTED, BASU])
def test_decoupling_pressure_strains_japan_china_in_the_post_election_views(source):
    assert only(consistent(source, AF), "japan_china", source) == "strained"


@pytest.mark.parametrize("source", [None, BASU])
def test_basu_trade_deal_revisit_and_tighter_technology_controls(source):
    rows = consistent(source, AF)
    assert only(rows, "trade_agreements", source) == "revisited"
    assert only(rows, "tech_controls", source) == "aligned_tightening"
    assert only(rows, "north_korea", source) == "direct_summitry"
    assert only(rows, "japan_leadership", source) == "regional_leader"


def test_basu_personal_diplomacy_keeps_tariffs_at_threats_in_its_own_matrix():
    rows = consistent(BASU, AF, leader_rapport="close")
    assert only(rows, "us_tariffs_japan", BASU) == "threatened"
    assert only(rows, "alliance_trajectory", BASU) == "transactional_stable"


def test_personal_diplomacy_alone_does_not_avert_the_levy_in_the_combined_model():
    rows = consistent(None, AF, leader_rapport="close")
    assert len(rows) >= 1
    assert only(rows, "us_tariffs_japan") == "universal_levy"
    assert only(rows, "hns_pressure") == "high"
    # without the intervention the combined model has Ishiba's difficult start
    assert only(consistent(None, AF), "leader_rapport") == "distant"


def test_unattributed_keeps_japan_anchored_in_the_alliance():
    assert only(consistent(UNATTRIBUTED, AF), "strategic_autonomy", UNATTRIBUTED) == "anchored"


# ----------------------------------------------------------------- nath-krf-2025


@pytest.mark.parametrize("source", [None, NATH])
def test_nath_continuity_with_change(source):
    rows = consistent(source, AF)
    assert only(rows, "us_tariffs_japan", source) == "universal_levy"  # 10-20% on allies
    assert only(rows, "climate", source) == "us_exit"  # Paris exit
    assert only(rows, "energy_lng", source) == "expanded"  # fossil-fuel-centred development
    assert only(rows, "hns_pressure", source) == "high"  # HNS renewal in 2026 as a flashpoint
    assert only(rows, "extended_deterrence", source) == "conditional"  # unclear on Taiwan
    assert only(rows, "north_korea", source) == "direct_summitry"
    assert only(rows, "alliance_trajectory", source) == "transactional_stable"


def test_nath_own_matrix_reading_of_trump_two():
    rows = consistent(NATH, AF)
    assert only(rows, "supply_chain", NATH) == "deepened"  # economic-security alliance backed
    assert only(rows, "trade_agreements", NATH) == "abandoned"  # IPEF ended
    assert only(rows, "operational_integration", NATH) == "pared_back"  # fewer collaborations


def test_nath_objects_where_the_combined_model_follows_the_other_post_election_views():
    compiled = per_source()[NATH]
    free = {"supply_chain", "trade_agreements", "operational_integration"}
    for row in consistent(None, AF):
        assert objections(compiled, row, free=free) == {
            "supply_chain": "deepened",
            "trade_agreements": "abandoned",
            "operational_integration": "pared_back",
        }


@pytest.mark.parametrize("source", [None, NATH])
def test_nath_opportunities(source):
    rows = consistent(source, AF)
    assert only(rows, "strategic_autonomy", source) == "enhanced"
    # Global South, ASEAN, linking allies, rescuing trade deals
    assert only(rows, "japan_leadership", source) == "regional_leader"


def test_nath_china_japan_thaw_in_its_own_matrix_and_a_split_in_the_combined_model():
    assert only(consistent(NATH, AF), "japan_china", NATH) == "thaw"
    rows = consistent(None, AF)
    assert values(rows, "japan_china") == {"strained", "thaw"}
    compiled = combined()
    d = compiled.index_of("japan_china")
    for row in rows:
        # the two scenarios differ in nothing else: the split is the analyses' disagreement
        others = [r for r in rows if r[d] != row[d]]
        assert others and all(np.array_equal(np.delete(o, d), np.delete(row, d)) for o in others)
