"""The languages of a district's voting-code letters: Dutch, plus the key sentence in each chosen one."""

from __future__ import annotations

from flask import current_app

from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import District, User
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import ValidationFailed


def choosable() -> list[str]:
    """The languages a letter can repeat its key sentence in: every offered one but Dutch."""
    return [code for code in current_app.config["LANGUAGES"] if code != "nl"]


def chosen(district: District) -> list[str]:
    """The district's letter languages that the site (still) offers, in the offered order."""
    stored = {c for c in (district.letter_languages or "").split(",") if c}
    return [code for code in choosable() if code in stored]


def set_languages(district: District, codes: list[str], *, actor: User) -> bool:
    """Store the district's letter languages; ValidationFailed for one the site does not offer."""
    wanted = [c for c in dict.fromkeys(codes) if c]
    unknown = [c for c in wanted if c not in choosable()]
    if unknown:
        raise ValidationFailed([("languages", _("Deze taal biedt de site niet aan. Kies een taal uit de lijst."))])
    value = ",".join(c for c in choosable() if c in wanted)
    if value == (district.letter_languages or ""):
        return False
    district.letter_languages = value
    db.session.flush()
    audit.record(
        "district.letter_languages", actor=actor, district_id=district.id, languages=value.split(",") if value else []
    )
    return True
