"""Where the sources agree and disagree, descriptor by descriptor.

For a scenario of the combined model, each source's own matrix (its judgements only)
is asked, for every descriptor, whether it supports the scenario's variant: it
*agrees* when that variant has the highest balance in its matrix (ties allowed),
*objects* when another variant has a higher balance (and names it), and is *silent*
when its judgements do not distinguish the descriptor's variants at all. This is the
per-descriptor reading of an ensemble (Weimer-Jehle's ensemble evaluation) that tells
an analyst which source pulls where.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from kizashi.cib import CIBSystem, balances
from kizashi.model import CompiledModel

Verdict = Literal["agrees", "objects", "silent", "fixed"]
EPS = 1e-9


@dataclass(frozen=True)
class DescriptorVerdict:
    """One source's view of one descriptor of a scenario."""

    verdict: Verdict
    preferred: str | None  # the variant the source prefers when it objects
    margin: float  # chosen balance minus best balance (<= 0)


@dataclass(frozen=True)
class AgreementTable:
    """Verdicts of every source on every descriptor of one scenario."""

    scenario: tuple[int, ...]
    sources: tuple[str, ...]
    verdicts: dict[str, list[DescriptorVerdict]]

    def counts(self) -> dict[str, dict[Verdict, int]]:
        """Per source: how many descriptors it agrees with, objects to, is silent on."""
        out: dict[str, dict[Verdict, int]] = {}
        for source, row in self.verdicts.items():
            tally: dict[Verdict, int] = {"agrees": 0, "objects": 0, "silent": 0, "fixed": 0}
            for v in row:
                tally[v.verdict] += 1
            out[source] = tally
        return out

    def contested(self) -> list[int]:
        """Descriptors to which at least one source objects."""
        n = len(self.scenario)
        return [j for j in range(n) if any(self.verdicts[s][j].verdict == "objects" for s in self.sources)]


def agreement_table(
    compiled: CompiledModel,
    members: Mapping[str, CompiledModel],
    scenario: np.ndarray | tuple[int, ...],
    fixed: Mapping[int, int] | None = None,
) -> AgreementTable:
    """Each source's verdict on each descriptor of ``scenario``."""
    z = tuple(int(v) for v in scenario)
    fixed = fixed or {}
    offsets = compiled.offsets
    verdicts: dict[str, list[DescriptorVerdict]] = {}
    for name, member in members.items():
        theta = balances(CIBSystem(member.counts, member.matrix), z)
        row: list[DescriptorVerdict] = []
        for j, k in enumerate(compiled.counts):
            block = theta[offsets[j] : offsets[j] + int(k)]
            if j in fixed:
                row.append(DescriptorVerdict("fixed", None, 0.0))
                continue
            best = float(block.max())
            chosen = float(block[z[j]])
            if best - float(block.min()) <= EPS:
                row.append(DescriptorVerdict("silent", None, 0.0))
            elif chosen >= best - EPS:
                row.append(DescriptorVerdict("agrees", None, 0.0))
            else:
                preferred = compiled.variant_ids[j][int(np.argmax(block))]
                row.append(DescriptorVerdict("objects", preferred, chosen - best))
        verdicts[name] = row
    return AgreementTable(z, tuple(members), verdicts)
