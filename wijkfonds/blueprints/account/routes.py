"""The account page: the address and whether it is confirmed, sending the link again, a new address."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.account import bp
from wijkfonds.blueprints.account.forms import ChangeEmailForm, ResendForm
from wijkfonds.extensions import db
from wijkfonds.i18n.languages import request_lang
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import User
from wijkfonds.services.accounts import confirmation, email_change
from wijkfonds.services.errors import RateLimited, ValidationFailed
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user, login_required
from wijkfonds.web.mailkick import kick_mail


def _me() -> User:
    return current_user._get_current_object()


def _page(resend_form: ResendForm | None = None, status: int = 200) -> ResponseReturnValue:
    me = _me()
    return render_template(
        "account/index.html",
        me=me,
        confirmed=confirmation.is_confirmed(me),
        pending_email=email_change.pending_address(me),
        resend_form=resend_form or ResendForm(formdata=None),
    ), status


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    """The logged-in person's own account."""
    return _page()


@bp.route("/bevestigingsmail", methods=["POST"])
@login_required
def resend_confirmation() -> ResponseReturnValue:
    """Send the confirmation link again (limited per account)."""
    form = ResendForm()
    if not form.validate_on_submit():
        abort(400)
    # A refused resend (already confirmed, too often) shows on the account page; the
    # counted request stays counted.
    with domain_errors(form, refused="form", commit_on=(RateLimited,)) as outcome:
        confirmation.resend(_me(), language=request_lang())
    if not outcome.ok:
        return _page(form, outcome.status)
    db.session.commit()
    kick_mail()
    flash(_("We hebben de bevestigingsmail opnieuw gestuurd naar %(email)s.", email=_me().email), "success")
    return redirect(url_for("account.index", _anchor="bevestigen"), 303)


@bp.route("/e-mailadres", methods=["GET", "POST"])
@login_required
def change_email() -> ResponseReturnValue:
    """Ask for a new address: a link goes to it, a notice to the current one."""
    form = ChangeEmailForm()
    status = 200
    if form.validate_on_submit():
        # A wrong password or a refused request is committed: the counted attempt is what the limits count.
        with domain_errors(form, refused="form", commit_on=(ValidationFailed, RateLimited)) as outcome:
            email_change.request_change(
                _me(), new_email=form.email.data, password=form.password.data, language=request_lang()
            )
        if outcome.ok:
            db.session.commit()
            kick_mail()
            return redirect(url_for("account.change_email_sent"), 303)
        status = outcome.status
    elif request.method == "POST":
        status = 422
    return render_template("account/change_email.html", form=form, me=_me()), status


@bp.route("/e-mailadres/verstuurd")
@login_required
def change_email_sent() -> ResponseReturnValue:
    """After asking for a new address: the same page whether or not that address had an account."""
    return render_template(
        "account/change_email_sent.html", me=_me(), pending_email=email_change.pending_address(_me())
    )
