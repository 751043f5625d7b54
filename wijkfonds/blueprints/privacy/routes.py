"""The privacy statement (public), a copy of one's data (logged in), deleting one's account (residents)."""

from __future__ import annotations

import json

from flask import Response, abort, current_app, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.privacy import bp
from wijkfonds.blueprints.privacy.forms import DeleteAccountForm
from wijkfonds.common.timeutil import to_local, utcnow
from wijkfonds.extensions import db
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import User
from wijkfonds.services.accounts import privacy, privacy_retention
from wijkfonds.services.errors import RateLimited, ValidationFailed
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user, login_required, logout_user
from wijkfonds.web.maps import tile_source


def _me() -> User:
    return current_user._get_current_object()


@bp.route("/")
def statement() -> ResponseReturnValue:
    """The privacy statement: what is stored, why, how long, who sees it; the rights; the contact."""
    config = current_app.config
    return render_template(
        "privacy/statement.html",
        rules=privacy_retention.rules(config),
        contact=config["PRIVACY_CONTACT"],
        mail_days=int(config["MAIL_RETENTION_DAYS"]),
        rate_hours=int(privacy_retention.rate_event_retention(config).total_seconds() // 3600),
        voter_days=int(config["VOTER_LINK_RETENTION_DAYS"]),
        report_days=int(config["REPORT_RETENTION_DAYS"]),
        backup_days=int(config["BACKUP_RETENTION_DAYS"]),
        edit_minutes=int(config["COMMENT_EDIT_MINUTES"]),
        tile_host=external_tile_host(config["MAP_TILE_URL"]),
    )


def external_tile_host(template: str) -> str | None:
    """The host browsers load map tiles from when that is not this site (None: this site, or no tiles)."""
    source = tile_source(template)
    return source.split("://", 1)[1] if source else None


@bp.route("/mijn-gegevens")
@login_required
def account() -> ResponseReturnValue:
    """One's own data: download it, or (residents) delete the account."""
    return render_template("privacy/account.html", may_delete=privacy.may_delete(_me()))


@bp.route("/mijn-gegevens/download")
@login_required
def download() -> ResponseReturnValue:
    """Everything the platform holds about the logged-in account, as readable JSON (never ballot contents)."""
    data = privacy.personal_data(_me())
    day = to_local(utcnow()).date().isoformat()
    response = Response(json.dumps(data, indent=2, ensure_ascii=False) + "\n", mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="wijkfonds-mijn-gegevens-{day}.json"'
    response.headers["Cache-Control"] = "no-store"  # personal data: no copy in a shared cache
    return response


@bp.route("/account-verwijderen", methods=["GET", "POST"])
@login_required
def delete() -> ResponseReturnValue:
    """Ask what happens to the plans and for the password, then delete the account for good."""
    me = _me()
    if not privacy.may_delete(me):
        abort(
            403,
            description=_(
                "Alleen bewoners verwijderen hier hun account. Accounts van medewerkers, controleurs en beheerders "
                "blokkeert een beheerder."
            ),
        )
    form = DeleteAccountForm()
    status = 200
    if form.validate_on_submit():
        # A wrong password is counted as at login, and that count must stay (commit_on).
        with domain_errors(form, refused="form", commit_on=(ValidationFailed, RateLimited)) as outcome:
            privacy.delete_account(
                me,
                password=form.password.data,
                plans=form.plans.data or "",
                password_limit=current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"],
            )
        if outcome.ok:
            db.session.commit()
            lang = session.get("lang")
            logout_user()
            session.clear()
            if lang:
                session["lang"] = lang
            return redirect(url_for("privacy.deleted"), 303)
        status = outcome.status
    elif form.is_submitted():
        status = 422
    return render_template("privacy/delete.html", form=form, preview=privacy.preview(me)), status


@bp.route("/account-verwijderd")
def deleted() -> ResponseReturnValue:
    """After deleting: what is gone and what stays."""
    return render_template("privacy/deleted.html")
