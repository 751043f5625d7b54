"""Moderation of the needs board, as for comments: reports by residents, hiding with a reason (staff)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult

from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import Need, NeedReply, NeedReport, User
from wijkfonds.services import ratelimit
from wijkfonds.services.audit import log as audit
from wijkfonds.services.dialogue.comments import REPORT_BUCKET
from wijkfonds.services.dialogue.hiding import clean_reason, hide_recorded, unhide_recorded
from wijkfonds.services.errors import ValidationFailed


def report(
    need: Need, reply: NeedReply | None, reporter: User, reason: str | None, *, limit: tuple[int, int]
) -> NeedReport:
    """Flag a need (or one of its replies) for the moderators; one open report per person and item."""
    if reply is not None and reply.need_id != need.id:
        raise ValidationFailed([(None, _("Deze reactie hoort niet bij deze behoefte."))])
    key = f"user:{reporter.id}"
    ratelimit.check(REPORT_BUCKET, key, limit, _("U heeft veel berichten gemeld. Probeer het later opnieuw."))
    text = clean_reason(reason)
    reply_id = reply.id if reply is not None else None
    existing = db.session.scalars(
        select(NeedReport).where(
            NeedReport.need_id == need.id,
            NeedReport.reply_id.is_(None) if reply_id is None else NeedReport.reply_id == reply_id,
            NeedReport.reporter_id == reporter.id,
            NeedReport.resolved.is_(False),
        )
    ).first()
    if existing is not None:
        return existing
    ratelimit.hit(REPORT_BUCKET, key)
    item = NeedReport(need_id=need.id, reply_id=reply_id, reporter_id=reporter.id, reason=text)
    db.session.add(item)
    db.session.flush()
    audit.record("need.reported", actor=reporter, need_id=need.id, reply_id=reply_id, report_id=item.id)
    return item


def _resolve(need_id: int, reply_id: int | None) -> int:
    where = [NeedReport.need_id == need_id, NeedReport.resolved.is_(False)]
    where.append(NeedReport.reply_id.is_(None) if reply_id is None else NeedReport.reply_id == reply_id)
    result = cast("CursorResult[Any]", db.session.execute(update(NeedReport).where(*where).values(resolved=True)))
    return result.rowcount or 0


def hide(item: Need | NeedReply, moderator: User, reason: str | None) -> None:
    """Hide a need or a reply with a reason shown in its place; its open reports are resolved."""
    is_need = isinstance(item, Need)
    need_id, reply_id = _ids(item)
    hide_recorded(
        item,
        moderator,
        reason,
        already=_("Deze behoefte is al verborgen.") if is_need else _("Deze reactie is al verborgen."),
        event="need.hidden" if is_need else "need.reply_hidden",
        details=lambda: {"need_id": need_id, "reply_id": reply_id},
        resolve=lambda: _resolve(need_id, reply_id),
    )


def unhide(item: Need | NeedReply, moderator: User) -> None:
    """Show a hidden need or reply again."""
    is_need = isinstance(item, Need)
    need_id, reply_id = _ids(item)
    unhide_recorded(
        item,
        moderator,
        not_hidden=_("Deze behoefte is niet verborgen.") if is_need else _("Deze reactie is niet verborgen."),
        event="need.unhidden" if is_need else "need.reply_unhidden",
        details=lambda: {"need_id": need_id, "reply_id": reply_id},
    )


def _ids(item: Need | NeedReply) -> tuple[int, int | None]:
    """(need_id, reply_id) of a need (no reply) or of a reply."""
    return (item.id, None) if isinstance(item, Need) else (item.need_id, item.id)


def open_reports(need: Need) -> list[NeedReport]:
    """The open reports about a need and its replies, oldest first (for staff on the need's page)."""
    return list(
        db.session.scalars(
            select(NeedReport)
            .where(NeedReport.need_id == need.id, NeedReport.resolved.is_(False))
            .order_by(NeedReport.id)
        )
    )


def reported_needs() -> list[tuple[Need, int]]:
    """Needs with open reports (about them or their replies), most reported first."""
    rows = db.session.scalars(select(NeedReport).where(NeedReport.resolved.is_(False)).order_by(NeedReport.id)).all()
    counts: dict[int, int] = {}
    for r in rows:
        counts[r.need_id] = counts.get(r.need_id, 0) + 1
    needs = {n.id: n for n in db.session.scalars(select(Need).where(Need.id.in_(counts)))}
    return sorted(((needs[i], n) for i, n in counts.items()), key=lambda t: (-t[1], t[0].id))
