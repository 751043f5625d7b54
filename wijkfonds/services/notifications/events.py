"""The events that notify: each hook writes rows in its caller's transaction and returns.

Hooks, called by the service that makes the change:

- ``comment_posted(comment)``: from ``dialogue.comments.post``; every follower of the plan
  except the commenter;
- ``support_counted(ini)``: from ``dialogue.initiatives.set_support``; the author, once, when
  the plan reaches the round's threshold;
- ``review_decided(ini)``: from ``rounds.review.decide``; the author, with the decision and
  its public reason;
- ``result_published(run)``: from ``results.publication.publish``; every follower of a plan
  in the result, one item per account with the outcome and explanation of each plan it
  follows;
- ``plan_update(ini, title=, text=, update_id=)``: from ``implementation.progress.add_update``;
  news about a funded plan for its followers.

And one function for the task queue's periodic run, which commits its own work:

- ``notify_due(now)``: "voting has opened" for every district of every round whose voting
  runs at ``now``, each (round, district) once however often it runs.

No hook and nothing here reads Ballot, Voter or Receipt rows: notices follow from plans,
support, follows and districts, never from how or whether anyone voted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import (
    AllocationRun,
    Comment,
    DistrictBudget,
    Initiative,
    NotificationKind,
    NotificationMark,
    Round,
    Status,
    User,
)
from wijkfonds.services.notifications.delivery import deliver, deliver_each, recipients
from wijkfonds.services.notifications.follows import follower_ids
from wijkfonds.services.notifications.settings import settings_of

UPDATE_TITLE_MAX, UPDATE_TEXT_MAX = 200, 2000


def mark_once(key: str) -> bool:
    """Record that the notice ``key`` went out; False when it had already (it must not go again)."""
    if db.session.scalar(select(NotificationMark.id).where(NotificationMark.key == key)) is not None:
        return False
    try:
        with db.session.begin_nested():  # two at once: the second waits for the first, then finds its row
            db.session.add(NotificationMark(key=key))
    except IntegrityError:
        return False
    return True


def comment_posted(comment: Comment) -> int:
    """A comment or reply was posted: tell the plan's followers, not its writer; how many were told."""
    ini = db.session.get(Initiative, comment.initiative_id)
    if ini is None:
        return 0
    followers = follower_ids(ini) - {comment.author_id}
    return deliver_each(followers, NotificationKind.COMMENT, {"comment_id": comment.id, "initiative_id": ini.id})


def support_counted(ini: Initiative) -> bool:
    """Support was given: when the plan now has enough, tell its author (once per plan ever)."""
    threshold = ini.round.support_threshold
    if ini.author_id is None or ini.support_count < threshold:
        return False
    if not mark_once(f"threshold:{ini.id}"):
        return False
    author = db.session.get(User, ini.author_id)
    data = {"initiative_id": ini.id, "support": ini.support_count, "threshold": threshold}
    return author is not None and deliver(author, NotificationKind.THRESHOLD, data)


def review_decided(ini: Initiative) -> bool:
    """Staff decided on a plan: tell its author the decision and its public reason."""
    author = db.session.get(User, ini.author_id) if ini.author_id is not None else None
    if author is None:
        return False
    data = {
        "initiative_id": ini.id,
        "decision": ini.status,
        "reason": ini.infeasible_reason if ini.status == Status.NOT_FEASIBLE.value else "",
        "cost": ini.estimated_cost,
    }
    return deliver(author, NotificationKind.REVIEW, data)


def result_published(run: AllocationRun, *, replaces: bool = False) -> int:
    """A result was published: each follower gets the outcome of the plans they follow; how many were told."""
    outcomes = (run.result or {}).get("outcomes", {})
    ids = sorted({int(o["initiative_id"]) for o in outcomes.values()})
    followed: dict[int, list[int]] = {}
    for ini in db.session.scalars(select(Initiative).where(Initiative.id.in_(ids)).order_by(Initiative.id)):
        for uid in follower_ids(ini):
            followed.setdefault(uid, []).append(ini.id)
    users = recipients(followed)
    prefs = settings_of(u.id for u in users)
    told = 0
    for user in users:
        data = {"round_id": run.round_id, "run_id": run.id, "initiative_ids": followed[user.id], "replaces": replaces}
        told += deliver(user, NotificationKind.RESULT, data, prefs[user.id])
    return told


def plan_update(
    ini: Initiative, *, title: str, text: str, update_id: int | None = None, author_id: int | None = None
) -> int:
    """News about a funded plan (its progress, photos): tell its followers; how many were told.

    From ``implementation.progress.add_update``, with the update's id (a digest item of an
    update that staff hid in the meantime is left out, as for comments) and its writer (who
    is not told of their own news).
    """
    if ini.status != Status.FUNDED.value:
        raise ValueError(f"plan {ini.id} is not funded; only funded plans have updates")
    data: dict[str, int | str] = {
        "initiative_id": ini.id,
        "title": title.strip()[:UPDATE_TITLE_MAX],
        "text": text.strip()[:UPDATE_TEXT_MAX],
    }
    if update_id is not None:
        data["update_id"] = update_id
    return deliver_each(follower_ids(ini) - {author_id}, NotificationKind.PLAN_UPDATE, data)


def _voting_rounds(now: datetime) -> list[Round]:
    return list(
        db.session.scalars(
            select(Round)
            .where(Round.voting_start <= now, Round.results_start > now, Round.imported.is_(False))
            .order_by(Round.id)
        )
    )


def notify_due(now: datetime | None = None) -> int:
    """Send "voting has opened" for every (round, district) whose voting runs at ``now``, each once.

    Idempotent: a (round, district) is marked in the transaction that writes its notices, so
    a second run (or a second worker at the same time) sends nothing again. Commits once per
    district; returns how many accounts were told. ``now`` is naive UTC (tests pass it).
    """
    now = now or utcnow()
    told = 0
    for rnd in _voting_rounds(now):
        district_ids = list(
            db.session.scalars(
                select(DistrictBudget.district_id)
                .where(DistrictBudget.round_id == rnd.id, DistrictBudget.amount > 0)
                .order_by(DistrictBudget.district_id)
            )
        )
        for district_id in district_ids:
            if not mark_once(f"voting_open:{rnd.id}:{district_id}"):
                continue
            residents = db.session.scalars(select(User.id).where(User.district_id == district_id))
            data = {"round_id": rnd.id, "district_id": district_id}
            told += deliver_each(residents, NotificationKind.VOTING_OPEN, data, now=now)
            db.session.commit()  # the mark and its notices together (the task queue is asked to send)
    db.session.commit()
    return told
