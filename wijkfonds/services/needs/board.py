"""The needs board: post a need or story (also on a resident's behalf), herkenbaar, replies, listing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError

from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import BuildingBlock, District, Initiative, Need, NeedRecognition, NeedReply, Role, Theme, User
from wijkfonds.models.needs import SOURCE_SELF, SOURCES, initiative_need
from wijkfonds.services.audit import log as audit
from wijkfonds.services.catalog import data as catalog_data
from wijkfonds.services.dialogue import comments
from wijkfonds.services.errors import DomainError, NotAllowed, ValidationFailed

TITLE_MIN, TITLE_MAX = 3, 120
BODY_MAX = 2000
REPLY_MAX = comments.BODY_MAX
# Plans that no longer answer anything: taken back by the initiator, or found not feasible.
NOT_ANSWERING = ("withdrawn", "not_feasible")
SORTS = ("nieuw", "herkenbaar")
NO_BLOCK = "geen"  # the board's filter value for "weet ik niet"


@dataclass(frozen=True)
class NeedData:
    """What the post form sends; ``block_id`` None with ``block_unknown``: "weet ik niet"."""

    title: str
    body: str
    district_id: int | None
    block_id: int | None
    block_unknown: bool = False
    theme_id: int | None = None
    anonymous: bool = False
    source: str = SOURCE_SELF


def is_staff(user: User | None) -> bool:
    """True for staff (and admins): they moderate, answer, and post on a resident's behalf."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.has_role(Role.STAFF))


def function_themes() -> list[Theme]:
    """The five functions of social infrastructure (the themes with their reference slugs), in order."""
    slugs = [t.slug for t in catalog_data.THEMES]
    found = {t.slug: t for t in db.session.scalars(select(Theme).where(Theme.slug.in_(slugs)))}
    return [found[s] for s in slugs if s in found]


def _check(data: NeedData, author: User) -> tuple[str, str]:
    errors: list[tuple[str | None, str]] = []
    title = " ".join((data.title or "").split())
    body = (data.body or "").strip()
    if len(title) < TITLE_MIN:
        errors.append(("title", _("Geef een korte titel van minstens %(n)d tekens.", n=TITLE_MIN)))
    elif len(title) > TITLE_MAX:
        errors.append(("title", _("De titel mag hoogstens %(n)d tekens hebben.", n=TITLE_MAX)))
    if not body:
        errors.append(("body", _("Vertel in een paar zinnen wat u nodig heeft of wat u meemaakte.")))
    elif len(body) > BODY_MAX:
        errors.append(("body", _("De tekst mag hoogstens %(n)d tekens hebben.", n=BODY_MAX)))
    district = db.session.get(District, data.district_id) if data.district_id is not None else None
    if district is None or not district.active:
        errors.append(("district", _("Kies het gebied waar het over gaat.")))
    if data.block_id is None and not data.block_unknown:
        errors.append(("block", _("Kies een bouwsteen, of ‘weet ik niet’.")))
    elif data.block_id is not None:
        block = db.session.get(BuildingBlock, data.block_id)
        if block is None or not block.active:
            errors.append(("block", _("Deze bouwsteen bestaat niet. Kies een bouwsteen of ‘weet ik niet’.")))
    if data.theme_id is not None and data.theme_id not in {t.id for t in function_themes()}:
        errors.append(("theme", _("Kies een van de vijf functies, of ‘weet ik niet’.")))
    if data.source not in SOURCES:
        errors.append(("source", _("Kies wie deze behoefte vertelde.")))
    elif data.source != SOURCE_SELF and not is_staff(author):
        errors.append(("source", _("Alleen medewerkers plaatsen een behoefte namens een bewoner.")))
    if errors:
        raise ValidationFailed(errors)
    return title, body


def validate(data: NeedData, author: User) -> None:
    """Raise ValidationFailed listing every problem with the data (the form shows them all at once)."""
    _check(data, author)


