"""How requests use the database connection: read-only page views on PostgreSQL, and the
idle-connection ping that replaced pool_pre_ping."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from tests.conftest import make_app
from wijkfonds.extensions import db
from wijkfonds.models import RateEvent


def _is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


def _app_with_probe_routes(database_url: str, **overrides: object) -> Flask:
    app = make_app(database_url, **overrides)

    @app.get("/_probe/write")
    def probe_write():
        db.session.add(RateEvent(bucket="probe", key="get"))
        db.session.flush()
        return "written"

    @app.get("/_probe/read")
    def probe_read():
        return str(db.session.scalar(select(func.count(RateEvent.id))))

    return app


def test_a_page_view_cannot_write_on_postgres(database_url: str) -> None:
    """GET requests run READ ONLY on PostgreSQL: a view that writes fails, nothing is stored."""
    if not _is_postgres(database_url):
        pytest.skip("READ ONLY page views are a PostgreSQL feature")
    app = _app_with_probe_routes(database_url)
    client = app.test_client()
    assert client.get("/_probe/write").status_code == 500
    assert client.get("/_probe/read").text == "0"
    with app.app_context():
        assert db.session.scalar(select(func.count(RateEvent.id))) == 0
        db.engine.dispose()


def test_page_views_end_with_commit_and_keep_prepared_statements(database_url: str) -> None:
    """After a page view the connection is idle (not rolled back), so psycopg keeps its
    prepared statements: the same query run often is planned once, not every time."""
    if not _is_postgres(database_url):
        pytest.skip("prepared statements are a PostgreSQL matter")
    app = _app_with_probe_routes(database_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0})
    client = app.test_client()
    for _ in range(8):
        assert client.get("/_probe/read").status_code == 200
    with app.app_context():
        prepared = db.session.scalar(
            text("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%count(rate_event.id)%'")
        )
        assert prepared == 1
        db.engine.dispose()


def test_idle_connections_are_pinged_and_replaced(database_url: str) -> None:
    """A pooled connection that died while idle is replaced before a request uses it."""
    if not _is_postgres(database_url):
        pytest.skip("a SQLite file cannot be cut off")
    app = make_app(database_url, DB_PING_AFTER_IDLE=0.0)
    with app.app_context():
        victim = db.session.scalar(text("SELECT pg_backend_pid()"))
        db.session.commit()
        db.session.remove()  # back into the pool, idle
        import psycopg

        admin_url = database_url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (victim,))
    client = app.test_client()
    assert client.get("/health/db").json == {"status": "ok"}
    with app.app_context():
        assert db.session.scalar(text("SELECT pg_backend_pid()")) != victim
        db.engine.dispose()
