"""The pages that mail links open: confirm the address, choose a new password, confirm a new address.

Opening a link (GET) only shows what it will do, with a button; the button (POST, with its
CSRF token) uses it. Mail scanners that open every link in a message therefore cannot use
one up. A link that does not work gets its own page with the reason and the way on: 404
for an unknown link, 410 for a used, ended or expired one (services/accounts/tokens.py).
"""

from __future__ import annotations

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from wijkfonds.blueprints.account import bp
from wijkfonds.blueprints.account.forms import ConfirmForm, ForgotForm, ResetForm
from wijkfonds.common.timeutil import duration_text
from wijkfonds.extensions import db
from wijkfonds.i18n.languages import request_lang
from wijkfonds.i18n.text import gettext as _
from wijkfonds.services.accounts import confirmation, email_change, recovery
from wijkfonds.services.accounts.tokens import LinkRefused
from wijkfonds.services.errors import DomainError, RateLimited, ValidationFailed, apply_to_form
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user, logout_user
from wijkfonds.web.mailkick import kick_mail


def _private(body: str, status: int = 200) -> Response:
    # A page opened with a link token is nobody else's: no cache keeps it.
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def refused(error: LinkRefused) -> Response:
    """The page of a link that does not work, saying why and what to do instead."""
    db.session.rollback()
    return _private(
        render_template("account/link_refused.html", state=error.state.value, purpose=error.purpose.value),
        error.status,
    )


def _is_me(user_id: int) -> bool:
    return bool(current_user.is_authenticated and current_user.id == user_id)


@bp.route("/bevestigen/<token>", methods=["GET", "POST"])
def confirm(token: str) -> ResponseReturnValue:
    """Confirm the account's address with the link from the confirmation mail."""
    form = ConfirmForm()
    try:
        user = confirmation.check(token)
        if not form.validate_on_submit():
            return _private(render_template("account/confirm.html", form=form, email=user.email))
        confirmation.confirm(token)
    except LinkRefused as err:
        return refused(err)
    db.session.commit()
    flash(_("Uw e-mailadres is bevestigd. U kunt nu ook plannen steunen en een stemcode koppelen."), "success")
    return redirect(url_for("account.index" if _is_me(user.id) else "auth.login"), 303)


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
def forgot_password() -> ResponseReturnValue:
    """Ask for a password link; the answer is the same whether the address has an account or not."""
    form = ForgotForm()
    status = 200
    if form.validate_on_submit():
        # A refused request (too many from this address) is committed: it is what the limit counts.
        with domain_errors(form, refused="form", commit_on=(RateLimited,)) as outcome:
            recovery.request_reset(form.email.data, language=request_lang(), ip=request.remote_addr or "?")
        if outcome.ok:
            db.session.commit()
            kick_mail()
            return redirect(url_for("account.reset_sent"), 303)
        status = outcome.status
    elif request.method == "POST":
        status = 422
    return render_template("account/forgot.html", form=form), status


@bp.route("/wachtwoord-vergeten/verstuurd")
def reset_sent() -> str:
    """After asking for a password link: one page for every address."""
    return render_template(
        "account/forgot_sent.html", valid_for=duration_text(int(current_app.config["RESET_LINK_SECONDS"]))
    )


@bp.route("/nieuw-wachtwoord/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    """Choose a new password with the link from the mail; every session of the account ends."""
    form = ResetForm()
    status = 200
    try:
        user = recovery.check(token)
        if form.validate_on_submit():
            recovery.reset_password(token, form.password.data)
            db.session.commit()
            if _is_me(user.id):
                logout_user()
            flash(
                _(
                    "Uw nieuwe wachtwoord is opgeslagen. Overal waar u was ingelogd, bent u nu uitgelogd. "
                    "Log in met het nieuwe wachtwoord."
                ),
                "success",
            )
            return redirect(url_for("auth.login"), 303)
        if request.method == "POST":
            status = 422
    except LinkRefused as err:
        return refused(err)
    except ValidationFailed as err:  # the link still works: try a better password
        db.session.rollback()
        apply_to_form(form, err)
        status = err.status
    return _private(render_template("account/reset.html", form=form, email=user.email), status)


@bp.route("/nieuw-e-mailadres/<token>", methods=["GET", "POST"])
def confirm_email_change(token: str) -> ResponseReturnValue:
    """Confirm a new address with the link sent to it; only now does the account's address change."""
    form = ConfirmForm()
    try:
        user, new_email = email_change.check(token)
        if not form.validate_on_submit():
            return _private(
                render_template("account/email_confirm.html", form=form, new_email=new_email, old_email=user.email)
            )
        email_change.confirm_change(token)
    except LinkRefused as err:
        return refused(err)
    except DomainError as err:  # the address has become another account's in the meantime
        db.session.rollback()
        return _private(render_template("account/email_taken.html", message=err.message), err.status)
    db.session.commit()
    flash(_("Het e-mailadres van uw account is nu %(email)s.", email=new_email), "success")
    return redirect(url_for("account.index" if _is_me(user.id) else "auth.login"), 303)
