"""Demo data: `flask --app wijkfonds demo` (idempotent: a second run changes nothing)."""

from __future__ import annotations

from datetime import timedelta

import click
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from wijkfonds.common.timeutil import utcnow
from wijkfonds.demo import content
from wijkfonds.demo.implementation import load_past_round
from wijkfonds.demo.needs import load_needs
from wijkfonds.demo.pictures import add_plan_photos
from wijkfonds.demo.places import load_places
from wijkfonds.demo.translations import load_translations
from wijkfonds.demo.voting import load_voting_round, spare_codes
from wijkfonds.extensions import db
from wijkfonds.models import (
    BuildingBlock,
    Comment,
    District,
    DistrictBudget,
    Initiative,
    Role,
    Round,
    Status,
    Support,
    Theme,
    User,
)
from wijkfonds.services.catalog import data as reference_data
from wijkfonds.services.catalog.reference import ensure_reference_data
from wijkfonds.services.rounds.budget import split_by_population

DEMO_PASSWORD = "wijkfonds-demo"
ROUND_SLUG = "west-begroot-2027"
ROLE_ACCOUNTS = (
    ("bewoner@wijkfonds.nl", "Sanne de Vries", Role.RESIDENT, "de-baarsjes"),
    ("medewerker@wijkfonds.nl", "Stadsdeel Medewerker", Role.STAFF, None),
    ("auditor@wijkfonds.nl", "Auditor Rekenkamer", Role.AUDITOR, None),
    ("beheer@wijkfonds.nl", "Beheerder", Role.ADMIN, None),
)
SUPPORTERS = 90  # generated accounts that give the demo initiatives their support


def _user(email: str, name: str, role: Role, district: District | None, password_hash: str) -> User:
    user = db.session.scalars(select(User).where(User.email == email)).first()
    if user is None:
        user = User(
            email=email,
            display_name=name,
            role=role.value,
            district_id=district.id if district else None,
            password_hash=password_hash,
            email_confirmed_at=utcnow(),  # the demo's addresses count as confirmed
        )
        db.session.add(user)
        db.session.flush()
    return user


def _places_and_past_round(residents: dict[str, User]) -> dict[str, int]:
    """District outlines and plan points; last year's round, whose funded plans show every state after
    the vote; then a photo on the first plans of every round."""
    # Approximate district outlines (uploaded as the admin would), points for the plans.
    created = load_places(db.session.scalars(select(User).where(User.email == ROLE_ACCOUNTS[-1][0])).one())
    staff = db.session.scalars(select(User).where(User.email == ROLE_ACCOUNTS[1][0])).one()
    created.update(load_past_round(staff, [residents[r.key] for r in content.RESIDENTS]))
    return {**created, **add_plan_photos(), **load_translations()}


