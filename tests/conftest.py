"""Suite-wide rules.

When ``KIZASHI_REQUIRE_ALL=1`` (``scripts/test.sh`` sets it, so CI runs with it), a test
skipped because a real component is missing (PostgreSQL, chromium) fails instead, so a
missing service can never pass as a green run.
"""

from __future__ import annotations

import os

import pytest

INFRASTRUCTURE_MARKERS = ("KIZASHI_TEST_PG_URL", "chromium", "PostgreSQL", "pdftoppm")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("KIZASHI_REQUIRE_ALL") != "1" or not report.skipped:
        return
    reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else str(report.longrepr)
    if any(marker in reason for marker in INFRASTRUCTURE_MARKERS):
        report.outcome = "failed"
        report.longrepr = f"required component missing (KIZASHI_REQUIRE_ALL=1): {reason}"
