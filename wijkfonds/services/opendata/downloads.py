"""The downloads anyone may take once a round's result is published: the result as CSV, the .pb files.

They are the auditors' exports (:mod:`wijkfonds.services.results.exports`), handed to the
public only after publication: before it, they hold vote counts nobody outside may see.
"""

from __future__ import annotations

from sqlalchemy import select

from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import District, Round
from wijkfonds.services.errors import DomainError
from wijkfonds.services.opendata.results import published
from wijkfonds.services.results import exports


def public_export(rnd: Round) -> exports.RoundExport:
    """The round's export once its result is published; the 404 DomainError before."""
    published(rnd)
    return exports.load(rnd)


def result_csv(rnd: Round) -> tuple[str, str]:
    """(file name, CSV text) of the published result: every plan with cost, votes and whether it was chosen."""
    export = public_export(rnd)
    return f"{rnd.slug}.csv", exports.csv_text(export)


def district_files(rnd: Round) -> list[District]:
    """The districts with a .pb file (those with plans in the published result), by name; 404 DomainError before.

    Read from the published run, so that a results page does not build the whole export.
    """
    run = published(rnd)
    names = {o["district"] for o in (run.result or {}).get("outcomes", {}).values()}
    return list(db.session.scalars(select(District).where(District.name.in_(names)).order_by(District.name)))


def district_pb(rnd: Round, district_id: int) -> tuple[str, str]:
    """(file name, .pb text) of one district of the published round; DomainError 404 otherwise."""
    export = public_export(rnd)
    district = db.session.get(District, district_id)
    if district is not None:
        for name, filename, text in exports.district_files(export):
            if name == district.name:
                return filename, text
    raise DomainError(_("Dit gebied heeft geen bestand in deze ronde."), 404)
