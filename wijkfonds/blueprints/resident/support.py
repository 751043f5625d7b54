"""Support (likes): give or take back one's support; the box swaps itself with htmx."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.auth.forms import EmptyForm
from wijkfonds.blueprints.public.context import get_or_404, is_htmx, render_support
from wijkfonds.blueprints.resident import bp
from wijkfonds.blueprints.resident.routes import resident_required
from wijkfonds.extensions import db
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import Initiative
from wijkfonds.services.accounts.confirmation import EmailNotConfirmed
from wijkfonds.services.dialogue import initiatives as svc
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user


def _set(initiative_id: int, supported: bool) -> ResponseReturnValue:
    ini = get_or_404(Initiative, initiative_id, _("Dit plan bestaat niet (meer)."))
    if not EmptyForm().validate_on_submit():
        abort(400)
    # A refusal: htmx gets the support box back with the message, a plain form the error page
    # (for an unconfirmed address: the page that says so and links to sending the mail again).
    with domain_errors(refused="view") as outcome:
        svc.set_support(ini, current_user._get_current_object(), supported)
    if outcome.error:
        if is_htmx():
            return render_support(ini, outcome.status, outcome.error.message)
        if isinstance(outcome.error, EmailNotConfirmed):
            return render_template("account/unconfirmed.html", message=outcome.error.message), outcome.status
        abort(outcome.status, description=outcome.error.message)
    db.session.commit()
    if is_htmx():
        return render_support(ini)
    flash(_("Bedankt voor uw steun!") if supported else _("Uw steun is ingetrokken."), "success")
    return redirect(url_for("public.detail", initiative_id=ini.id, _anchor="steun")), 303


@bp.route("/<int:initiative_id>/steunen", methods=["POST"])
@resident_required
def support(initiative_id: int) -> ResponseReturnValue:
    """Support a plan (once per resident; not one's own; only in the submission phase)."""
    return _set(initiative_id, True)


@bp.route("/<int:initiative_id>/steun-intrekken", methods=["POST"])
@resident_required
def unsupport(initiative_id: int) -> ResponseReturnValue:
    """Take one's support back (only in the submission phase)."""
    return _set(initiative_id, False)
