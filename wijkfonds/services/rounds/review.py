"""Staff review of initiatives: the queue, feasibility decisions, cost estimates, text fixes.

Initiatives that reached the round's support threshold move from "submitted" to "in
review" by an explicit staff action ("zet in beoordeling", see ``start_review``) rather
than lazily when the queue is opened: a GET never changes state, and the move is one audit
event that says who started the review and when. Deciding on an initiative that reached
the threshold but was not moved yet is allowed too (it simply skips the step).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Select, func, select

from wijkfonds.common.money import too_high
from wijkfonds.common.numbers import MAX_EUROS
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import Initiative, Phase, Revision, Round, Status, User
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import DomainError, ValidationFailed
from wijkfonds.services.labels import PHASES
from wijkfonds.services.notifications import events as notify

FEASIBLE = Status.FEASIBLE.value
NOT_FEASIBLE = Status.NOT_FEASIBLE.value
DECISIONS = (FEASIBLE, NOT_FEASIBLE)
# Statuses an initiative can have while it takes part in the review.
REVIEWABLE = (Status.SUBMITTED.value, Status.IN_REVIEW.value, FEASIBLE, NOT_FEASIBLE)
VIEWS = ("open", "beoordeeld", "alle")
TITLE_MAX, SUMMARY_MAX, DESCRIPTION_MAX, NOTE_MAX, REASON_MAX = 120, 300, 20_000, 300, 2_000


def reached_threshold(ini: Initiative, rnd: Round) -> bool:
    """True when the initiative has at least the round's support threshold."""
    return ini.support_count >= rnd.support_threshold


def queue_query(rnd: Round, view: str = "open", district_id: int | None = None) -> Select[Initiative]:
    """Initiatives of one tab of the queue: open (to decide), beoordeeld (decided) or alle."""
    query = select(Initiative).where(Initiative.round_id == rnd.id)
    if view == "open":
        query = query.where(
            Initiative.status.in_((Status.SUBMITTED.value, Status.IN_REVIEW.value)),
            Initiative.support_count >= rnd.support_threshold,
        )
    elif view == "beoordeeld":
        query = query.where(Initiative.status.in_(DECISIONS))
    if district_id:
        query = query.where(Initiative.district_id == district_id)
    return query.order_by(Initiative.support_count.desc(), Initiative.id)


def queue_counts(rnd: Round) -> dict[str, int]:
    """Number of initiatives in every tab, plus those still waiting for 'zet in beoordeling'."""
    counts = {
        view: db.session.scalar(select(func.count()).select_from(queue_query(rnd, view).subquery())) or 0
        for view in VIEWS
    }
    counts["waiting"] = len(_waiting(rnd))
    return counts


def _waiting(rnd: Round) -> list[Initiative]:
    """Submitted initiatives that reached the threshold but are not in review yet."""
    return list(
        db.session.scalars(
            select(Initiative)
            .where(
                Initiative.round_id == rnd.id,
                Initiative.status == Status.SUBMITTED.value,
                Initiative.support_count >= rnd.support_threshold,
            )
            .order_by(Initiative.id)
        )
    )


def phase_problem(rnd: Round) -> str | None:
    """Why decisions are not possible in this round now, or None during the review phase."""
    phase = rnd.phase()
    if phase == Phase.REVIEW:
        return None
    if phase in (Phase.VOTING, Phase.RESULTS):
        return _("Beoordelen kan niet meer: de stemming is al begonnen. Besluiten en teksten liggen nu vast.")
    return _(
        "Beoordelen kan pas in de beoordelingsfase. Deze ronde is nu in de fase: %(phase)s.",
        phase=str(PHASES[phase.value]),
    )


def item_problem(ini: Initiative, rnd: Round) -> str | None:
    """Why this initiative cannot be decided on now (phase, withdrawn, too little support)."""
    problem = phase_problem(rnd)
    if problem:
        return problem
    if ini.status not in REVIEWABLE:
        return _("Dit plan is ingetrokken en kan niet beoordeeld worden.")
    if ini.status == Status.SUBMITTED.value and not reached_threshold(ini, rnd):
        return _(
            "Dit plan heeft niet genoeg steun (%(count)s van de %(needed)s nodig) en komt niet in de beoordeling.",
            count=ini.support_count,
            needed=rnd.support_threshold,
        )
    return None


def start_review(rnd: Round, *, actor: User) -> int:
    """Move every submitted initiative that reached the threshold to 'in review'."""
    problem = phase_problem(rnd)
    if problem:
        raise DomainError(problem)
    moved = _waiting(rnd)
    for ini in moved:
        ini.status = Status.IN_REVIEW.value
    if moved:
        audit.record("review.started", actor=actor, round_id=rnd.id, initiative_ids=[i.id for i in moved])
    db.session.flush()
    return len(moved)


_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")


