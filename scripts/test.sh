#!/usr/bin/env bash
# Set everything up and run the whole test suite: the virtualenv, a local PostgreSQL
# (for the store's tests on both backends) and Debian's chromium (browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
if [ -z "${KIZASHI_TEST_PG_URL:-}" ]; then
    KIZASHI_TEST_PG_URL="$(scripts/start-postgres.sh | tail -n1)"
    export KIZASHI_TEST_PG_URL
fi
if [ -x scripts/install-browser.sh ]; then
    scripts/install-browser.sh
fi
.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy
export KIZASHI_REQUIRE_ALL=1
exec .venv/bin/python -m pytest -n 2 "$@"
