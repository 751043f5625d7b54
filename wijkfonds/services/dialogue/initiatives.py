"""Initiatives: submit, edit, withdraw, and support (likes) during the submission phase."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select

from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import BuildingBlock, District, Initiative, Phase, Revision, Round, Status, Support, User
from wijkfonds.services.accounts import confirmation
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import DomainError, NotAllowed, ValidationFailed
from wijkfonds.services.notifications import events as notify
from wijkfonds.services.places.points import check_point, rounded

TITLE_MAX = 120
SUMMARY_MAX = 300
DESCRIPTION_MAX = 10_000
LOCATION_MAX = 200
# Statuses that still take part in a round (withdrawing from them is possible).
WITHDRAWABLE = {Status.SUBMITTED.value, Status.IN_REVIEW.value, Status.FEASIBLE.value}


@dataclass(frozen=True)
class InitiativeData:
    """What a resident fills in; ids may be None or tampered, cost None when unreadable."""

    title: str
    summary: str
    description: str
    requested_cost: int | None
    district_id: int | None
    theme_id: int | None
    block_id: int | None
    location: str = ""
    latitude: float | None = None  # the place on the map: both or neither
    longitude: float | None = None


def _check_text(data: InitiativeData) -> list[tuple[str | None, str]]:
    errors: list[tuple[str | None, str]] = []
    if not data.title.strip():
        errors.append(("title", _("Geef uw plan een titel.")))
    elif len(data.title.strip()) > TITLE_MAX:
        errors.append(("title", _("De titel mag hoogstens %(n)d tekens hebben.", n=TITLE_MAX)))
    if not data.summary.strip():
        errors.append(("summary", _("Schrijf een korte samenvatting.")))
    elif len(data.summary.strip()) > SUMMARY_MAX:
        errors.append(("summary", _("De samenvatting mag hoogstens %(n)d tekens hebben.", n=SUMMARY_MAX)))
    if not data.description.strip():
        errors.append(("description", _("Beschrijf wat u wilt doen en voor wie.")))
    elif len(data.description.strip()) > DESCRIPTION_MAX:
        errors.append(("description", _("De beschrijving mag hoogstens %(n)d tekens hebben.", n=DESCRIPTION_MAX)))
    if len(data.location.strip()) > LOCATION_MAX:
        errors.append(("location", _("De plaats mag hoogstens %(n)d tekens hebben.", n=LOCATION_MAX)))
    return errors


def _check_choices(data: InitiativeData, rnd: Round) -> list[tuple[str | None, str]]:
    errors: list[tuple[str | None, str]] = []
    cost = data.requested_cost
    if cost is None:
        errors.append(("requested_cost", _("Vul het bedrag in hele euro's in, bijvoorbeeld 2500.")))
    elif cost <= 0:
        errors.append(("requested_cost", _("Het bedrag moet groter zijn dan 0 euro.")))
    elif cost > rnd.total_budget:
        errors.append(("requested_cost", _("Het bedrag mag niet hoger zijn dan het totale budget van deze ronde.")))
    district = db.session.get(District, data.district_id) if data.district_id is not None else None
    if district is None or not district.active:
        errors.append(("district", _("Kies een gebied uit de lijst.")))
        district = None
    errors += check_point(district, data.latitude, data.longitude)
    if data.theme_id is None or data.theme_id not in {t.id for t in rnd.themes}:
        errors.append(("theme", _("Kies een thema uit de lijst.")))
    block = db.session.get(BuildingBlock, data.block_id) if data.block_id is not None else None
    if block is None or not block.active:
        errors.append(("block", _("Kies een bouwsteen uit de lijst.")))
    return errors


def validate(data: InitiativeData, rnd: Round) -> None:
    """Raise ValidationFailed listing every problem with the data for this round."""
    errors = _check_text(data) + _check_choices(data, rnd)
    if errors:
        raise ValidationFailed(errors)


def require_submission_phase(rnd: Round | None) -> Round:
    """The round, if it accepts new plans and support now; else a 409 DomainError."""
    if rnd is None:
        raise DomainError(_("Er is nu geen ronde waarin u plannen kunt indienen."), 409)
    if rnd.phase() != Phase.SUBMISSION:
        raise DomainError(_("Indienen en steunen kan alleen in de indienfase van de ronde. Die fase is nu niet."), 409)
    return rnd


def submit(data: InitiativeData, rnd: Round | None, *, author: User) -> Initiative:
    """Create an initiative in the round's submission phase (validated; audited)."""
    rnd = require_submission_phase(rnd)
    validate(data, rnd)
    ini = Initiative(
        round_id=rnd.id,
        author_id=author.id,
        district_id=data.district_id,
        theme_id=data.theme_id,
        block_id=data.block_id,
        title=data.title.strip(),
        summary=data.summary.strip(),
        description=data.description.strip(),
        location=data.location.strip(),
        latitude=rounded(data.latitude),
        longitude=rounded(data.longitude),
        requested_cost=data.requested_cost,
        status=Status.SUBMITTED.value,
        support_count=0,
    )
    db.session.add(ini)
    db.session.flush()
    audit.record("initiative.submitted", actor=author, round_id=rnd.id, initiative_id=ini.id)
    return ini


def can_edit(ini: Initiative, user: User | None) -> bool:
    """True when ``user`` is the author and the plan is still open for changes."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and ini.author_id == user.id
        and ini.status == Status.SUBMITTED.value
        and ini.round.phase() == Phase.SUBMISSION
    )


def can_withdraw(ini: Initiative, user: User | None) -> bool:
    """True when ``user`` is the author and voting has not started yet."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and ini.author_id == user.id
        and ini.status in WITHDRAWABLE
        and ini.round.phase() in (Phase.SUBMISSION, Phase.REVIEW)
    )


