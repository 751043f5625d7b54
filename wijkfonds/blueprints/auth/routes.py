"""Register, log in, log out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from wijkfonds.blueprints.auth import bp
from wijkfonds.blueprints.auth.forms import EmptyForm, LoginForm, RegisterForm
from wijkfonds.extensions import db
from wijkfonds.models import District
from wijkfonds.services.accounts import users as accounts
from wijkfonds.services.errors import DomainError, RateLimited, ValidationFailed, apply_to_form


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths, never an open redirect."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("public.index")


def district_choices() -> list[tuple[int, str]]:
    """(id, name) of the active districts, for select fields."""
    rows = db.session.scalars(select(District).where(District.active.is_(True)).order_by(District.name))
    return [(d.id, d.name) for d in rows]


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(url_for("public.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(
                form.email.data,
                form.password.data,
                ip=request.remote_addr or "?",
                account_limit=current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"],
                address_limit=current_app.config["LOGIN_ADDRESS_RATE_LIMIT"],
            )
        except DomainError as err:
            db.session.commit()  # keep the counted attempt
            form.form_errors.append(err.message)
            status = err.status
        else:
            lang = session.get("lang")
            session.clear()
            if lang:
                session["lang"] = lang
            login_user(user)
            db.session.commit()
            flash(_("U bent ingelogd."), "success")
            return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.route("/registreren", methods=["GET", "POST"])
def register():
    """Create a resident account."""
    if current_user.is_authenticated:
        return redirect(url_for("public.index"))
    form = RegisterForm()
    form.district.choices = [(0, _("— kies een gebied —"))] + district_choices()
    status = 200
    if form.validate_on_submit():
        try:
            accounts.sign_up(
                email=form.email.data,
                display_name=form.display_name.data,
                password=form.password.data,
                district_id=form.district.data or None,
                ip=request.remote_addr or "?",
                limit=current_app.config["REGISTER_RATE_LIMIT"],
            )
        except ValidationFailed as err:
            db.session.rollback()
            apply_to_form(form, err)
            status = 422
        except RateLimited as err:
            db.session.rollback()
            form.form_errors.append(err.message)
            status = err.status
        else:
            # The same answer whether the address was new or already had an account.
            db.session.commit()
            return redirect(url_for("auth.registered"), 303)
    elif request.method == "POST":
        status = 422
    return render_template("auth/register.html", form=form), status


@bp.route("/registreren/verstuurd")
def registered() -> str:
    """After registering: the same page for a new address and for one that had an account."""
    return render_template("auth/registered.html")


@bp.route("/uitloggen", methods=["POST"])
@login_required
def logout():
    """Log out (POST with CSRF token)."""
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    accounts.logout_everywhere(current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash(_("U bent uitgelogd."), "info")
    return redirect(url_for("public.index"))
