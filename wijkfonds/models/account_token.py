"""The links sent by mail for an account: confirm an address, reset a password, change the address."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import Model


class TokenPurpose(str, enum.Enum):  # noqa: UP042  # StrEnum would change what str() gives for a member
    """What a link in a mail does when it is used."""

    CONFIRM = "confirm"  # confirm the account's address
    RESET = "reset"  # choose a new password
    EMAIL = "email"  # make ``email`` the account's new address


class AccountToken(Model):
    """One link sent by mail (services/accounts/tokens.py).

    Only the SHA-256 of the link's random token is stored, so a copy of the database (a
    backup, an auditor's copy) holds no working link. ``email`` is the address the link was
    sent to: for ``confirm`` and ``reset`` the link counts only while it is still the
    account's address; for ``email`` it is the new address. A link is used once
    (``used_at``), or ended unused (``voided_at``) when a newer one replaces it or the
    password or address changes. Rows are deleted some days after they expire.
    """

    __tablename__ = "account_token"
    __table_args__ = (
        Index("ix_account_token_user_id_purpose", "user_id", "purpose"),
        Index("ix_account_token_expires_at", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()
    voided_at: Mapped[datetime | None] = mapped_column()
