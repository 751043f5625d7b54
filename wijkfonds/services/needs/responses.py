"""Staff's public answers to needs, and turning a cluster of needs into a theme of the next round."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from wijkfonds.common.timeutil import utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import Need, NeedResponse, Phase, Round, Theme, User
from wijkfonds.models.needs import RESPONSE_KINDS, RESPONSE_REFERRED, RESPONSE_THEME
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import DomainError, ValidationFailed
from wijkfonds.services.rounds.admin import is_locked, slugify

TEXT_MAX = 300
CLUSTER_MAX = 50
THEME_TITLE_MIN, THEME_TITLE_MAX = 3, 120


def respond(need: Need, staff: User, kind: str | None, text: str | None) -> NeedResponse:
    """A public answer by staff: opgepakt (a note optional), doorverwezen naar <text>, meegenomen in thema <text>."""
    note = " ".join((text or "").split())
    errors: list[tuple[str | None, str]] = []
    if kind not in RESPONSE_KINDS:
        errors.append(("kind", _("Kies wat er met deze behoefte gebeurt.")))
    elif kind == RESPONSE_REFERRED and not note:
        errors.append(("text", _("Schrijf naar wie of waar u de bewoner doorverwijst.")))
    elif kind == RESPONSE_THEME and not note:
        errors.append(("text", _("Schrijf in welk thema de behoefte is meegenomen.")))
    if len(note) > TEXT_MAX:
        errors.append(("text", _("De toelichting mag hoogstens %(n)d tekens hebben.", n=TEXT_MAX)))
    if errors:
        raise ValidationFailed(errors)
    if need.hidden_at is not None:
        raise DomainError(_("Deze behoefte is verborgen; maak hem eerst weer zichtbaar."), 409)
    item = NeedResponse(need_id=need.id, author_id=staff.id, kind=kind, text=note)
    db.session.add(item)
    db.session.flush()
    audit.record("need.responded", actor=staff, need_id=need.id, response_id=item.id, answer=kind)
    return item


def responses(need: Need) -> list[NeedResponse]:
    """Staff's answers to a need, oldest first."""
    return list(
        db.session.scalars(select(NeedResponse).where(NeedResponse.need_id == need.id).order_by(NeedResponse.id))
    )


def theme_rounds(now: None = None) -> list[Round]:
    """Rounds whose themes may still change: before voting starts (the next round first)."""
    rounds = db.session.scalars(select(Round).order_by(Round.submission_start.desc())).all()
    at = utcnow()
    return [r for r in rounds if not is_locked(r, at) and r.phase(at) != Phase.RESULTS]


def _unique_slug(title: str) -> str:
    base = "thema-" + slugify(title)[:50]
    taken = set(db.session.scalars(select(Theme.slug).where(Theme.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def to_theme(
    need_ids: Sequence[int | None], *, round_id: int | None, title: str | None, description: str | None, actor: User
) -> Theme:
    """Make a theme of the round out of a cluster of needs; each need gets the answer 'meegenomen in thema'."""
    errors: list[tuple[str | None, str]] = []
    name = " ".join((title or "").split())
    about = (description or "").strip()
    ids = sorted({i for i in need_ids if i is not None})
    if None in need_ids:
        errors.append(("needs", _("Een van de gekozen behoeften bestaat niet (meer) of is verborgen.")))
    elif not ids:
        errors.append(("needs", _("Kies eerst de behoeften die samen een thema vormen.")))
    elif len(ids) > CLUSTER_MAX:
        errors.append(("needs", _("Kies hoogstens %(n)d behoeften tegelijk.", n=CLUSTER_MAX)))
    if len(name) < THEME_TITLE_MIN:
        errors.append(("title", _("Geef het thema een naam van minstens %(n)d tekens.", n=THEME_TITLE_MIN)))
    elif len(name) > THEME_TITLE_MAX:
        errors.append(("title", _("De naam mag hoogstens %(n)d tekens hebben.", n=THEME_TITLE_MAX)))
    if len(about) > 2000:
        errors.append(("description", _("De toelichting mag hoogstens 2000 tekens hebben.")))
    rnd = db.session.get(Round, round_id) if round_id is not None else None
    if rnd is None or rnd not in theme_rounds():
        errors.append(("round", _("Kies een ronde waarin het stemmen nog niet is begonnen.")))
    needs = list(db.session.scalars(select(Need).where(Need.id.in_(ids)))) if ids else []
    if ids and None not in need_ids and (len(needs) != len(ids) or any(n.hidden_at is not None for n in needs)):
        errors.append(("needs", _("Een van de gekozen behoeften bestaat niet (meer) of is verborgen.")))
    if errors:
        raise ValidationFailed(errors)
    assert rnd is not None
    theme = db.session.scalars(select(Theme).where(func.lower(Theme.name_nl) == name.lower())).first()
    created = theme is None
    if theme is None:
        theme = Theme(slug=_unique_slug(name), name_nl=name, name_en=name, description_nl=about, description_en="")
        db.session.add(theme)
        db.session.flush()
    if theme not in rnd.themes:
        rnd.themes.append(theme)
    for need in needs:
        db.session.add(
            NeedResponse(
                need_id=need.id, author_id=actor.id, kind=RESPONSE_THEME, text=name, theme_id=theme.id, round_id=rnd.id
            )
        )
    db.session.flush()
    audit.record(
        "need.theme_made",
        actor=actor,
        round_id=rnd.id,
        theme_id=theme.id,
        theme_created=created,
        need_ids=ids,
    )
    return theme