def load_demo() -> dict[str, int]:
    """Create everything the demo needs that is not there yet; return what was created."""
    ensure_reference_data()
    created = {"accounts": 0, "initiatives": 0, "comments": 0, "supports": 0, "rounds": 0}
    districts = {d.slug: d for d in db.session.scalars(select(District))}
    themes = {t.slug: t for t in db.session.scalars(select(Theme))}
    blocks = {b.slug: b for b in db.session.scalars(select(BuildingBlock))}

    # One hash for all demo accounts: they share the published demo password, and hashing
    # a hundred times would make `make demo` slow for nothing.
    pw = generate_password_hash(DEMO_PASSWORD)
    before = db.session.execute(select(db.func.count(User.id))).scalar_one()
    for email, name, role, dslug in ROLE_ACCOUNTS:
        _user(email, name, role, districts.get(dslug) if dslug else None, pw)
    residents = {
        r.key: _user(r.email, r.display_name, Role.RESIDENT, districts[r.district], pw) for r in content.RESIDENTS
    }
    slugs = list(districts)
    supporters = [
        _user(
            f"buurtbewoner{i:02d}@voorbeeld.nl",
            f"Buurtbewoner {i}",
            Role.RESIDENT,
            districts[slugs[i % len(slugs)]],
            pw,
        )
        for i in range(1, SUPPORTERS + 1)
    ]
    created["accounts"] = db.session.execute(select(db.func.count(User.id))).scalar_one() - before

    rnd = db.session.scalars(select(Round).where(Round.slug == ROUND_SLUG)).first()
    if rnd is None:
        now = utcnow().replace(microsecond=0)
        rnd = Round(
            slug=ROUND_SLUG,
            name=content.ROUND_NAME,
            total_budget=content.ROUND_BUDGET,
            support_threshold=content.SUPPORT_THRESHOLD,
            description="Bewoners van Amsterdam-West bepalen samen hoe € 300.000 wordt besteed aan de sociale basis van hun buurt.",
            submission_start=now - timedelta(days=14),
            review_start=now + timedelta(days=21),
            voting_start=now + timedelta(days=42),
            results_start=now + timedelta(days=63),
        )
        rnd.themes = [themes[t.slug] for t in reference_data.THEMES]
        ordered = [districts[d.slug] for d in reference_data.DISTRICTS]
        for d, amount in zip(
            ordered, split_by_population(rnd.total_budget, [d.population for d in ordered]), strict=True
        ):
            rnd.district_budgets.append(DistrictBudget(district_id=d.id, amount=amount))
        db.session.add(rnd)
        db.session.flush()
        created["rounds"] = 1

    existing = {i.external_id: i for i in db.session.scalars(select(Initiative).where(Initiative.round_id == rnd.id))}
    for n, item in enumerate(content.INITIATIVES):
        key = f"demo:{item.key}"
        if key in existing:
            continue
        ini = Initiative(
            round_id=rnd.id,
            author_id=residents[item.author].id,
            district_id=districts[item.district].id,
            theme_id=themes[item.theme].id,
            block_id=blocks[item.block].id,
            title=item.title,
            summary=item.summary,
            description=item.description,
            location=item.location or "",
            requested_cost=item.cost,
            status=Status.SUBMITTED.value,
            external_id=key,
            created_at=utcnow() - timedelta(days=13, hours=-n * 7),
        )
        db.session.add(ini)
        db.session.flush()
        backers = ([r for r in residents.values() if r.id != ini.author_id] + supporters)[: item.support]
        for u in backers:
            db.session.add(Support(initiative_id=ini.id, user_id=u.id))
        ini.support_count = len(backers)
        created["supports"] += len(backers)
        existing[key] = ini
        created["initiatives"] += 1

    for c in content.COMMENTS:
        ini = existing[f"demo:{c.initiative}"]
        author = residents[c.author]
        found = db.session.scalars(
            select(Comment).where(
                Comment.initiative_id == ini.id,
                Comment.author_id == author.id,
                Comment.body == c.text,
                Comment.parent_id.is_(None),
            )
        ).first()
        if found is not None:
            continue
        top = Comment(initiative_id=ini.id, author_id=author.id, body=c.text)
        db.session.add(top)
        db.session.flush()
        created["comments"] += 1
        for r in c.replies:
            db.session.add(
                Comment(initiative_id=ini.id, author_id=residents[r.author].id, body=r.text, parent_id=top.id)
            )
            created["comments"] += 1
    db.session.flush()
    created.update(load_voting_round(residents[content.RESIDENTS[0].key]))
    # Outlines, plan points, last year's round and photos; then the needs board: needs in every
    # district, some answered by the plans above.
    created |= _places_and_past_round(residents) | load_needs(residents, ROLE_ACCOUNTS[1][0], supporters)
    return created


@click.command("demo")
def demo_command() -> None:
    """Load the demo data (districts, themes, building blocks, a round, initiatives, accounts)."""
    created = load_demo()
    db.session.commit()
    if not any(created.values()):
        click.echo("demo data already present: nothing changed")
    else:
        click.echo("demo data loaded: " + ", ".join(f"{v} {k}" for k, v in created.items()))
    click.echo(
        f"demo accounts (password '{DEMO_PASSWORD}'): "
        + ", ".join(f"{e} ({r.value})" for e, _n, r, _d in ROLE_ACCOUNTS)
    )
    click.echo(
        "unused demo voting codes (round in its voting phase): " + ", ".join(f"{c} ({n})" for n, c in spare_codes())
    )
