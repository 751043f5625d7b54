"""Dialogue: comments (one level of replies) and reports."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import Model

if TYPE_CHECKING:
    from wijkfonds.models.initiative import Initiative
    from wijkfonds.models.user import User


class Comment(Model):
    """A comment on an initiative, or a reply to a top-level comment."""

    __tablename__ = "comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column()
    hidden_at: Mapped[datetime | None] = mapped_column()
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    hidden_reason: Mapped[str] = mapped_column(String(300), default="")

    author: Mapped[User] = relationship("User", foreign_keys=[author_id])
    hidden_by: Mapped[User | None] = relationship("User", foreign_keys=[hidden_by_id])
    replies: Mapped[list[Comment]] = relationship(order_by="Comment.id")
    initiative: Mapped[Initiative] = relationship("Initiative")


class Report(Model):
    """Someone flagged a comment for moderation."""

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(String(300), default="")
    resolved: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    comment: Mapped[Comment] = relationship("Comment")
