"""Run the peer engine (PyPI ``prophesy-cib``) on one matrix; executed with the peer's venv.

Reads ``{"counts": [...], "matrix": [[...]]}`` (row = impacting variant) from the JSON
file named on the command line and prints ``{"scenarios": [[...]], "seconds": s,
"configurations": N}`` with 0-based variant indices.

The peer finds consistent scenarios by full enumeration: it builds every scenario and
computes its consistency (sum over descriptors of the chosen variant's balance minus the
descriptor's best balance; 0 means consistent). We use its own model classes and
balance/consistency functions, build its matrices once rather than per scenario, and
stream the Cartesian product instead of materialising the list its
``enumerate_all_scenarios`` returns (which would not fit in memory at the larger
sizes). Both choices make the peer faster than its public path, never slower.
This file must not import kizashi.
"""

from __future__ import annotations

import json
import sys
import time
from itertools import product

from prophesy_cib import CrossImpact, Descriptor, Model, Scenario, Variant
from prophesy_cib.succession import _consistency_from_balances, _scenario_to_vec


def build_model(counts: list[int], matrix: list[list[float]]) -> Model:
    descriptors = [
        Descriptor(
            index=i + 1,
            name=f"D{i + 1}",
            type="nominal",
            variants=tuple(Variant(index=k + 1, name=f"V{k + 1}") for k in range(c)),
        )
        for i, c in enumerate(counts)
    ]
    flat = [(i + 1, k + 1) for i, c in enumerate(counts) for k in range(c)]
    impacts = [
        CrossImpact(flat[r][0], flat[r][1], flat[c][0], flat[c][1], float(value))
        for r, row in enumerate(matrix)
        for c, value in enumerate(row)
        if value != 0
    ]
    return Model(descriptors, impacts)


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as fh:
        data = json.load(fh)
    counts, matrix = data["counts"], data["matrix"]
    start = time.perf_counter()
    model = build_model(counts, matrix)
    matrices = model.build_matrices()
    found: list[list[int]] = []
    ranges = [range(1, c + 1) for c in counts]
    for combo in product(*ranges):
        scenario = Scenario(variant_indices={i + 1: v for i, v in enumerate(combo)}, labels={})
        balances = matrices.A @ _scenario_to_vec(scenario, matrices)
        if _consistency_from_balances(scenario, model, balances, matrices) >= 0:
            found.append([v - 1 for v in combo])
    seconds = time.perf_counter() - start
    total = 1
    for c in counts:
        total *= c
    json.dump({"scenarios": found, "seconds": seconds, "configurations": total}, sys.stdout)


if __name__ == "__main__":
    main()
