"""Review queue views (staff): thin wrappers around services.review."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from wijkfonds.blueprints.review import bp
from wijkfonds.blueprints.review.forms import CorrectionForm, DecisionForm, StartForm
from wijkfonds.common.numbers import parse_id, parse_page
from wijkfonds.extensions import db
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import District, Initiative, Round
from wijkfonds.services.errors import DomainError
from wijkfonds.services.rounds import preview as round_preview
from wijkfonds.services.rounds import review
from wijkfonds.services.rounds.lookup import get_round_or_404
from wijkfonds.web.access import staff_required
from wijkfonds.web.confirm import confirmation_page, confirmed
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user


def _initiative_or_404(initiative_id: int) -> Initiative:
    ini = db.session.get(Initiative, initiative_id)
    if ini is None:
        abort(404, description=_("Dit plan bestaat niet (meer)."))
    return ini


def _htmx() -> bool:
    return bool(request.headers.get("HX-Request"))


def _error_status(status: int) -> int:
    # htmx does not swap 4xx answers by default, so the row with its messages comes back
    # as 200 for htmx (as in the resident blueprint); plain forms get the real 4xx status.
    return 200 if _htmx() else status


def decision_form(ini: Initiative, formdata: object | None = None) -> DecisionForm:
    """The decision form of one row, prefixed so that many fit on one page."""
    form = DecisionForm(formdata=formdata, prefix=f"i{ini.id}")
    if formdata is None:
        form.decision.data = ini.status if ini.status in review.DECISIONS else None
        form.estimated_cost.data = str(ini.estimated_cost or ini.requested_cost)
        form.reason.data = ini.infeasible_reason
    return form


def _view_arg(raw: str | None) -> str:
    return raw if raw in review.VIEWS else "open"


@bp.route("/")
@staff_required
def index() -> ResponseReturnValue:
    """Rounds to review, newest first."""
    rounds = list(
        db.session.scalars(select(Round).where(Round.imported.is_(False)).order_by(Round.submission_start.desc()))
    )
    counts = {r.id: review.queue_counts(r) for r in rounds}
    return render_template("review/index.html", rounds=rounds, counts=counts)


@bp.route("/ronde/<int:round_id>")
@staff_required
def queue(round_id: int) -> ResponseReturnValue:
    """The queue of one round: open / beoordeeld / alle, with an optional district filter."""
    rnd = get_round_or_404(round_id)
    view = _view_arg(request.args.get("toon"))
    district_id = request.args.get("gebied", type=parse_id)
    page = db.paginate(
        review.queue_query(rnd, view, district_id),
        page=request.args.get("pagina", 1, type=parse_page),
        per_page=current_app.config.get("REVIEW_PER_PAGE", 25),
        error_out=False,
    )
    forms = {ini.id: decision_form(ini) for ini in page.items}
    problems = {ini.id: review.item_problem(ini, rnd) for ini in page.items}
    districts = list(db.session.scalars(select(District).order_by(District.name)))
    return render_template(
        "review/queue.html",
        rnd=rnd,
        view=view,
        district_id=district_id,
        page=page,
        forms=forms,
        problems=problems,
        counts=review.queue_counts(rnd),
        districts=districts,
        problem=review.phase_problem(rnd),
        start_form=StartForm(),
    )


@bp.route("/ronde/<int:round_id>/starten", methods=["POST"])
@staff_required
def start(round_id: int) -> ResponseReturnValue:
    """'Zet in beoordeling': move every initiative with enough support to 'in review'."""
    rnd = get_round_or_404(round_id)
    if not StartForm().validate_on_submit():
        abort(400)
    if not confirmed():
        try:
            facts = round_preview.start_review(rnd)
        except DomainError as err:
            abort(err.status, description=err.message)
        if facts:  # with nothing to move there is nothing to undo
            return confirmation_page(
                title=_("Plannen in beoordeling zetten?"),
                facts=facts,
                action=url_for("review.start", round_id=rnd.id),
                button=_("Zet in beoordeling"),
                cancel=url_for("review.queue", round_id=rnd.id),
            )
    with domain_errors():
        moved = review.start_review(rnd, actor=current_user._get_current_object())
    db.session.commit()
    if moved:
        flash(_("%(n)s plannen staan nu in beoordeling.", n=moved), "success")
    else:
        flash(_("Er waren geen plannen meer om in beoordeling te zetten."), "info")
    return redirect(url_for("review.queue", round_id=rnd.id))


def _render_item(
    ini: Initiative, form: DecisionForm, status: int = 200, saved: bool = False, error: str = ""
) -> tuple[str, int]:
    """The row fragment for htmx, else the full page of one initiative."""
    template = "review/_item.html" if _htmx() else "review/item.html"
    return render_template(
        template,
        ini=ini,
        rnd=ini.round,
        form=form,
        saved=saved,
        error=error,
        problem=review.item_problem(ini, ini.round),
        revisions=review.revisions(ini),
    ), status


@bp.route("/plan/<int:initiative_id>")
@staff_required
def item(initiative_id: int) -> ResponseReturnValue:
    """One initiative with its decision form, text and history (works without JavaScript)."""
    ini = _initiative_or_404(initiative_id)
    return _render_item(ini, decision_form(ini))


@bp.route("/plan/<int:initiative_id>/besluit", methods=["POST"])
@staff_required
def decide(initiative_id: int) -> ResponseReturnValue:
    """Save a decision; htmx gets the updated row, a plain form a redirect back."""
    ini = _initiative_or_404(initiative_id)
    form = decision_form(ini, request.form)
    if not form.validate_on_submit():
        abort(400, description=_("Het formulier is verlopen of niet geldig. Laad de pagina opnieuw."))
    data = review.Decision(form.decision.data or "", form.estimated_cost.data, form.reason.data or "")
    # A refused decision: htmx gets the row back with the message, a plain form the error page.
    with domain_errors(form, refused="view" if _htmx() else "abort") as outcome:
        review.decide(ini, data, actor=current_user._get_current_object())
    if outcome.refusal:
        return _render_item(ini, decision_form(ini), error=outcome.refusal.message)
    if not outcome.ok:
        return _render_item(ini, form, _error_status(outcome.status))
    db.session.commit()
    back = request.form.get("terug")
    district_id = parse_id(request.form.get("gebied"))
    if _htmx():
        row, status = _render_item(ini, decision_form(ini), saved=True)
        if back == "plan":  # the plan's own page has no tabs
            return row, status
        return row + _tabs_oob(ini.round, _view_arg(back), district_id), status
    flash(_("Het besluit over ‘%(title)s’ is opgeslagen.", title=ini.title), "success")
    if back == "plan":
        return redirect(url_for("review.item", initiative_id=ini.id))
    return redirect(url_for("review.queue", round_id=ini.round_id, toon=_view_arg(back), gebied=district_id))


def _tabs_oob(rnd: Round, view: str, district_id: int | None) -> str:
    """The queue's tabs with the new counts, swapped in out of band next to the row."""
    return render_template(
        "review/_tabs.html", rnd=rnd, view=view, district_id=district_id, counts=review.queue_counts(rnd), oob=True
    )


@bp.route("/plan/<int:initiative_id>/tekst", methods=["GET", "POST"])
@staff_required
def correct(initiative_id: int) -> ResponseReturnValue:
    """Correct the title, summary or description; the old text stays in the history."""
    ini = _initiative_or_404(initiative_id)
    form = CorrectionForm(obj=ini) if request.method == "GET" else CorrectionForm()
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400, description=_("Het formulier is verlopen of niet geldig. Laad de pagina opnieuw."))
        with domain_errors(form) as outcome:
            review.correct(
                ini,
                title=form.title.data or "",
                summary=form.summary.data or "",
                description=form.description.data or "",
                note=form.note.data or "",
                actor=current_user._get_current_object(),
            )
        if outcome.ok:
            db.session.commit()
            flash(_("De tekst is aangepast. De oude tekst staat in de geschiedenis."), "success")
            return redirect(url_for("review.item", initiative_id=ini.id))
        status = outcome.status
    return render_template(
        "review/correct.html", ini=ini, form=form, problem=review.item_problem(ini, ini.round)
    ), status
