"""Staff edit the building blocks (with custom ones); admins edit the districts."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select

from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import BlockQuota, BuildingBlock, District, Initiative, User
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import DomainError, ValidationFailed

NAME_MAX, DESCRIPTION_MAX, POPULATION_MAX = 120, 2_000, 10_000_000
_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")


def slugify(text: str) -> str:
    """ASCII slug: 'Coördinatie & zo' -> 'coordinatie-zo'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:56] or "item"


def unique_slug(model: type[BuildingBlock] | type[District], name: str) -> str:
    """A slug for ``name`` not yet used by ``model`` (adds -2, -3, ... when taken)."""
    base = slugify(name)
    taken = set(db.session.scalars(select(model.slug).where(model.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def block_usage() -> dict[int, int]:
    """block id -> number of initiatives and round quotas that use it."""
    usage: dict[int, int] = {}
    for model in (Initiative, BlockQuota):
        rows = db.session.execute(select(model.block_id, func.count()).group_by(model.block_id))
        for block_id, n in rows:
            if block_id is not None:
                usage[block_id] = usage.get(block_id, 0) + n
    return usage


@dataclass(frozen=True)
class BlockData:
    """The editable fields of a building block, as plain data from the form."""

    name_nl: str
    name_en: str = ""
    description_nl: str = ""
    description_en: str = ""
    active: bool = True


def _clean_block(data: BlockData, current: BuildingBlock | None) -> BlockData:
    """Trimmed data, or ValidationFailed with a Dutch message per field."""
    name_nl, name_en = data.name_nl.strip(), data.name_en.strip()
    clean = BlockData(
        name_nl, name_en or name_nl, data.description_nl.strip(), data.description_en.strip(), data.active
    )
    errors: list[tuple[str | None, str]] = []
    if not name_nl:
        errors.append(("name_nl", _("Vul een naam in.")))
    for field in ("name_nl", "name_en"):
        if len(getattr(clean, field)) > NAME_MAX:
            errors.append((field, _("Gebruik hoogstens %(n)s tekens.", n=NAME_MAX)))
    for field in ("description_nl", "description_en"):
        if len(getattr(clean, field)) > DESCRIPTION_MAX:
            errors.append((field, _("Gebruik hoogstens %(n)s tekens.", n=DESCRIPTION_MAX)))
    if name_nl:
        same = select(BuildingBlock.id).where(func.lower(BuildingBlock.name_nl) == name_nl.lower())
        if current is not None:
            same = same.where(BuildingBlock.id != current.id)
        if db.session.scalar(same.limit(1)) is not None:
            errors.append(("name_nl", _("Er bestaat al een bouwsteen met deze naam.")))
    if errors:
        raise ValidationFailed(errors)
    return clean


def create_block(data: BlockData, *, actor: User) -> BuildingBlock:
    """Add a custom building block ('jouw eigen bouwstenen') with a unique slug."""
    clean = _clean_block(data, None)
    number = (db.session.scalar(select(func.max(BuildingBlock.number))) or 0) + 1
    block = BuildingBlock(
        number=number,
        slug=unique_slug(BuildingBlock, clean.name_nl),
        name_nl=clean.name_nl,
        name_en=clean.name_en,
        description_nl=clean.description_nl,
        description_en=clean.description_en,
        active=clean.active,
        custom=True,
    )
    db.session.add(block)
    db.session.flush()
    audit.record("block.created", actor=actor, block_id=block.id, slug=block.slug)
    return block


def update_block(block: BuildingBlock, data: BlockData, *, actor: User) -> list[str]:
    """Change names, descriptions or the active flag; returns the changed field names."""
    clean = _clean_block(data, block)
    changed = [
        name
        for name in ("name_nl", "name_en", "description_nl", "description_en", "active")
        if getattr(block, name) != getattr(clean, name)
    ]
    for name in changed:
        setattr(block, name, getattr(clean, name))
    if changed:
        db.session.flush()
        audit.record("block.updated", actor=actor, block_id=block.id, fields=changed)
    return changed


def delete_block(block: BuildingBlock, *, actor: User) -> None:
    """Delete an unused custom block; blocks in use (and the 21 standard ones) can only be switched off."""
    if not block.custom:
        raise DomainError(_("De standaardbouwstenen kunt u niet verwijderen. U kunt een bouwsteen wel uitzetten."))
    used = block_usage().get(block.id, 0)
    if used:
        raise DomainError(
            _("Deze bouwsteen wordt gebruikt (%(n)s keer) en kan daarom niet weg. U kunt hem wel uitzetten.", n=used)
        )
    audit.record("block.deleted", actor=actor, block_id=block.id, slug=block.slug)
    db.session.delete(block)
    db.session.flush()


def parse_population(raw: str | None) -> int:
    """Number of residents from form text ('34000' or '34.000'); ValidationFailed otherwise."""
    text = (raw or "").replace(" ", "").strip()
    if _THOUSANDS.match(text):
        text = text.replace(".", "")
    # isascii first: int() refuses '²' and digit strings longer than 4300 characters.
    if not (text.isascii() and text.isdigit()) or len(text) > 12 or int(text) > POPULATION_MAX:
        raise ValidationFailed([("population", _("Vul het aantal inwoners in als heel getal (0 of meer)."))])
    return int(text)


def _clean_district(name: str, population: str | None, current: District | None) -> tuple[str, int]:
    name = name.strip()
    errors: list[tuple[str | None, str]] = []
    if not name:
        errors.append(("name", _("Vul een naam in.")))
    elif len(name) > NAME_MAX:
        errors.append(("name", _("Gebruik hoogstens %(n)s tekens.", n=NAME_MAX)))
    else:
        same = select(District.id).where(func.lower(District.name) == name.lower())
        if current is not None:
            same = same.where(District.id != current.id)
        if db.session.scalar(same.limit(1)) is not None:
            errors.append(("name", _("Er bestaat al een gebied met deze naam.")))
    people = 0
    try:
        people = parse_population(population)
    except ValidationFailed as err:
        errors += err.errors
    if errors:
        raise ValidationFailed(errors)
    return name, people


def create_district(name: str, population: str | None, *, actor: User) -> District:
    """Add a district (gebied) with its number of residents."""
    clean_name, people = _clean_district(name, population, None)
    district = District(slug=unique_slug(District, clean_name), name=clean_name, population=people)
    db.session.add(district)
    db.session.flush()
    audit.record("district.created", actor=actor, district_id=district.id, population=people)
    return district


def update_district(district: District, name: str, population: str | None, *, actor: User) -> list[str]:
    """Rename a district or change its population; returns the changed fields."""
    clean_name, people = _clean_district(name, population, district)
    changed = [k for k, v in (("name", clean_name), ("population", people)) if getattr(district, k) != v]
    district.name, district.population = clean_name, people
    if changed:
        db.session.flush()
        audit.record("district.updated", actor=actor, district_id=district.id, fields=changed, population=people)
    return changed
