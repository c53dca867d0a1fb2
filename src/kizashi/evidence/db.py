"""Opening the evidence store: database URLs, engines, and migrations on first use.

The store is a SQLite file by default (``./kizashi.db``, or the path in ``KIZASHI_DB``)
and PostgreSQL when given a ``postgresql+psycopg://`` URL. Opening a store applies any
pending Alembic migration, so a fresh machine needs no setup step.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from kizashi.errors import InputError

DEFAULT_DB_PATH = "kizashi.db"
ENV_DB = "KIZASHI_DB"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def resolve_db_url(db: str | os.PathLike[str] | None = None) -> str:
    """Turn a ``--db`` value (URL or file path), ``KIZASHI_DB`` or the default into a URL."""
    value = str(db) if db is not None else os.environ.get(ENV_DB) or DEFAULT_DB_PATH
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


# Key of the PostgreSQL advisory lock that serialises schema creation and upgrades.
_MIGRATION_LOCK_KEY = 0x6B697A617368  # "kizash"


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _lock_for_migration(connection: Connection) -> None:
    """Take the store-wide lock that makes schema creation one writer at a time.

    SQLite: an exclusive transaction, so the tables, the full-text index and the
    version row appear together or not at all (a kill mid-way rolls back). PostgreSQL:
    a transaction-scoped advisory lock, released at commit or when the process dies.
    """
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN EXCLUSIVE")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK_KEY})")


def migrate(engine: Engine) -> None:
    """Apply pending migrations (no-op when the schema is at head).

    Several processes may open a new store at once: the first to take the migration
    lock creates the schema in one transaction, the others wait for it and then find
    the schema at head.
    """
    config = _alembic_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as connection:
        if _current_revision(connection) == head:
            return
    with engine.begin() as connection:
        _lock_for_migration(connection)
        if _current_revision(connection) == head:
            return
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def get_engine(db: str | os.PathLike[str] | None = None) -> Engine:
    """Return the (cached) engine of a store, creating and migrating it on first use."""
    url = resolve_db_url(db)
    with _lock:
        engine = _engines.get(url)
        if engine is not None:
            return engine
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise InputError(f"not a database URL: {url}", where="--db") from exc
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                database = Path(parsed.database)
                if database.is_dir():
                    raise InputError("is a directory, not a database file", path=str(database))
                parent = database.parent
                if not parent.is_dir():
                    raise InputError(
                        "directory of the database file does not exist", path=str(parent)
                    )
            engine = create_engine(url)
            event.listen(engine, "connect", _sqlite_pragmas)
        elif parsed.get_backend_name() == "postgresql":
            engine = create_engine(url, pool_pre_ping=True)
        else:
            raise InputError(
                f"unsupported database backend {parsed.get_backend_name()!r} "
                "(use a SQLite path or a postgresql+psycopg:// URL)",
                where="--db",
            )
        try:
            migrate(engine)
        except DatabaseError as exc:
            # OperationalError (unreachable, locked, unreadable) or a file that is not
            # a database at all: one line naming the store, nothing written to it.
            engine.dispose()
            raise InputError(f"cannot open the database: {exc.orig}", where=_safe_url(url)) from exc
        _engines[url] = engine
        return engine


def _safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def dispose_engine(db: str | os.PathLike[str] | None = None) -> None:
    """Close the cached engine of a store (tests and long-running servers use this)."""
    url = resolve_db_url(db)
    with _lock:
        engine = _engines.pop(url, None)
    if engine is not None:
        from kizashi.evidence.embeddings import forget_matrix

        forget_matrix(engine.url.render_as_string(hide_password=False))
        engine.dispose()


@contextmanager
def session_scope(db: str | os.PathLike[str] | None = None) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on any error."""
    factory = sessionmaker(get_engine(db), expire_on_commit=False)
    with factory() as session, session.begin():
        yield session


def backend_name(engine: Engine) -> str:
    """``sqlite`` or ``postgresql``."""
    return engine.dialect.name
