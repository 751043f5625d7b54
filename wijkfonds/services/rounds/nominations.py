"""Theme nominations: residents propose and support themes before submission opens; staff choose."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from wijkfonds.common.timeutil import utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import NominationComment, NominationSupport, Phase, Round, Theme, ThemeNomination, User
from wijkfonds.services.audit import log as audit
from wijkfonds.services.dialogue import comments as comments_service
from wijkfonds.services.errors import DomainError, ValidationFailed
from wijkfonds.services.rounds.admin import is_locked, slugify

MAX_PER_RESIDENT = 3  # nominations per resident per round: enough to say what matters, no flooding


@dataclass(frozen=True)
class Ranked:
    """A nomination with its support and comment counts, for the ranking."""

    nomination: ThemeNomination
    support: int
    comments: int
    rank: int


def has_nominations(rnd: Round) -> bool:
    """True when the round has (or had) a nomination phase."""
    return rnd.nomination_start is not None


def is_open(rnd: Round, now: datetime | None = None) -> bool:
    """Residents may propose, support and comment only during the nomination phase."""
    return has_nominations(rnd) and rnd.phase(now) == Phase.NOMINATION


def _require_open(rnd: Round) -> None:
    if not has_nominations(rnd):
        raise DomainError(_("Bij deze ronde kunnen bewoners geen thema's voorstellen."), 404)
    if not is_open(rnd):
        if rnd.phase() == Phase.UPCOMING:
            raise DomainError(_("Thema's voorstellen kan nog niet: die periode is nog niet begonnen."), 409)
        raise DomainError(
            _("De periode om thema's voor te stellen is voorbij. U kunt de voorstellen nog wel lezen."), 409
        )


def _clean(text: str) -> str:
    return " ".join(text.split())


def propose(rnd: Round, *, title: str, description: str, author: User) -> ThemeNomination:
    """Add a theme nomination; audit 'nomination.created'."""
    _require_open(rnd)
    title = _clean(title)
    description = description.strip()
    errors: list[tuple[str | None, str]] = []
    if len(title) < 3:
        errors.append(("title", _("Geef het thema een naam van minstens 3 tekens.")))
    elif len(title) > 120:
        errors.append(("title", _("De naam mag hoogstens 120 tekens hebben.")))
    elif db.session.scalar(
        select(ThemeNomination.id).where(
            ThemeNomination.round_id == rnd.id, func.lower(ThemeNomination.title) == title.lower()
        )
    ):
        errors.append(("title", _("Dit thema is al voorgesteld. U kunt het bestaande voorstel steunen.")))
    if len(description) > 2000:
        errors.append(("description", _("De toelichting mag hoogstens 2000 tekens hebben.")))
    mine = (
        db.session.scalar(
            select(func.count(ThemeNomination.id)).where(
                ThemeNomination.round_id == rnd.id, ThemeNomination.author_id == author.id
            )
        )
        or 0
    )
    if mine >= MAX_PER_RESIDENT:
        errors.append(
            (None, _("U heeft al %(n)d thema's voorgesteld; meer kan niet in deze ronde.") % {"n": MAX_PER_RESIDENT})
        )
    if errors:
        raise ValidationFailed(errors)
    nom = ThemeNomination(round_id=rnd.id, author_id=author.id, title=title, description=description)
    db.session.add(nom)
    db.session.flush()
    audit.record("nomination.created", actor=author, round_id=rnd.id, nomination_id=nom.id)
    return nom


def support_count(nom: ThemeNomination) -> int:
    """How many residents support this nomination."""
    return (
        db.session.scalar(select(func.count(NominationSupport.id)).where(NominationSupport.nomination_id == nom.id))
        or 0
    )


def supports(nom: ThemeNomination, user: User | None) -> bool:
    """True when ``user`` supports ``nom``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(
            select(NominationSupport.id).where(
                NominationSupport.nomination_id == nom.id, NominationSupport.user_id == user.id
            )
        )
        is not None
    )


def set_support(nom: ThemeNomination, user: User, want: bool) -> bool:
    """Give (want=True) or take back support; idempotent, safe against double clicks."""
    rnd = db.session.get(Round, nom.round_id)
    assert rnd is not None
    _require_open(rnd)
    have = supports(nom, user)
    if want == have:
        return have
    if want:
        try:
            with db.session.begin_nested():
                db.session.add(NominationSupport(nomination_id=nom.id, user_id=user.id))
        except IntegrityError:
            return True  # a concurrent click of the same person got there first
        audit.record("nomination.supported", actor=user, round_id=rnd.id, nomination_id=nom.id)
    else:
        row = db.session.scalars(
            select(NominationSupport).where(
                NominationSupport.nomination_id == nom.id, NominationSupport.user_id == user.id
            )
        ).first()
        db.session.delete(row)
        db.session.flush()
        audit.record("nomination.unsupported", actor=user, round_id=rnd.id, nomination_id=nom.id)
    return want


