"""Voting with a code from a letter, and the public receipt check."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.vote import bp, voters
from wijkfonds.blueprints.vote.forms import CodeForm, ReceiptForm
from wijkfonds.extensions import db
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import Phase, Round
from wijkfonds.services.errors import RateLimited, ValidationFailed
from wijkfonds.services.voting import ballots as voting
from wijkfonds.services.voting import codes
from wijkfonds.services.voting.snapshots import voting_round_or_404
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.layout import anonymous_page
from wijkfonds.web.login import current_user, login_required


@bp.route("/<int:round_id>/code", methods=["GET", "POST"])
def enter_code(round_id: int) -> ResponseReturnValue:
    """Enter the code from a letter: it opens the ballot of the code's district, as it stands.

    Entering spends nothing; the code counts once a ballot is stored, and opens that ballot
    again (in any browser) until voting closes.
    """
    rnd = voting_round_or_404(round_id)
    if rnd.phase() != Phase.VOTING:
        status = 409 if request.method == "POST" else 200
        return render_template("vote/closed.html", rnd=rnd), status
    if rnd.voter_access != voting.VOTER_ACCESS_CODE:  # no letters in this round: accounts vote
        return redirect(url_for("auth.login", next=url_for("vote.ballot", round_id=rnd.id)))
    if voters.code_voter(rnd) is not None:
        return redirect(url_for("vote.ballot", round_id=rnd.id))
    if request.method == "GET":
        return anonymous_page((rnd,), "vote/code.html", rnd=rnd, build=lambda: {"form": CodeForm()})
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        # A wrong or rate-limited code is committed: the counted attempt is what the rate limit counts.
        with domain_errors(form, refused="form", commit_on=(ValidationFailed, RateLimited)) as outcome:
            claimed = codes.claim(
                rnd, form.code.data, rate_key=request.remote_addr or "?", limit=current_app.config["CODE_RATE_LIMIT"]
            )
        if outcome.ok:
            db.session.commit()
            voters.remember_code_voter(rnd, claimed.voter_id, claimed.district_id, claimed.access_version)
            return redirect(url_for("vote.ballot", round_id=rnd.id), 303)
        status = outcome.status
    elif request.method == "POST":
        status = 422
    return render_template("vote/code.html", rnd=rnd, form=form), status


@bp.route("/<int:round_id>/koppelen", methods=["GET", "POST"])
@login_required
def bind_code(round_id: int) -> ResponseReturnValue:
    """A logged-in resident binds the code from their letter to their account, once per round."""
    rnd = db.get_or_404(Round, round_id)
    if rnd.phase() != Phase.VOTING:
        status = 409 if request.method == "POST" else 200
        return render_template("vote/closed.html", rnd=rnd), status
    if rnd.voter_access != voting.VOTER_ACCESS_CODE or not voters.needs_binding(voting_round_or_404(round_id)):
        return redirect(url_for("vote.ballot", round_id=rnd.id))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        with domain_errors(form, refused="form", commit_on=(ValidationFailed, RateLimited)) as outcome:
            codes.bind(
                rnd,
                current_user._get_current_object(),
                form.code.data,
                rate_key=request.remote_addr or "?",
                limit=current_app.config["CODE_RATE_LIMIT"],
            )
        if outcome.ok:
            db.session.commit()
            flash(_("Uw stemcode hoort nu bij uw account. U stemt in deze ronde met uw account."), "success")
            return redirect(url_for("vote.ballot", round_id=rnd.id), 303)
        status = outcome.status
    elif request.method == "POST":
        status = 422
    return render_template("vote/bind.html", rnd=rnd, form=form), status


@bp.route("/controle")
def check_receipt() -> ResponseReturnValue:
    """Public check: was the ballot with this receipt counted, or replaced by a later one?"""
    form = ReceiptForm(request.args)
    result = None
    status = 200
    if request.args:
        if form.validate():
            result = voting.check_receipt(form.code.data)
            if result.state == "unknown":
                form.code.errors = [_("Deze ontvangstcode kennen we niet. Controleer of u hem goed heeft overgenomen.")]
        else:
            status = 422
    return render_template("vote/receipt.html", form=form, result=result), status
