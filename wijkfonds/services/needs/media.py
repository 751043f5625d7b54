"""A need's photo: one optional picture, stored through services.media.photos under its own owner kind."""

from __future__ import annotations

from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import Need, Photo, User
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import NotAllowed
from wijkfonds.services.media import photos

OWNER_NEED = "need"


def add_photo(need: Need, stored: photos.Stored, alt: str | None, uploader: User) -> Photo:
    """Attach a stored photo to a need its uploader just posted (audited 'photo.added')."""
    if need.author_id != uploader.id:
        raise NotAllowed(_("Alleen wie de behoefte plaatste, voegt er een foto aan toe."))
    photo = Photo(
        owner_kind=OWNER_NEED,
        owner_id=need.id,
        uploader_id=uploader.id,
        digest=stored.digest,
        fmt=stored.fmt,
        widths=",".join(str(w) for w in stored.widths),
        width=stored.width,
        height=stored.height,
        alt=photos.clean_alt(alt),
        hidden_reason="",
    )
    db.session.add(photo)
    db.session.flush()
    audit.record("photo.added", actor=uploader, photo_id=photo.id, need_id=need.id)
    return photo


def photo_refs(need: Need) -> list[photos.PhotoRef]:
    """The need's visible photos (none while the need is hidden)."""
    if need.hidden_at is not None:
        return []
    return [photos.ref(p) for p in photos.for_owner(OWNER_NEED, need.id)]
