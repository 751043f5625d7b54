"""Fixtures: a real, migrated database per test (SQLite by default, PostgreSQL on request).

Set WIJKFONDS_TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5433/postgres) to run
every test against PostgreSQL: a template database is migrated once per worker, and each
test gets a fresh copy of it.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from wijkfonds import create_app
from wijkfonds.extensions import db

PG_URL = os.environ.get("WIJKFONDS_TEST_POSTGRES_URL")


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        from wijkfonds.services.catalog.reference import ensure_reference_data

        ensure_reference_data()
        db.session.commit()
        db.engine.dispose()


def _pg(url: str, database: str) -> str:
    base = url.rsplit("/", 1)[0]
    if base.startswith("postgresql://"):
        base = "postgresql+psycopg://" + base[len("postgresql://") :]
    return f"{base}/{database}"


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[str]:
    """A migrated database with reference data, copied for every test."""
    if PG_URL:
        name = f"wf_tpl_{worker_id}_{uuid.uuid4().hex[:6]}"
        _pg_admin(f'CREATE DATABASE "{name}"')
        _migrate(_pg(PG_URL, name))
        yield name
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp_path_factory.mktemp("template") / "template.sqlite3"
        _migrate(f"sqlite:///{path}")
        yield str(path)


@pytest.fixture()
def database_url(template_db: str, tmp_path: Path) -> Iterator[str]:
    """A fresh copy of the template database for one test."""
    if PG_URL:
        name = f"wf_t_{uuid.uuid4().hex[:12]}"
        _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template_db}"')
        yield _pg(PG_URL, name)
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp_path / "test.sqlite3"
        shutil.copy(template_db, path)
        yield f"sqlite:///{path}"


@pytest.fixture(autouse=True)
def _audit_key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test signs audit anchors with a key of its own, never the one in instance/."""
    monkeypatch.setenv("WIJKFONDS_AUDIT_KEY_FILE", str(tmp_path / "keys" / "audit-anchor-key.pem"))
    monkeypatch.setenv("WIJKFONDS_MAIL_DIR", str(tmp_path / "mail"))  # mail sent in tests never lands in instance/


@pytest.fixture(autouse=True)
def _upload_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test stores uploaded photos in a folder of its own, never in instance/uploads."""
    monkeypatch.setenv("WIJKFONDS_UPLOAD_DIR", str(tmp_path / "uploads"))


def make_app(database_url: str, **overrides: object) -> Flask:
    """An app on the given database; CSRF off unless asked for."""
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test-secret",
        "SERVER_NAME": "localhost",
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture()
def app(database_url: str) -> Iterator[Flask]:
    """The application with a pushed app context (so tests can use db.session)."""
    application = make_app(database_url)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture()
def csrf_app(database_url: str) -> Iterator[Flask]:
    """The application with CSRF protection on, as in production."""
    application = make_app(database_url, WTF_CSRF_ENABLED=True)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    """A test client."""
    return app.test_client()


@pytest.fixture()
def runner(app: Flask):
    """A CLI runner."""
    return app.test_cli_runner()


class AuthActions:
    """Log a client in as a given user without going through the form."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, user) -> None:
        """Make the client's session belong to ``user``."""
        with self._client.session_transaction() as sess:
            sess["_user_id"] = user.get_id()
            sess["_fresh"] = True

    def logout(self) -> None:
        """Clear the client's session."""
        with self._client.session_transaction() as sess:
            sess.clear()


@pytest.fixture()
def auth(client: FlaskClient) -> AuthActions:
    """Login helper for the default client."""
    return AuthActions(client)
