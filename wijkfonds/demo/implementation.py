"""Demo data for the year after a vote: a published past round whose funded plans are in every state.

A round that closed eleven months ago, with ballots, a greedy result published by staff
through the real services, and then each funded plan's story written through the
implementation services (statuses, updates, two with a photo, milestones, payments,
accounts), dated over the past year. So a newcomer sees at once what "after the vote"
looks like: toegekend, gestart, in uitvoering (one with a milestone past its date),
afgerond with an approved account, afgerond with an account sent back, afgerond with an
account waiting for staff, and gestopt with its reason.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from wijkfonds.common.timeutil import utcnow
from wijkfonds.demo.pictures import picture
from wijkfonds.extensions import db
from wijkfonds.models import (
    AllocationRun,
    Ballot,
    BallotItem,
    BuildingBlock,
    District,
    DistrictBudget,
    Implementation,
    Initiative,
    Round,
    Status,
    Theme,
    User,
    Voter,
)
from wijkfonds.services.implementation import money, progress
from wijkfonds.services.media import photos
from wijkfonds.services.results import publication, runner

ROUND_SLUG = "buurtbudget-west-2025"
ROUND_NAME = "Buurtbudget West 2025"
VOTERS_PER_DISTRICT = 40


@dataclass(frozen=True)
class PastPlan:
    """A plan of the past round; ``story`` names what happened after the vote (None: not funded)."""

    district: str
    title: str
    summary: str
    cost: int
    theme: str
    block: str
    weight: int
    story: str | None


PLANS = (
    PastPlan(
        "bos-en-lommer",
        "Moestuin achter De Honingraat",
        "Buren kweken samen groente in bakken achter het buurthuis.",
        8_000,
        "initieren-mobiliseren",
        "leefstijlactiviteiten",
        9,
        "completed_approved",
    ),
    PastPlan(
        "bos-en-lommer",
        "Repair Café op zaterdag",
        "Elke eerste zaterdag repareren vrijwilligers fietsen, lampen en kleren.",
        6_500,
        "verbinden-includeren",
        "burenhulp-en-praktische-hulpdienst",
        7,
        "in_progress_late",
    ),
    PastPlan(
        "bos-en-lommer",
        "Buurtfeest op het plein",
        "Een groot feest met muziek en eten uit alle keukens van de buurt.",
        9_500,
        "verbinden-includeren",
        "evenementen",
        2,
        None,
    ),
    PastPlan(
        "de-baarsjes",
        "Huiswerkklas in de bibliotheek",
        "Studenten helpen kinderen twee middagen per week met hun huiswerk.",
        9_000,
        "communiceren-informeren",
        "training-en-coaching",
        9,
        "completed_sent_back",
    ),
    PastPlan(
        "de-baarsjes",
        "Wandelgroep voor ouderen",
        "Elke dinsdag een rustige wandeling door het Rembrandtpark, met koffie na.",
        3_500,
        "dienstverlenen-herstellen",
        "leefstijlactiviteiten",
        8,
        "started",
    ),
    PastPlan(
        "de-baarsjes",
        "Muurschildering onder het viaduct",
        "Jongeren ontwerpen en schilderen een muur samen met een kunstenaar.",
        12_000,
        "initieren-mobiliseren",
        "evenementen",
        1,
        None,
    ),
    PastPlan(
        "oud-west",
        "Kookclub voor alleenstaanden",
        "Samen koken en eten in de buurtkeuken, elke donderdagavond.",
        7_000,
        "verbinden-includeren",
        "maaltijdservices",
        9,
        "stopped",
    ),
    PastPlan(
        "oud-west",
        "Digitaal spreekuur",
        "Hulp bij DigiD, formulieren en de telefoon, elke woensdag in het wijkcentrum.",
        5_500,
        "communiceren-informeren",
        "infopunt-digitaal-platform-community-manager",
        8,
        "completed_submitted",
    ),
    PastPlan(
        "oud-west",
        "Bankjes langs de Kinkerstraat",
        "Tien bankjes waar ouderen even kunnen uitrusten.",
        11_000,
        "initieren-mobiliseren",
        "aanbieden-fysieke-hulpmiddelen",
        1,
        None,
    ),
    PastPlan(
        "westerpark",
        "Speelochtend voor peuters",
        "Een vrije speelochtend voor ouders en peuters in het Westerpark.",
        4_500,
        "verbinden-includeren",
        "buurtontmoetingsplekken",
        9,
        "granted",
    ),
    PastPlan(
        "westerpark",
        "Klussenteam voor buren",
        "Vrijwilligers doen kleine klussen bij buren die het zelf niet meer kunnen.",
        6_000,
        "dienstverlenen-herstellen",
        "burenhulp-en-praktische-hulpdienst",
        8,
        "in_progress",
    ),
    PastPlan(
        "westerpark",
        "Zomerbioscoop",
        "Drie avonden film in de open lucht.",
        10_000,
        "verbinden-includeren",
        "evenementen",
        1,
        None,
    ),
)
STORIES = (
    "granted",
    "started",
    "in_progress",
    "in_progress_late",
    "completed_approved",
    "completed_sent_back",
    "completed_submitted",
    "stopped",
)


def _round(now: datetime) -> Round:
    rnd = Round(
        slug=ROUND_SLUG,
        name=ROUND_NAME,
        total_budget=0,
        description="De ronde van vorig jaar: de uitslag is gepubliceerd en de plannen worden uitgevoerd.",
        submission_start=now - timedelta(days=520),
        review_start=now - timedelta(days=460),
        voting_start=now - timedelta(days=380),
        results_start=now - timedelta(days=340),
    )
    rnd.themes = list(db.session.scalars(select(Theme).order_by(Theme.id)))
    districts = {d.slug: d for d in db.session.scalars(select(District))}
    total = 0
    for slug, d in sorted(districts.items()):
        mine = sorted((p for p in PLANS if p.district == slug), key=lambda p: -p.weight)
        # Room for the two most wanted plans and not for the third: two funded per district.
        amount = mine[0].cost + mine[1].cost + min(p.cost for p in mine[2:]) // 2
        rnd.district_budgets.append(DistrictBudget(district_id=d.id, amount=amount))
        total += amount
    rnd.total_budget = total
    db.session.add(rnd)
    db.session.flush()
    return rnd


def _plans_and_ballots(rnd: Round, authors: list[User], now: datetime) -> dict[str, Initiative]:
    districts = {d.slug: d for d in db.session.scalars(select(District))}
    themes = {t.slug: t for t in db.session.scalars(select(Theme))}
    blocks = {b.slug: b for b in db.session.scalars(select(BuildingBlock))}
    made: dict[str, Initiative] = {}
    for n, p in enumerate(PLANS):
        ini = Initiative(
            round_id=rnd.id,
            author_id=authors[n % len(authors)].id,
            district_id=districts[p.district].id,
            theme_id=themes[p.theme].id,
            block_id=blocks[p.block].id,
            title=p.title,
            summary=p.summary,
            description=p.summary + " Dit plan stond vorig jaar op de stemlijst.",
            requested_cost=p.cost,
            status=Status.FEASIBLE.value,
            support_count=40 + p.weight * 3,
            external_id=f"demo2025:{n + 1}",
            created_at=now - timedelta(days=500),
        )
        db.session.add(ini)
        made[p.title] = ini
    db.session.flush()
    rng = random.Random("wijkfonds-demo-2025")
    for slug, d in sorted(districts.items()):
        mine = [(made[p.title], p.weight) for p in PLANS if p.district == slug]
        for _ in range(VOTERS_PER_DISTRICT):
            voter = Voter(round_id=rnd.id, district_id=d.id, created_at=rnd.voting_start)
            db.session.add(voter)
            db.session.flush()
            chosen = [ini for ini, w in mine if rng.random() < w / 10]
            ballot = Ballot(round_id=rnd.id, voter_id=voter.id, district_id=d.id)
            ballot.items = [BallotItem(initiative_id=i.id, position=k) for k, i in enumerate(chosen)]
            db.session.add(ballot)
    db.session.flush()
    return made


def _story(impl: Implementation, story: str, staff: User, author: User, *, now: datetime, n: int) -> None:
    """Write one plan's year through the services, dated over the past months."""
    day = timedelta(days=1)
    start = now - 300 * day
    if story == "granted":
        progress.add_milestone(impl, staff, "Afspraak met de speeltuinvereniging", (now + 20 * day).date())
        return
    progress.set_status(impl, "started", staff, now=start)
    progress.add_milestone(impl, staff, "Eerste bijeenkomst", (start + 30 * day).date())
    progress.add_milestone(impl, staff, "Afsluiting met de buurt", (now + 60 * day).date())
    half = impl.granted // 2
    money.record_payment(impl, staff, half, (start + 5 * day).date(), "Eerste tranche: voorschot", now=now)
    if story == "started":
        progress.add_update(
            impl, author, "We zijn begonnen: de eerste wandeling was met twaalf buren.", now=now - 20 * day
        )
        return
    progress.complete_milestone(impl, impl.milestones[0], staff, (start + 28 * day).date(), now=now)
    progress.set_status(impl, "in_progress", staff, now=start + 40 * day)
    stored = photos.store(picture(n), author)
    progress.add_update(
        impl,
        author,
        "De eerste maanden zitten erop. Elke week komen er nieuwe buren bij.",
        photo=stored,
        alt="Houten bakken en tafels op een grasveld",
        now=start + 60 * day,
    )
    if story == "in_progress_late":
        progress.add_milestone(impl, staff, "Tweede locatie open", (now - 30 * day).date())
        return  # a milestone past its date, and no update for months: both show as overdue
    progress.add_update(impl, author, "Halverwege: alles loopt volgens plan.", now=now - 30 * day)
    if story == "in_progress":
        return
    if story == "stopped":
        progress.set_status(
            impl,
            "stopped",
            staff,
            reason="De buurtkeuken sloot voor een verbouwing; er was geen andere plek.",
            now=now - 90 * day,
        )
        money.submit_account(
            impl, author, half - 400, 400, "Boodschappen en huur van de keuken tot de sluiting.", now=now - 60 * day
        )
        money.approve_account(impl, staff, now=now - 50 * day)
        return
    money.record_payment(impl, staff, impl.granted - half, (now - 100 * day).date(), "Tweede tranche", now=now)
    progress.complete_milestone(impl, impl.milestones[1], staff, (now - 70 * day).date(), now=now)
    progress.set_status(impl, "completed", staff, now=now - 60 * day)
    returned = 250 if impl.granted > 1000 else 0
    spent = impl.granted - returned
    money.submit_account(
        impl,
        author,
        spent,
        returned,
        "Materiaal, huur en koffie; de bonnen liggen bij het stadsdeel.",
        now=now - 40 * day,
    )
    if story == "completed_approved":
        money.approve_account(impl, staff, now=now - 30 * day)
    elif story == "completed_sent_back":
        money.send_back_account(
            impl,
            staff,
            "De bonnen van de huur ontbreken. Voeg ze toe en stuur de verantwoording opnieuw.",
            now=now - 30 * day,
        )


