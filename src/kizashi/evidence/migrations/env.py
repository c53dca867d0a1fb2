"""Alembic environment: runs migrations on the connection handed over by the store.

The store calls Alembic programmatically (see :func:`kizashi.evidence.db.migrate`) and
passes an open connection in ``config.attributes["connection"]``; there is no
``alembic.ini`` to configure.
"""

from __future__ import annotations

from alembic import context

from kizashi.evidence.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when run by hand without the store
    raise RuntimeError("run migrations through kizashi.evidence.db.migrate()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
