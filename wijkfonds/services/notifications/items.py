"""What one notification shows, built from the plain ids and values an event stored.

An event keeps only ids and a few values (``data``, JSON): an instant message is built at
once, a digest item when the digest goes out, so it shows the plan's title as it is then
and skips what no longer applies (a comment hidden by a moderator, a result replaced by a
newer one, voting that has closed). ``view`` gives the templates' ``item`` (plain values,
no ORM objects) or None for such a stale event. Templates: ``mail/notify/_<kind>.txt`` and
``.html`` show one item; ``mail/notify/<kind>`` (one event) and ``mail/notify/digest``
include them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import Comment, District, ImplementationUpdate, Initiative, NotificationKind, Phase, Round, Status
from wijkfonds.services.mail.links import absolute_url

Item = dict[str, Any]


def _plan(ini: Initiative, **anchor: str) -> Item:
    return {
        "plan_title": ini.title,
        "plan_url": absolute_url("public.detail", initiative_id=ini.id, **anchor),
    }


def _initiative(data: dict[str, Any]) -> Initiative | None:
    iid = data.get("initiative_id")
    return db.session.get(Initiative, iid) if isinstance(iid, int) else None


def _comment(data: dict[str, Any], language: str, now: datetime) -> Item | None:
    cid = data.get("comment_id")
    comment = db.session.get(Comment, cid) if isinstance(cid, int) else None
    if comment is None or comment.hidden_at is not None:
        return None
    return {
        **_plan(comment.initiative, _anchor=f"reactie-{comment.id}"),
        "author": comment.author.display_name if comment.author is not None else "",
        "reply": comment.parent_id is not None,
    }


def _threshold(data: dict[str, Any], language: str, now: datetime) -> Item | None:
    ini = _initiative(data)
    if ini is None:
        return None
    return {**_plan(ini), "support": int(data.get("support", 0)), "threshold": int(data.get("threshold", 0))}


def _review(data: dict[str, Any], language: str, now: datetime) -> Item | None:
    ini = _initiative(data)
    if ini is None:
        return None
    return {
        **_plan(ini),
        "feasible": data.get("decision") == Status.FEASIBLE.value,
        "reason": str(data.get("reason") or ""),
        "cost": data.get("cost"),
    }


def _voting_open(data: dict[str, Any], language: str, now: datetime) -> Item | None:
    rnd = db.session.get(Round, data.get("round_id") or 0)
    district = db.session.get(District, data.get("district_id") or 0)
    if rnd is None or district is None or rnd.phase(now) != Phase.VOTING:
        return None  # voting closed before the digest went out: nothing left to do
    return {
        "round_name": rnd.name,
        "district_name": district.name,
        "until": rnd.results_start,
        "vote_url": absolute_url("vote.index"),
        "round_url": absolute_url("public.index"),
    }


def _result(data: dict[str, Any], language: str, now: datetime) -> Item | None:
    from wijkfonds.services.results.publication import explanation_for, published_run  # publication calls us

    rnd = db.session.get(Round, data.get("round_id") or 0)
    run = published_run(rnd.id) if rnd is not None else None
    if rnd is None or run is None or run.id != data.get("run_id"):
        return None  # replaced by a newer publication, which has an item of its own
    plans = []
    for iid in data.get("initiative_ids", []):
        ini = db.session.get(Initiative, iid) if isinstance(iid, int) else None
        explained = explanation_for(ini, language) if ini is not None else None
        if ini is None or explained is None:
            continue
        plans.append({**_plan(ini), "funded": bool(explained["funded"]), "explanation": str(explained["text"])})
    if not plans:
        return None
    return {
        "round_name": rnd.name,
        "results_url": absolute_url("results.round_results", round_id=rnd.id),
        "replaces": bool(data.get("replaces")),
        "plans": plans,
    }


def _plan_update(data: dict[str, Any], language: str, now: datetime) -> Item | None:
    ini = _initiative(data)
    if ini is None:
        return None
    uid = data.get("update_id")
    update = db.session.get(ImplementationUpdate, uid) if isinstance(uid, int) else None
    if isinstance(uid, int) and (update is None or update.hidden_at is not None):
        return None  # hidden by staff before the digest went out
    return {**_plan(ini), "update_title": str(data.get("title") or ""), "update_text": str(data.get("text") or "")}


VIEWS: dict[NotificationKind, Callable[[dict[str, Any], str, datetime], Item | None]] = {
    NotificationKind.COMMENT: _comment,
    NotificationKind.THRESHOLD: _threshold,
    NotificationKind.REVIEW: _review,
    NotificationKind.VOTING_OPEN: _voting_open,
    NotificationKind.RESULT: _result,
    NotificationKind.PLAN_UPDATE: _plan_update,
}


def view(kind: NotificationKind, data: dict[str, Any], language: str, now: datetime | None = None) -> Item | None:
    """The template values of one event in ``language``, or None when it no longer applies."""
    found = VIEWS[kind](data, language, now or utcnow())
    return None if found is None else {"kind": kind.value, **found}
