"""The eligible-residents form: one text field per district of a round (parsed by the service)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from wijkfonds.common.money import number
from wijkfonds.extensions import db
from wijkfonds.models import District, Round
from wijkfonds.services.errors import ValidationFailed
from wijkfonds.services.figures import eligible as eligible_service


@dataclass
class EligibleForm:
    """What the form shows: the round's districts, the typed or stored values, errors per field."""

    rnd: Round
    districts: list[District]
    values: dict[int, str]
    errors: dict[str, list[str]] = field(default_factory=dict)

    @staticmethod
    def field_name(district_id: int) -> str:
        """The input's name (and id) for one district."""
        return eligible_service.field_name(district_id)

    @staticmethod
    def number(n: int) -> str:
        """A count grouped as the language writes it."""
        return number(n)

    @property
    def max_text(self) -> str:
        """The largest number accepted, written out."""
        return number(eligible_service.MAX_ELIGIBLE)

    def add_errors(self, err: ValidationFailed) -> None:
        """The service's reasons, per field."""
        for name, message in err.errors:
            self.errors.setdefault(name or "", []).append(message)


def _districts(rnd: Round) -> list[District]:
    ids = eligible_service.district_ids(rnd)
    found = {d.id: d for d in db.session.scalars(select(District).where(District.id.in_(ids)))} if ids else {}
    return sorted((found[i] for i in ids if i in found), key=lambda d: d.name)


def stored(rnd: Round) -> EligibleForm:
    """The form with the numbers entered so far."""
    counts = eligible_service.counts(rnd)
    districts = _districts(rnd)
    return EligibleForm(rnd, districts, {d.id: str(counts[d.id]) if d.id in counts else "" for d in districts})


def submitted(rnd: Round, formdata: dict[str, str]) -> EligibleForm:
    """The form with what was typed (for the service, and to show again with its errors)."""
    districts = _districts(rnd)
    return EligibleForm(rnd, districts, {d.id: formdata.get(eligible_service.field_name(d.id), "") for d in districts})
