"""Sampled robustness: exact unit-model probabilities, worker independence, bad input."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from kizashi.analysis.robustness import robustness, wilson
from kizashi.cib import CIBSystem
from kizashi.cib.reference import reference_enumerate
from kizashi.cli.main import run
from kizashi.errors import InputError
from kizashi.model import CompiledModel

MATRIX = np.array(
    [
        [0, 0, 1, -1, 0, 0],
        [0, 0, 0, 1, 0, 0],
        [0, 0, 0, 0, 1, 0],
        [0, 1, 0, 0, -1, 1],
        [1, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0],
    ],
    dtype=float,
)
COMPILED = CompiledModel(
    ("a", "b", "c"),
    (("x", "y"), ("x", "y"), ("x", "y")),
    np.array([2, 2, 2], dtype=np.int64),
    MATRIX,
)


def _exact() -> dict[tuple[int, ...], float]:
    cells = list(zip(*np.nonzero(MATRIX), strict=True))
    counts: Counter[tuple[int, ...]] = Counter()
    total = 0
    for steps in itertools.product((-1, 0, 1), repeat=len(cells)):
        m = MATRIX.copy()
        for (r, c), s in zip(cells, steps, strict=True):
            m[r, c] += s
        counts.update(list(reference_enumerate(CIBSystem(COMPILED.counts, m))))
        total += 1
    return {s: k / total for s, k in counts.items()}


def test_unit_probabilities_lie_in_the_wilson_interval() -> None:
    exact = _exact()
    result = robustness(COMPILED, samples=3000, seed=7)
    sampled = {
        tuple(COMPILED.variant_ids[i].index(v) for i, v in enumerate(s["variants"].values())): s
        for s in result.to_dict()["scenarios"]
    }
    for scenario, p in exact.items():
        lo, hi = sampled[scenario]["ci"] if scenario in sampled else wilson(0, 3000)
        assert lo <= p <= hi, (scenario, p, lo, hi)
    assert set(sampled) <= set(exact)


def test_result_does_not_depend_on_workers() -> None:
    one = json.dumps(robustness(COMPILED, samples=350, seed=11, jobs=1).to_dict())
    two = json.dumps(robustness(COMPILED, samples=350, seed=11, jobs=2).to_dict())
    threads = json.dumps(
        robustness(COMPILED, samples=350, seed=11, jobs=2, backend="threading").to_dict()
    )
    assert one == two == threads


def test_marginals_are_shares() -> None:
    d = robustness(COMPILED, samples=200, seed=2).to_dict()
    for shares in d["marginals"].values():
        assert sum(shares.values()) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"perturb": "wobble"}, "perturbation"),
        ({"samples": 0}, "samples"),
        ({"backend": "nope"}, "backend"),
    ],
)
def test_bad_input_raises(kwargs: dict[str, object], word: str) -> None:
    with pytest.raises(InputError, match=word):
        robustness(COMPILED, **kwargs)  # type: ignore[arg-type]


FLAGSHIP = Path(__file__).resolve().parents[2] / "src/kizashi/data/models/us-japan-alliance.yaml"


@pytest.mark.parametrize("args", [["--perturb", "wobble"], ["--samples", "0"], ["--samples", "-3"]])
def test_cli_bad_input_exits_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        run(["robustness", str(FLAGSHIP), *args, "--format", "json"])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "error" in err


def test_cli_json_identical_for_jobs(capsys: pytest.CaptureFixture[str]) -> None:
    outs = []
    for jobs in ("1", "2"):
        run(
            [
                "robustness",
                str(FLAGSHIP),
                "--fix",
                "us_orientation=america_first",
                "--samples",
                "150",
                "--seed",
                "5",
                "--jobs",
                jobs,
                "--format",
                "json",
            ]
        )
        outs.append(capsys.readouterr().out)
    assert outs[0] == outs[1]
    data = json.loads(outs[0])
    assert data["samples"] == 150 and data["seed"] == 5 and data["perturb"] == "unit"
    assert all(0 <= s["ci"][0] <= s["p_consistent"] <= s["ci"][1] <= 1 for s in data["scenarios"])


def test_cli_sensitivity_json(capsys: pytest.CaptureFixture[str]) -> None:
    run(["sensitivity", str(FLAGSHIP), "--fix", "us_orientation=america_first", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert len(data["baseline"]) >= 1
    assert any("evidence" in j for j in data["judgements"])


def test_frames() -> None:
    pytest.importorskip("pandas")
    from kizashi.analysis.sensitivity import margins, sensitivity

    assert len(robustness(COMPILED, samples=50, seed=1).to_frame()) >= 1
    assert len(sensitivity(COMPILED).to_frame()) == 4 * int((MATRIX != 0).sum())
    assert len(margins(COMPILED).to_frame()) >= 0