def require_author(ini: Initiative, user: User) -> None:
    """NotAllowed (403) unless ``user`` wrote this initiative."""
    if ini.author_id != user.id:
        raise NotAllowed(_("Alleen de indiener kan dit plan wijzigen."))


def edit(ini: Initiative, data: InitiativeData, *, author: User) -> bool:
    """Change the author's own plan until review starts; keep the old text as a Revision.

    Returns False when nothing changed (then nothing is recorded).
    """
    require_author(ini, author)
    if not can_edit(ini, author):
        raise DomainError(_("Dit plan kan niet meer worden gewijzigd: de beoordeling is begonnen."), 409)
    validate(data, ini.round)
    new = {
        "title": data.title.strip(),
        "summary": data.summary.strip(),
        "description": data.description.strip(),
        "location": data.location.strip(),
        "latitude": rounded(data.latitude),
        "longitude": rounded(data.longitude),
        "requested_cost": data.requested_cost,
        "district_id": data.district_id,
        "theme_id": data.theme_id,
        "block_id": data.block_id,
    }
    changed = sorted(k for k, v in new.items() if getattr(ini, k) != v)
    if not changed:
        return False
    db.session.add(
        Revision(
            initiative_id=ini.id,
            editor_id=author.id,
            by_staff=False,
            title=ini.title,
            summary=ini.summary,
            description=ini.description,
        )
    )
    for key, value in new.items():
        setattr(ini, key, value)
    db.session.flush()
    audit.record("initiative.edited", actor=author, round_id=ini.round_id, initiative_id=ini.id, fields=changed)
    return True


def withdraw(ini: Initiative, *, author: User) -> None:
    """The author takes the plan back (until voting starts); its support is kept for the record."""
    require_author(ini, author)
    if not can_withdraw(ini, author):
        raise DomainError(_("Dit plan kan niet meer worden ingetrokken."), 409)
    ini.status = Status.WITHDRAWN.value
    db.session.flush()
    audit.record("initiative.withdrawn", actor=author, round_id=ini.round_id, initiative_id=ini.id)


def revisions(ini: Initiative) -> list[Revision]:
    """Earlier versions of the text, newest first."""
    return list(
        db.session.scalars(
            select(Revision)
            .where(Revision.initiative_id == ini.id)
            .order_by(Revision.created_at.desc(), Revision.id.desc())
        )
    )


# --- support (likes) -------------------------------------------------------------------


def has_supported(ini: Initiative, user: User | None) -> bool:
    """True when this user supports the initiative."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(select(Support.id).where(Support.initiative_id == ini.id, Support.user_id == user.id))
        is not None
    )


def _plan_refusal(ini: Initiative, user: User) -> str | None:
    if ini.round.phase() != Phase.SUBMISSION:
        return _("Steunen kan alleen in de indienfase van de ronde.")
    if ini.status != Status.SUBMITTED.value:
        return _("Dit plan kan niet (meer) worden gesteund.")
    if ini.author_id == user.id:
        return _("U kunt uw eigen plan niet steunen.")
    return None


def unconfirmed_message() -> str:
    """Why an account whose address is not confirmed cannot support a plan."""
    return _("Bevestig eerst uw e-mailadres; daarna kunt u plannen steunen. Zo telt elke steun één persoon.")


def support_refusal(ini: Initiative, user: User, *, giving: bool = True) -> str | None:
    """Why ``user`` may not give (or, with ``giving=False``, take back) support now, or None when allowed.

    Giving support needs a confirmed address; taking it back never does.
    """
    reason = _plan_refusal(ini, user)
    if reason is None and giving and not confirmation.is_confirmed(user):
        return unconfirmed_message()
    return reason


def _lock(ini: Initiative) -> Initiative:
    # Lock the initiative row first (PostgreSQL; SQLite holds its write lock already), so
    # that the count below sees every support committed before ours: the count stays exact.
    return db.session.scalars(
        select(Initiative).where(Initiative.id == ini.id).with_for_update().execution_options(populate_existing=True)
    ).one()


def _recount(ini: Initiative) -> int:
    db.session.flush()
    ini.support_count = db.session.scalar(select(func.count(Support.id)).where(Support.initiative_id == ini.id)) or 0
    db.session.flush()
    return ini.support_count


def set_support(ini: Initiative, user: User, supported: bool) -> int:
    """Give (True) or take back (False) one's support; idempotent; returns the new count.

    Giving support needs a confirmed address (EmailNotConfirmed, 403).
    """
    reason = _plan_refusal(ini, user)
    if reason is not None:
        raise DomainError(reason, 409)
    if supported:
        confirmation.require_confirmed(user, unconfirmed_message())
    ini = _lock(ini)
    exists = db.session.scalar(select(Support.id).where(Support.initiative_id == ini.id, Support.user_id == user.id))
    if supported and exists is None:
        db.session.add(Support(initiative_id=ini.id, user_id=user.id))
    elif not supported and exists is not None:
        db.session.execute(delete(Support).where(Support.id == exists))
    count = _recount(ini)
    if supported:
        notify.support_counted(ini)  # the author hears once that the threshold is reached
    return count


def support_needed(ini: Initiative) -> int:
    """How many more supporters the plan needs to reach the round's threshold (0: enough)."""
    return max(0, ini.round.support_threshold - ini.support_count)
