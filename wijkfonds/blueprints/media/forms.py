"""The photo fields of a form (the plan's submit and edit forms, the photo page), and their handling."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import Length, Optional

from wijkfonds.blueprints.moderation.fields import reason_field
from wijkfonds.extensions import db
from wijkfonds.i18n.text import lazy_gettext as _l
from wijkfonds.models import User
from wijkfonds.services.errors import RateLimited
from wijkfonds.services.media import photos
from wijkfonds.web.forms import FlaskForm

ACCEPT = "image/jpeg,image/png,image/webp"


class PhotoFields:
    """A photo with its alt text, and the token of a photo sent with an earlier attempt."""

    photo = FileField(_l("Foto (niet verplicht)"), render_kw={"accept": ACCEPT})
    photo_alt = StringField(
        _l("Wat is er op de foto te zien?"),
        filters=[lambda s: s.strip() if s else s],
        validators=[
            Optional(),
            Length(max=photos.ALT_MAX, message=_l("De beschrijving mag hoogstens 300 tekens hebben.")),
        ],
    )
    photo_token = HiddenField()


class PhotoForm(PhotoFields, FlaskForm):
    """Add one photo to a plan."""

    submit = SubmitField(_l("Foto toevoegen"))


class HidePhotoForm(FlaskForm):
    """Hide a photo; the reason is shown in its place."""

    reason = reason_field(_l("Reden (wordt getoond in plaats van de foto)"))
    submit = SubmitField(_l("Foto verbergen"))


def _add_error(form: Any, name: str | None, message: str) -> None:
    target = getattr(form, name or "", None)
    if target is None:
        form.form_errors.append(message)
    else:
        target.errors = [*target.errors, message]


def take_photo(form: Any, user: User) -> tuple[photos.Stored | None, int | None]:
    """Run a form's photo through the service: (the stored photo or None, the error status or None).

    Errors go onto the form's fields. A photo that was stored keeps its token in the form,
    so a form sent back for another mistake does not ask for the file again. Every
    decoded upload counts against the account's limit, so that count is committed at
    once, also when the form is refused (nothing else is written before this).
    """
    upload = form.photo.data or None
    try:
        prepared = photos.prepare(
            upload.stream if upload is not None else None,
            form.photo_alt.data,
            user,
            token=form.photo_token.data or "",
        )
    except RateLimited as err:
        db.session.rollback()
        _add_error(form, "photo", err.message)
        return None, err.status
    if upload is not None:
        db.session.commit()
    for name, message in prepared.errors:
        _add_error(form, name, message)
    form.photo_token.data = photos.token_for(prepared.stored, user) if prepared.stored is not None else ""
    return prepared.stored, (422 if prepared.errors else None)
