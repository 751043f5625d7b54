"""Each account's notification switches, delivery (instant or daily) and mail language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import NotificationDelivery, NotificationKind, NotificationSettings, User
from wijkfonds.services.errors import ValidationFailed

# The kinds an account can switch on the settings page now. PLAN_UPDATE joins this list
# with the feature that sends it (events.plan_update); until then no switch is shown.
SHOWN_KINDS: tuple[NotificationKind, ...] = (
    NotificationKind.COMMENT,
    NotificationKind.THRESHOLD,
    NotificationKind.REVIEW,
    NotificationKind.VOTING_OPEN,
    NotificationKind.RESULT,
)


def defaults(user_id: int) -> NotificationSettings:
    """The settings of an account that never changed them (not added to the session)."""
    return NotificationSettings(
        user_id=user_id,
        delivery=NotificationDelivery.INSTANT.value,
        follow_own=True,
        follow_supported=True,
        **{kind.value: True for kind in NotificationKind},
    )


def settings_for(user: User) -> NotificationSettings:
    """The account's settings: its row, or the defaults (not added) when it has none."""
    return db.session.get(NotificationSettings, user.id) or defaults(user.id)


def settings_of(user_ids: Iterable[int]) -> dict[int, NotificationSettings]:
    """Settings for many accounts at once (defaults for those without a row)."""
    ids = sorted(set(user_ids))
    found: dict[int, NotificationSettings] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found.update(
            (s.user_id, s)
            for s in db.session.scalars(select(NotificationSettings).where(NotificationSettings.user_id.in_(chunk)))
        )
    return {uid: found.get(uid) or defaults(uid) for uid in ids}


def _row(user: User) -> NotificationSettings:
    row = db.session.get(NotificationSettings, user.id)
    if row is None:
        row = defaults(user.id)
        db.session.add(row)
    return row


@dataclass(frozen=True)
class Choices:
    """What the settings page sends: the language, the delivery and every switch."""

    language: str
    delivery: str
    follow_own: bool
    follow_supported: bool
    kinds: frozenset[NotificationKind]  # the kinds switched on, of SHOWN_KINDS


def update(user: User, choices: Choices) -> NotificationSettings:
    """Store the account's choices (kinds not on the page keep their switch)."""
    errors: list[tuple[str | None, str]] = []
    if choices.language not in current_app.config["LANGUAGES"]:
        errors.append(("language", _("Kies een taal uit de lijst.")))
    if choices.delivery not in {d.value for d in NotificationDelivery}:
        errors.append(("delivery", _("Kies of u berichten meteen of eens per dag wilt krijgen.")))
    if errors:
        raise ValidationFailed(errors)
    row = _row(user)
    user.language = choices.language
    row.delivery = choices.delivery
    row.follow_own = choices.follow_own
    row.follow_supported = choices.follow_supported
    for kind in SHOWN_KINDS:
        setattr(row, kind.value, kind in choices.kinds)
    db.session.flush()
    return row


def switch_off(user: User, kind: NotificationKind | None) -> bool:
    """Turn off one kind (``None``: every kind); True when something was on before."""
    row = _row(user)
    kinds = list(NotificationKind) if kind is None else [kind]
    changed = any(row.is_on(k) for k in kinds)
    for k in kinds:
        setattr(row, k.value, False)
    db.session.flush()
    return changed


def mail_language(user: User) -> str:
    """The language of the account's mail (its own if the site has it, else the site's default)."""
    languages = current_app.config["LANGUAGES"]
    return user.language if user.language in languages else str(current_app.config["BABEL_DEFAULT_LOCALE"])
