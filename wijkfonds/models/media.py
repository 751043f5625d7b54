"""Photos: images residents upload, stored as re-encoded files under a content-hash name.

A photo belongs to an owner given by kind and id (``initiative`` now; a funded plan's
progress updates later), so that one table, one upload path and one moderation serve
every place that shows pictures. Owners are never deleted (rounds and plans stay for the
record), so there is no foreign key to a particular owner table.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import Model

if TYPE_CHECKING:
    from wijkfonds.models.user import User


class Photo(Model):
    """One uploaded image: its stored widths, its alt text, and whether staff hid it."""

    __tablename__ = "photo"
    __table_args__ = (
        Index("ix_photo_owner", "owner_kind", "owner_id"),
        Index("ix_photo_digest", "digest"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_kind: Mapped[str] = mapped_column(String(32))
    owner_id: Mapped[int] = mapped_column()
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Hex SHA-256 (first 32 digits) of the largest stored file: the files are
    # <digest>-<width>.<ext>, so a name never changes what it shows.
    digest: Mapped[str] = mapped_column(String(32))
    fmt: Mapped[str] = mapped_column(String(8))  # "jpeg", "png" or "webp"
    widths: Mapped[str] = mapped_column(String(64))  # stored widths, ascending: "320,640,1280"
    width: Mapped[int] = mapped_column()  # of the largest stored file
    height: Mapped[int] = mapped_column()
    alt: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    hidden_at: Mapped[datetime | None] = mapped_column()
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    hidden_reason: Mapped[str] = mapped_column(String(300), default="")

    uploader: Mapped[User | None] = relationship("User", foreign_keys=[uploader_id])
    hidden_by: Mapped[User | None] = relationship("User", foreign_keys=[hidden_by_id])
