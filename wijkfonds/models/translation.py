"""Translations of what people wrote (plans, needs, comments), added by hand per language."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import Model

if TYPE_CHECKING:
    from wijkfonds.models.user import User


class ContentKind(str, enum.Enum):  # noqa: UP042  # as Role: str() of a member is its value's name
    """What a translation translates; the id is that table's id (no foreign key: one table for all)."""

    PLAN = "plan"
    NEED = "need"
    COMMENT = "comment"


class ContentTranslation(Model):
    """One language's version of one plan, need or comment, by its author or a translator.

    At most one per (kind, object, language): a second save edits it. The original stays as
    it was; pages show the reader's language where a visible translation exists, and say so.
    """

    __tablename__ = "content_translation"
    __table_args__ = (
        UniqueConstraint("kind", "object_id", "language"),
        Index("ix_content_translation_translator_id", "translator_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    object_id: Mapped[int] = mapped_column()
    language: Mapped[str] = mapped_column(String(8))  # a site code of i18n/offer.py
    title: Mapped[str] = mapped_column(String(120), default="")  # plans and needs
    summary: Mapped[str] = mapped_column(String(300), default="")  # plans
    text: Mapped[str] = mapped_column(Text)
    # Which version of the original this translates: the fingerprint of the translated fields
    # when it was saved (services/translations/content.py); another fingerprint now = stale.
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    translator_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Hidden by staff (a wrong or abusive translation): the page shows the original again.
    hidden_at: Mapped[datetime | None] = mapped_column()
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    translator: Mapped[User | None] = relationship("User", foreign_keys=[translator_id])
