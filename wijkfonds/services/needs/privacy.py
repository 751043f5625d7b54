"""What the needs board keeps about a person: ``personal_data(user)`` for the export, ``forget(user)`` on deletion.

Needs and replies stay with their text, shown as "verwijderd account" (as comments do); the
person's herkenbaar marks are removed (as support before voting is); their reports stay for
the moderators without their name. Staff's answers and hiding are listed as staff actions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from wijkfonds.extensions import db
from wijkfonds.models import Need, NeedRecognition, NeedReply, NeedReport, NeedResponse, User


def _t(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds") + "Z"


def personal_data(user: User) -> dict[str, Any]:
    """The export's parts about needs: own needs, replies, herkenbaar marks, reports, staff answers."""
    needs = db.session.scalars(select(Need).where(Need.author_id == user.id).order_by(Need.id))
    replies = db.session.execute(
        select(NeedReply, Need.title)
        .join(Need, Need.id == NeedReply.need_id)
        .where(NeedReply.author_id == user.id)
        .order_by(NeedReply.id)
    )
    marks = db.session.execute(
        select(NeedRecognition, Need.title)
        .join(Need, Need.id == NeedRecognition.need_id)
        .where(NeedRecognition.user_id == user.id)
        .order_by(NeedRecognition.id)
    )
    reports = db.session.scalars(select(NeedReport).where(NeedReport.reporter_id == user.id).order_by(NeedReport.id))
    answers = db.session.scalars(
        select(NeedResponse).where(NeedResponse.author_id == user.id).order_by(NeedResponse.id)
    )
    hidden = db.session.scalars(select(Need).where(Need.hidden_by_id == user.id).order_by(Need.id))
    hidden_replies = db.session.scalars(
        select(NeedReply).where(NeedReply.hidden_by_id == user.id).order_by(NeedReply.id)
    )
    return {
        "needs": [
            {
                "id": n.id,
                "district": n.district.name,
                "building_block": n.block.name_nl if n.block is not None else None,
                "title": n.title,
                "text": n.body,
                "anonymous": n.anonymous,
                "posted_for_a_resident": n.on_behalf,
                "source": n.source,
                "created_at": _t(n.created_at),
                "hidden_at": _t(n.hidden_at),
                "hidden_reason": n.hidden_reason or None,
            }
            for n in needs
        ],
        "need_replies": [
            {
                "need_id": r.need_id,
                "need": title,
                "text": r.body,
                "created_at": _t(r.created_at),
                "hidden_at": _t(r.hidden_at),
            }
            for r, title in replies
        ],
        "need_recognitions": [
            {"need_id": m.need_id, "need": title, "created_at": _t(m.created_at)} for m, title in marks
        ],
        "need_reports": [
            {
                "need_id": r.need_id,
                "reply_id": r.reply_id,
                "reason": r.reason,
                "resolved": r.resolved,
                "created_at": _t(r.created_at),
            }
            for r in reports
        ],
        "need_staff_actions": {
            "answers": [
                {"need_id": a.need_id, "kind": a.kind, "text": a.text, "created_at": _t(a.created_at)} for a in answers
            ],
            "needs_hidden": [
                {"need_id": n.id, "hidden_at": _t(n.hidden_at), "reason": n.hidden_reason} for n in hidden
            ],
            "replies_hidden": [
                {"reply_id": r.id, "hidden_at": _t(r.hidden_at), "reason": r.hidden_reason} for r in hidden_replies
            ],
        },
    }


def deletion_figures(user: User) -> dict[str, int]:
    """For the confirmation page of deleting an account: needs and replies kept, herkenbaar marks removed."""
    count = func.count()
    return {
        "needs": db.session.scalar(select(count).select_from(Need).where(Need.author_id == user.id)) or 0,
        "replies": db.session.scalar(select(count).select_from(NeedReply).where(NeedReply.author_id == user.id)) or 0,
        "recognitions": db.session.scalar(
            select(count).select_from(NeedRecognition).where(NeedRecognition.user_id == user.id)
        )
        or 0,
    }


def forget(user: User) -> dict[str, int]:
    """On deletion: herkenbaar marks removed, reports kept without the reporter; needs and replies stay."""
    marks = db.session.scalars(select(NeedRecognition.id).where(NeedRecognition.user_id == user.id)).all()
    db.session.execute(delete(NeedRecognition).where(NeedRecognition.user_id == user.id))
    db.session.execute(update(NeedReport).where(NeedReport.reporter_id == user.id).values(reporter_id=None))
    kept = db.session.scalars(select(Need.id).where(Need.author_id == user.id)).all()
    return {"recognitions_removed": len(marks), "needs_kept": len(kept)}
