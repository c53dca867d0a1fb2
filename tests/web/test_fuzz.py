"""Property-based fuzzing of the OpenAPI schema: no request makes the server fail (5xx)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from kizashi.analysis.corpus_texts import bundled_model
from kizashi.web.app import create_app
from kizashi.web.settings import WebSettings

_WORK = Path(tempfile.mkdtemp(prefix="kizashi-fuzz-"))
shutil.copy(bundled_model(), _WORK / "model.yaml")
APP = create_app(WebSettings(model_path=_WORK / "model.yaml", db_url=str(_WORK / "fuzz.db"), semantic=False))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
