"""Photos of plans (and, later, of other owners): upload, show, remove, and hide (staff).

An upload is checked and re-encoded (images.process) and its files written (storage)
before the row exists, so a form with other mistakes can keep the photo: the view gets a
signed token for it and sends that back instead of asking for the file again. A photo
belongs to an owner kind and id; plans are the first kind.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import bindparam, func, select

from wijkfonds.common.timeutil import duration_text
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.i18n.languages import request_language
from wijkfonds.models import ImplementationUpdate, Initiative, Phase, Photo, Status, User
from wijkfonds.services import ratelimit
from wijkfonds.services.audit import log as audit
from wijkfonds.services.dialogue.hiding import hide_recorded, unhide_recorded
from wijkfonds.services.errors import DomainError, NotAllowed, RateLimited, ValidationFailed
from wijkfonds.services.media import storage
from wijkfonds.services.media.images import MIMETYPES, ImageRefused, process

OWNER_INITIATIVE = "initiative"
OWNER_UPDATE = "implementation_update"  # a funded plan's progress update (services.implementation)
ALT_MAX = 300
UPLOAD_BUCKET = "photo-upload"
TOKEN_SALT = "wijkfonds-photo-upload"
TOKEN_SECONDS = 24 * 3600  # a pending photo's token, and how long purge leaves unused files alone
# A plan's photos may change until voting starts; from then on everyone sees the same ballot.
MANAGEABLE = {Status.SUBMITTED.value, Status.IN_REVIEW.value, Status.FEASIBLE.value}


@dataclass(frozen=True)
class PhotoRef:
    """What a page needs to show a photo (frozen and hashable: the ballot's snapshot holds it)."""

    id: int
    digest: str
    fmt: str
    widths: tuple[int, ...]
    width: int  # of the largest file
    height: int
    alt: str
    hidden_reason: str | None = None  # only in staff's view of a hidden photo

    def name(self, width: int | None = None) -> str:
        """The file name of one stored width (default: the largest)."""
        return storage.file_name(self.digest, width or self.widths[-1], self.fmt)

    @property
    def default_width(self) -> int:
        """The width for ``src`` (browsers without srcset): 640 when stored, else the nearest below."""
        fitting = [w for w in self.widths if w <= 640]
        return fitting[-1] if fitting else self.widths[0]


def ref(photo: Photo, *, staff: bool = False) -> PhotoRef:
    """A photo row as a PhotoRef."""
    return PhotoRef(
        photo.id,
        photo.digest,
        photo.fmt,
        parse_widths(photo.widths),
        photo.width,
        photo.height,
        photo.alt,
        photo.hidden_reason if staff and photo.hidden_at is not None else None,
    )


def parse_widths(text: str) -> tuple[int, ...]:
    """The stored widths of a row ("320,640,1280")."""
    return tuple(int(w) for w in text.split(",") if w)


@dataclass(frozen=True)
class Stored:
    """A checked, re-encoded photo whose files are written, not yet attached to anything."""

    digest: str
    fmt: str
    widths: tuple[int, ...]
    width: int
    height: int


@dataclass
class Prepared:
    """What became of a form's photo: the stored photo (if any) and the form's errors."""

    stored: Stored | None = None
    errors: list[tuple[str | None, str]] = field(default_factory=list)


def megabytes(size: int) -> str:
    """A size in MB as people read it: '30,2 MB' (nl), '30.2 MB' (en), '10 MB'."""
    text = f"{size / 1_048_576:.1f}".removesuffix(".0")
    return (text.replace(".", ",") if request_language().decimal == "," else text) + " MB"


def _too_large(size: int | None, limit: int) -> str:
    if size is None:
        return _("De foto is groter dan %(max)s. Verklein de foto en probeer het opnieuw.", max=megabytes(limit))
    return _(
        "De foto is %(size)s; dat mag hoogstens %(max)s zijn. Verklein de foto en probeer het opnieuw.",
        size=megabytes(size),
        max=megabytes(limit),
    )


def read_upload(stream: IO[bytes], max_bytes: int) -> bytes:
    """The uploaded file's bytes, reading no more than ``max_bytes`` + 1 (ValidationFailed when larger)."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        size: int | None
        try:
            size = stream.seek(0, os.SEEK_END)
        except (OSError, ValueError):
            size = None
        raise ValidationFailed([("photo", _too_large(size, max_bytes))])
    if not data:
        raise ValidationFailed([("photo", _("Het gekozen bestand is leeg. Kies een foto."))])
    return data


def clean_alt(alt: str | None) -> str:
    """The alt text, trimmed; ValidationFailed when empty or too long."""
    text = " ".join((alt or "").split())
    if not text:
        raise ValidationFailed(
            [("photo_alt", _("Beschrijf in een zin wat er op de foto te zien is, voor wie de foto niet kan zien."))]
        )
    if len(text) > ALT_MAX:
        raise ValidationFailed([("photo_alt", _("De beschrijving mag hoogstens %(n)d tekens hebben.", n=ALT_MAX))])
    return text


def store(data: bytes, uploader: User) -> Stored:
    """Check and re-encode an upload and write its files (rate limited per account)."""
    config = current_app.config
    key = f"user:{uploader.id}"
    limit = config["PHOTO_UPLOAD_RATE_LIMIT"]
    message = _(
        "U heeft in korte tijd al %(n)d foto's geüpload. Probeer het over %(window)s opnieuw.",
        n=limit[0],
        window=duration_text(limit[1]),
    )
    ratelimit.check(UPLOAD_BUCKET, key, limit, message)
    ratelimit.hit(UPLOAD_BUCKET, key)  # every decoded upload counts: decoding is the cost
    try:
        processed = process(data, max_pixels=config["PHOTO_MAX_PIXELS"], widths=config["PHOTO_WIDTHS"])
    except ImageRefused as err:
        raise ValidationFailed([("photo", err.message)]) from None
    storage.save(processed)
    largest = processed.largest
    return Stored(
        processed.digest, processed.fmt, tuple(v.width for v in processed.variants), largest.width, largest.height
    )


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def token_for(stored: Stored, uploader: User) -> str:
    """A signed token that stands for a stored photo in the uploader's next form submission."""
    return _serializer().dumps(
        {
            "u": uploader.id,
            "d": stored.digest,
            "f": stored.fmt,
            "w": list(stored.widths),
            "s": [stored.width, stored.height],
        }
    )


def from_token(token: str, uploader: User) -> Stored | None:
    """The stored photo a token stands for (None: no token, not this uploader's, too old, files gone)."""
    if not token:
        return None
    try:
        raw: Any = _serializer().loads(token, max_age=TOKEN_SECONDS)
        stored = Stored(
            str(raw["d"]), str(raw["f"]), tuple(int(w) for w in raw["w"]), int(raw["s"][0]), int(raw["s"][1])
        )
        owner = int(raw["u"])
    except (BadSignature, KeyError, TypeError, ValueError, IndexError):
        return None
    if owner != uploader.id or stored.fmt not in MIMETYPES or not stored.widths:
        return None
    return stored if storage.exists(stored.digest, stored.fmt, stored.widths) else None


def prepare(upload: IO[bytes] | None, alt: str | None, uploader: User, *, token: str = "") -> Prepared:
    """A form's photo: a new file (checked and stored) or a token from an earlier attempt.

    Every problem goes into ``errors`` (a missing alt text does not stop the file from
    being kept); RateLimited is raised for the view to answer.
    """
    out = Prepared()
    if upload is not None:
        try:
            out.stored = store(read_upload(upload, current_app.config["PHOTO_MAX_BYTES"]), uploader)
        except RateLimited:
            raise
        except ValidationFailed as err:
            out.errors.extend(err.errors)
    else:
        out.stored = from_token(token, uploader)
    if upload is not None or out.stored is not None:
        try:
            clean_alt(alt)
        except ValidationFailed as err:
            out.errors.extend(err.errors)
    return out


# --- attaching, removing ------------------------------------------------------------------


def round_of(photo: Photo) -> int | None:
    """The round of the photo's owner, for the audit log."""
    if photo.owner_kind == OWNER_INITIATIVE:
        ini = db.session.get(Initiative, photo.owner_id)
        return ini.round_id if ini is not None else None
    if photo.owner_kind == OWNER_UPDATE:
        update = db.session.get(ImplementationUpdate, photo.owner_id)
        return update.implementation.round_id if update is not None else None
    return None


def count_for(owner_kind: str, owner_id: int) -> int:
    """How many photos (hidden ones too) an owner has."""
    return (
        db.session.scalar(
            select(func.count(Photo.id)).where(Photo.owner_kind == owner_kind, Photo.owner_id == owner_id)
        )
        or 0
    )


def can_manage(ini: Initiative, user: User | None) -> bool:
    """True when ``user`` submitted the plan and its photos may still change (until voting starts)."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and ini.author_id == user.id
        and ini.status in MANAGEABLE
        and ini.round.phase() in (Phase.SUBMISSION, Phase.REVIEW)
    )


def locked_reason(ini: Initiative) -> str:
    """Why a plan's photos can no longer change."""
    if ini.round.phase() in (Phase.SUBMISSION, Phase.REVIEW):  # withdrawn, or not feasible
        return _("De foto's van dit plan kunnen niet meer worden gewijzigd.")
    return _("De foto's van dit plan kunnen niet meer worden gewijzigd: het stemmen is begonnen.")


def require_manage(ini: Initiative, user: User) -> None:
    """NotAllowed for anyone but the plan's initiator; DomainError once its photos are fixed."""
    if ini.author_id != user.id:
        raise NotAllowed(_("Alleen de indiener kan de foto's van dit plan wijzigen."))
    if not can_manage(ini, user):
        raise DomainError(locked_reason(ini), 409)


def room_for(ini: Initiative) -> bool:
    """True while the plan has fewer photos than PHOTO_MAX_PER_PLAN."""
    return count_for(OWNER_INITIATIVE, ini.id) < int(current_app.config["PHOTO_MAX_PER_PLAN"])


def add_to_initiative(ini: Initiative, stored: Stored, alt: str | None, uploader: User) -> Photo:
    """Attach a stored photo to the uploader's own plan (audited)."""
    require_manage(ini, uploader)
    text = clean_alt(alt)
    if not room_for(ini):
        limit = current_app.config["PHOTO_MAX_PER_PLAN"]
        raise ValidationFailed(
            [("photo", _("Een plan kan hoogstens %(n)d foto's hebben. Verwijder er eerst een.", n=limit))]
        )
    photo = attach(OWNER_INITIATIVE, ini.id, stored, text, uploader)
    audit.record("photo.added", actor=uploader, round_id=ini.round_id, photo_id=photo.id, initiative_id=ini.id)
    return photo


def attach(owner_kind: str, owner_id: int, stored: Stored, alt: str | None, uploader: User) -> Photo:
    """A photo row for a stored photo on any owner; the owner's service checks who may (and audits)."""
    photo = Photo(
        owner_kind=owner_kind,
        owner_id=owner_id,
        uploader_id=uploader.id,
        digest=stored.digest,
        fmt=stored.fmt,
        widths=",".join(str(w) for w in stored.widths),
        width=stored.width,
        height=stored.height,
        alt=clean_alt(alt),
        hidden_reason="",
    )
    db.session.add(photo)
    db.session.flush()
    return photo


def remove(ini: Initiative, photo: Photo, user: User) -> None:
    """The initiator takes a photo off the plan (its files go with `flask media purge`)."""
    require_manage(ini, user)
    if photo.owner_kind != OWNER_INITIATIVE or photo.owner_id != ini.id:
        raise NotAllowed(_("Deze foto hoort niet bij dit plan."))
    photo_id = photo.id
    db.session.delete(photo)
    db.session.flush()
    audit.record("photo.removed", actor=user, round_id=ini.round_id, photo_id=photo_id, initiative_id=ini.id)


# --- moderation ---------------------------------------------------------------------------


def hide(photo: Photo, moderator: User, reason: str | None) -> None:
    """Hide a photo from the public with a reason shown in its place (staff still see it)."""
    hide_recorded(
        photo,
        moderator,
        reason,
        already=_("Deze foto is al verborgen."),
        event="photo.hidden",
        details=lambda: _photo_details(photo),
    )


def unhide(photo: Photo, moderator: User) -> None:
    """Show a hidden photo again."""
    unhide_recorded(
        photo,
        moderator,
        not_hidden=_("Deze foto is niet verborgen."),
        event="photo.unhidden",
        details=lambda: _photo_details(photo),
    )


def _photo_details(photo: Photo) -> dict[str, Any]:
    return {
        "round_id": round_of(photo),
        "photo_id": photo.id,
        "owner_kind": photo.owner_kind,
        "owner_id": photo.owner_id,
    }


# --- reading ------------------------------------------------------------------------------


def for_owner(owner_kind: str, owner_id: int, *, with_hidden: bool = False) -> list[Photo]:
    """An owner's photos in upload order (hidden ones only when asked, for staff and the initiator)."""
    stmt = select(Photo).where(Photo.owner_kind == owner_kind, Photo.owner_id == owner_id)
    if not with_hidden:
        stmt = stmt.where(Photo.hidden_at.is_(None))
    return list(db.session.scalars(stmt.order_by(Photo.id)))


def covers(owner_kind: str, owner_ids: Iterable[int]) -> dict[int, PhotoRef]:
    """Each owner's first visible photo (for cards in a list), in one query."""
    ids = sorted(set(owner_ids))
    if not ids:
        return {}
    rows = db.session.scalars(
        select(Photo)
        .where(Photo.owner_kind == owner_kind, Photo.owner_id.in_(ids), Photo.hidden_at.is_(None))
        .order_by(Photo.owner_id, Photo.id)
    )
    found: dict[int, PhotoRef] = {}
    for photo in rows:
        found.setdefault(photo.owner_id, ref(photo))
    return found


def recent(limit: int = 50) -> list[Photo]:
    """The newest photos, for staff to look over."""
    return list(db.session.scalars(select(Photo).order_by(Photo.created_at.desc(), Photo.id.desc()).limit(limit)))


def recently_hidden(limit: int = 50) -> list[Photo]:
    """Hidden photos, most recently hidden first (so moderators can undo)."""
    return list(
        db.session.scalars(
            select(Photo).where(Photo.hidden_at.is_not(None)).order_by(Photo.hidden_at.desc()).limit(limit)
        )
    )


@dataclass(frozen=True)
class ServedFile:
    """A stored file the file route may send: where it is, its type, whether it is hidden."""

    path: Path
    mimetype: str
    hidden: bool


_FILE_ROWS = select(Photo.__table__.c.widths, Photo.__table__.c.hidden_at).where(
    Photo.__table__.c.digest == bindparam("digest"), Photo.__table__.c.fmt == bindparam("fmt")
)


def find_file(name: str, *, staff: bool) -> ServedFile | None:
    """The file behind ``name`` if a photo row stored it and this visitor may see it.

    Only names of the form <digest>-<width>.<jpg|png|webp> are looked at, and only when a
    row has that digest, format and width: nothing else under UPLOAD_DIR can be reached.
    A photo hidden by staff is served to staff only.
    """
    parts = storage.parse_name(name)
    if parts is None:
        return None
    rows = db.session.execute(_FILE_ROWS, {"digest": parts.digest, "fmt": parts.fmt}).all()
    rows = [r for r in rows if parts.width in parse_widths(r.widths)]
    visible = any(r.hidden_at is None for r in rows)
    if not rows or not (visible or staff):
        return None
    path = storage.path_of(name)
    if not path.is_file():
        return None
    return ServedFile(path, MIMETYPES[parts.fmt], hidden=not visible)


def purge_unused(*, older_than: int = TOKEN_SECONDS, dry_run: bool = False) -> list[str]:
    """Delete stored files no photo row uses (removed photos, uploads of forms never sent).

    Files younger than ``older_than`` seconds are left alone: a form may still send their token.
    """
    base = storage.root()
    if not base.is_dir():
        return []
    used = set(db.session.scalars(select(Photo.digest).distinct()))
    cutoff = time.time() - older_than
    gone: list[str] = []
    for path in sorted(base.glob("*/*")):
        parts = storage.parse_name(path.name)
        if parts is None or parts.digest in used or path.stat().st_mtime > cutoff:
            continue
        if not dry_run:
            path.unlink(missing_ok=True)
        gone.append(path.name)
    return gone