def post(data: NeedData, *, author: User, limits: Sequence[tuple[int, int]] = ()) -> Need:
    """Add a need or story to its district's board (audited 'need.posted')."""
    title, body = _check(data, author)
    comments.check_comment_limits(author, limits)  # one budget for everything a person writes
    need = Need(
        district_id=data.district_id,
        block_id=data.block_id,
        theme_id=data.theme_id,
        author_id=author.id,
        source=data.source,
        anonymous=bool(data.anonymous),
        title=title,
        body=body,
        hidden_reason="",
    )
    db.session.add(need)
    comments.count_comment(author)
    db.session.flush()
    audit.record(
        "need.posted",
        actor=author,
        need_id=need.id,
        district_id=need.district_id,
        block_id=need.block_id,
        source=need.source,
        anonymous=need.anonymous,
    )
    return need


def author_name(need: Need, viewer: User | None) -> str:
    """The name shown with a need: hidden from other residents when anonymous (staff and the author see it)."""
    name = need.author.display_name
    if need.on_behalf:
        return name  # the staff member who wrote it down; the resident is never named
    own = viewer is not None and getattr(viewer, "is_authenticated", False) and viewer.id == need.author_id
    if need.anonymous and not (own or is_staff(viewer)):
        return _("Een bewoner")
    return name


# --- herkenbaar ------------------------------------------------------------------------


def recognitions(need: Need) -> int:
    """How many accounts marked the need herkenbaar."""
    return db.session.scalar(select(func.count(NeedRecognition.id)).where(NeedRecognition.need_id == need.id)) or 0


def recognised_by(need: Need, user: User | None) -> bool:
    """True when ``user`` marked this need herkenbaar."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    found = db.session.scalar(
        select(NeedRecognition.id).where(NeedRecognition.need_id == need.id, NeedRecognition.user_id == user.id)
    )
    return found is not None


def _require_visible(need: Need, message: str) -> None:
    if need.hidden_at is not None:
        raise DomainError(message, 409)


def recognise(need: Need, user: User) -> int:
    """Mark a need herkenbaar (once per account: DomainError the second time); the new count."""
    _require_visible(need, _("Deze behoefte is verborgen door een moderator; herkenbaar noemen kan niet."))
    if need.author_id == user.id:
        raise DomainError(_("U schreef deze behoefte zelf; uw buren kunnen hem herkenbaar noemen."), 409)
    twice = DomainError(_("U heeft deze behoefte al herkenbaar genoemd. Dat kan één keer per account."), 409)
    if recognised_by(need, user):
        raise twice
    try:
        with db.session.begin_nested():
            db.session.add(NeedRecognition(need_id=need.id, user_id=user.id))
    except IntegrityError:
        raise twice from None  # a concurrent click of the same person: the unique constraint holds
    audit.record("need.recognised", actor=user, need_id=need.id)
    return recognitions(need)


def unrecognise(need: Need, user: User) -> int:
    """Take back one's herkenbaar; the new count."""
    row = db.session.scalars(
        select(NeedRecognition).where(NeedRecognition.need_id == need.id, NeedRecognition.user_id == user.id)
    ).first()
    if row is None:
        raise DomainError(_("U had deze behoefte niet herkenbaar genoemd."), 409)
    db.session.delete(row)
    db.session.flush()
    audit.record("need.unrecognised", actor=user, need_id=need.id)
    return recognitions(need)


# --- replies ---------------------------------------------------------------------------


def reply(need: Need, author: User, body: str | None, *, limits: Sequence[tuple[int, int]] = ()) -> NeedReply:
    """A neighbour's (or staff's) reply to a visible need (audited 'need.replied')."""
    _require_visible(need, _("Deze behoefte is verborgen door een moderator; reageren kan niet meer."))
    text = (body or "").strip()
    if not text:
        raise ValidationFailed([("body", _("Schrijf eerst uw reactie."))])
    if len(text) > REPLY_MAX:
        raise ValidationFailed([("body", _("Uw reactie mag hoogstens %(n)d tekens hebben.", n=REPLY_MAX))])
    comments.check_comment_limits(author, limits)
    item = NeedReply(need_id=need.id, author_id=author.id, body=text, hidden_reason="")
    db.session.add(item)
    comments.count_comment(author)
    db.session.flush()
    audit.record("need.replied", actor=author, need_id=need.id, reply_id=item.id)
    return item


