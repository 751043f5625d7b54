"""Staff views: rounds to compute, runs with live progress, comparison, publication."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select

from wijkfonds.blueprints.runs import bp
from wijkfonds.blueprints.runs.forms import PublishForm, RunForm
from wijkfonds.common.numbers import parse_id
from wijkfonds.extensions import db
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import AllocationRun, Initiative, Phase, Round
from wijkfonds.services.errors import DomainError, ValidationFailed, apply_to_form
from wijkfonds.services.results import runner
from wijkfonds.services.results.fairness import runs_fairness
from wijkfonds.services.results.publication import compare as compare_runs
from wijkfonds.services.results.publication import publish as publish_run
from wijkfonds.services.results.publication import publish_preview, published_run
from wijkfonds.services.results.reconcile import voter_count
from wijkfonds.services.results.rule_words import unspent_notice
from wijkfonds.services.rounds.lookup import get_round_or_404
from wijkfonds.tasks import enqueue_run
from wijkfonds.web.access import staff_required
from wijkfonds.web.confirm import confirmation_page, confirmed
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user


def _runs(rnd: Round) -> list[AllocationRun]:
    return list(
        db.session.scalars(
            select(AllocationRun).where(AllocationRun.round_id == rnd.id).order_by(AllocationRun.id.desc())
        )
    )


def _run_or_404(run_id: int) -> AllocationRun:
    run = db.session.get(AllocationRun, run_id)
    if run is None:
        abort(404)
    return run


@bp.route("/")
@staff_required
def index() -> ResponseReturnValue:
    """Every round, with its runs and whether a result is published."""
    rounds = list(db.session.scalars(select(Round).order_by(Round.results_start.desc())))
    counts = dict(
        db.session.execute(
            select(AllocationRun.round_id, func.count(AllocationRun.id)).group_by(AllocationRun.round_id)
        ).all()
    )
    published = {r.id: published_run(r.id) for r in rounds}
    return render_template("runs/index.html", rounds=rounds, counts=counts, published=published, Phase=Phase)


def _render_round(rnd: Round, form: RunForm, status: int = 200) -> tuple[str, int]:
    if runner.reap_stale(rnd.id):
        db.session.commit()
    runs = _runs(rnd)
    return render_template(
        "runs/round.html",
        rnd=rnd,
        form=form,
        runs=runs,
        closed=rnd.phase() == Phase.RESULTS,
        official=published_run(rnd.id),
        done=[r for r in runs if r.status == "done"],
    ), status


@bp.route("/ronde/<int:round_id>", methods=["GET", "POST"])
@staff_required
def round_page(round_id: int) -> ResponseReturnValue:
    """Start a run (POST) and list the runs of a round."""
    rnd = get_round_or_404(round_id)
    form = RunForm()
    if request.method == "GET":
        return _render_round(rnd, form)
    if not form.validate_on_submit():
        return _render_round(rnd, form, 422)
    with domain_errors(form, refused="form") as outcome:
        run = runner.create_run(
            rnd,
            rule=form.rule.data,
            completion=form.completion.data or "none",
            time_limit=form.time_limit.data,
            actor=current_user._get_current_object(),
        )
    if not outcome.ok:
        return _render_round(rnd, form, outcome.status)
    run_id = run.id  # read before the commit: reading it after would open a new transaction
    db.session.commit()
    if enqueue_run(run_id):
        flash(_("De berekening is gestart."), "success")
    else:
        flash(_("De berekening kon niet in de wachtrij: de achtergrondwachtrij is niet bereikbaar."), "error")
    return redirect(url_for("runs.run_page", run_id=run_id))


def _render_run(run: AllocationRun, form: PublishForm | None = None, status: int = 200) -> tuple[str, int]:
    if run.status in runner.ACTIVE and runner.reap_stale(run.round_id):
        db.session.commit()
    form = form or PublishForm(formdata=None)
    official = published_run(run.round_id)
    ids = [o["initiative_id"] for o in (run.result or {}).get("outcomes", {}).values()]
    inis = {i.id: i for i in db.session.scalars(select(Initiative).where(Initiative.id.in_(ids)))} if ids else {}
    template = "runs/_run.html" if request.headers.get("HX-Request") else "runs/run.html"
    result = run.result if run.status == "done" else None
    done = bool(result)
    unspent = unspent_notice(result, run.rule, run.completion) if result else None
    vc = voter_count(run.round) if done else None
    return render_template(
        template, run=run, rnd=run.round, form=form, official=official, initiatives=inis, unspent=unspent, vc=vc
    ), status


@bp.route("/berekening/<int:run_id>")
@staff_required
def run_page(run_id: int) -> ResponseReturnValue:
    """A run: live status while it runs (htmx polls this route), then its result."""
    return _render_run(_run_or_404(run_id))


@bp.route("/berekening/<int:run_id>/publiceren", methods=["POST"])
@staff_required
def publish(run_id: int) -> ResponseReturnValue:
    """Make this run the official result of its round."""
    run = _run_or_404(run_id)
    form = PublishForm()
    if not form.validate_on_submit():
        return _render_run(run, form, 422)
    if not confirmed():
        try:
            facts = publish_preview(run, form.reason.data or "")
        except ValidationFailed as err:
            db.session.rollback()
            apply_to_form(form, err)
            return _render_run(run, form, 422)
        except DomainError as err:
            db.session.rollback()
            form.form_errors.append(err.message)
            return _render_run(run, form, err.status)
        return confirmation_page(
            title=_("Deze berekening publiceren als officiële uitslag?"),
            facts=facts,
            action=url_for("runs.publish", run_id=run.id),
            fields={"reason": form.reason.data or ""},
            button=_("Publiceren als officiële uitslag"),
            cancel=url_for("runs.run_page", run_id=run.id),
            warning=_(
                "Een gepubliceerde uitslag kan alleen worden vervangen door een nieuwe publicatie met een reden; "
                "beide blijven in het logboek."
            ),
        )
    with domain_errors(form, refused="form") as outcome:
        publish_run(run, reason=form.reason.data or "", actor=current_user._get_current_object())
    if not outcome.ok:
        return _render_run(run, form, outcome.status)
    db.session.commit()
    flash(_("De uitslag is gepubliceerd."), "success")
    return redirect(url_for("runs.run_page", run_id=run.id))


@bp.route("/ronde/<int:round_id>/vergelijken")
@staff_required
def compare(round_id: int) -> ResponseReturnValue:
    """Two runs side by side (?a=RUN&b=RUN)."""
    rnd = get_round_or_404(round_id)
    done = [r for r in _runs(rnd) if r.status == "done"]
    a_id, b_id = request.args.get("a", type=parse_id), request.args.get("b", type=parse_id)
    result, fairness, error, status = None, None, None, 200
    if a_id is not None and b_id is not None:
        by_id = {r.id: r for r in done}
        if a_id not in by_id or b_id not in by_id:
            error, status = _("Kies twee geslaagde berekeningen van deze ronde."), 404
        elif a_id == b_id:
            error, status = _("Kies twee verschillende berekeningen."), 400
        else:
            with domain_errors(refused="view") as outcome:
                result = compare_runs(by_id[a_id], by_id[b_id])
                fairness = runs_fairness([by_id[a_id], by_id[b_id]])
            if outcome.error:
                error, status = outcome.error.message, outcome.status
    elif request.args:
        error, status = _("Kies twee geslaagde berekeningen van deze ronde."), 400
    return render_template(
        "runs/compare.html", rnd=rnd, done=done, a_id=a_id, b_id=b_id, cmp=result, fair=fairness, error=error
    ), status
