"""Every Flask extension instance, created unbound; create_app binds them."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from flask_babel import Babel  # type: ignore[import-untyped]  # Flask-Babel ships no py.typed
from flask_login import LoginManager  # type: ignore[import-untyped]  # Flask-Login ships no py.typed
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase

# Named constraints so that Alembic migrations are identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention for constraints."""

    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()

# The models' base class. At run time it is db.Model itself. mypy cannot take a base class
# from an attribute (``class User(db.Model)`` is "Name 'db.Model' is not defined", mypy
# issue 8603), so for the type checker it is what Flask-SQLAlchemy builds db.Model from:
# Base (so Mapped[...] columns are typed) with Flask-SQLAlchemy's Model mixin (query).
if TYPE_CHECKING:
    from flask_sqlalchemy.model import Model as _ModelMixin

    class Model(_ModelMixin, Base):
        """db.Model as the type checker sees it."""

        # Every model here is mapped to a Table of its own (DeclarativeBase allows any
        # FromClause), so its Core statements can insert into and update ``__table__``.
        __table__: ClassVar[Table]

else:
    Model = db.Model
