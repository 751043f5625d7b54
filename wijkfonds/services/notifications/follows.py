"""Who follows a plan: explicit follows, and by default its author and its supporters.

An account follows a plan when it chose to (a ``Follow`` row with ``following``), or,
without a row, when it wrote the plan and ``follow_own`` is on, or supports it and
``follow_supported`` is on. Unfollowing writes a row with ``following`` False, which
overrides the default for that plan only. Nothing here reads ballots.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from wijkfonds.extensions import db
from wijkfonds.models import Follow, Initiative, Support, User
from wijkfonds.services.notifications.settings import settings_for, settings_of


class Why(str, enum.Enum):  # noqa: UP042  # StrEnum would change what str() gives for a member
    """Why an account follows a plan (or does not)."""

    CHOSEN = "chosen"  # followed it explicitly
    OWN = "own"  # wrote it (follow_own)
    SUPPORTED = "supported"  # supports it (follow_supported)
    UNFOLLOWED = "unfollowed"  # chose not to follow it
    NOT = "not"  # no reason to


@dataclass(frozen=True)
class FollowState:
    """Whether an account follows a plan, and why."""

    following: bool
    why: Why


def _supports(user_id: int, initiative_id: int) -> bool:
    found = db.session.scalar(
        select(Support.id).where(Support.initiative_id == initiative_id, Support.user_id == user_id)
    )
    return found is not None


def state(user: User, ini: Initiative) -> FollowState:
    """Whether ``user`` follows ``ini`` (see the module)."""
    chosen = db.session.scalar(
        select(Follow.following).where(Follow.user_id == user.id, Follow.initiative_id == ini.id)
    )
    if chosen is not None:
        return FollowState(True, Why.CHOSEN) if chosen else FollowState(False, Why.UNFOLLOWED)
    prefs = settings_for(user)
    if ini.author_id == user.id and prefs.follow_own:
        return FollowState(True, Why.OWN)
    if prefs.follow_supported and _supports(user.id, ini.id):
        return FollowState(True, Why.SUPPORTED)
    return FollowState(False, Why.NOT)


def set_following(user: User, ini: Initiative, following: bool) -> FollowState:
    """Follow (True) or unfollow (False) one plan; idempotent; returns the new state."""
    row = db.session.scalars(select(Follow).where(Follow.user_id == user.id, Follow.initiative_id == ini.id)).first()
    if row is None:
        try:
            with db.session.begin_nested():  # a double click in two requests: the other one's row wins
                db.session.add(Follow(user_id=user.id, initiative_id=ini.id, following=following))
        except IntegrityError:
            row = db.session.scalars(
                select(Follow).where(Follow.user_id == user.id, Follow.initiative_id == ini.id)
            ).one()
    if row is not None:
        row.following = following
    db.session.flush()
    return state(user, ini)


def follower_ids(ini: Initiative) -> set[int]:
    """Ids of every account that follows ``ini`` (see the module), active or not."""
    chosen: dict[int, bool] = dict(
        db.session.execute(select(Follow.user_id, Follow.following).where(Follow.initiative_id == ini.id)).all()
    )
    supporters = set(db.session.scalars(select(Support.user_id).where(Support.initiative_id == ini.id)))
    undecided = (supporters | ({ini.author_id} if ini.author_id is not None else set())) - set(chosen)
    prefs = settings_of(undecided)
    by_default = {
        uid
        for uid in undecided
        if (uid == ini.author_id and prefs[uid].follow_own) or (uid in supporters and prefs[uid].follow_supported)
    }
    return {uid for uid, on in chosen.items() if on} | by_default


def followed_by(user: User) -> list[tuple[Initiative, Why]]:
    """Every plan ``user`` follows, newest first, with the reason."""
    chosen: dict[int, bool] = dict(
        db.session.execute(select(Follow.initiative_id, Follow.following).where(Follow.user_id == user.id)).all()
    )
    prefs = settings_for(user)
    reasons: dict[int, Why] = {iid: Why.CHOSEN for iid, on in chosen.items() if on}
    if prefs.follow_supported:
        for iid in db.session.scalars(select(Support.initiative_id).where(Support.user_id == user.id)):
            if iid not in chosen:
                reasons[iid] = Why.SUPPORTED
    if prefs.follow_own:
        for iid in db.session.scalars(select(Initiative.id).where(Initiative.author_id == user.id)):
            if iid not in chosen:
                reasons[iid] = Why.OWN
    if not reasons:
        return []
    plans = db.session.scalars(
        select(Initiative).where(Initiative.id.in_(list(reasons))).order_by(Initiative.created_at.desc(), Initiative.id)
    )
    return [(ini, reasons[ini.id]) for ini in plans]
