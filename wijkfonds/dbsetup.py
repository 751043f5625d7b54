"""Engine set-up per database: SQLite gets WAL, a busy timeout and write-locking transactions."""

from __future__ import annotations

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling defers the write lock until the first write, so
    # two requests that both read then write fail with "database is locked". We begin
    # every transaction that may write IMMEDIATE instead: writers queue up (busy_timeout),
    # readers go on under WAL, and read-modify-write services (ballots, audit chain) are
    # serialised.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # Pages that only read (GET/HEAD) need no write lock: under WAL they never block
        # writers and are never blocked by them.
        if has_request_context() and request.method in ("GET", "HEAD"):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def init_engines(app: Flask) -> None:
    """Attach per-dialect engine hooks (call after db.init_app)."""
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                _configure_sqlite(engine)
