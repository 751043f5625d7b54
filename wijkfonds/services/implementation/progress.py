"""A funded plan's progress: its status, dated updates (with a photo), and milestones."""

from __future__ import annotations

from datetime import date, datetime

from wijkfonds.common.timeutil import to_local, utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import Implementation, ImplementationStatus, ImplementationUpdate, Milestone, User
from wijkfonds.services.audit import log as audit
from wijkfonds.services.dialogue.hiding import (  # one rule for a moderator's (and a stop) reason, and for hiding
    clean_reason,
    hide_recorded,
    unhide_recorded,
)
from wijkfonds.services.errors import DomainError, ValidationFailed
from wijkfonds.services.implementation.records import (
    is_staff,
    require,
    require_staff,
    require_writer,
    status_label,
)
from wijkfonds.services.media import photos
from wijkfonds.services.notifications import events as notify

S = ImplementationStatus
BODY_MAX = 2000
TITLE_MAX = 200
# Which status may follow which; afgerond and gestopt are final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.GRANTED.value: (S.STARTED.value, S.STOPPED.value),
    S.STARTED.value: (S.IN_PROGRESS.value, S.COMPLETED.value, S.STOPPED.value),
    S.IN_PROGRESS.value: (S.COMPLETED.value, S.STOPPED.value),
    S.COMPLETED.value: (),
    S.STOPPED.value: (),
}
RUNNING = (S.STARTED.value, S.IN_PROGRESS.value)
FINISHED = (S.COMPLETED.value, S.STOPPED.value)


def local_today(now: datetime | None = None) -> date:
    """Today's date in Amsterdam."""
    return to_local(now or utcnow()).date()


def next_statuses(impl: Implementation) -> tuple[str, ...]:
    """The statuses the record may move to now."""
    return TRANSITIONS.get(impl.status, ())


def set_status(
    impl: Implementation, status: str, actor: User, *, reason: str | None = None, now: datetime | None = None
) -> None:
    """Move the plan to ``status`` (staff); gestopt needs a reason, shown on the plan's page."""
    require_staff(actor)
    if status not in TRANSITIONS:
        raise ValidationFailed([("status", _("Kies een bestaande status."))])
    if status not in next_statuses(impl):
        raise ValidationFailed(
            [
                (
                    "status",
                    _(
                        "Een plan met de status ‘%(now)s’ kan niet naar ‘%(new)s’.",
                        now=status_label(impl.status),
                        new=status_label(status),
                    ),
                )
            ]
        )
    text = ""
    if status == S.STOPPED.value:
        try:
            text = clean_reason(reason)
        except ValidationFailed:
            raise ValidationFailed(
                [("reason", _("Geef een reden waarom het plan stopt (hoogstens 300 tekens)."))]
            ) from None
    when = now or utcnow()
    before = impl.status
    impl.status = status
    impl.stop_reason = text
    impl.status_changed_at = when
    if status == S.STARTED.value:
        impl.started_at = when
    if status in FINISHED:
        impl.completed_at = when
    db.session.flush()
    audit.record(
        "implementation.status_changed",
        actor=actor,
        round_id=impl.round_id,
        initiative_id=impl.initiative_id,
        before=before,
        after=status,
        reason=text,
    )


def _clean_body(body: str | None) -> str:
    text = (body or "").strip()
    if not text:
        raise ValidationFailed([("body", _("Schrijf eerst wat er is gebeurd."))])
    if len(text) > BODY_MAX:
        raise ValidationFailed([("body", _("Een bericht mag hoogstens %(n)d tekens hebben.", n=BODY_MAX))])
    return text


def add_update(
    impl: Implementation,
    author: User,
    body: str | None,
    *,
    photo: photos.Stored | None = None,
    alt: str | None = None,
    now: datetime | None = None,
) -> ImplementationUpdate:
    """A dated update by the initiator or staff, with at most one photo; the plan's followers hear of it."""
    require(impl.initiative)  # updates only on a plan that is (still) funded
    require_writer(impl, author)
    text = _clean_body(body)
    if photo is not None:
        photos.clean_alt(alt)  # before anything is written: a refused alt text saves nothing
    update = ImplementationUpdate(
        implementation_id=impl.id,
        author_id=author.id,
        by_staff=is_staff(author) and impl.initiative.author_id != author.id,
        body=text,
        created_at=now or utcnow(),
        hidden_reason="",
    )
    db.session.add(update)
    db.session.flush()
    photo_id = photos.attach(photos.OWNER_UPDATE, update.id, photo, alt, author).id if photo is not None else None
    audit.record(
        "implementation.update_posted",
        actor=author,
        round_id=impl.round_id,
        initiative_id=impl.initiative_id,
        update_id=update.id,
        photo_id=photo_id,
    )
    first_line = text.splitlines()[0]
    notify.plan_update(impl.initiative, title=first_line[:80], text=text, update_id=update.id, author_id=author.id)
    return update


