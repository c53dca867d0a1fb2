"""Latency of ``POST /api/scenarios`` on the flagship model under new interventions.

    python benchmarks/bench_web.py                  # 20 clients, 400 requests
    python benchmarks/bench_web.py --clients 20 --requests 400

Starts ``kizashi serve`` (uvicorn) in a subprocess on a free 127.0.0.1 port, on a
temporary copy of the flagship model and a temporary store, then sends the requests
from ``--clients`` concurrent httpx clients. Every request poses an intervention not
asked before (one or two descriptors fixed), so each answer is computed, not served from
the cache. Reports p50/p95/max latency and writes ``benchmarks/results/web.json``.
The number of requests and the time are bounded; traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from kizashi.analysis.corpus_texts import bundled_model
from kizashi.model import load_model

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "web.json"
TIME_BUDGET = 300.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def interventions(limit: int) -> list[dict[str, str]]:
    """Distinct interventions: every single fix, then pairs of fixes, in a fixed order."""
    model = load_model(bundled_model()).model
    singles = [(d.id, v.id) for d in model.descriptors for v in d.variants]
    out = [{d: v} for d, v in singles]
    for (d1, v1), (d2, v2) in itertools.combinations(singles, 2):
        if d1 != d2:
            out.append({d1: v1, d2: v2})
        if len(out) >= limit:
            break
    return out[:limit]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


async def run_clients(base: str, bodies: list[dict[str, str]], clients: int) -> tuple[list[float], int]:
    queue: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    latencies: list[float] = []
    failures = 0
    deadline = time.monotonic() + TIME_BUDGET

    async def client() -> None:
        nonlocal failures
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:
            while not queue.empty() and time.monotonic() < deadline:
                fixed = queue.get_nowait()
                start = time.perf_counter()
                response = await http.post("/api/scenarios", json={"fixed": fixed, "tolerance": 0})
                latencies.append(time.perf_counter() - start)
                if response.status_code != 200:
                    failures += 1

    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kizashi-bench-web-"))
    model = work / "us-japan-alliance.yaml"
    shutil.copy(bundled_model(), model)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "kizashi.cli.main", "serve", "--model", str(model), "--db", str(work / "k.db"),
         "--port", str(port), "--host", "127.0.0.1", "--no-semantic"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/api/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start: " + (server.stderr.read().decode() if server.stderr else ""))
            time.sleep(0.2)
        # warm-up: compile the engine's kernels once (not measured)
        httpx.post(base + "/api/scenarios", json={"fixed": {}, "tolerance": 0}, timeout=120)
        bodies = interventions(args.requests)
        started = time.perf_counter()
        latencies, failures = asyncio.run(run_clients(base, bodies, args.clients))
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)
    result = {
        "endpoint": "POST /api/scenarios (new intervention each request, tolerance 0)",
        "model": "us-japan-alliance",
        "clients": args.clients,
        "requests": len(latencies),
        "failures": failures,
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 95) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1),
        "throughput_rps": round(len(latencies) / wall, 1),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
