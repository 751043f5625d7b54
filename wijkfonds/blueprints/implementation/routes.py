"""Staff: the overview of funded plans per round, and one plan's status, money, milestones and account."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.implementation import bp
from wijkfonds.blueprints.implementation.context import funded, timeline
from wijkfonds.blueprints.implementation.forms import (
    MilestoneDoneForm,
    MilestoneForm,
    PaymentForm,
    ReasonForm,
    StatusForm,
    UpdateForm,
)
from wijkfonds.blueprints.public.context import get_or_404
from wijkfonds.extensions import db
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import District, Implementation, ImplementationUpdate, Milestone, Round, User
from wijkfonds.services.implementation import money, overview, progress, records
from wijkfonds.web.access import staff_required
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.forms import FlaskForm
from wijkfonds.web.login import current_user


def _me() -> User:
    return current_user._get_current_object()


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and 0 < int(value) < 2**31 else None


@bp.route("/beheer/uitvoering", endpoint="overview")
@staff_required
def overview_page() -> ResponseReturnValue:
    """Per round: each funded plan with status, granted, paid and what is overdue; filters."""
    rounds = records.rounds()
    round_id = _int_arg("ronde")
    rnd = next((r for r in rounds if r.id == round_id), rounds[0] if rounds else None)
    district_id = _int_arg("gebied")
    status = request.args.get("status", "")
    late_only = request.args.get("achter") == "1"
    summary = overview.summary(rnd.id, district_id) if rnd is not None else None
    plans = summary.plans if summary is not None else []
    if status in records.STATUSES:
        plans = [p for p in plans if p.status == status]
    if late_only:
        plans = [p for p in plans if p.overdue.any]
    return render_template(
        "implementation/overview.html",
        rounds=rounds,
        rnd=rnd,
        summary=summary,
        plans=plans,
        districts=list(db.session.scalars(db.select(District).order_by(District.name))),
        district_id=district_id,
        status=status,
        late_only=late_only,
        statuses=records.STATUSES,
    )


def _status_form(impl: Implementation, form: StatusForm | None = None) -> StatusForm:
    form = form or StatusForm(formdata=None)
    form.status.choices = [(s, records.status_label(s)) for s in progress.next_statuses(impl)]
    return form


def _page(impl: Implementation, status: int = 200, **forms: FlaskForm) -> tuple[str, int]:
    return render_template(
        "implementation/manage.html",
        initiative=impl.initiative,
        rnd=db.session.get(Round, impl.round_id),
        status_form=_status_form(impl, forms.get("status_form")),  # type: ignore[arg-type]
        payment_form=forms.get("payment_form") or PaymentForm(formdata=None),
        milestone_form=forms.get("milestone_form") or MilestoneForm(formdata=None),
        done_form=MilestoneDoneForm(formdata=None),
        update_form=forms.get("update_form") or UpdateForm(formdata=None),
        send_back_form=forms.get("send_back_form") or ReasonForm(formdata=None),
        hide_form=ReasonForm(formdata=None),
        milestone_late=overview.milestone_late,
        **timeline(impl, _me()),
    ), status


def _back(impl: Implementation, message: str) -> ResponseReturnValue:
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("implementation.manage", initiative_id=impl.initiative_id), 303)


@bp.route("/beheer/uitvoering/plannen/<int:initiative_id>")
@staff_required
def manage(initiative_id: int) -> ResponseReturnValue:
    """One funded plan for staff: its story and every action on it."""
    _ini, impl = funded(initiative_id)
    return _page(impl)


def _post(initiative_id: int, form: FlaskForm, key: str, action: Any, done: str) -> ResponseReturnValue:
    _ini, impl = funded(initiative_id)
    if key == "status_form":
        _status_form(impl, form)  # type: ignore[arg-type]
    if not form.validate_on_submit():
        return _page(impl, 422, **{key: form})
    with domain_errors(form, refused="form") as outcome:
        action(impl, form)
    if outcome.ok:
        return _back(impl, done)
    db.session.refresh(impl)
    return _page(impl, outcome.status, **{key: form})


@bp.route("/beheer/uitvoering/plannen/<int:initiative_id>/status", methods=["POST"])
@staff_required
def set_status(initiative_id: int) -> ResponseReturnValue:
    """Move the plan to its next status."""
    return _post(
        initiative_id,
        StatusForm(),
        "status_form",
        lambda impl, form: progress.set_status(impl, form.status.data or "", _me(), reason=form.reason.data),
        _("De status is gewijzigd."),
    )


@bp.route("/beheer/uitvoering/plannen/<int:initiative_id>/betalingen", methods=["POST"])
@staff_required
def payment(initiative_id: int) -> ResponseReturnValue:
    """Record a tranche."""
    return _post(
        initiative_id,
        PaymentForm(),
        "payment_form",
        lambda impl, form: money.record_payment(impl, _me(), form.amount.data, form.paid_on.data, form.purpose.data),
        _("De betaling is vastgelegd."),
    )


@bp.route("/beheer/uitvoering/plannen/<int:initiative_id>/mijlpalen", methods=["POST"])
@staff_required
def milestone(initiative_id: int) -> ResponseReturnValue:
    """Add a milestone."""
    return _post(
        initiative_id,
        MilestoneForm(),
        "milestone_form",
        lambda impl, form: progress.add_milestone(impl, _me(), form.title.data, form.target_on.data),
        _("De mijlpaal is toegevoegd."),
    )


@bp.route("/beheer/uitvoering/plannen/<int:initiative_id>/mijlpalen/<int:milestone_id>/gehaald", methods=["POST"])
@staff_required
def milestone_done(initiative_id: int, milestone_id: int) -> ResponseReturnValue:
    """Mark a milestone as reached."""
    item = get_or_404(Milestone, milestone_id, _("Deze mijlpaal bestaat niet (meer)."))
    form = MilestoneDoneForm()
    _ini, impl = funded(initiative_id)
    if not form.validate_on_submit():
        abort(422, description=_("Kies de datum waarop deze stap klaar was."))
    with domain_errors():
        progress.complete_milestone(impl, item, _me(), form.done_on.data)
    return _back(impl, _("De mijlpaal is gehaald."))


@bp.route("/beheer/uitvoering/plannen/<int:initiative_id>/berichten", methods=["POST"])
@staff_required
def staff_update(initiative_id: int) -> ResponseReturnValue:
    """Staff post an update (without a photo; initiators add theirs on their own page)."""
    return _post(
        initiative_id,
        UpdateForm(),
        "update_form",
        lambda impl, form: progress.add_update(impl, _me(), form.body.data),
        _("Het bericht is geplaatst."),
    )


@bp.route("/beheer/uitvoering/plannen/<int:initiative_id>/verantwoording/goedkeuren", methods=["POST"])
@staff_required
def approve(initiative_id: int) -> ResponseReturnValue:
    """Approve the submitted account."""
    _ini, impl = funded(initiative_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    with domain_errors():
        money.approve_account(impl, _me())
    return _back(impl, _("De verantwoording is goedgekeurd."))


@bp.route("/beheer/uitvoering/plannen/<int:initiative_id>/verantwoording/terugsturen", methods=["POST"])
@staff_required
def send_back(initiative_id: int) -> ResponseReturnValue:
    """Send the account back with a reason."""
    return _post(
        initiative_id,
        ReasonForm(),
        "send_back_form",
        lambda impl, form: money.send_back_account(impl, _me(), form.reason.data),
        _("De verantwoording is teruggestuurd naar de indiener."),
    )


def _update(update_id: int) -> ImplementationUpdate:
    return get_or_404(ImplementationUpdate, update_id, _("Dit bericht bestaat niet (meer)."))


@bp.route("/beheer/uitvoering/berichten/<int:update_id>/verbergen", methods=["POST"])
@staff_required
def hide_update(update_id: int) -> ResponseReturnValue:
    """Hide an update with a reason."""
    update = _update(update_id)
    impl = update.implementation
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(422, description=_("Geef een reden (hoogstens 300 tekens)."))
    with domain_errors():
        progress.hide_update(update, _me(), form.reason.data)
    return _back(impl, _("Het bericht is verborgen."))


@bp.route("/beheer/uitvoering/berichten/<int:update_id>/tonen", methods=["POST"])
@staff_required
def unhide_update(update_id: int) -> ResponseReturnValue:
    """Show a hidden update again."""
    update = _update(update_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    with domain_errors():
        progress.unhide_update(update, _me())
    return _back(update.implementation, _("Het bericht is weer zichtbaar."))
