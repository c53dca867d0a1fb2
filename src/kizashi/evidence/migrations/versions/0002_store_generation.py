"""Store generation counter: bumped by every write, read by searches to know when
their in-memory embedding matrix is stale (a single-row read instead of a table scan).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "store_state",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )
    op.bulk_insert(table, [{"key": "generation", "value": 0}])


def downgrade() -> None:
    op.drop_table("store_state")
