#!/usr/bin/env bash
# Create .venv and install kizashi from the lock files (idempotent).
#   scripts/setup.sh        runtime dependencies (requirements.lock)
#   scripts/setup.sh dev    plus the test and lint tools (requirements-dev.lock)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
LOCK="requirements.lock"
[ "${1:-}" = "dev" ] && LOCK="requirements-dev.lock"

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
stamp=".venv/.installed-$(sha256sum "$LOCK" pyproject.toml | sha256sum | cut -c1-16)-${LOCK}"
if [ ! -f "$stamp" ]; then
    # torch is pinned to its CPU build in the lock; installing it first keeps pip from
    # choosing a CUDA build for sentence-transformers.
    # (pip's notes about this machine's local package folders are filtered out.)
    pipq() { .venv/bin/pip install -q --disable-pip-version-check "$@" 2>&1 | { grep -v '^WARNING: Location' || true; }; }
    grep -E '^torch==' "$LOCK" | pipq -r /dev/stdin
    pipq -r "$LOCK"
    pipq --no-deps -e .
    touch "$stamp"
fi
