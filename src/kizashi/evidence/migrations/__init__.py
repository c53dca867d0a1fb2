"""Alembic migrations of the evidence store, applied automatically on first use."""
