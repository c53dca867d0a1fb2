"""Opening a new store from several processes at once, and a kill during its creation."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from kizashi.evidence.db import dispose_engine, get_engine

# Opens the store at a given wall-clock moment, so that two processes race for it.
OPEN_AT = """
import sys, time
from kizashi.evidence.db import get_engine
start = float(sys.argv[2])
print("ready", flush=True)
while time.time() < start:
    pass
get_engine(sys.argv[1])
"""


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _has_full_text_index(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                rows = connection.execute(
                    text("SELECT name FROM sqlite_master WHERE name = 'sentences_fts'")
                ).all()
                return len(rows) == 1
            return True  # PostgreSQL's tsvector index lives on the sentences table
    finally:
        engine.dispose()


@pytest.mark.parametrize("trial", range(2))
def test_two_processes_opening_a_new_store_both_succeed(db_url: str, trial: int) -> None:
    start = time.time() + 2.5
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AT, db_url, str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outcomes = [proc.communicate(timeout=120) for proc in procs]
    for proc, (_out, err) in zip(procs, outcomes, strict=True):
        assert proc.returncode == 0, err
    assert {"documents", "sentences", "alembic_version"} <= _tables(db_url)
    assert _has_full_text_index(db_url)
    # The store opens normally afterwards and is at head.
    get_engine(db_url)


def test_a_kill_during_schema_creation_leaves_a_store_a_normal_run_completes(
    tmp_path: Path,
) -> None:
    rng = random.Random(7)
    for trial in range(4):
        url = f"sqlite:///{tmp_path / f'store-{trial}.db'}"
        proc = subprocess.Popen(
            [sys.executable, "-c", OPEN_AT, url, "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.15))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        get_engine(url)  # a normal run after the kill
        try:
            assert {"documents", "sentences", "alembic_version"} <= _tables(url)
            assert _has_full_text_index(url)
        finally:
            dispose_engine(url)
