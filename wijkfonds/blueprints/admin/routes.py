"""Account management (admin only)."""

from __future__ import annotations

from collections.abc import Sequence

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from wtforms.fields.choices import SelectChoice

from wijkfonds.blueprints.admin import bp
from wijkfonds.blueprints.admin.forms import ActiveForm, CreateUserForm, RoleForm
from wijkfonds.common.numbers import parse_page
from wijkfonds.extensions import db
from wijkfonds.i18n.languages import request_lang
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import Role, User
from wijkfonds.services.accounts import admin as user_admin
from wijkfonds.web.access import admin_required
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.labels import ROLES
from wijkfonds.web.login import current_user
from wijkfonds.web.mailkick import kick_mail


def _role_choices(roles: Sequence[Role] = ()) -> list[tuple[str, str]]:
    """(value, label) of the given roles (default: every role)."""
    values = [r.value for r in roles] if roles else list(ROLES)
    return [(v, str(ROLES[v])) for v in values]


def _back(target: str | None) -> str:
    """Back to the account list with its filters, never to another site."""
    if target and target.startswith("/beheer/accounts") and "//" not in target:
        return target
    return url_for("admin.users")


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404, description=_("Dit account bestaat niet."))
    return user


@bp.route("/")
@admin_required
def index() -> ResponseReturnValue:
    """Overview of the administration pages."""
    return render_template("admin/index.html")


@bp.route("/accounts")
@admin_required
def users() -> ResponseReturnValue:
    """Accounts with search (e-mail or name), role filter and pagination."""
    search = request.args.get("q", "")[:100]
    role = request.args.get("rol", "")
    page = db.paginate(
        user_admin.list_query(search, role),
        page=request.args.get("pagina", 1, type=parse_page),
        per_page=current_app.config.get("ADMIN_PER_PAGE", 25),
        error_out=False,
    )
    template = "admin/_users.html" if request.headers.get("HX-Request") else "admin/users.html"
    return render_template(template, page=page, search=search, role=role, role_choices=_role_choices())


@bp.route("/accounts/nieuw", methods=["GET", "POST"])
@admin_required
def create_user() -> ResponseReturnValue:
    """Create a staff, auditor or admin account with a first password."""
    form = CreateUserForm()
    form.role.choices = [SelectChoice(v, label) for v, label in _role_choices(user_admin.CREATABLE_ROLES)]
    status = 200
    if form.validate_on_submit():
        with domain_errors(form) as outcome:
            user = user_admin.create_account(
                email=form.email.data,
                display_name=form.display_name.data,
                role=form.role.data,
                password=form.password.data,
                actor=current_user._get_current_object(),
                language=request_lang(),
            )
        if outcome.ok:
            db.session.commit()
            kick_mail()
            flash(
                _(
                    "Het account voor %(email)s is aangemaakt. Er is een mail gestuurd om het e-mailadres te "
                    "bevestigen.",
                    email=user.email,
                ),
                "success",
            )
            return redirect(url_for("admin.users"))
        status = outcome.status
    elif request.method == "POST":
        status = 422
    return render_template("admin/create_user.html", form=form), status


@bp.route("/accounts/<int:user_id>/rol", methods=["POST"])
@admin_required
def set_role(user_id: int) -> ResponseReturnValue:
    """Change the role of an account."""
    user = _user_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    with domain_errors():  # ValidationFailed too: a 4xx page with the message
        changed = user_admin.change_role(user, form.role.data or "", actor=current_user._get_current_object())
    db.session.commit()
    if changed:
        flash(_("De rol van %(email)s is nu: %(role)s.", email=user.email, role=ROLES[user.role]), "success")
    return redirect(_back(form.next.data))


@bp.route("/accounts/<int:user_id>/actief", methods=["POST"])
@admin_required
def set_active(user_id: int) -> ResponseReturnValue:
    """Block or unblock an account."""
    user = _user_or_404(user_id)
    form = ActiveForm()
    if not form.validate_on_submit():
        abort(400)
    if form.active.data not in ("0", "1"):
        abort(422, description=_("Kies blokkeren of deblokkeren."))
    with domain_errors():
        changed = user_admin.change_active(user, form.active.data == "1", actor=current_user._get_current_object())
    db.session.commit()
    if changed:
        if user.active:
            flash(_("%(email)s kan weer inloggen.", email=user.email), "success")
        else:
            flash(_("%(email)s is geblokkeerd en kan niet meer inloggen.", email=user.email), "success")
    return redirect(_back(form.next.data))
