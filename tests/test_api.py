"""The Python API: ids at the surface, results that agree with the engine's reference."""

from __future__ import annotations

import doctest
import itertools
from pathlib import Path

import numpy as np
import pytest

import kizashi
import kizashi as kz
from kizashi import api
from kizashi.analysis import results
from kizashi.cib.reference import reference_balances
from kizashi.errors import InputError

SOMEWHERELAND = Path(__file__).resolve().parent / "data" / "somewhereland.scw"


@pytest.mark.parametrize("module", [kizashi, api, results])
def test_docstring_examples_run(module: object) -> None:
    failures, _tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert failures == 0


def test_the_notebook_snippet_runs_on_the_bundled_model() -> None:
    m = kz.load_model("us-japan-alliance")
    fix = {"us_orientation": "america_first"}
    r = m.scenarios(fix=fix, tolerance=1, limit=1000)
    frame = r.to_frame()
    assert list(frame.columns[: len(m.descriptors)]) == list(m.descriptors)
    assert len(frame) == len(r)
    assert (frame["us_orientation"] == "america_first").all()
    assert (frame["inconsistency"] <= 1).all()
    b = m.balances(r[0], fix=fix)
    assert b.to_dict()["scenario"] == dict(r[0].variants)
    assert "<table>" in r._repr_html_()


def test_balances_agree_with_the_reference_and_flag_ties() -> None:
    m = kz.load_model(SOMEWHERELAND)
    system = m.system
    for row in itertools.islice(itertools.product(*(range(k) for k in system.counts)), 0, None, 37):
        scenario = {d: m.compiled.variant_ids[i][row[i]] for i, d in enumerate(m.descriptors)}
        b = m.balances(scenario)
        expected = reference_balances(system, tuple(row))
        for i, item in enumerate(b):
            got = list(item.balances.values())
            assert np.allclose(got, expected[i])
            best = max(expected[i])
            chosen = expected[i][row[i]]
            assert item.consistent == (chosen >= best - 1e-9)
            others = [x for k, x in enumerate(expected[i]) if k != row[i]]
            assert item.margin == pytest.approx(chosen - max(others))
            assert item.tie == (
                chosen >= best - 1e-9 and sum(x >= best - 1e-9 for x in expected[i]) > 1
            )


def test_consistent_scenarios_have_every_descriptor_at_its_best() -> None:
    m = kz.load_model(SOMEWHERELAND)
    found = m.scenarios()
    assert len(found) == 10  # the manual's ten consistent scenarios
    for s in found:
        assert all(d.consistent for d in m.balances(s))
        assert m.succession(s).path == (s.variants,)


def test_unknown_ids_and_names_are_input_errors() -> None:
    m = kz.load_model("us-japan-alliance")
    with pytest.raises(InputError, match="unknown descriptor"):
        m.scenarios(fix={"no_such": "x"})
    with pytest.raises(InputError, match="no variant given"):
        m.balances({"us_orientation": "america_first"})
    with pytest.raises(InputError, match="no bundled model"):
        kz.load_model("no-such-model")


def test_attractor_weights_sum_to_one() -> None:
    a = kz.load_model(SOMEWHERELAND).attractors()
    assert a.exact
    assert sum(x.weight for x in a) == pytest.approx(1.0)
    assert sum(x.basin for x in a) == a.starts


def test_balances_command_shows_the_japan_china_tie_under_america_first() -> None:
    import json

    from typer.testing import CliRunner

    from kizashi.cli.main import app

    flagship = Path(api.BUNDLED_MODELS / "us-japan-alliance.yaml")
    m = kz.load_model(flagship)
    fix = {"us_orientation": "america_first"}
    runner = CliRunner()
    seen_ties = set()
    for s in m.scenarios(fix=fix):
        pairs = ",".join(f"{d}={v}" for d, v in s.variants.items() if d not in fix)
        args = ["balances", str(flagship), "--fix", "us_orientation=america_first", "-s", pairs]
        out = runner.invoke(app, [*args, "--format", "json"])
        assert out.exit_code == 0, out.output
        body = json.loads(out.stdout)
        assert body == m.balances(s, fix=fix).to_dict()
        assert all(d["consistent"] for d in body["descriptors"])
        seen_ties.update(body["ties"])
        for fmt in ("csv", "table"):
            assert runner.invoke(app, [*args, "--format", fmt]).exit_code == 0
    # The two America First futures differ only where balances tie.
    assert "japan_china" in seen_ties
    assert "us_orientation" not in seen_ties


def test_a_limited_tolerant_listing_keeps_the_consistent_futures_first() -> None:
    m = kz.load_model("us-japan-alliance")
    fix = {"us_orientation": "america_first"}
    consistent = {tuple(s.variants.items()) for s in m.scenarios(fix=fix)}
    limited = m.scenarios(fix=fix, tolerance=2, limit=12)
    assert len(limited) == 12 and not limited.complete
    assert consistent <= {tuple(s.variants.items()) for s in limited}
    assert limited.omitted is not None and limited.omitted["band"] > 0
    assert limited.to_dict()["omitted"] == dict(limited.omitted)
