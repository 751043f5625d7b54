"""Turnout for staff: ballots per district and per day (counts only, never per initiative)."""

from __future__ import annotations

from datetime import date

from flask import render_template
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.codes import bp
from wijkfonds.i18n.text import format_date
from wijkfonds.i18n.text import gettext as _
from wijkfonds.services.results.reconcile import voter_count
from wijkfonds.services.rounds.lookup import get_round_or_404
from wijkfonds.services.voting import turnout as turnout_service
from wijkfonds.web import svg
from wijkfonds.web.access import staff_required


@bp.route("/ronde/<int:round_id>/opkomst")
@staff_required
def turnout(round_id: int) -> ResponseReturnValue:
    """Turnout per district and per day as SVG charts, with the same numbers as tables."""
    rnd = get_round_or_404(round_id)
    t = turnout_service.turnout(rnd)
    district_chart = svg.figure(
        svg.bar_chart(
            [(d.district.name, d.total) for d in t.districts], chart_id="opkomst-gebied", title=_("Stemmen per gebied")
        ),
        svg.data_table(
            [
                _("Gebied"),
                _("Via internet"),
                _("Op papier"),
                _("Samen"),
                _("Stemcodes verstuurd"),
                _("Stemcodes gebruikt"),
            ],
            [(d.district.name, d.online, d.paper, d.total, d.codes_issued, d.codes_used) for d in t.districts]
            + [
                (
                    _("Totaal"),
                    t.online,
                    t.paper,
                    t.total,
                    sum(d.codes_issued for d in t.districts),
                    sum(d.codes_used for d in t.districts),
                )
            ],
            caption=_("Stemmen per gebied, via internet en op papier"),
        ),
        _("Aantal uitgebrachte stemmen per gebied."),
    )

    def day_label(day: date) -> str:
        return format_date(day, "d MMM")

    day_chart = svg.figure(
        svg.column_chart(
            [(day_label(day), online + paper) for day, online, paper in t.per_day],
            chart_id="opkomst-dag",
            title=_("Nieuwe stemmen per dag"),
        ),
        svg.data_table(
            [_("Dag"), _("Via internet"), _("Op papier"), _("Samen")],
            [(format_date(day, "EEEE d MMMM y"), online, paper, online + paper) for day, online, paper in t.per_day],
            caption=_("Nieuwe stemmen per dag (de dag van de eerste stem; een gewijzigde stem telt niet opnieuw)"),
        ),
        _("Aantal kiezers dat op die dag voor het eerst stemde."),
    )
    return render_template(
        "codes/turnout.html", rnd=rnd, t=t, vc=voter_count(rnd), district_chart=district_chart, day_chart=day_chart
    )
