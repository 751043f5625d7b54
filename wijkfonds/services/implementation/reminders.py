"""Reminding initiators of an overdue update or financial account (the task queue runs it daily).

One mail per plan per IMPLEMENTATION_REMINDER_DAYS at most: ``Implementation.reminded_at``
is set in the transaction that queues the mail, so a second run (or a second worker) in the
same period finds it and sends nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import Implementation, ImplementationStatus, Initiative, Round, Status, User
from wijkfonds.services.implementation.overview import overdue
from wijkfonds.services.implementation.records import loaded
from wijkfonds.services.mail.links import absolute_url
from wijkfonds.services.mail.outbox import queue
from wijkfonds.services.notifications.delivery import may_receive
from wijkfonds.services.notifications.settings import mail_language

TEMPLATE = "implementation_reminder"
S = ImplementationStatus


def due(now: datetime | None = None) -> list[tuple[Implementation, User]]:
    """(record, initiator) of every plan whose initiator owes something and was not reminded this period."""
    now = now or utcnow()
    period = timedelta(days=int(current_app.config["IMPLEMENTATION_REMINDER_DAYS"]))
    stmt = loaded(
        select(Implementation)
        .join(Initiative, Initiative.id == Implementation.initiative_id)
        .join(Round, Round.id == Implementation.round_id)
        .where(
            Initiative.status == Status.FUNDED.value,
            Initiative.author_id.is_not(None),
            Round.imported.is_(False),
            Implementation.status != S.GRANTED.value,
            or_(Implementation.reminded_at.is_(None), Implementation.reminded_at <= now - period),
        )
        .order_by(Implementation.id)
    )
    found = []
    for impl in db.session.scalars(stmt):
        author = impl.initiative.author
        if author is not None and may_receive(author) and overdue(impl, now).reminds_initiator:
            found.append((impl, author))
    return found


def send_reminders(now: datetime | None = None) -> int:
    """Queue one reminder per plan that is due (see ``due``) and commit; how many were queued."""
    now = now or utcnow()
    sent = 0
    for impl, author in due(now):
        late = overdue(impl, now)
        queue(
            author.email,
            TEMPLATE,
            language=mail_language(author),
            context={
                "name": author.display_name,
                "plan_title": impl.initiative.title,
                "update_due": late.update,
                "account_due": late.account,
                "update_days": int(current_app.config["IMPLEMENTATION_UPDATE_DAYS"]),
                "link": absolute_url("implementation.initiator", initiative_id=impl.initiative_id),
            },
        )
        impl.reminded_at = now
        sent += 1
    db.session.commit()
    return sent
