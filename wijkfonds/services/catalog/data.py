"""Reference data: Amsterdam-West's districts, the themes, and the 21 building blocks of social
base infrastructure (../shared/domain.md). Seeded by reference.ensure_reference_data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoDistrict:
    """One area (gebied) of stadsdeel West with its number of residents."""

    slug: str
    name: str
    population: int


@dataclass(frozen=True)
class DemoTheme:
    """One of the five functions of social infrastructure, used as a round theme."""

    slug: str
    name_nl: str
    name_en: str
    description_nl: str
    description_en: str


@dataclass(frozen=True)
class DemoBlock:
    """One of the 21 building blocks (bouwstenen) of a social base infrastructure."""

    number: int
    slug: str
    name_nl: str
    name_en: str
    description_nl: str
    description_en: str


DISTRICTS: tuple[DemoDistrict, ...] = (
    DemoDistrict("bos-en-lommer", "Bos en Lommer", 34_620),
    DemoDistrict("de-baarsjes", "De Baarsjes", 39_850),
    DemoDistrict("oud-west", "Oud-West", 35_410),
    DemoDistrict("westerpark", "Westerpark", 37_980),
)


THEMES: tuple[DemoTheme, ...] = (
    DemoTheme(
        "communiceren-informeren",
        "Communiceren & informeren",
        "Communicate and inform",
        "Bewoners weten wat er in de buurt te doen is en waar ze met vragen terecht kunnen.",
        "Residents know what is going on nearby and where to go with their questions.",
    ),
    DemoTheme(
        "observeren-signaleren",
        "Observeren & signaleren",
        "Observe and signal",
        "Zorgen en problemen in de buurt worden op tijd gezien en doorgegeven.",
        "Worries and problems in the neighbourhood are noticed and passed on in time.",
    ),
    DemoTheme(
        "verbinden-includeren",
        "Verbinden & includeren",
        "Connect and include",
        "Buren leren elkaar kennen en niemand valt buiten de groep.",
        "Neighbours get to know each other and nobody is left out.",
    ),
    DemoTheme(
        "initieren-mobiliseren",
        "Initiëren & mobiliseren",
        "Initiate and mobilise",
        "Bewoners komen zelf in actie en krijgen anderen mee.",
        "Residents take action themselves and get others to join in.",
    ),
    DemoTheme(
        "dienstverlenen-herstellen",
        "Dienstverlenen & herstellen",
        "Serve and restore",
        "Buren krijgen praktische hulp en steun om weer op eigen benen te staan.",
        "Neighbours get practical help and support to get back on their feet.",
    ),
)


BUILDING_BLOCKS: tuple[DemoBlock, ...] = (
    DemoBlock(
        1,
        "behoeften-en-verhalen",
        "Behoeften en verhalen",
        "Needs and stories",
        "Ophalen wat bewoners nodig hebben en wat ze meemaken.",
        "Collecting what residents need and what they experience.",
    ),
    DemoBlock(
        2,
        "buurtassistent",
        "Buurtassistent",
        "Neighbourhood assistant",
        "Een vast gezicht in de buurt dat bewoners helpt en doorverwijst.",
        "A familiar face in the neighbourhood who helps residents and refers them on.",
    ),
    DemoBlock(
        3,
        "leefstijlactiviteiten",
        "Leefstijlactiviteiten",
        "Lifestyle activities",
        "Samen bewegen, koken en gezond leven.",
        "Exercising, cooking and living healthily together.",
    ),
    DemoBlock(
        4,
        "burenhulp-en-praktische-hulpdienst",
        "Burenhulp en praktische hulpdienst",
        "Neighbour help and practical help service",
        "Buren helpen elkaar met klussen, boodschappen en kleine zorgen.",
        "Neighbours help each other with odd jobs, shopping and small worries.",
    ),
    DemoBlock(
        5,
        "training-en-coaching",
        "Training en coaching",
        "Training and coaching",
        "Bewoners leren nieuwe vaardigheden van trainers of van elkaar.",
        "Residents learn new skills from trainers or from each other.",
    ),
    DemoBlock(
        6,
        "buurtontmoetingsplekken",
        "Buurtontmoetingsplekken",
        "Neighbourhood meeting places",
        "Plekken waar buren zonder drempel binnen kunnen lopen.",
        "Places where neighbours can drop in without any barrier.",
    ),
    DemoBlock(
        7,
        "leer-en-werkplekken",
        "Leer- en werkplekken",
        "Learning and work places",
        "Plekken waar bewoners werkervaring opdoen en een vak leren.",
        "Places where residents gain work experience and learn a trade.",
    ),
    DemoBlock(
        8,
        "infopunt-digitaal-platform-community-manager",
        "Infopunt, digitaal platform en community manager",
        "Info point, digital platform, community manager",
        "Eén plek, online of op straat, voor vragen en buurtnieuws.",
        "One place, online or on the street, for questions and local news.",
    ),
    DemoBlock(
        9,
        "buurt-en-conflictbemiddeling",
        "Buurt- en conflictbemiddeling",
        "Neighbourhood and conflict mediation",
        "Getrainde vrijwilligers helpen buren om ruzies samen op te lossen.",
        "Trained volunteers help neighbours resolve disputes together.",
    ),
    DemoBlock(
        10,
        "kleinschalig-vervoer",
        "Kleinschalig vervoer",
        "Small-scale transport",
        "Vervoer voor bewoners die zelf moeilijk ergens komen.",
        "Transport for residents who find it hard to get around on their own.",
    ),
    DemoBlock(
        11,
        "maaltijdservices",
        "Maaltijdservices",
        "Meal services",
        "Samen eten of een warme maaltijd aan huis.",
        "Eating together or a hot meal delivered at home.",
    ),
    DemoBlock(
        12,
        "mantelzorgondersteuning",
        "Mantelzorgondersteuning",
        "Support for informal carers",
        "Steun en rust voor mensen die voor een naaste zorgen.",
        "Support and respite for people who care for someone close to them.",
    ),
    DemoBlock(
        13,
        "maatjes",
        "Maatjes",
        "Buddies",
        "Een vaste buddy die regelmatig langskomt of meegaat.",
        "A regular buddy who visits or comes along.",
    ),
    DemoBlock(
        14,
        "aanbieden-fysieke-hulpmiddelen",
        "Aanbieden fysieke hulpmiddelen",
        "Lending physical aids",
        "Hulpmiddelen en spullen lenen in plaats van kopen.",
        "Borrowing aids and equipment instead of buying them.",
    ),
    DemoBlock(
        15,
        "aanbieden-digitale-hulpmiddelen",
        "Aanbieden digitale hulpmiddelen",
        "Offering digital aids",
        "Laptops, telefoons en internet voor wie dat niet heeft.",
        "Laptops, phones and internet access for those who lack them.",
    ),
    DemoBlock(
        16,
        "dagbesteding",
        "Dagbesteding",
        "Day activities",
        "Een zinvolle dagbesteding dichtbij huis.",
        "Meaningful day activities close to home.",
    ),
    DemoBlock(
        17,
        "gemeenschappelijk-aanmeldpunt-wonen",
        "Gemeenschappelijk aanmeldpunt wonen",
        "Joint housing registration point",
        "Eén loket voor vragen over wonen en samen wonen.",
        "One desk for questions about housing and living together.",
    ),
    DemoBlock(
        18,
        "debat-en-dialoog",
        "Debat en dialoog",
        "Debate and dialogue",
        "Bewoners praten met elkaar en met de stad over wat er moet gebeuren.",
        "Residents talk with each other and the city about what should happen.",
    ),
    DemoBlock(
        19,
        "evenementen",
        "Evenementen",
        "Events",
        "Feesten en activiteiten die de buurt samenbrengen.",
        "Festivities and activities that bring the neighbourhood together.",
    ),
    DemoBlock(
        20,
        "wijkcentrum",
        "Wijkcentrum",
        "Community centre",
        "Een vast gebouw voor activiteiten en ontmoeting in de wijk.",
        "A permanent building for activities and meeting in the area.",
    ),
    DemoBlock(
        21,
        "coordinatie-organisatie-administratie",
        "Coördinatie, organisatie en administratie",
        "Coordination, organisation and administration",
        "De organisatie achter de schermen die initiatieven laat draaien.",
        "The organisation behind the scenes that keeps initiatives running.",
    ),
)
