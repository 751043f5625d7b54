"""The initiator's page of a funded plan: post an update (with a photo) and send the financial account."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.implementation import bp
from wijkfonds.blueprints.implementation.context import funded, timeline
from wijkfonds.blueprints.implementation.forms import AccountForm, UpdateForm
from wijkfonds.blueprints.media.forms import take_photo
from wijkfonds.blueprints.public.context import get_or_404
from wijkfonds.extensions import db
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import Implementation, Initiative, User
from wijkfonds.services.implementation import money, progress, records
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user, login_required


def _me() -> User:
    return current_user._get_current_object()


def _own(initiative_id: int) -> Implementation:
    ini = get_or_404(Initiative, initiative_id, _("Dit plan bestaat niet (meer)."))
    if ini.author_id is None or ini.author_id != current_user.id:
        abort(403, description=_("Alleen de indiener van dit plan kan hier over de uitvoering schrijven."))
    return funded(initiative_id)[1]


def _page(
    impl: Implementation,
    update_form: UpdateForm | None = None,
    account_form: AccountForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    return render_template(
        "implementation/initiator.html",
        initiative=impl.initiative,
        update_form=update_form or UpdateForm(formdata=None),
        account_form=account_form or AccountForm(formdata=None),
        **timeline(impl, _me()),
    ), status


@bp.route("/uitvoering/plannen/<int:initiative_id>", methods=["GET", "POST"])
@login_required
def initiator(initiative_id: int) -> ResponseReturnValue:
    """The plan's story for its initiator; POST posts an update (text, and a photo with its alt text)."""
    impl = _own(initiative_id)
    form = UpdateForm()
    if not form.is_submitted():
        return _page(impl)
    if not form.validate():
        return _page(impl, form, status=422)
    stored = None
    if form.photo.data is not None or form.photo_token.data:
        stored, status = take_photo(form, _me())
        if status is not None:
            return _page(impl, form, status=status)
    with domain_errors(form, refused="form") as outcome:
        progress.add_update(impl, _me(), form.body.data, photo=stored, alt=form.photo_alt.data)
    if not outcome.ok:
        db.session.refresh(impl)
        return _page(impl, form, status=outcome.status)
    db.session.commit()
    flash(_("Uw bericht is geplaatst. Wie het plan volgt, krijgt het te zien."), "success")
    return redirect(url_for("implementation.initiator", initiative_id=impl.initiative_id), 303)


@bp.route("/uitvoering/plannen/<int:initiative_id>/verantwoording", methods=["POST"])
@login_required
def submit_account(initiative_id: int) -> ResponseReturnValue:
    """Send the financial account (again, after staff sent it back)."""
    impl = _own(initiative_id)
    form = AccountForm()
    if not form.validate_on_submit():
        return _page(impl, account_form=form, status=422)
    with domain_errors(form, refused="form") as outcome:
        money.submit_account(impl, _me(), form.spent.data, form.returned.data, form.body.data)
    if not outcome.ok:
        db.session.refresh(impl)
        return _page(impl, account_form=form, status=outcome.status)
    db.session.commit()
    flash(_("Uw verantwoording is ingestuurd. Het stadsdeel bekijkt hem."), "success")
    return redirect(url_for("implementation.initiator", initiative_id=impl.initiative_id), 303)


@bp.app_template_global("implementation_for")
def implementation_for(initiative: Initiative) -> dict[str, object] | None:
    """The timeline of a funded plan for its public page (None: no implementation record)."""
    impl = records.for_initiative(initiative)
    if impl is None or initiative.status != "funded":
        return None
    user = _me() if current_user.is_authenticated else None
    return {**timeline(impl, user), "is_initiator": records.is_initiator(impl, user)}
