"""The model the web app serves: loaded once, compiled once per revision, edited safely.

A ``ModelService`` owns one model file whose path is fixed at startup. Reads use the
cached compiled model and a small cache of scenario answers keyed by revision, so
posing an intervention twice costs one enumeration. Edits take a lock, keep the
previous file in a history directory (``.kizashi-history/<model>/NNNNNN.yaml`` next to
the model), and change the file with ``edit_model`` against the version the service
loaded, so comments and layout of the rest of the file are kept and a file changed by
another program (``link --accept``) is never overwritten; ``undo`` restores the latest
history entry the same way.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kizashi.analysis.scenarios import ScenarioAnswer, ask_scenarios
from kizashi.errors import InputError, StaleModelError
from kizashi.model import (
    CompiledModel,
    Evidence,
    Judgement,
    Model,
    compile_model,
    normalise_text,
    source_matrices,
)
from kizashi.model.edit import ModelDocument, edit_model, replace_model_bytes
from kizashi.model.validate import split_ref

SCORES = (-3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0)
CACHE_SIZE = 256
HISTORY_DIR = ".kizashi-history"


class ReadOnlyError(Exception):
    """An edit was asked of a model that may not be edited."""


@dataclass(frozen=True)
class Snapshot:
    """One consistent view of the served model (never mutated once published)."""

    revision: int
    version: str
    model: Model
    compiled: CompiledModel
    members: dict[str, CompiledModel]


@dataclass(frozen=True)
class HistoryEntry:
    """A previous version of the model file kept for undo."""

    number: int
    size: int


class ModelService:
    """Serve, cache and edit one model file."""

    def __init__(
        self, path: Path, *, editable: bool, source_texts: Mapping[str, str] | None = None
    ) -> None:
        self.path = Path(path).resolve()
        self.editable = editable
        self.source_texts = dict(source_texts or {})
        self.history_dir = self.path.parent / HISTORY_DIR / self.path.stem
        self._lock = threading.RLock()
        self._cache: OrderedDict[tuple[object, ...], ScenarioAnswer] = OrderedDict()
        self._revision = 0
        self._snapshot = self._load()

    # -- reading ---------------------------------------------------------------------
    def _load(self) -> Snapshot:
        document = ModelDocument.read(self.path)
        model = document.original
        self._revision += 1
        return Snapshot(
            self._revision, document.version, model, compile_model(model), source_matrices(model)
        )

    @property
    def snapshot(self) -> Snapshot:
        """The current model, compiled matrix and per-source matrices."""
        return self._snapshot

    @property
    def model(self) -> Model:
        """The current model."""
        return self._snapshot.model

    def scenarios(
        self,
        fixed: Mapping[str, str] | None = None,
        tolerance: float = 0.0,
        limit: int | None = None,
    ) -> ScenarioAnswer:
        """Scenarios under an intervention, cached per model revision."""
        snap = self._snapshot
        key = (snap.revision, tuple(sorted((fixed or {}).items())), float(tolerance), limit)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        answer = ask_scenarios(snap.compiled, dict(fixed or {}), tolerance, limit=limit)
        with self._lock:
            self._cache[key] = answer
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return answer

    def judgement(self, source_ref: str, target_ref: str) -> Judgement | None:
        """The judgement of a cell, or None when the cell is empty."""
        for judgement in self.model.judgements:
            if judgement.source_variant == source_ref and judgement.target_variant == target_ref:
                return judgement
        return None

    def check_ref(self, ref: str, label: str) -> tuple[int, int]:
        """(descriptor, variant) positions of ``descriptor.variant``; InputError naming it."""
        parts = split_ref(ref)
        if parts is None:
            raise InputError(f"{label} {ref!r} is not of the form descriptor.variant")
        try:
            return self._snapshot.compiled.variant_index(*parts)
        except KeyError:
            raise InputError(f"{label}: unknown variant {ref!r}") from None

    # -- editing ---------------------------------------------------------------------
    def _require_editable(self) -> None:
        if not self.editable:
            raise ReadOnlyError("this model is served read-only")

    def _check_evidence(self, evidence: Sequence[Evidence]) -> None:
        known = set(self.model.source_ids()) | set(self.source_texts)
        for n, item in enumerate(evidence, start=1):
            if not item.quote.strip():
                raise InputError(f"evidence {n}: the quote is empty")
            if item.source not in known:
                raise InputError(f"evidence {n}: unknown source {item.source!r}")
            text = self.source_texts.get(item.source)
            if text is not None and normalise_text(item.quote) not in normalise_text(text):
                raise InputError(
                    f"evidence {n}: the quote is not found verbatim in source {item.source!r}"
                )

    def set_judgement(
        self,
        source_ref: str,
        target_ref: str,
        score: float,
        rationale: str | None = None,
        evidence: Sequence[Evidence] | None = None,
    ) -> Judgement | None:
        """Set (or, with score 0, remove) one cell; save atomically, keeping history."""
        self._require_editable()
        d_from, _ = self.check_ref(source_ref, "from")
        d_to, _ = self.check_ref(target_ref, "to")
        if d_from == d_to:
            raise InputError("a judgement links variants of two different descriptors")
        if float(score) not in SCORES:
            raise InputError(f"score {score} is not one of -3..3 in steps of 0.5")
        if evidence is not None:
            self._check_evidence(evidence)
        with self._lock:
            model = self.model.model_copy(deep=True)
            index = next(
                (
                    i
                    for i, j in enumerate(model.judgements)
                    if j.source_variant == source_ref and j.target_variant == target_ref
                ),
                None,
            )
            result: Judgement | None
            if score == 0:
                if index is None:
                    return None
                result = None
            elif index is None:
                result = Judgement.model_validate(
                    {
                        "from": source_ref,
                        "to": target_ref,
                        "score": score,
                        "rationale": rationale or "",
                        "basis": "analyst" if not evidence else "sources",
                        "evidence": [e.model_dump(exclude_none=True) for e in evidence or []],
                        "sources": sorted({e.source for e in evidence or []}),
                    }
                )
            else:
                old = model.judgements[index]
                update: dict[str, object] = {"score": float(score)}
                if rationale is not None:
                    update["rationale"] = rationale
                if evidence is not None:
                    update["evidence"] = list(evidence)
                    update["sources"] = list(
                        dict.fromkeys([*old.sources, *(e.source for e in evidence)])
                    )
                result = old.model_copy(update=update)
                Judgement.model_validate(result.model_dump(by_alias=True))
            self._commit(source_ref, target_ref, result)
            return result

    def _commit(self, source_ref: str, target_ref: str, judgement: Judgement | None) -> None:
        """Write one cell into the file, against the version this service loaded."""

        def apply(document: ModelDocument) -> None:
            if judgement is None:
                document.remove_judgement(source_ref, target_ref)
            else:
                document.put_judgement(judgement)

        try:
            edit_model(
                self.path,
                apply,
                expected_version=self._snapshot.version,
                check=compile_model,  # refuses a model the engine cannot hold before anything is written
                keep=self._push_history,
                what=f"the edit of {source_ref} -> {target_ref}",
            )
        except StaleModelError:
            self._snapshot = self._load()  # the next edit is made against the file as it now is
            raise
        self._snapshot = self._load()

    def _push_history(self, previous: bytes) -> None:
        self.history_dir.mkdir(parents=True, exist_ok=True)
        number = max((e.number for e in self.history()), default=0) + 1
        target = self.history_dir / f"{number:06d}.yaml"
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(previous)
        tmp.replace(target)

    def history(self) -> list[HistoryEntry]:
        """Previous versions, oldest first."""
        if not self.history_dir.is_dir():
            return []
        entries = []
        for item in self.history_dir.glob("*.yaml"):
            if item.stem.isdigit():
                entries.append(HistoryEntry(int(item.stem), item.stat().st_size))
        return sorted(entries, key=lambda e: e.number)

    def undo(self) -> int:
        """Restore the latest previous version; return how many remain. InputError if none."""
        self._require_editable()
        with self._lock:
            entries = self.history()
            if not entries:
                raise InputError("nothing to undo")
            latest = self.history_dir / f"{entries[-1].number:06d}.yaml"
            try:
                replace_model_bytes(
                    self.path, latest.read_bytes(), expected_version=self._snapshot.version
                )
            except StaleModelError:
                self._snapshot = self._load()
                raise
            latest.unlink()
            self._snapshot = self._load()
            return len(entries) - 1
