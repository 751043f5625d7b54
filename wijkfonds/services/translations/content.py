"""Translations of what residents wrote, added by the author or a volunteer translator.

Generic by kind: each kind of content (plan, comment, and later a need) registers a
``Source`` that says how to load the original, who wrote it and which fields it has. Needs
join with one call: ``register(ContentKind.NEED, Source(...))``.

No automatic translation: a person writes each translation. One row per object and
language; saving again edits it. The original is never changed.

Which version a translation translates: each row keeps ``source_hash``, the SHA-256 of the
translated fields of the original (``Source.original``) when it was saved. A hash and not
the original's ``updated_at`` or a version number, because (1) it changes only when a
translated field changes: a status change, a new photo, a staff estimate or a new support
leave a plan's ``updated_at`` moved but its title, summary and description as they were, and
must not make the translations stale; (2) it needs no column and no hook in every place that
edits an original (the author's edit, staff's edit, a comment's edit within its minutes, a
need's edit): the current text is hashed when the page is shown, so no edit path can forget
to mark translations stale; (3) it is the same for every kind, so a new Source gets it free.
An edit that is undone makes the translation current again, which is right: it translates
the text that is there.

A stale translation (another hash now) is not shown as the text: the reader sees the current
original with a notice in their language, and the old translation folded away below it
(``outdated``), the same for plans, needs and comments. Saving the translation again records
the current hash, which makes it current.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import select

from wijkfonds.common.timeutil import utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import Comment, ContentKind, ContentTranslation, Initiative, Need, Role, User
from wijkfonds.services.audit import log as audit
from wijkfonds.services.dialogue.comments import BODY_MAX
from wijkfonds.services.dialogue.initiatives import DESCRIPTION_MAX, SUMMARY_MAX, TITLE_MAX
from wijkfonds.services.errors import DomainError, NotAllowed, ValidationFailed
from wijkfonds.services.needs.board import BODY_MAX as NEED_BODY_MAX
from wijkfonds.services.needs.board import TITLE_MAX as NEED_TITLE_MAX

FIELDS = ("title", "summary", "text")


@dataclass(frozen=True)
class Source:
    """One kind of translatable content: how to load it and what it holds."""

    load: Callable[[int], Any | None]  # the original by id, None when gone (or not public)
    author_id: Callable[[Any], int | None]
    original: Callable[[Any], dict[str, str]]  # field -> the original's text, for FIELDS it has
    limits: dict[str, int] = field(default_factory=dict)  # field -> most characters
    round_id: Callable[[Any], int | None] = lambda _obj: None  # for the audit event
    # Where the original is shown: (endpoint, URL values, fragment) for the views' url_for.
    page: Callable[[Any], tuple[str, dict[str, Any], str]] = lambda _obj: ("public.index", {}, "")


_SOURCES: dict[str, Source] = {}


def register(kind: ContentKind, source: Source) -> None:
    """Make a kind of content translatable (plans and comments below; needs from services/needs)."""
    _SOURCES[kind.value] = source


def _load_plan(object_id: int) -> Initiative | None:
    return db.session.get(Initiative, object_id) if 0 < object_id < 2**63 else None


def _load_comment(object_id: int) -> Comment | None:
    found = db.session.get(Comment, object_id) if 0 < object_id < 2**63 else None
    return found if found is not None and found.hidden_at is None else None


register(
    ContentKind.PLAN,
    Source(
        load=_load_plan,
        author_id=lambda ini: ini.author_id,
        original=lambda ini: {"title": ini.title, "summary": ini.summary, "text": ini.description},
        limits={"title": TITLE_MAX, "summary": SUMMARY_MAX, "text": DESCRIPTION_MAX},
        round_id=lambda ini: ini.round_id,
        page=lambda ini: ("public.detail", {"initiative_id": ini.id}, ""),
    ),
)
register(
    ContentKind.COMMENT,
    Source(
        load=_load_comment,
        author_id=lambda c: c.author_id,
        original=lambda c: {"text": c.body},
        limits={"text": BODY_MAX},
        round_id=lambda c: c.initiative.round_id,
        page=lambda c: ("public.detail", {"initiative_id": c.initiative_id}, f"reactie-{c.id}"),
    ),
)


def _load_need(object_id: int) -> Need | None:
    need = db.session.get(Need, object_id) if 0 < object_id < 2**63 else None
    return need if need is not None and need.hidden_at is None else None


register(
    ContentKind.NEED,
    Source(
        load=_load_need,
        author_id=lambda need: need.author_id,
        original=lambda need: {"title": need.title, "text": need.body},
        limits={"title": NEED_TITLE_MAX, "text": NEED_BODY_MAX},
        page=lambda need: ("needs.detail", {"need_id": need.id}, ""),
    ),
)


def kinds() -> tuple[str, ...]:
    """The kinds that can be translated."""
    return tuple(_SOURCES)


def source(kind: str) -> Source:
    """The Source of a kind; a 404 DomainError for any other word."""
    found = _SOURCES.get(kind)
    if found is None:
        raise DomainError(_("Dit soort tekst kan niet worden vertaald."), status=404)
    return found


def original(kind: str, object_id: int) -> Any:
    """The original object; a 404 DomainError when it does not exist (any more)."""
    obj = source(kind).load(object_id)
    if obj is None:
        raise DomainError(_("Deze tekst bestaat niet (meer)."), status=404)
    return obj


def may_translate(user: User | None, kind: str, obj: Any) -> bool:
    """The author of the original, or an account with the translator role (admins too)."""
    if user is None or not user.is_authenticated or user.deleted_at is not None:
        return False
    return user.has_role(Role.TRANSLATOR) or source(kind).author_id(obj) == user.id


def target_languages() -> list[str]:
    """The languages a translation may be in: every language the site offers."""
    return list(current_app.config["LANGUAGES"])


def _clean(kind: str, obj: Any, language: str, texts: dict[str, str]) -> dict[str, str]:
    """The texts to store, stripped; ValidationFailed with every reason at once."""
    src = source(kind)
    errors: list[tuple[str | None, str]] = []
    if language not in target_languages():
        errors.append(("language", _("Deze taal biedt de site niet aan. Kies een taal uit de lijst.")))
    clean: dict[str, str] = {}
    for name, orig in src.original(obj).items():
        value = (texts.get(name) or "").strip()
        limit = src.limits.get(name, BODY_MAX)
        if not value and orig.strip():
            errors.append((name, _("Vul de vertaling van dit deel in.")))
        elif len(value) > limit:
            errors.append((name, _("Gebruik hoogstens %(n)s tekens.", n=limit)))
        clean[name] = value
    if errors:
        raise ValidationFailed(errors)
    return clean


def save(kind: str, object_id: int, *, language: str, texts: dict[str, str], actor: User) -> ContentTranslation:
    """Add or edit the translation of one object into one language (checked first, then one write)."""
    obj = original(kind, object_id)
    if not may_translate(actor, kind, obj):
        raise NotAllowed(_("Alleen de schrijver of een vertaler kan deze tekst vertalen."))
    clean = _clean(kind, obj, language, texts)
    row = db.session.scalar(
        select(ContentTranslation).where(
            ContentTranslation.kind == kind,
            ContentTranslation.object_id == object_id,
            ContentTranslation.language == language,
        )
    )
    now = utcnow()
    created = row is None
    if row is None:
        row = ContentTranslation(kind=kind, object_id=object_id, language=language, created_at=now)
        db.session.add(row)
    row.title = clean.get("title", "")
    row.summary = clean.get("summary", "")
    row.text = clean.get("text", "")
    row.source_hash = version(kind, obj)
    row.translator_id = actor.id
    row.updated_at = now
    db.session.flush()
    audit.record(
        "translation.added" if created else "translation.updated",
        actor=actor,
        round_id=source(kind).round_id(obj),
        content_kind=kind,
        object_id=object_id,
        language=language,
        translation_id=row.id,
    )
    return row


def fingerprint(fields: dict[str, str]) -> str:
    """The SHA-256 of the translated fields of an original (migration 0021 uses the same)."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def version(kind: str, obj: Any) -> str:
    """The fingerprint of the original as it is now."""
    return fingerprint(source(kind).original(obj))


