"""Accounts and roles."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, ForeignKey, Index, String
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from wijkfonds.common.timeutil import utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import Model

if TYPE_CHECKING:
    from wijkfonds.models.place import District

    # Flask-Login ships no type information; this is its UserMixin as User relies on it
    # (subclassing the untyped class would make every attribute of User Any).
    class UserMixin:
        """Flask-Login's default user behaviour, as the type checker sees it."""

        @property
        def is_active(self) -> bool: ...

        @property
        def is_authenticated(self) -> bool: ...

        @property
        def is_anonymous(self) -> bool: ...

        def get_id(self) -> str: ...

else:
    from flask_login import UserMixin


class Role(str, enum.Enum):  # noqa: UP042  # StrEnum would change what str() and f-strings give for a member
    """What an account may do. Staff, auditor and admin are created by CLI or by an admin."""

    RESIDENT = "resident"
    STAFF = "staff"
    AUDITOR = "auditor"
    ADMIN = "admin"
    # A volunteer translator ("vertaler"), given by an admin: a resident who may also add
    # translations of plans, needs and comments (services/translations).
    TRANSLATOR = "translator"


class User(UserMixin, Model):
    """A person with an account (voters with a code have no account)."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # Read and written as ``display_name`` (below), which a deleted account answers for itself.
    name_column: Mapped[str] = mapped_column("display_name", String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.RESIDENT.value)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped at every login and password change; part of the Flask-Login id so that old
    # session cookies stop working (session fixation, logout everywhere).
    session_version: Mapped[int] = mapped_column(default=1)
    # When the owner showed they read mail at ``email`` (None: not yet).
    email_confirmed_at: Mapped[datetime | None] = mapped_column()
    # The language of the mail the site sends this account ("nl" or "en"): the request's
    # language at registration, changed on the notification settings page.
    language: Mapped[str] = mapped_column(String(8), default="nl", server_default="nl")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the owner deleted the account (services/accounts/privacy.py): the row stays as
    # the tombstone that their kept comments and plans point to, without address or name.
    deleted_at: Mapped[datetime | None] = mapped_column()

    district: Mapped[District | None] = relationship("District")

    @hybrid_property
    def display_name(self) -> str:
        """The name shown with comments and plans; "verwijderd account" once the account is deleted."""
        if self.deleted_at is not None:
            return _("verwijderd account")
        return self.name_column

    @display_name.inplace.setter
    def _display_name_setter(self, value: str) -> None:
        self.name_column = value

    @display_name.inplace.expression
    @classmethod
    def _display_name_expression(cls) -> ColumnElement[str]:
        return cls.name_column  # type: ignore[return-value]

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """True when the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """Flask-Login id: user id plus session version."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        """Deactivated accounts cannot log in."""
        return self.active

    def has_role(self, *roles: Role | str) -> bool:
        """True when the account has one of the roles (admin has every role)."""
        names = {r.value if isinstance(r, Role) else r for r in roles}
        if self.role == Role.TRANSLATOR.value and Role.RESIDENT.value in names:
            return True  # a translator is a resident with one more right
        return self.role in names or self.role == Role.ADMIN.value


class RateEvent(Model):
    """One attempt counted by a rate limit (failed login, voting-code entry)."""

    __tablename__ = "rate_event"
    __table_args__ = (Index("ix_rate_event_bucket_key_at", "bucket", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(default=utcnow)
