"""Staff views: list rounds, create and edit them, see the timeline, move to the next phase."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import or_, select
from werkzeug.routing import BuildError

from wijkfonds.blueprints.rounds import bp
from wijkfonds.blueprints.rounds.fields import format_percent
from wijkfonds.blueprints.rounds.forms import RoundForm, make_form, to_data
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.i18n.text import get_locale
from wijkfonds.i18n.text import gettext as _
from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models import BuildingBlock, District, Phase, Round, Theme
from wijkfonds.services.errors import DomainError, ValidationFailed, apply_to_form
from wijkfonds.services.rounds import admin as round_admin
from wijkfonds.services.rounds import preview as round_preview
from wijkfonds.services.rounds.budget import split_by_population
from wijkfonds.services.rounds.checks import DATE_FIELDS, RoundData
from wijkfonds.services.rounds.lookup import get_round_or_404
from wijkfonds.web.access import staff_required
from wijkfonds.web.confirm import confirmation_page, confirmed
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.labels import PHASES
from wijkfonds.web.login import current_user

ACTIONS = {
    Phase.NOMINATION: _l("Open thema's voorstellen nu"),
    Phase.SUBMISSION: _l("Open indienen nu"),
    Phase.REVIEW: _l("Start beoordeling nu"),
    Phase.VOTING: _l("Open stemmen nu"),
    Phase.RESULTS: _l("Sluit stemmen nu"),
}

# What the flash says after the button: closing voting is not "a phase that begins".
DONE = {
    Phase.VOTING: _l("Het stemmen is nu open."),
    Phase.RESULTS: _l("Het stemmen is gesloten. Bereken nu de uitslag onder Toewijzing."),
}


@bp.context_processor
def _helpers() -> dict[str, object]:
    return {"percent": format_percent}


def timeline_rows(rnd: Round) -> list[tuple[Phase, datetime | None, datetime | None]]:
    """Every phase with its start and end, the results included."""
    return [*rnd.timeline(), (Phase.RESULTS, rnd.results_start, None)]


def _options(rnd: Round | None) -> tuple[list[District], list[BuildingBlock], list[Theme]]:
    """Active districts and blocks, plus inactive ones this round still uses; every theme."""
    budget_ids = [b.district_id for b in rnd.district_budgets] if rnd else []
    quota_ids = [q.block_id for q in rnd.block_quotas] if rnd else []
    districts = list(
        db.session.scalars(
            select(District).where(or_(District.active.is_(True), District.id.in_(budget_ids))).order_by(District.name)
        )
    )
    blocks = list(
        db.session.scalars(
            select(BuildingBlock)
            .where(or_(BuildingBlock.active.is_(True), BuildingBlock.id.in_(quota_ids)))
            .order_by(BuildingBlock.number, BuildingBlock.id)
        )
    )
    themes = list(db.session.scalars(select(Theme).order_by(Theme.id)))
    return districts, blocks, themes


def _locked_field_names(form: RoundForm, rnd: Round) -> set[str]:
    names = {
        "total_budget",
        "themes",
        "support_threshold",
        "ballot_kind",
        "voter_access",
        "knapsack_min_spend",
        "approval_min",
        "approval_max",
        "points_total",
        "points_min_plans",
        "points_max_per_plan",
        "ranked_max",
        "ilp_goal",
    }
    names |= {f"{p}_{d.id}" for d in form.districts for p in ("budget", "floor")}
    names |= {f"{p}_{b.id}" for b in form.blocks for p in ("min", "max")}
    now = utcnow()
    return names | {f for f in DATE_FIELDS if getattr(rnd, f) is not None and getattr(rnd, f) <= now}


def _show_errors(form: RoundForm, err: ValidationFailed) -> None:
    """Sum and share errors go above their tables; the rest next to their fields."""
    form.budget_errors += [m for f, m in err.errors if f == "budgets"]
    form.quota_errors += [m for f, m in err.errors if f == "quotas"]
    rest = [(f, m) for f, m in err.errors if f not in ("budgets", "quotas")]
    if rest:
        apply_to_form(form, ValidationFailed(rest))


def _fill_by_population(form: RoundForm) -> int:
    """Split the typed total over the districts by population (nothing is saved)."""
    total = form.total_budget.data
    if form.total_budget.process_errors or not total:
        form.total_budget.errors = list(form.total_budget.process_errors) or [
            _("Vul eerst het totale budget in; dat wordt dan verdeeld naar inwonertal.")
        ]
        return 422
    for d, amount in zip(
        form.districts, split_by_population(total, [d.population for d in form.districts]), strict=True
    ):
        field = form.budget(d.id)
        field.data, field.raw_data = amount, None
    form.filled = True
    return 200


def _handle(form: RoundForm, rnd: Round | None) -> ResponseReturnValue:
    """The shared POST logic of create and edit; returns a response."""
    locked = rnd is not None and round_admin.is_locked(rnd)
    status = 200
    if request.method == "POST":
        if "fill_by_population" in request.form:
            if locked and rnd is not None:
                abort(409, description=round_admin.lock_message(rnd))
            status = _fill_by_population(form)
            if request.headers.get("HX-Request"):
                return render_template("rounds/_budgets.html", form=form), status
        elif not form.validate():
            if locked and rnd is not None and any(form[n].errors for n in _locked_field_names(form, rnd)):
                abort(409, description=round_admin.lock_message(rnd))
            status = 422
        else:
            data = to_data(form, RoundData.of(rnd) if rnd else None, locked)
            user = current_user._get_current_object()
            try:
                if rnd is None:
                    rnd = round_admin.create_round(data, actor=user)
                    message = _("De ronde is aangemaakt.")
                else:
                    changed = round_admin.update_round(rnd, data, actor=user)
                    message = _("De wijzigingen zijn opgeslagen.") if changed else _("Er was niets veranderd.")
            except ValidationFailed as err:
                db.session.rollback()
                _show_errors(form, err)
                status = 422
            except DomainError as err:
                db.session.rollback()
                abort(err.status, description=err.message)
            else:
                db.session.commit()
                flash(message, "success")
                return redirect(url_for("rounds.show", round_id=rnd.id))
    started = {
        f
        for f in DATE_FIELDS
        if rnd is not None and locked and getattr(rnd, f) is not None and getattr(rnd, f) <= utcnow()
    }
    return render_template(
        "rounds/form.html",
        form=form,
        rnd=rnd,
        locked=locked,
        started=started,
        lock_message=round_admin.lock_message(rnd) if rnd is not None and locked else "",
    ), status


@bp.route("/")
@staff_required
def index() -> ResponseReturnValue:
    """Every round, newest first."""
    rounds = list(db.session.scalars(select(Round).order_by(Round.submission_start.desc(), Round.id.desc())))
    return render_template("rounds/index.html", rounds=rounds)


@bp.route("/nieuw", methods=["GET", "POST"])
@staff_required
def create() -> ResponseReturnValue:
    """A new round."""
    districts, blocks, themes = _options(None)
    initial = RoundData(budgets={d.id: None for d in districts}, floors={d.id: 0 for d in districts})
    form = make_form(districts, blocks, themes, initial, str(get_locale() or "nl"))
    return _handle(form, None)


@bp.route("/<int:round_id>/bewerken", methods=["GET", "POST"])
@staff_required
def edit(round_id: int) -> ResponseReturnValue:
    """Edit a round (after the start of voting only the name, description and later dates)."""
    rnd = get_round_or_404(round_id)
    districts, blocks, themes = _options(rnd)
    current = RoundData.of(rnd)
    for d in districts:
        current.budgets.setdefault(d.id, None if not rnd.district_budgets else 0)
    form = make_form(districts, blocks, themes, current, str(get_locale() or "nl"))
    return _handle(form, rnd)


@bp.route("/<int:round_id>")
@staff_required
def show(round_id: int) -> ResponseReturnValue:
    """A round: timeline with the current phase, budgets, rules and the next step."""
    rnd = get_round_or_404(round_id)
    nxt = round_admin.next_phase(rnd)
    try:  # the review area is another team's blueprint: link to it only when it is there
        review_url = url_for("review.queue", round_id=rnd.id) if rnd.phase() == Phase.REVIEW else None
    except BuildError:
        review_url = None
    return render_template(
        "rounds/show.html",
        rnd=rnd,
        review_url=review_url,
        phase=rnd.phase(),
        next_phase=nxt,
        rows=timeline_rows(rnd),
        action=ACTIONS[nxt] if nxt else None,
        locked=round_admin.is_locked(rnd),
        lock_message=round_admin.lock_message(rnd),
    )


@bp.route("/<int:round_id>/fase", methods=["POST"])
@staff_required
def advance(round_id: int) -> ResponseReturnValue:
    """Start the next phase now (the button on the round page)."""
    rnd = get_round_or_404(round_id)
    try:
        target = Phase(request.form.get("to", ""))
    except ValueError:
        abort(422, description=_("Onbekende fase. Laad de pagina opnieuw."))
    if not confirmed():  # every phase step is final: its start date becomes now
        try:
            facts = round_preview.advance(rnd, target)
        except DomainError as err:
            abort(err.status, description=err.message)
        return confirmation_page(
            title=f"{ACTIONS[target]}?",
            facts=facts,
            action=url_for("rounds.advance", round_id=rnd.id),
            fields={"to": target.value},
            button=str(ACTIONS[target]),
            cancel=url_for("rounds.show", round_id=rnd.id),
        )
    with domain_errors():
        round_admin.advance_phase(rnd, target, actor=current_user._get_current_object())
    db.session.commit()
    flash(str(DONE.get(target) or _("De fase „%(phase)s” is nu begonnen.", phase=PHASES[target.value])), "success")
    return redirect(url_for("rounds.show", round_id=rnd.id))
