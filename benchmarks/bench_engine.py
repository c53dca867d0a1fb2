"""Time kizashi's exact enumeration against a peer engine (PyPI ``prophesy-cib``).

    python benchmarks/bench_engine.py            # 8..30 descriptors and the 15-descriptor class
    python benchmarks/bench_engine.py --quick    # a fast subset
    python benchmarks/bench_engine.py --max-descriptors 20

The peer is installed into its own virtualenv ``benchmarks/.peer-venv`` on first use and
run in a subprocess (``peer_prophesy.py``); kizashi's dependencies never see it. Each
case is a seeded random matrix (3 variants per descriptor, about half the off-diagonal
cells non-zero with scores in -3..3, zero diagonal blocks), plus a 15-descriptor matrix
with 5 four-variant and 10 three-variant descriptors (4^5 * 3^10 = 60,466,176
configurations, the size of the model peers publish timings for). Cases run in order
of configurations; the peer gets ``--peer-timeout`` seconds per case and, once it times
out, is skipped for larger cases. Where it finishes, its scenarios are checked against
ours. Results go to ``benchmarks/results/engine.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
PEER_VENV = HERE / ".peer-venv"
PEER_PACKAGE = "prophesy-cib==2.0.1"
RESULTS = HERE / "results" / "engine.json"


@dataclass
class Case:
    """One benchmark matrix."""

    name: str
    counts: list[int]
    seed: int

    @property
    def configurations(self) -> int:
        total = 1
        for c in self.counts:
            total *= c
        return total

    def matrix(self) -> np.ndarray:
        """Seeded random matrix: ~50% non-zero off-diagonal cells, scores -3..3, zero diagonal blocks."""
        rng = np.random.default_rng(self.seed)
        size = sum(self.counts)
        scores = rng.choice(np.array([-3, -2, -1, 1, 2, 3]), size=(size, size))
        mask = rng.random((size, size)) < 0.5
        matrix = np.where(mask, scores, 0).astype(np.float64)
        start = 0
        for c in self.counts:
            matrix[start : start + c, start : start + c] = 0
            start += c
        return matrix


@dataclass
class Row:
    """One line of the results table."""

    case: str
    descriptors: int
    configurations: int
    nodes_visited: int
    ours_found: int
    ours_seconds: float
    ours_runs: int
    peer_found: int | None
    peer_seconds: float | None
    peer_status: str  # "ok", "timeout", "skipped", "error: ...", "mismatch"
    ratio: float | None


def ensure_peer() -> Path:
    """The peer venv's python, creating the venv and installing the peer if needed."""
    python = PEER_VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.exists():
        print(f"creating {PEER_VENV} and installing {PEER_PACKAGE} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
    probe = subprocess.run([str(python), "-c", "import prophesy_cib"], capture_output=True)
    if probe.returncode != 0:
        subprocess.run([str(python), "-m", "pip", "install", "-q", PEER_PACKAGE], check=True)
    return python


def run_ours(counts: list[int], matrix: np.ndarray, budget: float = 5.0) -> tuple[set[tuple[int, ...]], int, float, int]:
    """Best-of-up-to-3 time of kizashi's exact enumeration (repeats while under ``budget`` s)."""
    from kizashi.cib import CIBSystem, enumerate_scenarios

    system = CIBSystem(np.array(counts, dtype=np.int64), matrix)
    best = float("inf")
    runs = 0
    spent = 0.0
    result = None
    while runs < 3 and (runs == 0 or spent < budget):
        t0 = time.perf_counter()
        result = enumerate_scenarios(system, tolerance=0.0, fixed=None)
        elapsed = time.perf_counter() - t0
        best = min(best, elapsed)
        spent += elapsed
        runs += 1
    assert result is not None
    if not result.complete:
        raise RuntimeError("the enumeration reported an incomplete result")
    found = {tuple(int(x) for x in row) for row in result.scenarios}
    return found, int(result.nodes_visited), best, runs


def warm_up() -> None:
    """Compile the engine's kernels (numba JIT) before timing anything."""
    from kizashi.cib import CIBSystem, enumerate_scenarios

    case = Case("warm-up", [3] * 6, 0)
    enumerate_scenarios(CIBSystem(np.array(case.counts, dtype=np.int64), case.matrix()))
    big = Case("warm-up-split", [3] * 13, 0)  # large enough to take the multi-threaded path
    enumerate_scenarios(CIBSystem(np.array(big.counts, dtype=np.int64), big.matrix()))


def run_peer(python: Path, counts: list[int], matrix: np.ndarray, timeout: float) -> tuple[str, set[tuple[int, ...]] | None, float | None]:
    """(status, scenarios, seconds measured inside the peer process)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump({"counts": counts, "matrix": matrix.tolist()}, fh)
        path = fh.name
    try:
        proc = subprocess.run(
            [str(python), str(HERE / "peer_prophesy.py"), path],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return "timeout", None, None
    finally:
        os.unlink(path)
    if proc.returncode != 0:
        return f"error: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}", None, None
    data = json.loads(proc.stdout)
    return "ok", {tuple(s) for s in data["scenarios"]}, float(data["seconds"])


def cases(quick: bool, max_descriptors: int) -> list[Case]:
    sizes = [8, 10, 12] if quick else list(range(8, 31, 2))
    out = [Case(f"random-{n}x3", [3] * n, 1000 + n) for n in sizes if n <= max_descriptors]
    if max_descriptors >= 15:
        out.append(Case("random-15 (5x4 + 10x3)", [4] * 5 + [3] * 10, 2015))
    return sorted(out, key=lambda c: c.configurations)


def fmt_seconds(s: float | None) -> str:
    if s is None:
        return "-"
    return f"{s * 1000:.2f} ms" if s < 1 else f"{s:.2f} s"


def print_table(rows: list[Row]) -> None:
    header = f"{'case':<24} {'desc':>4} {'configurations':>16} {'nodes (ours)':>13} {'found ours/peer':>16} {'ours':>11} {'peer':>11} {'ratio':>9}"
    print(header)
    print("-" * len(header))
    for r in rows:
        peer_found = str(r.peer_found) if r.peer_found is not None else r.peer_status
        ratio = f"{r.ratio:,.0f}x" if r.ratio is not None else "-"
        print(
            f"{r.case:<24} {r.descriptors:>4} {r.configurations:>16,} {r.nodes_visited:>13,} "
            f"{f'{r.ours_found} / {peer_found}':>16} {fmt_seconds(r.ours_seconds):>11} {fmt_seconds(r.peer_seconds):>11} {ratio:>9}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="8, 10, 12 descriptors only (and the 15-descriptor class if allowed)")
    parser.add_argument("--max-descriptors", type=int, default=30, help="largest random case (default 30)")
    parser.add_argument("--peer-timeout", type=float, default=120.0, help="seconds per peer case (default 120)")
    parser.add_argument("--no-peer", action="store_true", help="time kizashi only")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the JSON results")
    args = parser.parse_args(argv)

    python = None if args.no_peer else ensure_peer()
    warm_up()
    rows: list[Row] = []
    peer_alive = python is not None
    failures = 0
    for case in cases(args.quick, args.max_descriptors):
        matrix = case.matrix()
        found, nodes, seconds, runs = run_ours(case.counts, matrix)
        status, peer_found, peer_seconds = ("skipped", None, None)
        print(f"  {case.name}: ours {fmt_seconds(seconds)}", end="", flush=True)
        if peer_alive and python is not None:
            print("; running the peer ...", end="", flush=True)
            status, peer_found, peer_seconds = run_peer(python, case.counts, matrix, args.peer_timeout)
            if status == "timeout":
                peer_alive = False
            if peer_found is not None and peer_found != found:
                status = "mismatch"
                failures += 1
                print(f" MISMATCH: {len(found - peer_found)} only ours, {len(peer_found - found)} only peer", end="")
        print(flush=True)
        ratio = peer_seconds / seconds if peer_seconds is not None and status == "ok" and seconds > 0 else None
        rows.append(
            Row(case.name, len(case.counts), case.configurations, nodes, len(found), seconds, runs,
                len(peer_found) if peer_found is not None else None, peer_seconds, status, ratio)
        )
    print()
    print_table(rows)
    finished = [r for r in rows if r.ratio is not None]
    if finished:
        last = max(finished, key=lambda r: r.configurations)
        print(f"\nlargest case the peer finished: {last.case}, ours {last.ratio:,.0f}x faster")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "benchmark": "exact enumeration of consistent scenarios (tolerance 0)",
        "peer": PEER_PACKAGE,
        "peer_timeout_seconds": args.peer_timeout,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "timed_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "rows": [asdict(r) for r in rows],
    }
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
