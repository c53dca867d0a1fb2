"""Compile a model into the arrays the CIB engine works on.

The matrix has one row and one column per variant, in descriptor order then variant
order; row = impacting variant, column = impacted variant (the convention of
ScenarioWizard and of Weimer-Jehle 2006, "Cross-impact balances: a system-theoretical
approach to cross-impact analysis", Technological Forecasting & Social Change 73).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kizashi.errors import ModelError
from kizashi.model.schema import Judgement, Model
from kizashi.model.validate import split_ref


@dataclass(frozen=True)
class CompiledModel:
    """Ids, variant counts and the cross-impact matrix of a model."""

    descriptor_ids: tuple[str, ...]
    variant_ids: tuple[tuple[str, ...], ...]
    counts: npt.NDArray[np.int64]
    matrix: npt.NDArray[np.float64]

    @property
    def offsets(self) -> npt.NDArray[np.int64]:
        """Index of each descriptor's first variant in the matrix."""
        return np.concatenate(([0], np.cumsum(self.counts)[:-1])).astype(np.int64)

    def index_of(self, descriptor_id: str) -> int:
        """Position of a descriptor (KeyError naming it if unknown)."""
        try:
            return self.descriptor_ids.index(descriptor_id)
        except ValueError:
            raise KeyError(descriptor_id) from None

    def variant_index(self, descriptor_id: str, variant_id: str) -> tuple[int, int]:
        """(descriptor position, variant position) of ``descriptor.variant``."""
        d = self.index_of(descriptor_id)
        try:
            return d, self.variant_ids[d].index(variant_id)
        except ValueError:
            raise KeyError(f"{descriptor_id}.{variant_id}") from None

    def with_matrix(self, matrix: npt.NDArray[np.float64]) -> CompiledModel:
        """The same structure with another matrix (an ensemble member, an edit)."""
        return CompiledModel(self.descriptor_ids, self.variant_ids, self.counts, matrix)


def structure_of(model: Model) -> CompiledModel:
    """The model's structure with an all-zero matrix."""
    counts = np.array([len(d.variants) for d in model.descriptors], dtype=np.int64)
    total = int(counts.sum())
    return CompiledModel(
        tuple(d.id for d in model.descriptors),
        tuple(tuple(v.id for v in d.variants) for d in model.descriptors),
        counts,
        np.zeros((total, total), dtype=np.float64),
    )


def _flat_index(structure: CompiledModel, ref: str) -> int:
    parts = split_ref(ref)
    if parts is None:
        raise ModelError(f"{ref!r} is not of the form descriptor.variant")
    try:
        d, v = structure.variant_index(*parts)
    except KeyError as exc:
        raise ModelError(f"unknown variant {exc.args[0]!r}") from None
    return int(structure.offsets[d]) + v


def compile_model(model: Model, source: str | None = None) -> CompiledModel:
    """The combined matrix, or the matrix of one source's own judgements.

    With ``source``, a judgement enters with ``Judgement.score_for(source)`` and is
    left out where that source is silent.
    """
    structure = structure_of(model)
    matrix = structure.matrix.copy()
    for judgement in model.judgements:
        score = judgement.score if source is None else judgement.score_for(source)
        if score is None:
            continue
        row = _flat_index(structure, judgement.source_variant)
        col = _flat_index(structure, judgement.target_variant)
        matrix[row, col] = score
    return structure.with_matrix(matrix)


def source_matrices(model: Model) -> dict[str, CompiledModel]:
    """One compiled matrix per source that supports at least one judgement."""
    sources: list[str] = []
    for judgement in model.judgements:
        for sid in judgement.sources:
            if sid not in sources:
                sources.append(sid)
    order = [s.id for s in model.sources if s.id in sources] + [s for s in sources if s not in {x.id for x in model.sources}]
    return {sid: compile_model(model, sid) for sid in order}


def judgements_by_cell(model: Model) -> dict[tuple[str, str], Judgement]:
    """Judgements keyed by (from, to)."""
    return {(j.source_variant, j.target_variant): j for j in model.judgements}