def visible_updates(impl: Implementation) -> list[ImplementationUpdate]:
    """The updates the public sees, oldest first."""
    return [u for u in impl.updates if u.hidden_at is None]


def last_update_at(impl: Implementation) -> datetime | None:
    """When the newest visible update was posted."""
    shown = visible_updates(impl)
    return max(u.created_at for u in shown) if shown else None


def hide_update(update: ImplementationUpdate, moderator: User, reason: str | None) -> None:
    """Hide an update with a reason shown in its place (staff), as comments are hidden."""
    require_staff(moderator)
    hide_recorded(
        update,
        moderator,
        reason,
        already=_("Dit bericht is al verborgen."),
        event="implementation.update_hidden",
        details=lambda: _update_details(update),
    )


def unhide_update(update: ImplementationUpdate, moderator: User) -> None:
    """Show a hidden update again."""
    require_staff(moderator)
    unhide_recorded(
        update,
        moderator,
        not_hidden=_("Dit bericht is niet verborgen."),
        event="implementation.update_unhidden",
        details=lambda: _update_details(update),
    )


def _update_details(update: ImplementationUpdate) -> dict[str, int | None]:
    impl = update.implementation
    return {"round_id": impl.round_id, "initiative_id": impl.initiative_id, "update_id": update.id}


def add_milestone(impl: Implementation, actor: User, title: str | None, target_on: date | None) -> Milestone:
    """A step with a target date (staff)."""
    require_staff(actor)
    errors: list[tuple[str | None, str]] = []
    text = " ".join((title or "").split())
    if not text:
        errors.append(("title", _("Geef de mijlpaal een naam.")))
    elif len(text) > TITLE_MAX:
        errors.append(("title", _("Een mijlpaal mag hoogstens %(n)d tekens hebben.", n=TITLE_MAX)))
    if target_on is None:
        errors.append(("target_on", _("Kies de datum waarop deze stap klaar moet zijn.")))
    if impl.status in FINISHED:
        errors.append((None, _("Dit plan is afgerond of gestopt: er komen geen mijlpalen meer bij.")))
    if errors:
        raise ValidationFailed(errors)
    assert target_on is not None
    milestone = Milestone(implementation_id=impl.id, title=text, target_on=target_on)
    db.session.add(milestone)
    db.session.flush()
    audit.record(
        "implementation.milestone_added",
        actor=actor,
        round_id=impl.round_id,
        initiative_id=impl.initiative_id,
        milestone_id=milestone.id,
        title=text,
        target_on=target_on.isoformat(),
    )
    return milestone


def complete_milestone(
    impl: Implementation, milestone: Milestone, actor: User, done_on: date | None, *, now: datetime | None = None
) -> None:
    """Mark a milestone as done on ``done_on`` (staff; not in the future)."""
    require_staff(actor)
    if milestone.implementation_id != impl.id:
        raise DomainError(_("Deze mijlpaal hoort niet bij dit plan."), 404)
    if milestone.done_on is not None:
        raise DomainError(_("Deze mijlpaal is al gehaald."), 409)
    if done_on is None:
        raise ValidationFailed([("done_on", _("Kies de datum waarop deze stap klaar was."))])
    if done_on > local_today(now):
        raise ValidationFailed([("done_on", _("Een mijlpaal kan niet in de toekomst gehaald zijn."))])
    milestone.done_on = done_on
    db.session.flush()
    audit.record(
        "implementation.milestone_done",
        actor=actor,
        round_id=impl.round_id,
        initiative_id=impl.initiative_id,
        milestone_id=milestone.id,
        done_on=done_on.isoformat(),
    )
