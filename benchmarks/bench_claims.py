"""Claim extraction throughput on the bundled seed corpus (sentences per second).

The pipeline is built first (model load), then the whole corpus is extracted and timed.
Run: ``python benchmarks/bench_claims.py``.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from kizashi.evidence.claims import extract_claims
from kizashi.evidence.claims.nlp import pipeline
from kizashi.evidence.db import dispose_engine, session_scope
from kizashi.evidence.ingest import ingest_bundled_corpus
from kizashi.evidence.schema import Sentence


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        ingest_bundled_corpus(db, embed=False)
        with session_scope(db) as session:
            texts = list(session.scalars(select(Sentence.text).where(Sentence.is_current.is_(True))))
        dispose_engine(db)
    started = time.perf_counter()
    pipeline()
    extract_claims(["Warm-up sentence that may matter."])
    load = time.perf_counter() - started
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        extract_claims(texts)
        runs.append(time.perf_counter() - started)
    best = min(runs)
    print(json.dumps({"sentences": len(texts), "load_seconds": round(load, 3),
                      "extract_seconds": round(best, 3),
                      "sentences_per_second": round(len(texts) / best, 1)}))


if __name__ == "__main__":
    main()
