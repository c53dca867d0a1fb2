"""Fixtures of the evidence tests: a fresh store per test on SQLite and on PostgreSQL.

``db_url`` is parametrised over a SQLite file in ``tmp_path`` and, when
``KIZASHI_TEST_PG_URL`` is set (see ``scripts/start-postgres.sh``), a fresh schema of
that PostgreSQL database, dropped after the test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kizashi.evidence import dispose_engine

PG_ENV = "KIZASHI_TEST_PG_URL"
SEEDS_DIR = Path(__file__).resolve().parents[2] / "src" / "kizashi" / "data" / "corpus"


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(
                    not os.environ.get(PG_ENV),
                    reason=f"{PG_ENV} is not set (run scripts/start-postgres.sh to get a URL)",
                ),
            ],
        ),
    ]
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty store, removed after the test."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'kizashi.db'}"
        yield url
        dispose_engine(url)
        return
    base = os.environ[PG_ENV]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    url = (
        make_url(base)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    try:
        yield url
    finally:
        dispose_engine(url)
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(scope="session")
def embedding_model() -> object:
    """The bundled sentence-embedding model, loaded once per test session."""
    from kizashi.evidence.embeddings import load_model

    return load_model()


@pytest.fixture
def seeds_dir() -> Path:
    """The bundled corpus directory (``seeds.yaml`` and ``seeds/``)."""
    return SEEDS_DIR