def add_comment(
    nom: ThemeNomination, *, body: str, author: User, limits: Sequence[tuple[int, int]] = ()
) -> NominationComment:
    """Comment on a nomination during the nomination phase; audit 'nomination.commented'.

    ``limits`` are the per-account comment limits, shared with comments on plans.
    """
    rnd = db.session.get(Round, nom.round_id)
    assert rnd is not None
    _require_open(rnd)
    body = body.strip()
    if len(body) < 2:
        raise ValidationFailed([("body", _("Schrijf een reactie van minstens 2 tekens."))])
    if len(body) > 2000:
        raise ValidationFailed([("body", _("Een reactie mag hoogstens 2000 tekens hebben."))])
    comments_service.check_comment_limits(author, limits)
    comment = NominationComment(nomination_id=nom.id, author_id=author.id, body=body)
    db.session.add(comment)
    comments_service.count_comment(author)
    db.session.flush()
    audit.record("nomination.commented", actor=author, round_id=rnd.id, nomination_id=nom.id, comment_id=comment.id)
    return comment


def comments(nom: ThemeNomination) -> list[NominationComment]:
    """Comments on a nomination, oldest first."""
    return list(
        db.session.scalars(
            select(NominationComment).where(NominationComment.nomination_id == nom.id).order_by(NominationComment.id)
        )
    )


def ranking(rnd: Round) -> list[Ranked]:
    """Nominations by support (most first; ties: the earliest first), with equal ranks for ties."""
    support = (
        select(NominationSupport.nomination_id, func.count(NominationSupport.id).label("n"))
        .group_by(NominationSupport.nomination_id)
        .subquery()
    )
    talk = (
        select(NominationComment.nomination_id, func.count(NominationComment.id).label("n"))
        .group_by(NominationComment.nomination_id)
        .subquery()
    )
    rows = db.session.execute(
        select(ThemeNomination, func.coalesce(support.c.n, 0), func.coalesce(talk.c.n, 0))
        .outerjoin(support, support.c.nomination_id == ThemeNomination.id)
        .outerjoin(talk, talk.c.nomination_id == ThemeNomination.id)
        .where(ThemeNomination.round_id == rnd.id)
        .order_by(func.coalesce(support.c.n, 0).desc(), ThemeNomination.created_at, ThemeNomination.id)
    ).all()
    out: list[Ranked] = []
    for i, (nom, n, c) in enumerate(rows):
        rank = out[-1].rank if out and out[-1].support == n else i + 1
        out.append(Ranked(nom, int(n), int(c), rank))
    return out


def _unique_theme_slug(title: str) -> str:
    base = "thema-" + slugify(title)[:50]
    taken = set(db.session.scalars(select(Theme.slug).where(Theme.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def choose(nom: ThemeNomination, *, actor: User, now: datetime | None = None) -> Theme:
    """Make a nomination one of the round's themes (a new Theme unless one has that name)."""
    rnd = db.session.get(Round, nom.round_id)
    assert rnd is not None
    if is_locked(rnd, now or utcnow()):
        raise DomainError(_("Het stemmen is begonnen; de thema's van deze ronde liggen vast."), 409)
    if nom.chosen_theme_id is not None:
        raise DomainError(_("Dit voorstel is al gekozen als thema."), 409)
    theme = db.session.scalars(select(Theme).where(func.lower(Theme.name_nl) == nom.title.lower())).first()
    created = theme is None
    if theme is None:
        theme = Theme(
            slug=_unique_theme_slug(nom.title),
            name_nl=nom.title,
            name_en=nom.title,
            description_nl=nom.description,
            description_en="",
        )
        db.session.add(theme)
        db.session.flush()
    if theme not in rnd.themes:
        rnd.themes.append(theme)
    nom.chosen_theme_id = theme.id
    db.session.flush()
    audit.record(
        "nomination.chosen",
        actor=actor,
        round_id=rnd.id,
        nomination_id=nom.id,
        theme_id=theme.id,
        theme_created=created,
    )
    return theme
