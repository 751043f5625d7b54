"""Demo needs and stories: some in every district, some answered by the demo's plans, some not yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import insert, select

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import (
    BuildingBlock,
    District,
    Initiative,
    Need,
    NeedRecognition,
    NeedReply,
    NeedResponse,
    Theme,
    User,
)
from wijkfonds.models.needs import SOURCE_CONVERSATION, SOURCE_SELF, initiative_need


@dataclass(frozen=True)
class DemoNeed:
    """One need: who, where, which block (None: "weet ik niet"), and the plans that answer it."""

    key: str
    author: str  # a demo resident's key, or "staff" (posted on a resident's behalf)
    district: str
    block: str | None
    function: str | None
    title: str
    body: str
    plans: tuple[str, ...] = ()  # keys of demo initiatives
    recognised_by: int = 0  # how many generated neighbours mark it herkenbaar
    anonymous: bool = False
    reply: tuple[str, str] | None = None  # (resident key, text)
    referred_to: str = ""  # staff's answer "doorverwezen naar …"


NEEDS: tuple[DemoNeed, ...] = (
    DemoNeed(
        "taal-oefenen",
        "fatima",
        "bos-en-lommer",
        "training-en-coaching",
        "verbinden-includeren",
        "Nederlands oefenen zonder les",
        "Ik volg geen taalles meer, maar wil wel Nederlands blijven praten. Thuis spreken we Arabisch.",
        plans=("taalcafe-bos-en-lommerplein",),
        recognised_by=9,
        reply=("kwame", "Herkenbaar. Een plek om gewoon te praten zou mij ook helpen."),
    ),
    DemoNeed(
        "klusjes-ouderen",
        "staff",
        "bos-en-lommer",
        "burenhulp-en-praktische-hulpdienst",
        "dienstverlenen-herstellen",
        "Hulp bij kleine klusjes voor ouderen",
        "Een bewoonster van 82 vertelde op het spreekuur dat een lamp vervangen of een kastje ophangen haar niet meer lukt.",
        plans=("klusdienst-kolenkitbuurt",),
        recognised_by=5,
    ),
    DemoNeed(
        "eenzaam-portiek",
        "rachid",
        "bos-en-lommer",
        None,
        "observeren-signaleren",
        "Buren die niemand meer zien",
        "In mijn portiek woont een man die bijna nooit buiten komt. Ik weet niet bij wie ik dat kan melden.",
        recognised_by=4,
        anonymous=True,
        referred_to="het buurtteam Bos en Lommer",
    ),
    DemoNeed(
        "hulpmiddelen-lenen",
        "ayse",
        "de-baarsjes",
        "aanbieden-fysieke-hulpmiddelen",
        "dienstverlenen-herstellen",
        "Een rolstoel lenen voor een paar weken",
        "Mijn moeder kwam uit het ziekenhuis en had zes weken een rolstoel nodig. Kopen was te duur.",
        plans=("uitleenpunt-hulpmiddelen-baarsjes",),
        recognised_by=7,
    ),
    DemoNeed(
        "huur-vragen",
        "mohamed",
        "de-baarsjes",
        "gemeenschappelijk-aanmeldpunt-wonen",
        "observeren-signaleren",
        "Waar kan ik met vragen over mijn huur terecht?",
        "De brieven van de verhuurder begrijp ik niet goed. Ik wil iemand die het kan uitleggen.",
        plans=("woonspreekuur-huurders-baarsjes",),
        recognised_by=6,
    ),
    DemoNeed(
        "speelplek-tieners",
        "ingrid",
        "de-baarsjes",
        "buurtontmoetingsplekken",
        "verbinden-includeren",
        "Geen plek voor tieners om af te spreken",
        "Mijn dochter van 14 hangt met vrienden rond bij de supermarkt, omdat er verder nergens plek is.",
        recognised_by=3,
    ),
    DemoNeed(
        "samen-koken",
        "joost",
        "oud-west",
        "maaltijdservices",
        "verbinden-includeren",
        "Samen koken in plaats van alleen eten",
        "Sinds mijn vrouw overleed eet ik elke avond alleen. Samen koken met buren lijkt me mooi.",
        plans=("koken-met-restjes-ten-katemarkt",),
        recognised_by=8,
        reply=("lucia", "Ik kook graag mee, ik woon om de hoek."),
    ),
    DemoNeed(
        "mantelzorg-adem",
        "sanne",
        "oud-west",
        "mantelzorgondersteuning",
        "dienstverlenen-herstellen",
        "Even op adem komen als mantelzorger",
        "Ik zorg voor mijn vader met dementie. Een middag per week vrij zou al veel schelen.",
        plans=("respijtzorg-mantelzorgers-oud-west",),
        recognised_by=5,
    ),
    DemoNeed(
        "digitale-post",
        "lucia",
        "oud-west",
        "aanbieden-digitale-hulpmiddelen",
        "communiceren-informeren",
        "Hulp met DigiD en post van de gemeente",
        "Mijn buurvrouw krijgt alles digitaal en weet niet hoe ze moet inloggen.",
        recognised_by=2,
    ),
    DemoNeed(
        "buurthuis-avond",
        "priya",
        "westerpark",
        "wijkcentrum",
        "verbinden-includeren",
        "Een huiskamer die ook 's avonds open is",
        "Het buurthuis sluit om vijf uur. Wie werkt, kan er nooit heen.",
        plans=("huiskamer-spaarndammerbuurt",),
        recognised_by=6,
    ),
    DemoNeed(
        "boodschappen-vervoer",
        "marieke",
        "westerpark",
        "kleinschalig-vervoer",
        "dienstverlenen-herstellen",
        "Vervoer naar de markt voor wie slecht ter been is",
        "Mijn buurman loopt met een rollator. De markt is te ver en de bus stopt niet dichtbij.",
        plans=("boodschappenrit-staatsliedenbuurt",),
        recognised_by=4,
    ),
    DemoNeed(
        "geluidsoverlast",
        "daan",
        "westerpark",
        "buurt-en-conflictbemiddeling",
        None,
        "Ruzie met de bovenburen over geluid",
        "We praten niet meer met elkaar. Ik wil het oplossen, maar weet niet hoe.",
        recognised_by=3,
        anonymous=True,
    ),
    DemoNeed(
        "weet-niet-westerpark",
        "priya",
        "westerpark",
        None,
        None,
        "Nieuwe buren uit Oekraïne kennen niemand",
        "In onze straat wonen sinds kort drie gezinnen uit Oekraïne. Hoe kunnen we ze welkom heten?",
        recognised_by=2,
    ),
)


def load_needs(residents: dict[str, User], staff_email: str, neighbours: list[User]) -> dict[str, int]:
    """Create the demo needs that are not there yet (by title and district); return what was created."""
    staff = db.session.scalars(select(User).where(User.email == staff_email)).one()
    created = {"needs": 0}
    districts = {d.slug: d for d in db.session.scalars(select(District))}
    blocks = {b.slug: b for b in db.session.scalars(select(BuildingBlock))}
    themes = {t.slug: t for t in db.session.scalars(select(Theme))}
    plans = {
        i.external_id: i for i in db.session.scalars(select(Initiative).where(Initiative.external_id.is_not(None)))
    }
    have = {(t, d) for t, d in db.session.execute(select(Need.title, Need.district_id))}
    for n, item in enumerate(NEEDS):
        district = districts[item.district]
        if (item.title, district.id) in have:
            continue
        author = staff if item.author == "staff" else residents[item.author]
        need = Need(
            district_id=district.id,
            block_id=blocks[item.block].id if item.block else None,
            theme_id=themes[item.function].id if item.function else None,
            author_id=author.id,
            source=SOURCE_CONVERSATION if item.author == "staff" else SOURCE_SELF,
            anonymous=item.anonymous,
            title=item.title,
            body=item.body,
            hidden_reason="",
            created_at=utcnow() - timedelta(days=40 - n * 2),
        )
        db.session.add(need)
        db.session.flush()
        local = [u for u in neighbours if u.district_id == district.id and u.id != author.id]
        for u in local[: item.recognised_by]:
            db.session.add(NeedRecognition(need_id=need.id, user_id=u.id))
        if item.reply is not None:
            db.session.add(
                NeedReply(need_id=need.id, author_id=residents[item.reply[0]].id, body=item.reply[1], hidden_reason="")
            )
        if item.referred_to:
            db.session.add(NeedResponse(need_id=need.id, author_id=staff.id, kind="referred", text=item.referred_to))
        ids = [plans[f"demo:{k}"].id for k in item.plans if f"demo:{k}" in plans]
        if ids:
            db.session.execute(insert(initiative_need), [{"initiative_id": i, "need_id": need.id} for i in ids])
        created["needs"] += 1
    db.session.flush()
    return created
