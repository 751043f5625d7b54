"""The schema exists only through migrations, and the migrations match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask

from wijkfonds.extensions import db


def test_migrations_match_models(app: Flask) -> None:
    """After `flask db upgrade` there is nothing left for autogenerate to add or change."""
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        diff = compare_metadata(ctx, db.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"


def test_every_table_exists(app: Flask) -> None:
    """Every model's table is created by the migrations."""
    from sqlalchemy import inspect

    tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables
