"""Reading and validating observation logs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from kizashi.errors import InputError
from kizashi.model import CompiledModel
from kizashi.monitor.observations import latest, load_observations
from kizashi.monitor.track import track

MODEL = CompiledModel(
    ("us_orientation", "hns_pressure"),
    (("multilateral", "america_first"), ("low", "high")),
    np.array([2, 2], dtype=np.int64),
    np.array([[0, 0, 2, 0], [0, 0, 0, 3], [0, 0, 0, 0], [0, 0, 0, 0]], dtype=np.float64),
)
TODAY = dt.date(2026, 1, 1)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "obs.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """\
model: toy
observations:
  - {id: a, date: 2025-01-20, descriptor: us_orientation, variant: america_first, intervention: true, source: "https://x", quote: "q", reliability: B}
  - {id: b, date: 2025-02-01, descriptor: hns_pressure, variant: low, source: "https://y", quote: "q"}
  - {id: c, date: 2025-03-01, descriptor: hns_pressure, variant: high, supersedes: b, source: "https://z", quote: "q", note: "correction"}
"""


def test_a_superseded_observation_stays_in_history_and_drops_out_of_latest(tmp_path: Path) -> None:
    history = load_observations(write(tmp_path, GOOD), MODEL, model_id="toy", today=TODAY)
    assert [o.id for o in history] == ["a", "b", "c"]
    assert history[0].intervention and history[0].reliability == "B"
    before = latest(history, dt.date(2025, 2, 15))
    assert before["hns_pressure"].id == "b"
    now = latest(history)
    assert now["hns_pressure"].id == "c" and now["us_orientation"].id == "a"
    assert "b" not in {o.id for o in now.values()}


def test_a_same_day_correction_replaces_the_old_entry(tmp_path: Path) -> None:
    text = GOOD.replace("date: 2025-03-01", "date: 2025-02-01")
    history = load_observations(write(tmp_path, text), MODEL, today=TODAY)
    assert len(history) == 3
    assert latest(history)["hns_pressure"].id == "c"


def test_track_on_a_toy_log(tmp_path: Path) -> None:
    history = load_observations(write(tmp_path, GOOD), MODEL, today=TODAY)
    data = track(MODEL, history, model_id="toy").to_dict()
    assert data["model"] == "toy"
    assert [e["date"] for e in data["timeline"]] == ["2025-01-20", "2025-02-01", "2025-03-01"]
    first, second, third = data["timeline"]
    assert first["remaining"]["scenarios"] == [
        {"us_orientation": "america_first", "hns_pressure": "high"}
    ]
    assert first["inconsistency"] == 0
    # hns_pressure observed low while america_first pushes high by 3
    assert second["remaining"]["count"] == 1 and second["inconsistency"] == 3
    assert second["contradictions"] == [
        {"descriptor": "hns_pressure", "observed": "low", "model_prefers": "high", "by": 3}
    ]
    assert third["inconsistency"] == 0 and third["contradictions"] == []
    futures = data["futures"]
    assert sorted(map(sorted, (f.items() for f in futures))) == sorted(
        map(
            sorted,
            (
                {"us_orientation": "multilateral", "hns_pressure": "low"}.items(),
                {"us_orientation": "america_first", "hns_pressure": "high"}.items(),
            ),
        )
    )
    assert [futures[k] for k in first["compatible_futures"]] == [
        {"us_orientation": "america_first", "hns_pressure": "high"}
    ]
    assert second["compatible_futures"] == []
    assert (
        track(MODEL, history, dt.date(2025, 1, 31)).to_dict()["timeline"][-1]["date"]
        == "2025-01-20"
    )


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        (
            GOOD.replace("descriptor: hns_pressure, variant: low", "descriptor: hns, variant: low"),
            "observations[1].descriptor",
            "unknown descriptor",
        ),
        (
            GOOD.replace("variant: low", "variant: medium"),
            "observations[1].variant",
            "unknown variant",
        ),
        (
            GOOD.replace("date: 2025-02-01", "date: 2025-02-31"),
            "observations[1].date",
            "unparsable date",
        ),
        (
            GOOD.replace("date: 2025-02-01", "date: next week"),
            "observations[1].date",
            "unparsable date",
        ),
        (
            GOOD.replace("date: 2025-02-01", "date: 2027-02-01"),
            "observations[1].date",
            "in the future",
        ),
        (
            GOOD.replace("date: 2025-03-01", "date: 2025-02-01").replace(", supersedes: b", ""),
            "observations[2].descriptor",
            "conflicts with observations[1]",
        ),
        (
            GOOD.replace("supersedes: b", "supersedes: zz"),
            "observations[2].supersedes",
            "no observation's id",
        ),
        (
            GOOD.replace("reliability: B", "reliability: Q"),
            "observations[0].reliability",
            "reliability",
        ),
        (GOOD.replace("model: toy", "model: other"), "model", "not 'toy'"),
        ("observations: [1, 2]\n", "observations[0]", "mapping"),
        ("observations: {a: 1}\n", "observations", "list"),
        ("- just a list\n", None, "mapping"),
        ("observations: [\n", None, "malformed YAML"),
    ],
)
def test_bad_input_names_file_and_place(
    tmp_path: Path, text: str, where: str | None, words: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_observations(path, MODEL, model_id="toy", today=TODAY)
    err = info.value
    assert err.path == str(path)
    if where is not None:
        assert err.where == where
    assert words in err.message
    assert str(path) in err.describe()


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_observations(tmp_path / "absent.yaml", MODEL)
