"""Public views: a closed round's turnout per district, day and channel; nothing before close."""

from __future__ import annotations

from flask import abort, render_template
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.figures import bp, charts
from wijkfonds.common.money import number
from wijkfonds.i18n.text import gettext as _
from wijkfonds.services.figures import reach as reach_service
from wijkfonds.services.rounds.lookup import get_round_or_404


@bp.route("/ronde/<int:round_id>")
def round_figures(round_id: int) -> ResponseReturnValue:
    """Turnout of a round whose voting has closed; 404 (with no number at all) before that."""
    rnd = get_round_or_404(round_id)
    if not reach_service.is_public(rnd):
        abort(404, description=_("De opkomstcijfers van deze ronde verschijnen hier als het stemmen gesloten is."))
    r = reach_service.reach(rnd)
    return render_template(
        "figures/round.html",
        rnd=rnd,
        r=r,
        percent=charts.percent,
        number=number,
        districts=charts.district_figure(r, staff=False, chart_id="cijfers-gebied"),
        shares=charts.share_figure(r, "cijfers-opkomst"),
        channels=charts.channel_figure(r, staff=False, chart_id="cijfers-kanaal"),
        days=charts.day_figure(r, "cijfers-dag"),
    )
