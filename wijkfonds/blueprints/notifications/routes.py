"""The settings page, and following a plan (a button that works without JavaScript; htmx swaps it)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.notifications import bp
from wijkfonds.blueprints.notifications.forms import KIND_LABELS, FollowForm, PreferencesForm
from wijkfonds.blueprints.public.context import get_or_404, is_htmx
from wijkfonds.extensions import db
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import Initiative
from wijkfonds.services.notifications import follows, settings
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user, login_required
from wijkfonds.web.redirects import safe_next


@bp.app_template_global("follow_state")
def follow_state(initiative: Initiative) -> follows.FollowState | None:
    """Whether the visitor follows the plan (None for a visitor who is not logged in)."""
    if not current_user.is_authenticated:
        return None
    return follows.state(current_user._get_current_object(), initiative)


def _initial() -> dict[str, Any]:
    user = current_user._get_current_object()
    prefs = settings.settings_for(user)
    return {
        "language": settings.mail_language(user),
        "delivery": prefs.delivery,
        "follow_own": prefs.follow_own,
        "follow_supported": prefs.follow_supported,
        **{kind.value: prefs.is_on(kind) for kind in settings.SHOWN_KINDS},
    }


@bp.route("/account/meldingen", methods=["GET", "POST"])
@login_required
def preferences() -> ResponseReturnValue:
    """The account's notifications: language, instant or daily, every switch, the plans it follows."""
    user = current_user._get_current_object()
    form = PreferencesForm(data=_initial())
    status = 200
    if form.validate_on_submit():
        choices = settings.Choices(
            language=form.language.data or "",
            delivery=form.delivery.data or "",
            follow_own=bool(form.follow_own.data),
            follow_supported=bool(form.follow_supported.data),
            kinds=frozenset(k for k in settings.SHOWN_KINDS if form[k.value].data),
        )
        with domain_errors(form) as outcome:
            settings.update(user, choices)
        if outcome.ok:
            db.session.commit()
            flash(_("Uw instellingen voor meldingen zijn opgeslagen."), "success")
            return redirect(url_for("notifications.preferences"), 303)
        status = outcome.status
    elif request.method == "POST":
        status = 422
    return render_template(
        "notifications/preferences.html",
        form=form,
        kinds=[form[k.value] for k in settings.SHOWN_KINDS],
        followed=follows.followed_by(user),
        labels=KIND_LABELS,
    ), status


def _set(initiative_id: int, following: bool) -> ResponseReturnValue:
    ini = get_or_404(Initiative, initiative_id, _("Dit plan bestaat niet (meer)."))
    form = FollowForm()
    if not form.validate_on_submit():
        abort(400)
    follows.set_following(current_user._get_current_object(), ini, following)
    db.session.commit()
    if is_htmx():
        return render_template("notifications/_follow.html", initiative=ini)
    flash(_("U volgt dit plan nu.") if following else _("U volgt dit plan niet meer."), "success")
    target = form.next.data
    back = safe_next(target) if target else url_for("public.detail", initiative_id=ini.id, _anchor="volgen")
    return redirect(back, 303)


@bp.route("/initiatieven/<int:initiative_id>/volgen", methods=["POST"])
@login_required
def follow(initiative_id: int) -> ResponseReturnValue:
    """Follow a plan: mail about its comments and its result."""
    return _set(initiative_id, True)


@bp.route("/initiatieven/<int:initiative_id>/niet-volgen", methods=["POST"])
@login_required
def unfollow(initiative_id: int) -> ResponseReturnValue:
    """Stop following a plan (also one's own or one that one supports)."""
    return _set(initiative_id, False)
