"""Demo data for a round in its voting phase: feasible plans, ballots and demo voting codes.

So that the demo shows the whole cycle at once: staff close voting, run greedy, the ILP
and Equal Shares, compare and publish, without first waiting for a real vote. Codes are
derived from a fixed seed, so loading twice changes nothing and the README can list a few.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import (
    Ballot,
    BallotItem,
    BuildingBlock,
    CodeBatch,
    District,
    DistrictBudget,
    Initiative,
    Round,
    Status,
    Theme,
    User,
    Voter,
    VotingCode,
)
from wijkfonds.services.rounds.budget import split_by_population
from wijkfonds.services.voting.codes import ALPHABET, CODE_LENGTH, hash_code

ROUND_SLUG = "buurtbudget-west-2026"
ROUND_NAME = "Buurtbudget West najaar 2026"
BUDGET = 120_000
VOTERS_PER_DISTRICT = 120
SPARE_CODES = 20  # unused codes per district, for trying out voting with a code

# (district slug, title, summary, cost, theme slug, block slug, popularity weight)
PLANS = (
    (
        "bos-en-lommer",
        "Buurtkamer aan het Bos en Lommerplein",
        "Een warme huiskamer waar buren elkaar twee middagen per week ontmoeten bij koffie en soep.",
        14_500,
        "verbinden-includeren",
        "buurtontmoetingsplekken",
        9,
    ),
    (
        "bos-en-lommer",
        "Fietsmaatjes voor ouderen",
        "Vrijwilligers fietsen met ouderen op een duofiets door de buurt en het Erasmuspark.",
        9_800,
        "verbinden-includeren",
        "maatjes",
        7,
    ),
    (
        "bos-en-lommer",
        "Taalcafé in de bibliotheek",
        "Elke week oefenen nieuwe Amsterdammers Nederlands met buren, met koffie en spelletjes.",
        6_200,
        "communiceren-informeren",
        "training-en-coaching",
        6,
    ),
    (
        "bos-en-lommer",
        "Klusbus voor kleine reparaties",
        "Een bus met gereedschap en twee klussers die kleine reparaties doen bij wie het zelf niet kan.",
        22_000,
        "dienstverlenen-herstellen",
        "burenhulp-en-praktische-hulpdienst",
        5,
    ),
    (
        "de-baarsjes",
        "Samen koken op het Mercatorplein",
        "Een wekelijkse kookavond waar buren samen koken en eten, voor wie alleen woont of weinig geld heeft.",
        12_000,
        "verbinden-includeren",
        "maaltijdservices",
        8,
    ),
    (
        "de-baarsjes",
        "Digitaal spreekuur in het buurthuis",
        "Hulp bij DigiD, formulieren en de telefoon, elke dinsdag, door getrainde vrijwilligers.",
        7_400,
        "dienstverlenen-herstellen",
        "aanbieden-digitale-hulpmiddelen",
        9,
    ),
    (
        "de-baarsjes",
        "Buurtbemiddelaars opleiden",
        "Tien buren leren hoe ze burenruzies helpen oplossen voordat die uit de hand lopen.",
        10_500,
        "observeren-signaleren",
        "buurt-en-conflictbemiddeling",
        4,
    ),
    (
        "de-baarsjes",
        "Zomerfeest in het Rembrandtpark",
        "Een dag met muziek, eten en spelletjes die door buren zelf wordt georganiseerd.",
        18_000,
        "initieren-mobiliseren",
        "evenementen",
        6,
    ),
    (
        "oud-west",
        "Mantelzorgcafé Ten Kate",
        "Een maandelijkse middag waar mantelzorgers even rust vinden, ervaringen delen en advies krijgen.",
        8_600,
        "dienstverlenen-herstellen",
        "mantelzorgondersteuning",
        7,
    ),
    (
        "oud-west",
        "Buurtbus naar de markt",
        "Een elektrische buurtbus brengt minder mobiele buren twee keer per week naar de Ten Katemarkt.",
        24_000,
        "dienstverlenen-herstellen",
        "kleinschalig-vervoer",
        6,
    ),
    (
        "oud-west",
        "Verhalen van de Kinkerbuurt",
        "Buren vertellen hun verhaal; de verhalen komen in een boekje en op borden in de straat.",
        6_900,
        "communiceren-informeren",
        "behoeften-en-verhalen",
        3,
    ),
    (
        "oud-west",
        "Uitleenpunt voor rollators en hulpmiddelen",
        "Een plek waar buren tijdelijk een rollator, rolstoel of douchestoel kunnen lenen.",
        5_500,
        "dienstverlenen-herstellen",
        "aanbieden-fysieke-hulpmiddelen",
        5,
    ),
    (
        "westerpark",
        "Moestuin voor iedereen in het Westerpark",
        "Een gezamenlijke moestuin met wekelijkse tuinochtenden voor buren en scholen.",
        13_200,
        "initieren-mobiliseren",
        "leefstijlactiviteiten",
        8,
    ),
    (
        "westerpark",
        "Buurtassistent in de Spaarndammerbuurt",
        "Een vaste buurtassistent die buren de weg wijst naar hulp en activiteiten.",
        21_000,
        "observeren-signaleren",
        "buurtassistent",
        6,
    ),
    (
        "westerpark",
        "Debatavonden over de buurt van morgen",
        "Vier avonden waarop buren, ondernemers en het stadsdeel praten over wonen en groen.",
        4_800,
        "communiceren-informeren",
        "debat-en-dialoog",
        4,
    ),
    (
        "westerpark",
        "Dagbesteding in het wijkcentrum",
        "Een open ochtendprogramma met bewegen, creatief werk en een lunch voor eenzame buren.",
        16_500,
        "verbinden-includeren",
        "dagbesteding",
        7,
    ),
)


def demo_code(district_slug: str, number: int) -> str:
    """The n-th demo voting code of a district (deterministic)."""
    rng = random.Random(f"wijkfonds-demo-code:{district_slug}:{number}")
    return "".join(rng.choice(ALPHABET) for _ in range(CODE_LENGTH))


def load_voting_round(author: User) -> dict[str, int]:
    """Create the voting-phase demo round with its ballots and codes unless it exists."""
    if db.session.scalars(select(Round).where(Round.slug == ROUND_SLUG)).first() is not None:
        return {"ballots": 0}
    now = utcnow().replace(microsecond=0)
    rnd = Round(
        slug=ROUND_SLUG,
        name=ROUND_NAME,
        total_budget=BUDGET,
        description="Een kleinere ronde om de hele cyclus te laten zien: sluit het stemmen en bereken de uitslag.",
        submission_start=now - timedelta(days=70),
        review_start=now - timedelta(days=40),
        voting_start=now - timedelta(days=10),
        results_start=now + timedelta(days=4),
    )
    rnd.themes = list(db.session.scalars(select(Theme).order_by(Theme.id)))
    districts = {d.slug: d for d in db.session.scalars(select(District))}
    ordered = sorted(districts.values(), key=lambda d: d.name)
    for d, amount in zip(ordered, split_by_population(BUDGET, [d.population for d in ordered]), strict=True):
        rnd.district_budgets.append(DistrictBudget(district_id=d.id, amount=amount))
    db.session.add(rnd)
    db.session.flush()
    themes = {t.slug: t for t in rnd.themes}
    blocks = {b.slug: b for b in db.session.scalars(select(BuildingBlock))}
    by_district: dict[str, list[tuple[Initiative, int]]] = {}
    for slug, title, summary, cost, theme, block, weight in PLANS:
        ini = Initiative(
            round_id=rnd.id,
            author_id=author.id,
            district_id=districts[slug].id,
            theme_id=themes[theme].id,
            block_id=blocks[block].id,
            title=title,
            summary=summary,
            description=summary + " Het plan is beoordeeld door het stadsdeel en staat op de stemlijst.",
            requested_cost=cost,
            status=Status.FEASIBLE.value,
            support_count=50 + weight * 5,
            external_id=f"demo2026:{len(by_district.get(slug, [])) + 1}:{slug}",
            created_at=now - timedelta(days=65),
        )
        db.session.add(ini)
        by_district.setdefault(slug, []).append((ini, weight))
    db.session.flush()
    rng = random.Random("wijkfonds-demo-ballots")
    ballots = 0
    for slug, plans in sorted(by_district.items()):
        d = districts[slug]
        budget = rnd.budget_for(d.id)
        # One batch per district, as staff would have made it before the letters went out.
        made_at = rnd.voting_start - timedelta(days=14)
        batch = CodeBatch(
            round_id=rnd.id,
            district_id=d.id,
            size=VOTERS_PER_DISTRICT + SPARE_CODES,
            created_at=made_at,
            downloaded_at=made_at,
        )
        db.session.add(batch)
        db.session.flush()
        for n in range(VOTERS_PER_DISTRICT + SPARE_CODES):
            code = VotingCode(
                round_id=rnd.id, district_id=d.id, batch_id=batch.id, code_hash=hash_code(demo_code(slug, n))
            )
            db.session.add(code)
            if n >= VOTERS_PER_DISTRICT:
                continue  # spare codes stay unused
            code.used_at = now - timedelta(days=rng.randint(0, 9))
            db.session.flush()
            voter = Voter(round_id=rnd.id, district_id=d.id, code_id=code.id, created_at=code.used_at)
            db.session.add(voter)
            db.session.flush()
            left, chosen = budget, []
            for ini, _w in sorted(plans, key=lambda p: -p[1] * rng.random()):
                if ini.cost <= left and rng.random() < 0.75:
                    chosen.append(ini)
                    left -= ini.cost
            ballot = Ballot(
                round_id=rnd.id,
                voter_id=voter.id,
                district_id=d.id,
                first_cast_at=code.used_at,
                updated_at=code.used_at,
            )
            ballot.items = [BallotItem(initiative_id=i.id, position=k) for k, i in enumerate(chosen)]
            db.session.add(ballot)
            ballots += 1
    db.session.flush()
    return {"ballots": ballots}


def spare_codes() -> list[tuple[str, str]]:
    """(district name, code) of the unused demo codes, for the demo command's output."""
    names = {d.slug: d.name for d in db.session.scalars(select(District))}
    return [
        (names.get(slug, slug), demo_code(slug, VOTERS_PER_DISTRICT + i)) for slug in sorted(names) for i in range(2)
    ]