def is_current(row: ContentTranslation, obj: Any) -> bool:
    """True when the translation was made of the original as it is now."""
    return row.source_hash == version(row.kind, obj)


def set_hidden(row: ContentTranslation, hidden: bool, *, actor: User) -> bool:
    """Staff hide a translation (the original shows again) or show it again; True when changed."""
    if (row.hidden_at is not None) == hidden:
        return False
    row.hidden_at = utcnow() if hidden else None
    row.hidden_by_id = actor.id if hidden else None
    db.session.flush()
    audit.record(
        "translation.hidden" if hidden else "translation.shown",
        actor=actor,
        content_kind=row.kind,
        object_id=row.object_id,
        language=row.language,
        translation_id=row.id,
    )
    return True


def existing(kind: str, object_id: int) -> list[ContentTranslation]:
    """Every translation of one object (hidden ones included), by language."""
    return list(
        db.session.scalars(
            select(ContentTranslation)
            .where(ContentTranslation.kind == kind, ContentTranslation.object_id == object_id)
            .order_by(ContentTranslation.language)
        )
    )


def _visible(kind: str, object_ids: Iterable[int], language: str) -> list[tuple[ContentTranslation, bool]]:
    """The visible translations into ``language`` of the objects that still exist, each with
    whether it is current."""
    ids = sorted(set(object_ids))
    if not ids:
        return []
    rows = db.session.scalars(
        select(ContentTranslation).where(
            ContentTranslation.kind == kind,
            ContentTranslation.object_id.in_(ids),
            ContentTranslation.language == language,
            ContentTranslation.hidden_at.is_(None),
        )
    )
    load = source(kind).load
    found = []
    for row in rows:
        obj = load(row.object_id)
        if obj is not None:
            found.append((row, is_current(row, obj)))
    return found