def replies(need: Need) -> list[NeedReply]:
    """A need's replies, oldest first (hidden ones too: the page shows the reason in their place)."""
    return list(db.session.scalars(select(NeedReply).where(NeedReply.need_id == need.id).order_by(NeedReply.id)))


# --- the board -------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """A need on the board with its counts."""

    need: Need
    recognitions: int
    replies: int
    plans: int


def answering_plans() -> Select[int, int]:
    """(need id, initiative id) of the plans that answer a need (not withdrawn, not found infeasible)."""
    return (
        select(initiative_need.c.need_id, initiative_need.c.initiative_id)
        .join(Initiative, Initiative.id == initiative_need.c.initiative_id)
        .where(Initiative.status.not_in(NOT_ANSWERING))
    )


def board(
    *,
    district_id: int | None = None,
    block: int | str | None = None,
    theme_id: int | None = None,
    open_only: bool = False,
    sort: str = "nieuw",
    with_hidden: bool = False,
    limit: int = 200,
) -> list[Card]:
    """Needs on the board, newest or most recognised first; ``block`` is an id, NO_BLOCK or None (all)."""
    rec = (
        select(NeedRecognition.need_id, func.count(NeedRecognition.id).label("n"))
        .group_by(NeedRecognition.need_id)
        .subquery()
    )
    rep = (
        select(NeedReply.need_id, func.count(NeedReply.id).label("n"))
        .where(NeedReply.hidden_at.is_(None))
        .group_by(NeedReply.need_id)
        .subquery()
    )
    answers = answering_plans().subquery()
    plans = (
        select(answers.c.need_id, func.count(func.distinct(answers.c.initiative_id)).label("n"))
        .group_by(answers.c.need_id)
        .subquery()
    )
    n_rec, n_rep, n_plans = (func.coalesce(q.c.n, 0) for q in (rec, rep, plans))
    stmt = (
        select(Need, n_rec, n_rep, n_plans)
        .outerjoin(rec, rec.c.need_id == Need.id)
        .outerjoin(rep, rep.c.need_id == Need.id)
        .outerjoin(plans, plans.c.need_id == Need.id)
    )
    if not with_hidden:
        stmt = stmt.where(Need.hidden_at.is_(None))
    if district_id is not None:
        stmt = stmt.where(Need.district_id == district_id)
    if block == NO_BLOCK:
        stmt = stmt.where(Need.block_id.is_(None))
    elif isinstance(block, int):
        stmt = stmt.where(Need.block_id == block)
    if theme_id is not None:
        stmt = stmt.where(Need.theme_id == theme_id)
    if open_only:
        stmt = stmt.where(n_plans == 0)
    order = [n_rec.desc(), Need.created_at.desc()] if sort == "herkenbaar" else [Need.created_at.desc()]
    rows = db.session.execute(stmt.order_by(*order, Need.id.desc()).limit(limit)).all()
    return [Card(need, int(r), int(c), int(p)) for need, r, c, p in rows]


def plans_for(need: Need) -> list[Initiative]:
    """The plans that say they answer this need (withdrawn and infeasible ones left out), newest first."""
    ids = select(initiative_need.c.initiative_id).where(initiative_need.c.need_id == need.id)
    return list(
        db.session.scalars(
            select(Initiative)
            .where(Initiative.id.in_(ids), Initiative.status.not_in(NOT_ANSWERING))
            .order_by(Initiative.created_at.desc(), Initiative.id.desc())
        )
    )


def require_may_post_for_others(user: User) -> None:
    """NotAllowed unless staff (the on-behalf form)."""
    if not is_staff(user):
        raise NotAllowed(_("Alleen medewerkers plaatsen een behoefte namens een bewoner."))
