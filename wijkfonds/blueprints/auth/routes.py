"""Register, log in, log out."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.auth import bp
from wijkfonds.blueprints.auth.forms import EmptyForm, LoginForm, RegisterForm
from wijkfonds.extensions import db
from wijkfonds.i18n.languages import request_lang
from wijkfonds.i18n.text import gettext as _
from wijkfonds.services.accounts import users as accounts
from wijkfonds.services.catalog.reference import district_choices
from wijkfonds.services.errors import DomainError
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user, login_required, login_user, logout_user
from wijkfonds.web.mailkick import kick_mail
from wijkfonds.web.redirects import safe_next


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Log in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(url_for("public.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        # A failed login is committed: the counted attempt is what the rate limit counts.
        with domain_errors(form, refused="form", commit_on=(DomainError,)) as outcome:
            user = accounts.authenticate(
                form.email.data,
                form.password.data,
                ip=request.remote_addr or "?",
                account_limit=current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"],
                address_limit=current_app.config["LOGIN_ADDRESS_RATE_LIMIT"],
            )
        if outcome.ok:
            lang = session.get("lang")
            session.clear()
            if lang:
                session["lang"] = lang
            login_user(user)
            db.session.commit()
            flash(_("U bent ingelogd."), "success")
            if user.email_confirmed_at is None:
                flash(
                    _(
                        "Uw e-mailadres is nog niet bevestigd. Klik op de link in de mail die we u stuurden; op uw "
                        "accountpagina vraagt u een nieuwe."
                    ),
                    "info",
                )
            return redirect(safe_next(request.args.get("next")))
        status = outcome.status
    elif request.method == "POST":
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.route("/registreren", methods=["GET", "POST"])
def register() -> ResponseReturnValue:
    """Create a resident account."""
    if current_user.is_authenticated:
        return redirect(url_for("public.index"))
    form = RegisterForm()
    form.district.choices = [(0, _("— kies een gebied —")), *district_choices()]
    status = 200
    if form.validate_on_submit():
        with domain_errors(form, refused="form") as outcome:
            accounts.sign_up(
                email=form.email.data,
                display_name=form.display_name.data,
                password=form.password.data,
                district_id=form.district.data or None,
                ip=request.remote_addr or "?",
                limit=current_app.config["REGISTER_RATE_LIMIT"],
                language=request_lang(),  # the language of the account's mail
            )
        if outcome.ok:
            # The same answer whether the address was new or already had an account.
            db.session.commit()
            kick_mail()
            return redirect(url_for("auth.registered"), 303)
        status = outcome.status
    elif request.method == "POST":
        status = 422
    return render_template("auth/register.html", form=form), status


@bp.route("/registreren/verstuurd")
def registered() -> str:
    """After registering: the same page for a new address and for one that had an account."""
    return render_template("auth/registered.html")


@bp.route("/uitloggen", methods=["POST"])
@login_required
def logout() -> ResponseReturnValue:
    """Log out (POST with CSRF token)."""
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    accounts.logout_everywhere(current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash(_("U bent uitgelogd."), "info")
    return redirect(url_for("public.index"))
