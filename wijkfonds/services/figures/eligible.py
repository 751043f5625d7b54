"""Staff's number of eligible residents per district of a round (the base of turnout shares)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlalchemy import select

from wijkfonds.common.money import number
from wijkfonds.common.timeutil import utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import EligibleCount, Round, User
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import ValidationFailed

# No district of a Dutch city has ten million residents: a larger number is a typing error.
MAX_ELIGIBLE = 10_000_000
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")


def field_name(district_id: int) -> str:
    """The form field of one district's number."""
    return f"eligible_{district_id}"


def parse(text: str) -> int | None:
    """'12000', '12.000' or '12 000' -> 12000; '' -> None (no number); anything else -> ValueError."""
    s = _SPACES.sub("", text)
    if not s:
        return None
    if s.startswith("-"):
        raise ValueError(_("Het aantal mag niet negatief zijn."))
    if _THOUSANDS.fullmatch(s):
        s = s.replace(".", "")
    if not s.isascii() or not s.isdigit():
        raise ValueError(_("Vul een heel aantal inwoners in, bijvoorbeeld 12000."))
    if len(s.lstrip("0")) > len(str(MAX_ELIGIBLE)) or int(s) > MAX_ELIGIBLE:
        raise ValueError(_("Dat is meer dan %(max)s; controleer het aantal.", max=number(MAX_ELIGIBLE)))
    if int(s) == 0:
        raise ValueError(_("Vul minstens 1 in, of laat het veld leeg als het aantal niet bekend is."))
    return int(s)


def district_ids(rnd: Round) -> list[int]:
    """The districts of the round (those with a budget), in the order of its budgets."""
    return [b.district_id for b in rnd.district_budgets]


def counts(rnd: Round) -> dict[int, int]:
    """District id -> the number of eligible residents staff entered (entered ones only)."""
    return {
        row.district_id: row.eligible
        for row in db.session.scalars(select(EligibleCount).where(EligibleCount.round_id == rnd.id))
    }


def save(rnd: Round, raw: Mapping[int, str], *, actor: User) -> bool:
    """Check every district's number, then store them all (an empty field removes one).

    Raises ValidationFailed naming each bad field before anything is written, so a form
    with one bad number saves nothing. Returns whether anything changed.
    """
    wanted: dict[int, int | None] = {}
    errors: list[tuple[str | None, str]] = []
    for district_id in district_ids(rnd):
        try:
            wanted[district_id] = parse(raw.get(district_id, ""))
        except ValueError as err:
            errors.append((field_name(district_id), str(err)))
    if errors:
        raise ValidationFailed(errors)
    rows = {r.district_id: r for r in db.session.scalars(select(EligibleCount).where(EligibleCount.round_id == rnd.id))}
    changed: dict[str, int | None] = {}
    for district_id, value in wanted.items():
        row = rows.get(district_id)
        if value is None:
            if row is not None:
                db.session.delete(row)
                changed[str(district_id)] = None
        elif row is None:
            db.session.add(EligibleCount(round_id=rnd.id, district_id=district_id, eligible=value))
            changed[str(district_id)] = value
        elif row.eligible != value:
            row.eligible, row.updated_at = value, utcnow()
            changed[str(district_id)] = value
    if changed:
        audit.record("figures.eligible_set", actor=actor, round_id=rnd.id, eligible=changed)
    return bool(changed)