def shown(kind: str, object_ids: Iterable[int], language: str) -> dict[int, ContentTranslation]:
    """object id -> its visible, current translation into ``language`` (shown as the text)."""
    return {row.object_id: row for row, current in _visible(kind, object_ids, language) if current}


def outdated(kind: str, object_ids: Iterable[int], language: str) -> dict[int, ContentTranslation]:
    """object id -> its visible translation into ``language`` of an earlier version of the
    original (the page shows the original, with a notice and this one folded away)."""
    return {row.object_id: row for row, current in _visible(kind, object_ids, language) if not current}


def stale_for(user: User) -> list[tuple[ContentTranslation, Any]]:
    """Every visible stale translation this account may update, with its original, newest edit first."""
    rows = db.session.scalars(
        select(ContentTranslation)
        .where(ContentTranslation.hidden_at.is_(None), ContentTranslation.kind.in_(kinds()))
        .order_by(ContentTranslation.updated_at.desc(), ContentTranslation.id.desc())
    )
    found = []
    for row in rows:
        obj = source(row.kind).load(row.object_id)
        if obj is not None and not is_current(row, obj) and may_translate(user, row.kind, obj):
            found.append((row, obj))
    return found


def personal_data(user: User) -> list[dict[str, Any]]:
    """The translations this account wrote, for the privacy export."""
    rows = db.session.scalars(
        select(ContentTranslation).where(ContentTranslation.translator_id == user.id).order_by(ContentTranslation.id)
    )
    return [
        {
            "kind": r.kind,
            "object_id": r.object_id,
            "language": r.language,
            "title": r.title,
            "summary": r.summary,
            "text": r.text,
            "updated_at": r.updated_at.isoformat() + "Z",
        }
        for r in rows
    ]
