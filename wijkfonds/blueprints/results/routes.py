"""Public views: the published result of a round, and the explanation per initiative."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup
from sqlalchemy import select

from wijkfonds.blueprints.results import bp
from wijkfonds.common.money import euro
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.i18n.languages import request_lang
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import AllocationRun, Initiative, Round
from wijkfonds.services.opendata import downloads
from wijkfonds.services.results import explanations
from wijkfonds.services.results.publication import explanation_for, published_run
from wijkfonds.services.results.rule_words import district_share_texts
from wijkfonds.services.rounds.lookup import get_round_or_404
from wijkfonds.web import svg
from wijkfonds.web.errors import domain_errors


def _lang() -> str:
    """The site language of the current request (nl, b1, en, tr, ar, pl): explanations come in each."""
    return request_lang()


@bp.app_template_global("explanation_for")
def explanation_global(initiative: Initiative, lang: str | None = None) -> dict[str, Any] | None:
    """Template access to :func:`explanation_for` in the current language."""
    return explanation_for(initiative, lang or _lang())


@bp.app_template_global("outcome_text")
def outcome_text(outcome: dict[str, Any]) -> str:
    """A stored outcome's explanation in the current language (the stored English as fallback)."""
    return explanations.outcome_text(outcome, _lang())


@bp.app_template_global("receipt_check_url")
def receipt_check_url() -> str | None:
    """The voting blueprint's receipt check page, when it exists."""
    for endpoint in ("vote.receipt", "vote.check_receipt"):
        if endpoint in current_app.view_functions:
            return url_for(endpoint)
    return None


@bp.route("/")
def index() -> ResponseReturnValue:
    """Rounds with a published result."""
    runs = db.session.scalars(select(AllocationRun).where(AllocationRun.published_at.is_not(None)))
    round_ids = {r.round_id for r in runs}
    rounds = (
        list(db.session.scalars(select(Round).where(Round.id.in_(round_ids)).order_by(Round.results_start.desc())))
        if round_ids
        else []
    )
    # Rounds whose voting has closed: their turnout is public (blueprints/figures), published or not.
    closed = list(
        db.session.scalars(select(Round).where(Round.results_start <= utcnow()).order_by(Round.results_start.desc()))
    )
    return render_template("results/index.html", rounds=rounds, closed=closed)


def _charts(r: dict[str, Any]) -> dict[str, Markup]:
    """Spend per district and per building block of a run's result, as charts with tables."""
    districts = [(d, int(v)) for d, v in r["district_spend"].items()]
    blocks = [(b, int(v)) for b, v in r["block_spend"].items() if v]
    d_rows = [(d, euro(r["district_budgets"].get(d, 0)), euro(v)) for d, v in districts]
    b_rows = [(b, euro(v)) for b, v in blocks]
    return {
        "districts": svg.figure(
            svg.bar_chart(districts, chart_id="chart-districts", title=_("Besteding per gebied"), fmt=euro),
            svg.data_table(
                [_("Gebied"), _("Beschikbaar budget"), _("Besteed")],
                d_rows,
                caption=_("Besteding per gebied in cijfers"),
            ),
            _("Hoeveel geld elk gebied krijgt."),
        ),
        "blocks": svg.figure(
            svg.bar_chart(blocks, chart_id="chart-blocks", title=_("Besteding per bouwsteen"), fmt=euro),
            svg.data_table([_("Bouwsteen"), _("Besteed")], b_rows, caption=_("Besteding per bouwsteen in cijfers")),
            _("Hoeveel geld naar elke bouwsteen gaat (alleen bouwstenen met geld)."),
        ),
    }


@bp.route("/<int:round_id>")
def round_results(round_id: int) -> ResponseReturnValue:
    """The official result: funded initiatives per district, spend charts with tables."""
    rnd = get_round_or_404(round_id)
    run = published_run(rnd.id)
    if run is None or not run.result:
        abort(404, description=_("De uitslag van deze ronde is nog niet gepubliceerd."))
    ids = [o["initiative_id"] for o in run.result["outcomes"].values()]
    inis = {i.id: i for i in db.session.scalars(select(Initiative).where(Initiative.id.in_(ids)))}
    by_district: dict[str, dict[str, list[tuple[Initiative, dict[str, Any]]]]] = {}
    for o in sorted(run.result["outcomes"].values(), key=lambda o: -o["support"]):
        ini = inis.get(o["initiative_id"])
        if ini is not None:
            group = by_district.setdefault(o["district"], {"funded": [], "not_funded": []})
            group["funded" if o["funded"] else "not_funded"].append((ini, o))
    with domain_errors():
        files = downloads.district_files(rnd)
    return render_template(
        "results/round.html",
        rnd=rnd,
        files=files,
        run=run,
        r=run.result,
        by_district=by_district,
        shares=district_share_texts(run.result, _lang()),
        charts=_charts(run.result),
        detail_endpoint="public.detail" if "public.detail" in current_app.view_functions else None,
    )


@bp.route("/initiatief/<int:initiative_id>")
def explanation(initiative_id: int) -> ResponseReturnValue:
    """Why one initiative was or was not funded (a fragment for htmx, else a small page)."""
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None:
        abort(404)
    if request.headers.get("HX-Request"):
        return render_template("results/_explanation.html", initiative=initiative)
    return render_template("results/explanation.html", initiative=initiative)
