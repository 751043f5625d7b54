"""Voting with a code from a letter, and the public receipt check."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.vote import bp, voters
from wijkfonds.blueprints.vote.forms import CodeForm, ReceiptForm
from wijkfonds.extensions import db
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import Phase
from wijkfonds.services.errors import RateLimited, ValidationFailed
from wijkfonds.services.voting import ballots as voting
from wijkfonds.services.voting import codes
from wijkfonds.services.voting.snapshots import voting_round_or_404
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.layout import anonymous_page


@bp.route("/<int:round_id>/code", methods=["GET", "POST"])
def enter_code(round_id: int) -> ResponseReturnValue:
    """Enter a one-time voting code; it opens the ballot of the code's district for this session."""
    rnd = voting_round_or_404(round_id)
    if rnd.phase() != Phase.VOTING:
        status = 409 if request.method == "POST" else 200
        return render_template("vote/closed.html", rnd=rnd), status
    if voters.code_voter(rnd) is not None:
        return redirect(url_for("vote.ballot", round_id=rnd.id))
    if request.method == "GET":
        return anonymous_page((rnd,), "vote/code.html", rnd=rnd, form=CodeForm())
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
            voters.remember_code_voter(rnd, claimed.voter_id, claimed.district_id)
            return redirect(url_for("vote.ballot", round_id=rnd.id), 303)
        status = outcome.status
    elif request.method == "POST":
        status = 422
    return render_template("vote/code.html", rnd=rnd, form=form), status


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
