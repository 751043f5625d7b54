"""The statements of election night's busiest requests, run on the driver's own cursor.

Entering a code, opening the ballot and casting it run about ten statements per voter.
Through the ORM session each costs about twice what psycopg itself spends on it, and on
election night that difference is a fifth of the app server's work. So on PostgreSQL a
HotStatement compiles its Core statement once and runs it on the psycopg cursor of the
session's own connection: same transaction, same SQL, same parameters, same rows. Other
databases (SQLite) run it through the session as before; the test suite runs both ways.

What it gives up, and how that is covered:
- SQLAlchemy's Python-side column defaults: a statement that would need one is refused
  when it is first compiled, so every INSERT names all its values.
- SQLAlchemy's exception types: driver errors are re-raised as the same
  sqlalchemy.exc.DBAPIError subclasses (IntegrityError, OperationalError, ...), and a
  connection the server dropped is invalidated as SQLAlchemy would.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from psycopg.rows import namedtuple_row
from sqlalchemy import event, exc
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from wijkfonds.extensions import db

if TYPE_CHECKING:
    from sqlalchemy.engine import CursorResult, Dialect
    from sqlalchemy.sql import ClauseElement
    from sqlalchemy.sql.compiler import SQLCompiler

Params = dict[str, Any]
_CONNECTION = "wijkfonds_hot_connection"


# The connection of the session's current transaction, kept in session.info from the moment
# the transaction takes one until it ends, so that each statement does not ask the session
# for it again.
@event.listens_for(Session, "after_begin")
def _remember_connection(session: Session, _transaction: Any, connection: Any) -> None:
    session.info[_CONNECTION] = connection


@event.listens_for(Session, "after_transaction_end")
def _forget_connection(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost transaction ended: its connection went back
        session.info.pop(_CONNECTION, None)


def on_postgresql() -> bool:
    """True when the session's database is PostgreSQL (where statements run on the cursor).

    For the few writes that are one statement there and several elsewhere.
    """
    return db.session.get_bind().dialect.name == "postgresql"


class HotStatement:
    """A Core statement for the busiest requests (see the module's doc).

    ``postgresql`` is an equivalent statement written for PostgreSQL's driver when the
    general one cannot be compiled once (an expanding IN becomes ``= ANY(array)``).
    """

    def __init__(self, statement: Executable, *, postgresql: Executable | None = None) -> None:
        self.statement = statement
        # Statements are ClauseElements as well as Executables (typing cannot say "both").
        self.pg_statement = cast("ClauseElement", postgresql if postgresql is not None else statement)
        self._sql: dict[tuple[str, ...], tuple[str, Params]] = {}

    def all(self, params: Params) -> Sequence[Any]:
        """Every row (attribute access by column name, as SQLAlchemy's rows)."""
        return self._execute(params)

    def first(self, params: Params) -> Any | None:
        """The first row, or None."""
        rows = self._execute(params)
        return rows[0] if rows else None

    def one(self, params: Params) -> Any:
        """The row of a statement that always returns exactly one (an upsert's RETURNING)."""
        return self._execute(params)[0]

    def run(self, params: Params | list[Params]) -> None:
        """Execute without rows (a list of parameter sets runs once per set)."""
        self._execute(params)

    def _execute(self, params: Params | list[Params]) -> Sequence[Any]:
        session = db.session()
        conn = session.info.get(_CONNECTION)
        if conn is None:
            conn = session.connection()  # begins the session's transaction (and its hooks)
        dialect = conn.dialect
        if dialect.name != "postgresql":
            # A Core statement's result is a CursorResult, which says whether it has rows.
            result = cast("CursorResult[Any]", db.session.execute(self.statement, params))
            return result.all() if result.returns_rows else []
        many = isinstance(params, list)
        if many and not params:
            return []
        # mypy does not narrow ``params`` through ``many`` (a list exactly when it is True), hence
        # the ignores on the lines that use it.
        keys = tuple(sorted((params[0] if many else params).keys()))  # type: ignore[index, union-attr]
        sql, fixed = self._sql.get(keys) or self._compile(dialect, keys)
        if fixed:  # values the statement carries itself (LIMIT 1, literals)
            params = [{**fixed, **p} for p in params] if many else {**fixed, **params}  # type: ignore[dict-item]
        raw = conn.connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor(row_factory=namedtuple_row)
        try:
            if many:
                cursor.executemany(sql, params)  # type: ignore[arg-type]
                return []
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description is not None else []
        except dialect.loaded_dbapi.Error as err:
            invalidated = dialect.is_disconnect(err, raw, cursor)
            if invalidated:
                conn.invalidate(err)
            raise exc.DBAPIError.instance(
                sql, params, err, dialect.loaded_dbapi.Error, connection_invalidated=invalidated, dialect=dialect
            ) from err
        finally:
            cursor.close()

    def _compile(self, dialect: Dialect, keys: tuple[str, ...]) -> tuple[str, Params]:
        # SELECT, DML and text() compile to an SQLCompiler (binds, prefetch).
        compiled = cast("SQLCompiler", self.pg_statement.compile(dialect=dialect, column_keys=list(keys)))
        needs = [c.key for c in (*getattr(compiled, "insert_prefetch", ()), *getattr(compiled, "update_prefetch", ()))]
        if needs or getattr(compiled, "postfetch", None):
            raise ValueError(
                f"HotStatement needs every value given (SQLAlchemy would fill in: {needs or 'server values'})"
            )
        if "POSTCOMPILE" in compiled.string:
            raise ValueError(
                "HotStatement cannot expand IN lists on the cursor; pass a postgresql= statement using ANY"
            )
        fixed = {
            name: bind.effective_value
            for name, bind in compiled.binds.items()
            if not bind.required and name not in keys
        }
        self._sql[keys] = (compiled.string, fixed)
        return self._sql[keys]