def parse_euros(raw: str | None, field: str = "estimated_cost", *, required: bool = True) -> int | None:
    """Whole euros > 0 from form text ('8400', '8.400', '€ 8.400'); ValidationFailed otherwise."""
    text = (raw or "").replace("€", "").replace(" ", "").strip()
    if not text:
        if required:
            raise ValidationFailed([(field, _("Vul de kosten in, in hele euro's."))])
        return None
    if _THOUSANDS.match(text):
        text = text.replace(".", "")
    if not (text.isascii() and text.lstrip("-").isdigit()):
        raise ValidationFailed(
            [(field, _("Vul een heel bedrag in euro's in, zonder komma of letters (bijvoorbeeld 8400)."))]
        )
    if text.startswith("-") or not text.strip("0"):
        raise ValidationFailed([(field, _("De kosten moeten meer dan 0 euro zijn."))])
    # The length first: int() refuses more than 4300 digits.
    if len(text.lstrip("0")) > len(str(MAX_EUROS)) or int(text) > MAX_EUROS:
        raise ValidationFailed([(field, too_high())])
    return int(text)


@dataclass(frozen=True)
class Decision:
    """A staff decision on one initiative, as plain data from the form."""

    decision: str
    estimated_cost: str | None = None
    reason: str = ""


def decide(ini: Initiative, data: Decision, *, actor: User) -> None:
    """Mark an initiative feasible (on the ballot) or not feasible with a public reason."""
    rnd = ini.round
    problem = item_problem(ini, rnd)
    if problem:
        raise DomainError(problem)
    errors: list[tuple[str | None, str]] = []
    reason = (data.reason or "").strip()
    cost: int | None = None
    if data.decision not in DECISIONS:
        errors.append(("decision", _("Kies of het plan haalbaar of niet haalbaar is.")))
    elif data.decision == NOT_FEASIBLE and not reason:
        errors.append(("reason", _("Schrijf op waarom het plan niet haalbaar is. Bewoners zien deze reden.")))
    if len(reason) > REASON_MAX:
        errors.append(("reason", _("De reden mag hoogstens %(n)s tekens hebben.", n=REASON_MAX)))
    try:
        cost = parse_euros(data.estimated_cost, required=data.decision == FEASIBLE)
    except ValidationFailed as err:
        errors += err.errors
    if cost is not None and cost > rnd.total_budget:
        errors.append(("estimated_cost", _("De kosten zijn hoger dan het hele budget van de ronde.")))
    if errors:
        raise ValidationFailed(errors)
    ini.status = data.decision
    ini.infeasible_reason = reason if data.decision == NOT_FEASIBLE else ""
    if cost is not None:
        ini.estimated_cost = cost
    db.session.flush()
    audit.record(
        "initiative.reviewed",
        actor=actor,
        round_id=rnd.id,
        initiative_id=ini.id,
        decision=data.decision,
        estimated_cost=ini.estimated_cost,
        requested_cost=ini.requested_cost,
    )
    notify.review_decided(ini)  # the author, with the public reason


def correct(ini: Initiative, *, title: str, summary: str, description: str, note: str = "", actor: User) -> Revision:
    """Staff fix the text for clarity; the previous text is kept as a Revision (by_staff)."""
    problem = item_problem(ini, ini.round)
    if problem:
        raise DomainError(problem)
    title, summary, description, note = title.strip(), summary.strip(), description.strip(), note.strip()
    errors: list[tuple[str | None, str]] = []
    for field, value, limit, empty in (
        ("title", title, TITLE_MAX, _("Vul een titel in.")),
        ("summary", summary, SUMMARY_MAX, _("Vul een samenvatting in.")),
        ("description", description, DESCRIPTION_MAX, _("Vul een beschrijving in.")),
        ("note", note, NOTE_MAX, None),
    ):
        if empty and not value:
            errors.append((field, empty))
        elif len(value) > limit:
            errors.append((field, _("Gebruik hoogstens %(n)s tekens.", n=limit)))
    if not errors and (title, summary, description) == (ini.title, ini.summary, ini.description):
        errors.append((None, _("U heeft de tekst niet veranderd.")))
    if errors:
        raise ValidationFailed(errors)
    changed = [
        name
        for name, new in (("title", title), ("summary", summary), ("description", description))
        if getattr(ini, name) != new
    ]
    revision = Revision(
        initiative_id=ini.id,
        editor_id=actor.id,
        by_staff=True,
        title=ini.title,
        summary=ini.summary,
        description=ini.description,
        note=note,
    )
    db.session.add(revision)
    ini.title, ini.summary, ini.description = title, summary, description
    ini.edited_by_staff = True
    db.session.flush()
    audit.record(
        "initiative.corrected",
        actor=actor,
        round_id=ini.round_id,
        initiative_id=ini.id,
        revision_id=revision.id,
        fields=changed,
    )
    return revision


def revisions(ini: Initiative) -> list[Revision]:
    """Earlier versions of the text, newest first."""
    return list(
        db.session.scalars(select(Revision).where(Revision.initiative_id == ini.id).order_by(Revision.id.desc()))
    )
