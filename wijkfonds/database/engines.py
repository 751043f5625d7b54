"""Engine set-up per database: SQLite gets WAL, a busy timeout and write-locking transactions."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, cast

from flask import Flask, has_request_context, request
from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, Engine

from wijkfonds.extensions import db

if TYPE_CHECKING:
    import sqlite3

    import psycopg
    from sqlalchemy.engine.interfaces import DBAPIConnection
    from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling defers the write lock until the first write, so
    # two requests that both read then write fail with "database is locked". We begin
    # every transaction that may write IMMEDIATE instead: writers queue up (busy_timeout),
    # readers go on under WAL, and read-modify-write services (ballots, audit chain) are
    # serialised.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Pages that only read (GET/HEAD) need no write lock: under WAL they never block
        # writers and are never blocked by them.
        if has_request_context() and request.method in ("GET", "HEAD"):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def _ping_idle_connections(engine: Engine, idle_seconds: float) -> None:
    # pool_pre_ping would add a round trip to every request. A pooled connection can only
    # have been cut (server restart, failover, idle timeout of a proxy) while it sat unused,
    # so only one that was idle for a while is pinged; a dead one is replaced by the pool.
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_conn: DBAPIConnection, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn: DBAPIConnection, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return
        try:
            cur = dbapi_conn.cursor()
            try:
                cur.execute("SELECT 1")
            finally:
                cur.close()
            dbapi_conn.rollback()
        except Exception as err:
            raise exc.DisconnectionError(f"stale pooled connection: {err}") from err


def _read_only_pages(engine: Engine) -> None:
    # Pages that only read (GET/HEAD) run in READ ONLY transactions on PostgreSQL (psycopg
    # sends it with its BEGIN, so it costs nothing): a page that tries to write fails
    # loudly instead of writing. end_read_only() then ends them with COMMIT, because
    # psycopg drops its prepared statements after every ROLLBACK; ending each page view
    # with one made PostgreSQL plan every statement of every request anew.
    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # The psycopg dialect's DB-API connection is psycopg's own.
        dbapi_conn = cast("psycopg.Connection[Any]", conn.connection.dbapi_connection)
        if dbapi_conn.info.transaction_status == 0:  # idle: psycopg has not sent BEGIN yet
            reading = has_request_context() and request.method in ("GET", "HEAD")
            dbapi_conn.read_only = True if reading else None


def end_read_only(exc: BaseException | None) -> None:
    """End a page view's READ ONLY transaction with COMMIT (see _read_only_pages).

    Only a transaction this request began read-only is ended here; with pending changes
    (which could not be written anyway) or after an error it is rolled back instead.
    """
    if request.method not in ("GET", "HEAD") or not db.session.registry.has():
        return  # a page that never touched the database has no session to end
    session = db.session()  # the request's Session behind the scoped proxy
    if not session.in_transaction():
        return
    dbapi_conn = session.connection().connection.dbapi_connection
    if getattr(dbapi_conn, "read_only", None) is not True:
        return
    if exc is None and not (session.new or session.dirty or session.deleted):
        session.commit()
    else:
        session.rollback()


def init_engines(app: Flask) -> None:
    """Attach per-dialect engine hooks (call after db.init_app)."""
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                _configure_sqlite(engine)
            else:
                _ping_idle_connections(engine, float(app.config.get("DB_PING_AFTER_IDLE", 10.0)))
                if engine.dialect.name == "postgresql":
                    _read_only_pages(engine)
    app.teardown_request(end_read_only)
