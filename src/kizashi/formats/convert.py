"""Turn a bare matrix (CSV, JSON) into a kizashi model.

Ids are folded to the model's alphabet (``_ids.unique_slugs``) and the original ids kept
as names; every non-zero off-diagonal cell becomes an ``analyst`` judgement whose
rationale says where it came from. Diagonal cells cannot be model judgements
(DESIGN.md); ``diagonal_cells`` lists them so the caller can refuse or warn.
"""

from __future__ import annotations

from kizashi.errors import InputError
from kizashi.formats._ids import slug, unique_slugs
from kizashi.formats.scw import NO_JUSTIFICATION, block_diagonal_cells
from kizashi.model.compile import CompiledModel
from kizashi.model.schema import Descriptor, Judgement, Model, Variant


def diagonal_cells(compiled: CompiledModel) -> list[tuple[int, int, float]]:
    """Non-zero cells inside diagonal blocks of a compiled model as (row, column, value)."""
    return block_diagonal_cells(compiled.matrix, compiled.counts)


def model_from_compiled(
    compiled: CompiledModel, model_id: str, title: str = "", origin: str = "a matrix file", path: str | None = None
) -> Model:
    """A model holding the matrix's off-diagonal judgements (diagonal cells left out).

    ``origin`` names the source in the rationales; ``path`` is named in errors.
    """
    dids = unique_slugs(compiled.descriptor_ids, "D")
    vids = [unique_slugs(v, "V") for v in compiled.variant_ids]
    descriptors = [
        Descriptor(
            id=did,
            name=name,
            variants=[Variant(id=vid, name=vname) for vid, vname in zip(vids[i], compiled.variant_ids[i], strict=True)],
        )
        for i, (did, name) in enumerate(zip(dids, compiled.descriptor_ids, strict=True))
    ]
    offsets, counts = compiled.offsets, compiled.counts
    judgements: list[Judgement] = []
    n = len(dids)
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            for k in range(int(counts[i])):
                for m in range(int(counts[j])):
                    value = float(compiled.matrix[offsets[i] + k, offsets[j] + m])
                    if value and value * 2 != int(value * 2):
                        raise InputError(
                            f"cell ({offsets[i] + k + 1}, {offsets[j] + m + 1}) is {value:g}; a kizashi model "
                            "holds only integer or half-integer scores",
                            path=path,
                        )
                    if value:
                        judgements.append(
                            Judgement.model_validate(
                                {
                                    "from": f"{dids[i]}.{vids[i][k]}",
                                    "to": f"{dids[j]}.{vids[j][m]}",
                                    "score": value,
                                    "rationale": f"Imported from {origin}; {NO_JUSTIFICATION}.",
                                    "basis": "analyst",
                                }
                            )
                        )
    return Model(id=slug(model_id) or "imported", title=title, descriptors=descriptors, judgements=judgements)
