"""Staff's side of photos: the newest and the hidden ones, hide with a reason, show again."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from wijkfonds.blueprints.auth.forms import EmptyForm
from wijkfonds.blueprints.media import bp
from wijkfonds.blueprints.media.forms import HidePhotoForm
from wijkfonds.blueprints.public.context import get_or_404
from wijkfonds.extensions import db
from wijkfonds.i18n.text import gettext as _
from wijkfonds.models import ImplementationUpdate, Initiative, Photo
from wijkfonds.services.media import photos
from wijkfonds.web.access import staff_required
from wijkfonds.web.errors import domain_errors
from wijkfonds.web.login import current_user


def _photo(photo_id: int) -> Photo:
    return get_or_404(Photo, photo_id, _("Deze foto bestaat niet (meer)."))


def _owner(photo: Photo) -> Initiative | None:
    if photo.owner_kind == photos.OWNER_INITIATIVE:
        return db.session.get(Initiative, photo.owner_id)
    if photo.owner_kind == photos.OWNER_UPDATE:  # a funded plan's progress update
        update = db.session.get(ImplementationUpdate, photo.owner_id)
        return update.implementation.initiative if update is not None else None
    return None


def _page(photo: Photo, form: HidePhotoForm | None = None, status: int = 200) -> tuple[str, int]:
    return render_template(
        "media/moderate_photo.html",
        photo=photo,
        ref=photos.ref(photo, staff=True),
        initiative=_owner(photo),
        form=form or HidePhotoForm(formdata=None),
    ), status


@bp.route("/moderatie/fotos/")
@staff_required
def photo_queue() -> ResponseReturnValue:
    """The newest photos (to look over) and the hidden ones (to undo)."""
    recent = photos.recent()
    owners = {p.owner_id for p in recent if p.owner_kind == photos.OWNER_INITIATIVE}
    titles = {
        row.id: row.title
        for row in db.session.execute(select(Initiative.id, Initiative.title).where(Initiative.id.in_(owners)))
    }
    return render_template(
        "media/moderation.html",
        recent=[(p, photos.ref(p, staff=True)) for p in recent],
        hidden=photos.recently_hidden(),
        titles=titles,
    )


@bp.route("/moderatie/fotos/<int:photo_id>")
@staff_required
def photo_detail(photo_id: int) -> ResponseReturnValue:
    """One photo with its plan and the moderation actions."""
    return _page(_photo(photo_id))


@bp.route("/moderatie/fotos/<int:photo_id>/verbergen", methods=["POST"])
@staff_required
def hide_photo(photo_id: int) -> ResponseReturnValue:
    """Hide a photo with a reason."""
    item = _photo(photo_id)
    form = HidePhotoForm()
    if form.validate_on_submit():
        with domain_errors(form) as outcome:
            photos.hide(item, current_user._get_current_object(), form.reason.data)
        if outcome.ok:
            db.session.commit()
            flash(_("De foto is verborgen."), "success")
            return redirect(url_for("media.photo_detail", photo_id=item.id), 303)
    return _page(item, form, 422)


@bp.route("/moderatie/fotos/<int:photo_id>/tonen", methods=["POST"])
@staff_required
def unhide_photo(photo_id: int) -> ResponseReturnValue:
    """Show a hidden photo again."""
    item = _photo(photo_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    with domain_errors():
        photos.unhide(item, current_user._get_current_object())
    db.session.commit()
    flash(_("De foto is weer zichtbaar."), "success")
    return redirect(url_for("media.photo_detail", photo_id=item.id), 303)
