"""A plan's photos for its initiator: add one (with alt text), take one off; until voting starts."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from wijkfonds.blueprints.auth.forms import EmptyForm
from wijkfonds.blueprints.media import bp
from wijkfonds.blueprints.media.forms import PhotoForm, take_photo
from wijkfonds.blueprints.public.context import get_or_404
from wijkfonds.extensions import db
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import Initiative, Photo, Role, User
from wijkfonds.services.media import photos
from wijkfonds.web.access import role_required
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user

resident_required = role_required(Role.RESIDENT)


def _me() -> User:
    return current_user._get_current_object()


def _own(initiative_id: int) -> Initiative:
    ini = get_or_404(Initiative, initiative_id, _("Dit plan bestaat niet (meer)."))
    if ini.author_id != current_user.id:
        abort(403, description=_("Alleen de indiener kan de foto's van dit plan wijzigen."))
    return ini


def _page(ini: Initiative, form: PhotoForm | None = None, status: int = 200) -> tuple[str, int]:
    return render_template(
        "media/manage.html",
        initiative=ini,
        photos=[(p, photos.ref(p)) for p in photos.for_owner(photos.OWNER_INITIATIVE, ini.id, with_hidden=True)],
        form=form or PhotoForm(formdata=None),
        can_manage=photos.can_manage(ini, _me()),
        locked_reason=photos.locked_reason(ini),
        room=photos.room_for(ini),
    ), status


@bp.route("/initiatieven/<int:initiative_id>/fotos", methods=["GET", "POST"])
@resident_required
def manage(initiative_id: int) -> ResponseReturnValue:
    """The plan's photos; POST adds one."""
    ini = _own(initiative_id)
    form = PhotoForm()
    if not form.is_submitted():
        return _page(ini)
    if not form.validate():
        return _page(ini, form, 422)
    with domain_errors(form, refused="form") as outcome:
        photos.require_manage(ini, _me())
    if not outcome.ok:
        return _page(ini, form, outcome.status)
    if not photos.room_for(ini):
        limit = current_app.config["PHOTO_MAX_PER_PLAN"]
        form.form_errors.append(_("Een plan kan hoogstens %(n)d foto's hebben. Verwijder er eerst een.", n=limit))
        return _page(ini, form, 422)
    if form.photo.data is None and not form.photo_token.data:
        form.photo.errors = [_("Kies een foto.")]
        return _page(ini, form, 422)
    stored, status = take_photo(form, _me())
    if status is not None or stored is None:
        return _page(ini, form, status or 422)
    with domain_errors(form, refused="form") as outcome:
        photos.add_to_initiative(ini, stored, form.photo_alt.data, _me())
    if not outcome.ok:
        return _page(ini, form, outcome.status)
    db.session.commit()
    flash(_("De foto is toegevoegd."), "success")
    return redirect(url_for("media.manage", initiative_id=ini.id), 303)


@bp.route("/initiatieven/<int:initiative_id>/fotos/<int:photo_id>/verwijderen", methods=["POST"])
@resident_required
def remove(initiative_id: int, photo_id: int) -> ResponseReturnValue:
    """Take one photo off the plan."""
    ini = _own(initiative_id)
    photo = get_or_404(Photo, photo_id, _("Deze foto bestaat niet (meer)."))
    if not EmptyForm().validate_on_submit():
        abort(400)
    with domain_errors():
        photos.remove(ini, photo, _me())
    db.session.commit()
    flash(_("De foto is verwijderd."), "success")
    return redirect(url_for("media.manage", initiative_id=ini.id), 303)
