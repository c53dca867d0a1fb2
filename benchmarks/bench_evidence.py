"""Benchmark of the evidence store: ingestion throughput and search latency.

Builds a synthetic corpus from the five bundled seed analyses: each document takes
paragraphs from random seeds in random order, perturbs every sentence (numbers and
years redrawn, a document-specific clause) so that no two sentences are identical, and
keeps some page furniture for cleaning to remove. It then

1. ingests the corpus *with embeddings* and reports sentences per second (and how much
   of that time went to the embedding model);
2. times keyword, semantic and hybrid searches over the resulting store and reports
   p50/p95 latency.

Usage::

    python benchmarks/bench_evidence.py                  # 1,000 documents, SQLite in a temp dir
    python benchmarks/bench_evidence.py --docs 200 --db postgresql+psycopg://...

Targets on a 2-core machine: at least 500 sentences/s ingested, hybrid p95 under 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from kizashi.evidence import dispose_engine, get_engine, ingest_paths, search
from kizashi.evidence import embeddings as emb
from kizashi.evidence.cleaning import author_names, clean_paragraphs
from kizashi.evidence.ingest import bundled_corpus_dir
from kizashi.evidence.manifest import load_manifest
from kizashi.evidence.readers import read_document
from kizashi.evidence.schema import Sentence

RESULTS = Path(__file__).resolve().parent / "results" / "evidence.json"
QUERIES = [
    "host nation support",
    "semiconductor export controls",
    "LNG",
    "Nippon Steel",
    "burden-sharing and the cost of US troops in Japan",
    "tariffs on Japanese cars",
    "Quad and AUKUS",
    "North Korea denuclearisation talks",
    "Paris Agreement climate cooperation",
    "Ishiba Trump meeting",
    "Taiwan contingency",
    "defence spending 2% of GDP",
    "Trans-Pacific Partnership withdrawal",
    "Huawei 5G exclusion",
    "critical minerals supply chain",
    "LDP majority snap election",
    "Free and Open Indo-Pacific",
    "status of forces agreement revision",
    "Abe personal relationship",
    "economic security cooperation",
]
CLAUSES = [
    "analysts in Tokyo noted",
    "according to officials",
    "as observers in Washington expect",
    "in the view of several experts",
    "as the briefing argued",
    "by most accounts",
]
FURNITURE = ["Leave a Reply", "Your email address will not be published.", "Share this"]


def seed_paragraphs() -> list[str]:
    """The cleaned paragraphs of the bundled seed analyses."""
    paragraphs: list[str] = []
    with bundled_corpus_dir() as corpus:
        for path, info in load_manifest(corpus / "seeds.yaml").items():
            cleaned = clean_paragraphs(
                read_document(path).paragraphs, authors=author_names(info.author)
            )
            for start, end in cleaned.paragraphs:
                paragraph = cleaned.text[start:end]
                if len(paragraph.split()) >= 12:
                    paragraphs.append(paragraph)
    return paragraphs


def perturb(paragraph: str, rng: random.Random, tag: int) -> str:
    """Redraw numbers and add a clause to every sentence so each is unique."""
    paragraph = re.sub(r"\b\d{1,4}\b", lambda _m: str(rng.randint(2, 2099)), paragraph)
    clause = f"{rng.choice(CLAUSES)} in review {tag}"
    return re.sub(r"([a-z])\.(\s|$)", lambda m: f"{m.group(1)}, {clause}.{m.group(2)}", paragraph)


def build_corpus(directory: Path, documents: int, sentences_per_doc: int, seed: int) -> None:
    """Write ``documents`` synthetic .txt files of about ``sentences_per_doc`` sentences."""
    rng = random.Random(seed)
    pool = seed_paragraphs()
    for number in range(documents):
        parts = [f"Synthetic review {number}: the US-Japan alliance"]
        count = 0
        while count < sentences_per_doc:
            paragraph = perturb(rng.choice(pool), rng, number)
            parts.append(paragraph)
            count += paragraph.count(". ") + 1
        parts.extend(rng.sample(FURNITURE, 2))
        (directory / f"review-{number:05d}.txt").write_text("\n\n".join(parts), encoding="utf-8")


def timed_ingest(corpus: Path, db_url: str) -> tuple[float, float, int, list[object]]:
    """Ingest with embeddings; return total and embedding seconds, sentences, failures."""
    embed_seconds = 0.0
    real_embed = emb.embed

    def timed_embed(texts: list[str]):  # type: ignore[no-untyped-def]
        nonlocal embed_seconds
        began = time.perf_counter()
        try:
            return real_embed(texts)
        finally:
            embed_seconds += time.perf_counter() - began

    emb.embed = timed_embed  # type: ignore[assignment]
    try:
        began = time.perf_counter()
        report = ingest_paths([corpus], db_url=db_url, embed=True, progress=True)
        ingest_seconds = time.perf_counter() - began
    finally:
        emb.embed = real_embed  # type: ignore[assignment]
    return ingest_seconds, embed_seconds, report.sentences, list(report.errors)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--sentences-per-doc", type=int, default=108)
    parser.add_argument("--db", default=None, help="store URL (default: SQLite in a temp dir)")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each query per mode")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="only time searches, on the existing store given by --db",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=RESULTS,
        help="where to write the JSON results (default benchmarks/results/evidence.json)",
    )
    args = parser.parse_args(argv)
    if args.search_only and not args.db:
        parser.error("--search-only needs --db")
    console = Console()

    with tempfile.TemporaryDirectory(prefix="kizashi-bench-") as tmp:
        root = Path(tmp)
        corpus = root / "corpus"
        corpus.mkdir()
        db_url = args.db or f"sqlite:///{root / 'bench.db'}"
        emb.load_model()
        sentences = 0
        ingest_seconds = embed_seconds = float("nan")
        if not args.search_only:
            build_corpus(corpus, args.docs, args.sentences_per_doc, args.seed)
            ingest_seconds, embed_seconds, sentences, failed = timed_ingest(corpus, db_url)
            if failed:
                console.print(f"[red]{len(failed)} documents failed[/]: {failed[:3]}")
                return 1

        latencies: dict[str, list[float]] = {"keyword": [], "semantic": [], "hybrid": []}
        for mode in latencies:
            search(QUERIES[0], mode=mode, db_url=db_url)  # warm-up: loads the matrix
            for _ in range(args.repeats):
                for query in QUERIES:
                    began = time.perf_counter()
                    hits = search(query, mode=mode, limit=10, db_url=db_url)
                    latencies[mode].append((time.perf_counter() - began) * 1000)
                    assert hits, (mode, query)
        with get_engine(db_url).connect() as connection:
            searched = int(
                connection.execute(
                    select(func.count()).select_from(Sentence).where(Sentence.is_current.is_(True))
                ).scalar()
                or 0
            )
        dispose_engine(db_url)

    table = Table(title=f"evidence store benchmark ({db_url.split(':')[0]})")
    table.add_column("measure")
    table.add_column("value", justify="right")
    if not args.search_only:
        table.add_row("documents", f"{args.docs:,}")
        table.add_row("sentences stored", f"{sentences:,}")
        table.add_row("ingestion time (s)", f"{ingest_seconds:.1f}")
        table.add_row(
            "ingestion rate with embeddings (sentences/s)", f"{sentences / ingest_seconds:.0f}"
        )
        table.add_row(f"  embedding precision ({emb.PRECISION_VARIABLE})", emb.precision())
        table.add_row("  in the embedding model (s)", f"{embed_seconds:.1f}")
        table.add_row("  embedding model alone (sentences/s)", f"{sentences / embed_seconds:.0f}")
        # Reading and cleaning run on a thread while the model computes, so only the
        # part of the run that is not embedding shows here.
        rest = ingest_seconds - embed_seconds
        table.add_row("  outside the embedding model (s)", f"{rest:.1f}")
    table.add_row("current sentences searched", f"{searched:,}")
    for mode, values in latencies.items():
        table.add_row(
            f"{mode} search p50 / p95 (ms)",
            f"{statistics.median(values):.1f} / {percentile(values, 0.95):.1f}",
        )
    console.print(table)
    if args.output is not None:
        result = {
            "benchmark": "evidence store: ingestion with embeddings and search latency",
            "backend": db_url.split(":")[0],
            "documents": None if args.search_only else args.docs,
            "sentences_stored": sentences,
            "ingestion_seconds": None if args.search_only else round(ingest_seconds, 2),
            "ingestion_sentences_per_second": (
                None if args.search_only else round(sentences / ingest_seconds, 1)
            ),
            "embedding_precision": emb.precision(),
            "embedding_seconds": None if args.search_only else round(embed_seconds, 2),
            "sentences_searched": searched,
            "latency_ms": {
                mode: {
                    "p50": round(statistics.median(values), 2),
                    "p95": round(percentile(values, 0.95), 2),
                }
                for mode, values in latencies.items()
            },
            "machine": {
                "cpus": os.cpu_count(),
                "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
                "python": platform.python_version(),
                "platform": platform.platform(),
            },
            "timed_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
