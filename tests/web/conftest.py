"""Fixtures of the web tests: a temporary copy of the flagship model, a temporary store,
and apps built on them."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kizashi.analysis.corpus_texts import bundled_model
from kizashi.evidence import dispose_engine
from kizashi.web.app import create_app
from kizashi.web.settings import WebSettings

MakeApp = Callable[..., FastAPI]


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    """A writable copy of the flagship model."""
    target = tmp_path / "models" / "us-japan-alliance.yaml"
    target.parent.mkdir()
    shutil.copy(bundled_model(), target)
    return target


@pytest.fixture
def db_path(tmp_path: Path) -> Iterator[str]:
    """A fresh SQLite store, disposed after the test."""
    url = str(tmp_path / "kizashi.db")
    yield url
    dispose_engine(url)


@pytest.fixture
def make_app(model_copy: Path, db_path: str) -> MakeApp:
    """Build an app on the model copy and the temporary store; keyword search only."""

    def build(**overrides: object) -> FastAPI:
        options: dict[str, object] = {"model_path": model_copy, "db_url": db_path, "semantic": False}
        options.update(overrides)
        return create_app(WebSettings(**options))  # type: ignore[arg-type]

    return build


@pytest.fixture
def client(make_app: MakeApp) -> TestClient:
    """A client of an editable app on the model copy."""
    return TestClient(make_app())
