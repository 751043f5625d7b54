"""The needs a plan answers: the initiator picks them in the plan's form; each need shows its plans."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, insert, select

from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import District, Initiative, Need, User
from wijkfonds.models.needs import initiative_need
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import ValidationFailed

MAX_PER_PLAN = 10
FIELD = "needs"


def linked_ids(ini: Initiative) -> list[int]:
    """Ids of the needs a plan says it answers."""
    return sorted(
        db.session.scalars(select(initiative_need.c.need_id).where(initiative_need.c.initiative_id == ini.id))
    )


def needs_of(ini: Initiative) -> list[Need]:
    """The visible needs a plan answers (for the plan's page), most recent first."""
    ids = select(initiative_need.c.need_id).where(initiative_need.c.initiative_id == ini.id)
    return list(
        db.session.scalars(
            select(Need).where(Need.id.in_(ids), Need.hidden_at.is_(None)).order_by(Need.created_at.desc(), Need.id)
        )
    )


def choices(keep: Sequence[int] = ()) -> list[Need]:
    """Needs an initiator may pick: the visible ones, per district; ``keep`` (already linked) always included."""
    return list(
        db.session.scalars(
            select(Need)
            .where((Need.hidden_at.is_(None)) | Need.id.in_(list(keep)))
            .order_by(Need.district_id, Need.created_at.desc(), Need.id.desc())
            .limit(300)
        )
    )


def check(need_ids: Sequence[int | None], district_id: int | None, *, keep: Sequence[int] = ()) -> list[int]:
    """The chosen need ids, checked: existing, visible (or already linked), in the plan's district; at most 10."""
    ids = sorted({i for i in need_ids if i is not None})
    if len(need_ids) != len([i for i in need_ids if i is not None]):
        raise ValidationFailed([(FIELD, _("Een van de gekozen behoeften bestaat niet."))])
    if len(ids) > MAX_PER_PLAN:
        raise ValidationFailed([(FIELD, _("Kies hoogstens %(n)d behoeften.", n=MAX_PER_PLAN))])
    found = {n.id: n for n in db.session.scalars(select(Need).where(Need.id.in_(ids)))} if ids else {}
    errors: list[tuple[str | None, str]] = []
    for i in ids:
        need = found.get(i)
        if need is None:
            errors.append((FIELD, _("Een van de gekozen behoeften bestaat niet (meer).")))
        elif need.hidden_at is not None and i not in keep:
            errors.append((FIELD, _("De behoefte „%(t)s” is verborgen door een moderator.", t=need.title)))
        elif district_id is not None and need.district_id != district_id:
            district = db.session.get(District, district_id)
            errors.append(
                (
                    FIELD,
                    _(
                        "De behoefte „%(t)s” hoort bij %(need)s; uw plan is voor %(plan)s. "
                        "Kies behoeften uit het gebied van uw plan.",
                        t=need.title,
                        need=need.district.name,
                        plan=district.name if district is not None else "?",
                    ),
                )
            )
    if errors:
        raise ValidationFailed(errors)
    return ids


def set_needs(ini: Initiative, need_ids: Sequence[int | None], *, actor: User) -> bool:
    """Replace the needs a plan answers (checked as ``check``); True when they changed (audited)."""
    before = linked_ids(ini)
    ids = check(need_ids, ini.district_id, keep=before)
    if ids == before:
        return False
    db.session.execute(delete(initiative_need).where(initiative_need.c.initiative_id == ini.id))
    if ids:
        db.session.execute(insert(initiative_need), [{"initiative_id": ini.id, "need_id": i} for i in ids])
    db.session.flush()
    audit.record("initiative.needs_set", actor=actor, round_id=ini.round_id, initiative_id=ini.id, need_ids=ids)
    return True
