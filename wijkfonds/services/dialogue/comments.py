"""Dialogue: comments with one level of replies, editing for a short while, reports, moderation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from wijkfonds.common.timeutil import duration_text, utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import Comment, Initiative, Report, User
from wijkfonds.services import ratelimit
from wijkfonds.services.audit import log as audit
from wijkfonds.services.dialogue.hiding import clean_reason, hide_recorded, unhide_recorded
from wijkfonds.services.errors import DomainError, NotAllowed, ValidationFailed
from wijkfonds.services.notifications import events as notify

if TYPE_CHECKING:
    from sqlalchemy.engine import CursorResult

BODY_MAX = 2000
REPORT_BUCKET = "report"
COMMENT_BUCKET = "comment"


def _clean_body(body: str | None) -> str:
    text = (body or "").strip()
    if not text:
        raise ValidationFailed([("body", _("Schrijf eerst uw reactie."))])
    if len(text) > BODY_MAX:
        raise ValidationFailed([("body", _("Uw reactie mag hoogstens %(n)d tekens hebben.", n=BODY_MAX))])
    return text


def thread(ini: Initiative) -> list[Comment]:
    """Top-level comments of an initiative, oldest first, with their replies loaded."""
    return list(
        db.session.scalars(
            select(Comment)
            .where(Comment.initiative_id == ini.id, Comment.parent_id.is_(None))
            .options(selectinload(Comment.replies).selectinload(Comment.author), selectinload(Comment.author))
            .order_by(Comment.created_at, Comment.id)
        )
    )


def count_for(ini: Initiative) -> int:
    """Number of comments (with replies) on an initiative."""
    return db.session.scalar(select(func.count(Comment.id)).where(Comment.initiative_id == ini.id)) or 0


def check_comment_limits(author: User, limits: Sequence[tuple[int, int]]) -> None:
    """Raise RateLimited when ``author`` posted too many comments lately (plans and themes together)."""
    key = f"user:{author.id}"
    for limit in limits:
        ratelimit.check(
            COMMENT_BUCKET,
            key,
            limit,
            _(
                "U heeft in korte tijd al %(n)d reacties geplaatst. Probeer het over %(window)s opnieuw.",
                n=limit[0],
                window=duration_text(limit[1]),
            ),
        )


def count_comment(author: User) -> None:
    """Count one posted comment for the limits of check_comment_limits."""
    ratelimit.hit(COMMENT_BUCKET, f"user:{author.id}")


def post(
    ini: Initiative,
    author: User,
    body: str | None,
    parent_id: int | None = None,
    *,
    limits: Sequence[tuple[int, int]] = (),
) -> Comment:
    """Add a comment or a reply; a reply to a reply attaches to its top-level comment.

    ``limits`` are (comments, seconds) per account (COMMENT_RATE_LIMITS); RateLimited when used up.
    """
    text = _clean_body(body)
    check_comment_limits(author, limits)
    parent: Comment | None = None
    if parent_id is not None:
        parent = db.session.get(Comment, parent_id)
        if parent is None or parent.initiative_id != ini.id:
            raise ValidationFailed([("body", _("De reactie waarop u antwoordt bestaat niet (meer)."))])
        if parent.parent_id is not None:
            parent = db.session.get(Comment, parent.parent_id)
    comment = Comment(
        initiative_id=ini.id, author_id=author.id, body=text, parent_id=parent.id if parent is not None else None
    )
    db.session.add(comment)
    count_comment(author)
    db.session.flush()
    notify.comment_posted(comment)  # the plan's followers: rows in this transaction
    return comment


def edit_deadline(comment: Comment, minutes: int) -> datetime:
    """Until when the author may still change the comment."""
    return comment.created_at + timedelta(minutes=minutes)


def can_edit(comment: Comment, user: User | None, minutes: int, now: datetime | None = None) -> bool:
    """True for the author, within the edit window, of a comment that is not hidden."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and comment.author_id == user.id
        and comment.hidden_at is None
        and (now or utcnow()) <= edit_deadline(comment, minutes)
    )