def load_past_round(staff: User, authors: list[User]) -> dict[str, int]:
    """Create the published past round and its implementation stories unless it exists."""
    if db.session.scalars(select(Round).where(Round.slug == ROUND_SLUG)).first() is not None:
        return {"implementation_records": 0}
    now = utcnow().replace(microsecond=0)
    rnd = _round(now)
    made = _plans_and_ballots(rnd, authors, now)
    db.session.commit()  # the runner works on committed rows, in its own short transactions
    run = runner.create_run(rnd, rule="greedy", completion="none", time_limit=None, actor=staff)
    db.session.commit()
    runner.execute(run.id)
    db.session.expire_all()
    done = db.session.get(AllocationRun, run.id)
    assert done is not None and done.status == "done", f"demo run failed: {done.error if done else 'gone'}"
    publication.publish(done, reason="", actor=staff)
    stories = {p.title: p.story for p in PLANS if p.story}
    impls = {
        i.initiative_id: i for i in db.session.scalars(select(Implementation).where(Implementation.round_id == rnd.id))
    }
    for n, (title, story) in enumerate(sorted(stories.items())):
        ini = made[title]
        impl = impls.get(ini.id)
        if impl is None or ini.author is None:
            continue  # the vote went otherwise than the demo expected: that plan has no story
        _story(impl, story, staff, ini.author, now=now, n=n)
    db.session.flush()
    return {"implementation_records": len(impls)}
