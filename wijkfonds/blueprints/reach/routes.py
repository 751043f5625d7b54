"""Staff views: turnout per district against the eligible residents, and entering those numbers."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from wijkfonds.blueprints.figures import charts
from wijkfonds.blueprints.reach import bp, forms
from wijkfonds.blueprints.reach.forms import EligibleForm
from wijkfonds.common.money import number
from wijkfonds.extensions import db
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import Round
from wijkfonds.services.errors import ValidationFailed
from wijkfonds.services.figures import eligible as eligible_service
from wijkfonds.services.figures import reach as reach_service
from wijkfonds.services.rounds.lookup import get_round_or_404
from wijkfonds.web.access import staff_required
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user


@bp.route("/")
@staff_required
def index() -> ResponseReturnValue:
    """Every round, newest first, with a link to its reach."""
    rounds = list(db.session.scalars(select(Round).order_by(Round.voting_start.desc(), Round.id.desc())))
    return render_template("reach/index.html", rounds=rounds)


@bp.route("/ronde/<int:round_id>")
@staff_required
def round_reach(round_id: int) -> ResponseReturnValue:
    """Turnout per district, channel and day, with the districts behind the average marked."""
    rnd = get_round_or_404(round_id)
    r = reach_service.reach(rnd)
    return render_template(
        "reach/round.html",
        rnd=rnd,
        r=r,
        percent=charts.percent,
        number=number,
        public=reach_service.is_public(rnd),
        behind_factor=reach_service.BEHIND_FACTOR,
        districts=charts.district_figure(r, staff=True, chart_id="bereik-gebied"),
        shares=charts.share_figure(r, "bereik-opkomst"),
        channels=charts.channel_figure(r, staff=True, chart_id="bereik-kanaal"),
        days=charts.day_figure(r, "bereik-dag"),
    )


@bp.app_template_global("eligible_form")
def eligible_form(rnd: Round) -> EligibleForm:
    """The eligible-residents form with the stored numbers (also shown on the round's page)."""
    return forms.stored(rnd)


@bp.route("/ronde/<int:round_id>/kiesgerechtigden", methods=["GET", "POST"])
@staff_required
def eligible(round_id: int) -> ResponseReturnValue:
    """Enter the number of eligible residents per district (any phase; an empty field removes it)."""
    rnd = get_round_or_404(round_id)
    form = forms.stored(rnd)
    status = 200
    if request.method == "POST":
        form = forms.submitted(rnd, request.form.to_dict())
        with domain_errors(refused="view") as outcome:
            changed = eligible_service.save(rnd, form.values, actor=current_user._get_current_object())
        if outcome.ok:
            db.session.commit()
            flash(_("De aantallen zijn opgeslagen.") if changed else _("Er was niets veranderd."), "success")
            return redirect(url_for("reach.round_reach", round_id=rnd.id))
        if not isinstance(outcome.error, ValidationFailed):
            abort(outcome.status, description=outcome.error.message if outcome.error else None)
        form.add_errors(outcome.error)
        status = outcome.status
    return render_template("reach/eligible.html", rnd=rnd, eligible=form), status