def edit(comment: Comment, user: User, body: str | None, *, minutes: int, now: datetime | None = None) -> Comment:
    """Change one's own comment within ``minutes`` after posting; it then shows as edited."""
    if comment.author_id != user.id:
        raise NotAllowed(_("U kunt alleen uw eigen reacties bewerken."))
    if comment.hidden_at is not None:
        raise DomainError(_("Een verborgen reactie kan niet worden bewerkt."), 409)
    if (now or utcnow()) > edit_deadline(comment, minutes):
        raise DomainError(
            _("U kunt een reactie alleen in de eerste %(n)d minuten na het plaatsen bewerken.", n=minutes), 409
        )
    text = _clean_body(body)
    if text != comment.body:
        comment.body = text
        comment.edited_at = now or utcnow()
        db.session.flush()
    return comment


def report(comment: Comment, reporter: User | None, reason: str | None, *, ip: str, limit: tuple[int, int]) -> Report:
    """Flag a comment for the moderators; rate limited per account or, when anonymous, per IP."""
    key = f"user:{reporter.id}" if reporter is not None else f"ip:{ip}"
    ratelimit.check(REPORT_BUCKET, key, limit, _("U heeft veel reacties gemeld. Probeer het later opnieuw."))
    text = clean_reason(reason)
    if reporter is not None:
        open_report = db.session.scalars(
            select(Report).where(
                Report.comment_id == comment.id, Report.reporter_id == reporter.id, Report.resolved.is_(False)
            )
        ).first()
        if open_report is not None:
            return open_report
    ratelimit.hit(REPORT_BUCKET, key)
    item = Report(comment_id=comment.id, reporter_id=reporter.id if reporter is not None else None, reason=text)
    db.session.add(item)
    db.session.flush()
    return item


def _resolve_reports(comment: Comment) -> int:
    # An UPDATE's result is a CursorResult (Session.execute is typed for any statement).
    result = cast(
        "CursorResult[Any]",
        db.session.execute(
            update(Report).where(Report.comment_id == comment.id, Report.resolved.is_(False)).values(resolved=True)
        ),
    )
    return result.rowcount or 0


def hide(comment: Comment, moderator: User, reason: str | None) -> None:
    """Hide a comment with a reason shown in its place; its open reports are resolved."""
    hide_recorded(
        comment,
        moderator,
        reason,
        already=_("Deze reactie is al verborgen."),
        event="comment.hidden",
        details=lambda: _comment_details(comment),
        resolve=lambda: _resolve_reports(comment),
    )


def _comment_details(comment: Comment) -> dict[str, Any]:
    return {"round_id": comment.initiative.round_id, "comment_id": comment.id, "initiative_id": comment.initiative_id}


def unhide(comment: Comment, moderator: User) -> None:
    """Show a hidden comment again."""
    unhide_recorded(
        comment,
        moderator,
        not_hidden=_("Deze reactie is niet verborgen."),
        event="comment.unhidden",
        details=lambda: _comment_details(comment),
    )


def dismiss_reports(comment: Comment, moderator: User) -> int:
    """Close the open reports of a comment without hiding it; returns how many."""
    resolved = _resolve_reports(comment)
    if resolved == 0:
        raise DomainError(_("Er zijn geen open meldingen over deze reactie."), 409)
    db.session.flush()
    audit.record("comment.reports_dismissed", actor=moderator, **_comment_details(comment), reports_resolved=resolved)
    return resolved


@dataclass(frozen=True)
class QueueItem:
    """A reported comment with its open reports."""

    comment: Comment
    reports: list[Report]


def queue() -> list[QueueItem]:
    """Comments with open reports, most reported first, then oldest report first."""
    rows = db.session.scalars(
        select(Report)
        .where(Report.resolved.is_(False))
        .options(selectinload(Report.comment))
        .order_by(Report.created_at, Report.id)
    ).all()
    grouped: dict[int, list[Report]] = {}
    for r in rows:
        grouped.setdefault(r.comment_id, []).append(r)
    items = [QueueItem(reports[0].comment, reports) for reports in grouped.values()]
    items.sort(key=lambda q: (-len(q.reports), q.reports[0].created_at, q.comment.id))
    return items


def recently_hidden(limit: int = 50) -> list[Comment]:
    """Hidden comments, most recently hidden first (so moderators can undo)."""
    return list(
        db.session.scalars(
            select(Comment).where(Comment.hidden_at.is_not(None)).order_by(Comment.hidden_at.desc()).limit(limit)
        )
    )


def open_reports(comment: Comment) -> list[Report]:
    """The open reports about one comment, oldest first."""
    return list(
        db.session.scalars(
            select(Report).where(Report.comment_id == comment.id, Report.resolved.is_(False)).order_by(Report.id)
        )
    )
