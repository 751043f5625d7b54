"""Seed and demo content for Wijkfonds: reference data, residents, initiatives and comments.

Pure data (stdlib only) so that the `flask demo` loader, tests and scripts can share it.
Every record has a stable key or slug so that loading it twice changes nothing. The
texts are plain Dutch (B1) as a resident of Amsterdam-West would write them; names of
streets, squares and parks are real places in the four areas of stadsdeel West.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoResident:
    """A demo resident account; the password is chosen by the loader."""

    key: str
    display_name: str
    email: str
    district: str


@dataclass(frozen=True)
class DemoInitiative:
    """A resident initiative; `support` is how many demo likes the loader should give it."""

    key: str
    title: str
    summary: str
    description: str
    cost: int
    district: str
    theme: str
    block: str
    author: str
    support: int
    location: str | None = None


@dataclass(frozen=True)
class DemoReply:
    """A reply to a comment (one level deep)."""

    author: str
    text: str


@dataclass(frozen=True)
class DemoComment:
    """A top-level comment on the initiative with key `initiative`, with its replies."""

    initiative: str
    author: str
    text: str
    replies: tuple[DemoReply, ...] = ()


ROUND_NAME = "West Begroot 2027"
ROUND_BUDGET = 300_000
SUPPORT_THRESHOLD = 50

# Plausible figures for the four areas (stadsdeel West has roughly 148,000 residents).


RESIDENTS: tuple[DemoResident, ...] = (
    DemoResident("fatima", "Fatima El Amrani", "fatima.elamrani@voorbeeld.nl", "bos-en-lommer"),
    DemoResident("kwame", "Kwame Mensah", "kwame.mensah@voorbeeld.nl", "bos-en-lommer"),
    DemoResident("rachid", "Rachid Benali", "rachid.benali@voorbeeld.nl", "bos-en-lommer"),
    DemoResident("ayse", "Ayşe Yılmaz", "ayse.yilmaz@voorbeeld.nl", "de-baarsjes"),
    DemoResident("mohamed", "Mohamed Bouzid", "mohamed.bouzid@voorbeeld.nl", "de-baarsjes"),
    DemoResident("ingrid", "Ingrid Sedney", "ingrid.sedney@voorbeeld.nl", "de-baarsjes"),
    DemoResident("joost", "Joost van der Meer", "joost.vandermeer@voorbeeld.nl", "oud-west"),
    DemoResident("sanne", "Sanne Kok", "sanne.kok@voorbeeld.nl", "oud-west"),
    DemoResident("lucia", "Lucía Fernández", "lucia.fernandez@voorbeeld.nl", "oud-west"),
    DemoResident("priya", "Priya Ramdin", "priya.ramdin@voorbeeld.nl", "westerpark"),
    DemoResident("marieke", "Marieke de Vries", "marieke.devries@voorbeeld.nl", "westerpark"),
    DemoResident("daan", "Daan Verhoeven", "daan.verhoeven@voorbeeld.nl", "westerpark"),
)

INITIATIVES: tuple[DemoInitiative, ...] = (
    # --- Bos en Lommer -------------------------------------------------------------------
    DemoInitiative(
        key="taalcafe-bos-en-lommerplein",
        title="Taalcafé bij de bibliotheek op het Bos en Lommerplein",
        summary="Elke week een gezellige ochtend waar buren Nederlands oefenen met "
        "vrijwilligers, met koffie en zonder huiswerk of toetsen.",
        description="Veel buren in Bos en Lommer willen beter Nederlands spreken, maar een "
        "cursus is duur of te moeilijk. In het taalcafé praat je gewoon met elkaar, aan "
        "tafels van vier of vijf mensen, met een vrijwilliger erbij. We praten over de "
        "markt, de dokter, de school van de kinderen.\n\n"
        "We doen dit al een half jaar met zes vrijwilligers. Nu komen er elke week meer dan "
        "dertig mensen en is de ruimte te klein. Het geld is voor de huur van een tweede "
        "zaal in de bibliotheek, koffie en thee, lesmateriaal en een training voor nieuwe "
        "vrijwilligers.",
        cost=6_800,
        district="bos-en-lommer",
        theme="verbinden-includeren",
        block="training-en-coaching",
        author="fatima",
        support=72,
        location="OBA Bos en Lommer, Bos en Lommerplein",
    ),
    DemoInitiative(
        key="buurtmoestuin-erasmuspark",
        title="Buurtmoestuin aan de rand van het Erasmuspark",
        summary="Een moestuin waar buren samen groenten kweken, kinderen leren waar eten "
        "vandaan komt en ouderen een vaste plek hebben om elkaar te zien.",
        description="Aan de kant van de Erasmusgracht ligt een stuk grasveld dat bijna niemand "
        "gebruikt. Wij willen daar twintig moestuinbakken neerzetten. Iedereen uit de buurt "
        "mag meedoen, ook als je geen ervaring hebt. Op woensdagmiddag komen de kinderen van "
        "de basisschool helpen.\n\n"
        "Het geld is voor de bakken, aarde, een regenton, gereedschap, een afsluitbare kist "
        "en een tuinbegeleider die het eerste jaar twee dagdelen per week aanwezig is. De "
        "gemeente heeft al gezegd dat het terrein hiervoor gebruikt mag worden.",
        cost=12_500,
        district="bos-en-lommer",
        theme="initieren-mobiliseren",
        block="leefstijlactiviteiten",
        author="kwame",
        support=64,
        location="Erasmuspark, kant Erasmusgracht",
    ),
    DemoInitiative(
        key="klusdienst-kolenkitbuurt",
        title="Klusdienst voor ouderen in de Kolenkitbuurt",
        summary="Handige buren helpen ouderen met kleine klussen in huis: een lamp "
        "ophangen, een kraan die lekt, een kapotte rolluik.",
        description="Veel ouderen in de Kolenkitbuurt wonen alleen en hebben niemand die even "
        "een klusje doet. Een vakman bellen is duur, en soms durven ze geen vreemde binnen "
        "te laten. Wij zijn een groep van acht buren die handig zijn. We willen een vaste "
        "klusdienst starten met een telefoonnummer dat je kunt bellen.\n\n"
        "Het geld is voor gereedschap, een bakfiets om het gereedschap te vervoeren, "
        "kleine materialen zoals lampen en kranen, en een verzekering voor de vrijwilligers.",
        cost=9_400,
        district="bos-en-lommer",
        theme="dienstverlenen-herstellen",
        block="burenhulp-en-praktische-hulpdienst",
        author="rachid",
        support=55,
        location="Kolenkitbuurt",
    ),
    DemoInitiative(
        key="elektrisch-buurtbusje-bos-en-lommer",
        title="Elektrisch buurtbusje voor ouderen en mensen met een beperking",
        summary="Een klein elektrisch busje met vrijwillige chauffeurs dat buren naar de "
        "markt, de huisarts of het buurthuis brengt.",
        description="Voor veel ouderen is de tram te ver weg of te druk. Een taxi is duur. "
        "Daardoor blijven zij thuis en zien ze bijna niemand meer. Met een buurtbusje kunnen "
        "we ze ophalen voor de weekmarkt, een bezoek aan de huisarts of een activiteit in "
        "het buurthuis.\n\n"
        "We hebben twaalf mensen die willen rijden. Het geld is voor het leasen van een "
        "elektrisch busje voor één jaar, de verzekering, een rijtraining en een simpel "
        "belsysteem om ritten te plannen. Na het eerste jaar zoeken we een vaste partner.",
        cost=38_000,
        district="bos-en-lommer",
        theme="dienstverlenen-herstellen",
        block="kleinschalig-vervoer",
        author="kwame",
        support=47,
        location="Bos en Lommerweg en omgeving",
    ),
    DemoInitiative(
        key="verhalen-van-bos-en-lommer",
        title="Verhalen van Bos en Lommer: honderd buren vertellen",
        summary="We nemen de verhalen op van honderd bewoners en maken er een boekje, een "
        "website en een tentoonstelling in het stadsdeelkantoor van.",
        description="Bos en Lommer verandert snel. Er komen nieuwe mensen wonen en oude "
        "bewoners vertrekken. Wij willen vastleggen wat mensen hier hebben meegemaakt, en "
        "wat zij nodig hebben om zich thuis te voelen. We praten met jong en oud, in het "
        "Nederlands, Turks, Arabisch en Berbers.\n\n"
        "Wat we horen, geven we door aan het stadsdeel. Het geld is voor opnameapparatuur, "
        "vertalers, een fotograaf, het drukken van het boekje en de tentoonstelling.",
        cost=7_200,
        district="bos-en-lommer",
        theme="communiceren-informeren",
        block="behoeften-en-verhalen",
        author="fatima",
        support=31,
    ),
    DemoInitiative(
        key="samen-eten-landlust",
        title="Samen eten in Landlust: elke donderdag een warme maaltijd",
        summary="Een betaalbare warme maaltijd voor iedereen die niet alleen wil eten, "
        "gekookt door buren uit verschillende keukens.",
        description="Elke donderdag koken vrijwilligers een warme maaltijd in de keuken van "
        "de speeltuinvereniging. Je betaalt drie euro, of minder als dat niet lukt. Elke week "
        "kookt iemand anders: de ene week Surinaams, de andere week Marokkaans of Hollands.\n\n"
        "Nu eten er vijftig mensen mee en staat er een wachtlijst. Met dit geld kunnen we een "
        "grotere kookplaat en koelkast kopen, de boodschappen voor een jaar aanvullen en "
        "een hygiënecursus voor de koks betalen.",
        cost=14_600,
        district="bos-en-lommer",
        theme="verbinden-includeren",
        block="maaltijdservices",
        author="rachid",
        support=81,
        location="Speeltuin Landlust",
    ),
    DemoInitiative(
        key="buurtassistent-kolenkitbuurt",
        title="Een vaste buurtassistent voor de Kolenkitbuurt",
        summary="Een betaalde buurtassistent die elke dag op straat is, problemen ziet en "
        "bewoners de weg wijst naar hulp.",
        description="Veel problemen achter de voordeur worden pas laat gezien: schulden, "
        "eenzaamheid, een lekkend dak waar niemand iets mee doet. Een buurtassistent kent de "
        "mensen, loopt elke dag door de buurt en weet waar je terecht kunt.\n\n"
        "Wij stellen voor om voor een jaar een buurtassistent aan te stellen voor 16 uur per "
        "week, iemand die zelf uit de buurt komt en meerdere talen spreekt. Het geld is voor "
        "het salaris, een telefoon en een kleine werkplek in het buurthuis.",
        cost=28_000,
        district="bos-en-lommer",
        theme="observeren-signaleren",
        block="buurtassistent",
        author="fatima",
        support=58,
        location="Kolenkitbuurt",
    ),
    DemoInitiative(
        key="laptopbank-scholieren",
        title="Laptopbank: opgeknapte laptops voor scholieren",
        summary="We knappen oude laptops op en geven ze aan scholieren die thuis geen "
        "computer hebben om hun huiswerk te maken.",
        description="Veel kinderen in Bos en Lommer maken hun huiswerk op de telefoon, omdat "
        "er thuis geen laptop is. Bedrijven gooien elk jaar goede laptops weg. Wij halen ze "
        "op, wissen ze veilig en installeren nieuwe software. Jongeren uit de buurt helpen "
        "mee en leren zo ook iets.\n\n"
        "Het geld is voor onderdelen zoals accu's en opladers, een werkplek, "
        "beveiligingssoftware en een kleine vergoeding voor de jongeren. We willen zo "
        "honderdvijftig laptops uitdelen.",
        cost=11_000,
        district="bos-en-lommer",
        theme="dienstverlenen-herstellen",
        block="aanbieden-digitale-hulpmiddelen",
        author="kwame",
        support=66,
        location="Bestevaerstraat",
    ),
    DemoInitiative(
        key="buurtbemiddeling-portiekflats",
        title="Buurtbemiddelaars voor ruzies in de portiekflats",
        summary="Vrijwilligers met een training helpen buren om samen een oplossing te vinden "
        "bij geluidsoverlast en ruzies op de trap.",
        description="In de portiekflats hoor je alles van je buren. Dat geeft vaak ruzie: over "
        "lawaai, vuilniszakken op de trap of een fiets in de gang. Vaak wordt de politie "
        "gebeld, terwijl een goed gesprek meer helpt.\n\n"
        "Wij willen tien buren opleiden tot buurtbemiddelaar. Zij gaan met twee mensen naar "
        "beide buren toe en helpen bij een gesprek. Het geld is voor de training, "
        "begeleiding door een ervaren bemiddelaar en folders in vier talen.",
        cost=8_500,
        district="bos-en-lommer",
        theme="observeren-signaleren",
        block="buurt-en-conflictbemiddeling",
        author="rachid",
        support=22,
        location="Portiekflats rond de Leeuwendalersweg",
    ),
    DemoInitiative(
        key="buurtfeest-bos-en-lommerplein",
        title="Buurtfeest op het Bos en Lommerplein",
        summary="Een dag met muziek, eten en spelletjes op het plein, georganiseerd door "
        "bewoners, scholen en ondernemers samen.",
        description="Op het Bos en Lommerplein lopen elke dag duizenden mensen langs elkaar "
        "heen. Eén keer per jaar willen we daar stoppen en samen feest vieren. Met een podium "
        "voor muziek uit de buurt, kraampjes met eten van bewoners en spelletjes voor "
        "kinderen.\n\n"
        "Het geld is voor het podium, geluid, tenten, vergunningen, een EHBO-post en "
        "schoonmaak na afloop. De ondernemers aan het plein betalen de rest.",
        cost=5_500,
        district="bos-en-lommer",
        theme="verbinden-includeren",
        block="evenementen",
        author="fatima",
        support=44,
        location="Bos en Lommerplein",
    ),
    DemoInitiative(
        key="mantelzorgcafe-erasmuspark",
        title="Mantelzorgcafé in het paviljoen van het Erasmuspark",
        summary="Eén keer per maand een middag voor mantelzorgers om te praten, tips te "
        "delen en even niet te hoeven zorgen.",
        description="Ik zorg al vijf jaar voor mijn moeder. Ik weet hoe zwaar het is en hoe "
        "weinig tijd je voor jezelf hebt. Veel mantelzorgers weten niet dat er hulp bestaat, "
        "of schamen zich om erom te vragen.\n\n"
        "In het mantelzorgcafé kun je met andere mantelzorgers praten. Elke maand komt er "
        "iemand iets vertellen, bijvoorbeeld over regels of respijtzorg. Het geld is voor "
        "de huur van het paviljoen, koffie en gebak en de sprekers.",
        cost=4_800,
        district="bos-en-lommer",
        theme="dienstverlenen-herstellen",
        block="mantelzorgondersteuning",
        author="rachid",
        support=37,
        location="Erasmuspark",
    ),
    # --- De Baarsjes ---------------------------------------------------------------------
    DemoInitiative(
        key="zomeravonden-mercatorplein",
        title="Zomeravonden op het Mercatorplein",
        summary="Vier zomeravonden met film, muziek en eten op het plein, voor alle buren en gratis toegankelijk.",
        description="In de zomer is het op het Mercatorplein gezellig, maar ook rommelig. "
        "Jongeren hangen rond en ouderen blijven liever binnen. Wij willen vier avonden "
        "organiseren waarop iedereen naar buiten komt: een buitenfilm, een avond met muziek "
        "van buurtbands, een kookwedstrijd en een avond voor de kinderen.\n\n"
        "Jongeren uit de buurt helpen bij de opbouw en krijgen daar een vergoeding voor. "
        "Het geld is voor het scherm, geluid, stoelen, vergunningen en de vergoedingen.",
        cost=18_000,
        district="de-baarsjes",
        theme="verbinden-includeren",
        block="evenementen",
        author="mohamed",
        support=77,
        location="Mercatorplein",
    ),
    DemoInitiative(
        key="repair-cafe-de-baarsjes",
        title="Repair Café De Baarsjes: samen repareren in plaats van weggooien",
        summary="Elke tweede zaterdag repareren vrijwilligers kapotte spullen, en jongeren "
        "leren het vak van ervaren buren.",
        description="Een broodrooster, een broek met een scheur, een fiets met een slag in "
        "het wiel: veel dingen zijn makkelijk te maken als je weet hoe. In ons Repair Café "
        "helpen gepensioneerde vakmensen je. Jongeren die een opleiding zoeken, werken mee "
        "en leren zo een vak.\n\n"
        "Het geld is voor gereedschap, meetapparatuur, onderdelen, de huur van de ruimte "
        "aan de Postjesweg en een kleine vergoeding voor de leerlingen.",
        cost=6_200,
        district="de-baarsjes",
        theme="dienstverlenen-herstellen",
        block="leer-en-werkplekken",
        author="ayse",
        support=59,
        location="Postjesweg",
    ),
    DemoInitiative(
        key="uitleenpunt-hulpmiddelen-baarsjes",
        title="Uitleenpunt voor rollators, rolstoelen en douchestoelen",
        summary="Een punt in de buurt waar je snel en gratis een hulpmiddel kunt lenen, "
        "bijvoorbeeld na een operatie of voor bezoek.",
        description="Na een operatie heb je vaak een paar weken een rollator of douchestoel "
        "nodig. Via de zorgverzekering duurt dat lang, en soms valt het niet onder de "
        "vergoeding. Ook als je familie op bezoek komt die slecht ter been is, wil je even "
        "een rolstoel lenen.\n\n"
        "In de ruimte van de huurdersvereniging richten we een uitleenpunt in. Het geld is "
        "voor de eerste voorraad hulpmiddelen, een opslagkast, schoonmaakmiddelen en een "
        "simpel systeem om bij te houden wie wat heeft geleend.",
        cost=9_800,
        district="de-baarsjes",
        theme="dienstverlenen-herstellen",
        block="aanbieden-fysieke-hulpmiddelen",
        author="ingrid",
        support=41,
        location="Jan Evertsenstraat",
    ),
    DemoInitiative(
        key="maatjes-nieuwkomers-baarsjes",
        title="Maatjesproject voor nieuwkomers in De Baarsjes",
        summary="Een buur als maatje voor mensen die net in Nederland wonen: samen de buurt "
        "leren kennen, formulieren invullen en Nederlands oefenen.",
        description="Wie net in Nederland woont, moet veel tegelijk leren. Waar is de huisarts? "
        "Hoe werkt de school? Wat betekent die brief? Een maatje uit de buurt helpt daarbij "
        "en wordt vaak ook een vriend.\n\n"
        "Wij koppelen dertig nieuwkomers aan een maatje voor een jaar. Een coördinator "
        "zoekt goede koppels en helpt als er vragen zijn. Het geld is voor de coördinator, "
        "een training voor de maatjes, een ov-budget en drie gezamenlijke uitjes.",
        cost=15_500,
        district="de-baarsjes",
        theme="verbinden-includeren",
        block="maatjes",
        author="ayse",
        support=68,
    ),
    DemoInitiative(
        key="digitaal-spreekuur-baarsjes",
        title="Digitaal spreekuur: hulp bij DigiD, toeslagen en formulieren",
        summary="Twee keer per week een spreekuur waar vrijwilligers je helpen met DigiD, "
        "online formulieren en brieven van instanties.",
        description="Steeds meer gaat alleen nog online: toeslagen, afspraken bij de gemeente, "
        "de huur. Veel buren lopen daardoor vast en krijgen boetes of missen geld waar ze "
        "recht op hebben. In ons spreekuur zitten vrijwilligers die je rustig helpen, op je "
        "eigen telefoon of op onze computer.\n\n"
        "Het geld is voor twee computers, een printer, een training over privacy voor de "
        "vrijwilligers en flyers in vijf talen.",
        cost=7_800,
        district="de-baarsjes",
        theme="communiceren-informeren",
        block="infopunt-digitaal-platform-community-manager",
        author="ingrid",
        support=83,
        location="Buurthuis aan het Columbusplein",
    ),
    DemoInitiative(
        key="gesprekken-herinrichting-postjesweg",
        title="Buurtgesprekken over de nieuwe inrichting van de Postjesweg",
        summary="Bewoners, ondernemers en het stadsdeel praten samen over hoe de Postjesweg "
        "er straks uit moet zien, voordat de plannen klaar zijn.",
        description="De Postjesweg wordt de komende jaren opnieuw ingericht. Vaak horen "
        "bewoners pas van de plannen als alles al vastligt. Wij willen dat eerder regelen: "
        "drie avonden met tekeningen op tafel, waar iedereen kan zeggen wat hij belangrijk "
        "vindt, zoals bomen, veilig oversteken of ruimte voor de fiets.\n\n"
        "Het geld is voor een gespreksleider, de zaalhuur, tolken en een verslag dat we aan "
        "het stadsdeel en de buurt geven.",
        cost=3_500,
        district="de-baarsjes",
        theme="initieren-mobiliseren",
        block="debat-en-dialoog",
        author="mohamed",
        support=19,
        location="Postjesweg",
    ),
    DemoInitiative(
        key="fietswerkplaats-jongeren",
        title="Fietswerkplaats voor jongeren aan de Jan Evertsenstraat",
        summary="Jongeren van 15 tot 23 jaar leren fietsen repareren, verdienen een "
        "zakcentje en halen een certificaat dat helpt bij een baan.",
        description="Veel jongeren in De Baarsjes zoeken een bijbaan of stage en vinden die "
        "niet. In een fietswerkplaats leren ze een vak, onder begeleiding van een ervaren "
        "fietsenmaker. Buren kunnen er hun fiets goedkoop laten maken.\n\n"
        "We hebben een leegstaande winkelruimte op het oog. Het geld is voor de huur van een "
        "jaar, gereedschap, onderdelen, de begeleider voor twee dagen per week en de "
        "certificaten.",
        cost=24_000,
        district="de-baarsjes",
        theme="initieren-mobiliseren",
        block="leer-en-werkplekken",
        author="mohamed",
        support=52,
        location="Jan Evertsenstraat",
    ),
    DemoInitiative(
        key="buitensport-vrouwen-chassepark",
        title="Gratis buitensport voor vrouwen in het Chassépark",
        summary="Twee keer per week sporten met een vrouwelijke trainer in het park, voor "
        "vrouwen die niet naar een sportschool gaan.",
        description="Veel vrouwen in de buurt willen wel bewegen, maar een sportschool is te "
        "duur of voelt niet prettig. Buiten in het park, met een vrouwelijke trainer en "
        "andere buurvrouwen, is de drempel veel lager. Kinderen mogen mee en spelen in de "
        "speeltuin ernaast.\n\n"
        "Het geld is voor de trainer voor een heel jaar, matjes, elastieken en een kleine "
        "opslag, en voor een warme ruimte in de winter.",
        cost=5_200,
        district="de-baarsjes",
        theme="verbinden-includeren",
        block="leefstijlactiviteiten",
        author="ayse",
        support=61,
        location="Chassépark",
    ),
    DemoInitiative(
        key="creatieve-dagbesteding-dementie",
        title="Creatieve dagbesteding voor ouderen met beginnende dementie",
        summary="Drie dagen per week een warme plek met schilderen, muziek en koken voor "
        "ouderen met beginnende dementie, dicht bij huis.",
        description="Mijn vader heeft beginnende dementie. De dagbesteding waar hij naartoe "
        "kon, was ver weg en paste niet bij hem. Veel ouderen in De Baarsjes willen liever "
        "in hun eigen buurt blijven, met mensen die hun taal spreken.\n\n"
        "Samen met een zorgprofessional willen we drie dagen per week een kleinschalige "
        "dagbesteding openen voor twaalf ouderen. Het geld is voor de begeleiding, "
        "materialen, de lunch en de inrichting van de ruimte.",
        cost=32_000,
        district="de-baarsjes",
        theme="dienstverlenen-herstellen",
        block="dagbesteding",
        author="ingrid",
        support=46,
        location="Hoofdweg",
    ),
    DemoInitiative(
        key="meertalige-wijkkrant-baarsjes",
        title="Meertalige wijkkrant De Baarsjes",
        summary="Vier keer per jaar een krant op papier in het Nederlands, Turks, Arabisch "
        "en Engels, met nieuws van en voor de buurt.",
        description="Niet iedereen zit op sociale media of leest Nederlands. Daardoor missen "
        "veel buren wat er gebeurt: een activiteit, een spreekuur, werk aan de straat. Een "
        "krant op papier, in de brievenbus, bereikt iedereen.\n\n"
        "Buurtbewoners schrijven de stukken, vrijwilligers vertalen. Het geld is voor de "
        "opmaak, het drukken van 12.000 exemplaren per keer en de bezorging.",
        cost=8_900,
        district="de-baarsjes",
        theme="communiceren-informeren",
        block="infopunt-digitaal-platform-community-manager",
        author="mohamed",
        support=28,
    ),
    DemoInitiative(
        key="woonspreekuur-huurders-baarsjes",
        title="Woonspreekuur voor huurders in De Baarsjes",
        summary="Een wekelijks spreekuur waar huurders terechtkunnen met schimmel, hoge "
        "servicekosten, woningruil of vragen over inschrijven voor een woning.",
        description="Veel huurders weten niet wat hun rechten zijn. Ze wonen met schimmel of "
        "lekkages en durven niet te klagen. Anderen zoeken een kleinere woning en weten niet "
        "hoe dat werkt. In het woonspreekuur helpen vrijwilligers met kennis van huurrecht.\n\n"
        "Wat we vaak horen, melden we bij het stadsdeel en de corporaties. Het geld is voor "
        "een training, vochtmeters, de zaalhuur en een jurist die twee keer per maand komt.",
        cost=10_500,
        district="de-baarsjes",
        theme="observeren-signaleren",
        block="gemeenschappelijk-aanmeldpunt-wonen",
        author="ingrid",
        support=35,
        location="Balboaplein",
    ),
    # --- Oud-West ------------------------------------------------------------------------
    DemoInitiative(
        key="koken-met-restjes-ten-katemarkt",
        title="Koken met restjes van de Ten Katemarkt",
        summary="We halen aan het eind van de marktdag groente en fruit op dat over is en "
        "koken er samen gezonde maaltijden van.",
        description="Op de Ten Katemarkt blijft elke dag veel goed eten over. Tegelijk zijn er "
        "buren die weinig geld hebben voor verse groente. Wij halen op zaterdag de restjes "
        "op bij de marktkooplui en koken er samen van in De Hallen. Wie wil, neemt een "
        "maaltijd mee naar huis.\n\n"
        "Het geld is voor bakfietsen, koelboxen, keukenspullen, de huur van de keuken en "
        "een kok die de vrijwilligers begeleidt.",
        cost=7_400,
        district="oud-west",
        theme="initieren-mobiliseren",
        block="maaltijdservices",
        author="sanne",
        support=57,
        location="Ten Katemarkt",
    ),
    DemoInitiative(
        key="buurtkamer-jan-pieter-heijestraat",
        title="Buurtkamer in de Jan Pieter Heijestraat",
        summary="Een leeg winkelpand wordt een huiskamer voor de buurt: binnenlopen voor "
        "koffie, de krant, een praatje of een activiteit.",
        description="In de Jan Pieter Heijestraat staat al twee jaar een winkel leeg. Wij "
        "willen er een buurtkamer van maken, open op vijf dagen. Iedereen kan binnenlopen, "
        "zonder afspraak en zonder dat je iets hoeft te kopen. Buren organiseren er zelf "
        "activiteiten, zoals een leesclub, een breiochtend of huiswerkbegeleiding.\n\n"
        "De eigenaar wil het pand voor een lage huur geven. Het geld is voor de huur van een "
        "jaar, meubels, een keukentje en energie.",
        cost=27_500,
        district="oud-west",
        theme="verbinden-includeren",
        block="buurtontmoetingsplekken",
        author="joost",
        support=74,
        location="Jan Pieter Heijestraat",
    ),
    DemoInitiative(
        key="schaken-bellamyplein",
        title="Schaken en dammen op het Bellamyplein",
        summary="Twee vaste schaaktafels en een kist met stukken op het plein, met elke "
        "zondag een begeleide middag voor jong en oud.",
        description="Op het Bellamyplein zitten vaak ouderen op een bankje, en kinderen "
        "spelen er na school. Schaken en dammen is iets wat ze samen kunnen doen. Buren "
        "hebben al aangeboden om op zondag les te geven.\n\n"
        "Het geld is voor twee stenen schaaktafels, een afsluitbare kist met stukken en "
        "klokken, en een klein toernooi aan het eind van de zomer.",
        cost=2_400,
        district="oud-west",
        theme="verbinden-includeren",
        block="leefstijlactiviteiten",
        author="lucia",
        support=12,
        location="Bellamyplein",
    ),
    DemoInitiative(
        key="open-podium-de-hallen",
        title="Open podium voor buurttalent in De Hallen",
        summary="Elke maand een avond waarop buren optreden: muziek, gedichten, dans of stand-up, in hun eigen taal.",
        description="In Oud-West wonen veel mensen met talent die nooit een podium krijgen. "
        "Op ons open podium mag iedereen vijf tot tien minuten optreden. Jongeren helpen "
        "met licht en geluid en leren zo hoe een voorstelling werkt.\n\n"
        "Het geld is voor de zaalhuur in De Hallen, licht en geluid, een presentator en "
        "promotie in de buurt.",
        cost=9_600,
        district="oud-west",
        theme="initieren-mobiliseren",
        block="evenementen",
        author="lucia",
        support=49,
        location="De Hallen, Hannie Dankbaarpassage",
    ),
    DemoInitiative(
        key="respijtzorg-mantelzorgers-oud-west",
        title="Respijtzorg: een vrije middag per week voor mantelzorgers",
        summary="Getrainde vrijwilligers nemen een middag per week de zorg over, zodat de "
        "mantelzorger even tijd voor zichzelf heeft.",
        description="Mantelzorgers zijn vaak dag en nacht bezig. Er is geen tijd voor een "
        "afspraak bij de kapper, een wandeling of een vriendin. Op den duur raken ze "
        "overbelast. Een vaste vrije middag per week helpt enorm.\n\n"
        "Wij trainen twintig vrijwilligers om een middag bij iemand thuis te zijn. Het geld "
        "is voor de training, een coördinator voor acht uur per week, verzekering en "
        "reiskosten.",
        cost=16_800,
        district="oud-west",
        theme="dienstverlenen-herstellen",
        block="mantelzorgondersteuning",
        author="sanne",
        support=53,
    ),
    DemoInitiative(
        key="boodschappenmaatjes-kinkerstraat",
        title="Boodschappenmaatjes voor ouderen rond de Kinkerstraat",
        summary="Een vaste buur die eens per week samen met een oudere boodschappen doet "
        "en daarna een kop koffie drinkt.",
        description="Boodschappen doen is voor veel ouderen zwaar, maar het is ook een van de "
        "weinige momenten dat ze buiten komen. Daarom brengen we de boodschappen niet "
        "thuis, maar gaan we samen. Zo blijft iemand in beweging en heeft hij een vast "
        "contact.\n\n"
        "Het geld is voor een coördinator, boodschappentrolleys, een kennismakingsmiddag "
        "en een klein budget voor koffie.",
        cost=4_200,
        district="oud-west",
        theme="verbinden-includeren",
        block="maatjes",
        author="joost",
        support=63,
        location="Kinkerstraat",
    ),
    DemoInitiative(
        key="computerles-65-plus",
        title="Computerles voor 65-plussers in de bibliotheek",
        summary="Kleine groepen leren in eigen tempo mailen, videobellen met de kleinkinderen "
        "en veilig internetbankieren.",
        description="Veel ouderen voelen zich buitengesloten omdat alles digitaal gaat. Ze "
        "durven niet te oefenen, bang om iets fout te doen. In kleine groepen van zes, met "
        "geduldige vrijwilligers, leren ze stap voor stap wat ze zelf willen leren.\n\n"
        "Het geld is voor tablets om mee te oefenen, lesboekjes in grote letters, een "
        "training voor de vrijwilligers en koffie.",
        cost=5_900,
        district="oud-west",
        theme="communiceren-informeren",
        block="training-en-coaching",
        author="lucia",
        support=38,
        location="OBA Kinkerstraat",
    ),
    DemoInitiative(
        key="deelkast-gereedschap",
        title="Deelkast: gereedschap lenen in plaats van kopen",
        summary="Een kast in de buurt met boormachines, ladders en keukenapparaten die je "
        "met een pasje voor een paar dagen kunt lenen.",
        description="Een boormachine gebruik je gemiddeld een paar minuten per jaar. Toch "
        "heeft bijna iedereen er een. In een deelkast kun je gereedschap en apparaten lenen. "
        "Dat scheelt geld en ruimte, en je leert je buren kennen.\n\n"
        "Het geld is voor de kast met sloten, de eerste spullen, een app om te reserveren "
        "en onderhoud in het eerste jaar.",
        cost=3_800,
        district="oud-west",
        theme="dienstverlenen-herstellen",
        block="aanbieden-fysieke-hulpmiddelen",
        author="joost",
        support=27,
        location="Bilderdijkstraat",
    ),
    DemoInitiative(
        key="vrijwilligerscoordinator-oud-west",
        title="Vrijwilligerscoördinator voor buurtinitiatieven in Oud-West",
        summary="Eén persoon die vrijwilligers werft en verdeelt, zodat kleine initiatieven "
        "niet stoppen omdat er niemand meer is.",
        description="In Oud-West zijn veel mooie initiatieven, maar ze hangen vaak aan één of "
        "twee mensen. Als die stoppen, is alles weg. Een vrijwilligerscoördinator zoekt "
        "nieuwe vrijwilligers, regelt verzekeringen en VOG's en helpt met subsidies.\n\n"
        "Het geld is voor een coördinator voor twaalf uur per week gedurende een jaar, een "
        "laptop en een jaarlijkse bedankavond voor alle vrijwilligers.",
        cost=21_000,
        district="oud-west",
        theme="initieren-mobiliseren",
        block="coordinatie-organisatie-administratie",
        author="sanne",
        support=33,
    ),
    DemoInitiative(
        key="luisteravonden-eenzaamheid",
        title="Luisteren naar Oud-West: buurtavonden over eenzaamheid",
        summary="Vier avonden waarop bewoners vertellen hoe het is om je alleen te voelen in "
        "een drukke buurt, en wat zou helpen.",
        description="Oud-West is druk en levendig, maar toch voelen veel mensen zich alleen. "
        "Jongeren die hier net wonen, en ouderen van wie de vrienden zijn verhuisd. We "
        "willen daar open over praten, zonder schaamte.\n\n"
        "Op vier avonden vertellen buren hun verhaal en praten we in kleine groepen verder. "
        "De ideeën geven we door aan het stadsdeel. Het geld is voor de zaal, een "
        "gespreksleider, eten en een verslag.",
        cost=3_200,
        district="oud-west",
        theme="observeren-signaleren",
        block="debat-en-dialoog",
        author="lucia",
        support=24,
        location="Kwakersplein",
    ),
    # --- Westerpark ----------------------------------------------------------------------
    DemoInitiative(
        key="wandelgroep-westerpark",
        title="Wandelgroep 'Samen in beweging' in het Westerpark",
        summary="Elke dinsdag en vrijdag een rustige wandeling van een uur door het park, "
        "met een beweegcoach en koffie na afloop.",
        description="Bewegen is gezond, maar alleen gaan wandelen doe je niet zo snel. In "
        "een groep gaat het makkelijker en is het gezellig. De wandeling is rustig, zodat ook "
        "mensen met een rollator of na een ziekte mee kunnen.\n\n"
        "Het geld is voor een beweegcoach, hesjes, een EHBO-cursus voor de vrijwilligers "
        "en koffie na afloop bij het café in het park.",
        cost=2_900,
        district="westerpark",
        theme="verbinden-includeren",
        block="leefstijlactiviteiten",
        author="marieke",
        support=45,
        location="Westerpark, ingang Haarlemmerweg",
    ),
    DemoInitiative(
        key="huiskamer-spaarndammerbuurt",
        title="Huiskamer voor de Spaarndammerbuurt",
        summary="Een eigen buurthuis in de Spaarndammerbuurt, met een open huiskamer, "
        "ruimte voor activiteiten en een vaste beheerder.",
        description="Sinds het oude buurthuis dicht is, heeft de Spaarndammerbuurt geen plek "
        "meer waar buren elkaar kunnen ontmoeten. Activiteiten zwerven rond van zaal naar "
        "zaal, en veel zijn gestopt. Wij willen een vaste plek terug.\n\n"
        "Een woningcorporatie biedt een bedrijfsruimte aan het Zaandammerplein aan. Het geld "
        "is voor de inrichting, de huur van het eerste jaar en een beheerder voor 20 uur per "
        "week. Bewonersgroepen hebben al beloofd de ruimte elke dag te gebruiken.",
        cost=42_000,
        district="westerpark",
        theme="verbinden-includeren",
        block="wijkcentrum",
        author="priya",
        support=71,
        location="Zaandammerplein",
    ),
    DemoInitiative(
        key="boodschappenrit-staatsliedenbuurt",
        title="Boodschappenrit voor minder mobiele bewoners van de Staatsliedenbuurt",
        summary="Twee keer per week haalt een busje met vrijwillige chauffeurs bewoners op "
        "voor de supermarkt en de markt.",
        description="De grote supermarkt is voor veel ouderen in de Staatsliedenbuurt te ver "
        "om te lopen. Ze zijn afhankelijk van familie of bezorging. Met een vaste rit kunnen "
        "ze zelf kiezen wat ze kopen, en ze zien andere mensen.\n\n"
        "We huren een rolstoelbus van een buurtvervoerder. Het geld is voor de huur op twee "
        "dagen per week, brandstof, een belteam en een training voor de chauffeurs.",
        cost=13_500,
        district="westerpark",
        theme="dienstverlenen-herstellen",
        block="kleinschalig-vervoer",
        author="daan",
        support=56,
        location="Van Limburg Stirumplein",
    ),
    DemoInitiative(
        key="maaltijd-aan-huis-herstel",
        title="Maaltijd aan huis voor buren die herstellen",
        summary="Buren koken een extra portie en brengen die naar iemand die net uit het "
        "ziekenhuis komt of even niet kan koken.",
        description="Na een ziekenhuisopname of een bevalling heb je even geen energie om te "
        "koken. Niet iedereen heeft familie in de buurt. Wij maken een lijst van buren die "
        "een extra portie koken, en brengen die warm aan huis.\n\n"
        "Het geld is voor goede bakjes en thermotassen, een kleine vergoeding voor de "
        "boodschappen en een coördinator die vraag en aanbod bij elkaar brengt.",
        cost=11_200,
        district="westerpark",
        theme="dienstverlenen-herstellen",
        block="maaltijdservices",
        author="priya",
        support=39,
        location="Frederik Hendrikbuurt",
    ),
    DemoInitiative(
        key="energiecoaches-westerpark",
        title="Energiecoaches: lagere energierekening voor huurders",
        summary="Buren worden energiecoach en helpen huurders thuis met tochtstrips, "
        "radiatorfolie en tips om minder te betalen.",
        description="Veel huurders in oude woningen hebben een hoge energierekening. Vaak "
        "helpen kleine dingen al veel: tochtstrips, een waterbesparende douchekop, anders "
        "stoken. Energiecoaches uit de buurt komen langs en brengen de spullen meteen mee.\n\n"
        "We leiden vijftien buren op tot energiecoach. Het geld is voor de training, "
        "materialen voor 300 huishoudens en een kleine vergoeding per bezoek.",
        cost=17_500,
        district="westerpark",
        theme="initieren-mobiliseren",
        block="training-en-coaching",
        author="daan",
        support=88,
        location="Staatsliedenbuurt en Spaarndammerbuurt",
    ),
    DemoInitiative(
        key="jongeren-en-politie-in-gesprek",
        title="Jongeren en wijkagenten in gesprek op het Van Limburg Stirumplein",
        summary="Vier avonden waarop jongeren en wijkagenten eerlijk met elkaar praten, met "
        "een gespreksleider en na afloop samen eten.",
        description="Tussen jongeren en politie gaat het in de buurt vaak mis. Jongeren voelen "
        "zich gecontroleerd, agenten voelen zich niet serieus genomen. Een echt gesprek, op "
        "een neutrale plek, kan veel veranderen.\n\n"
        "Het geld is voor een ervaren gespreksleider, de zaalhuur, eten en een kleine "
        "vergoeding voor de jongeren die de avonden mee organiseren.",
        cost=4_600,
        district="westerpark",
        theme="verbinden-includeren",
        block="debat-en-dialoog",
        author="daan",
        support=26,
        location="Van Limburg Stirumplein",
    ),
    DemoInitiative(
        key="buurtplatform-westerpark",
        title="Buurtplatform en community manager voor Westerpark",
        summary="Eén website en nieuwsbrief met alle activiteiten in Westerpark, bijgehouden "
        "door een community manager uit de buurt.",
        description="Activiteiten in Westerpark staan nu verspreid over tientallen "
        "Facebookgroepen, flyers en appgroepen. Niemand heeft overzicht. Een community "
        "manager zet alles op één plek en helpt groepen hun activiteiten bekend te maken.\n\n"
        "Het geld is voor het bouwen van een eenvoudige website, een community manager voor "
        "tien uur per week en een gedrukte agenda die elke maand in de buurthuizen ligt.",
        cost=22_000,
        district="westerpark",
        theme="communiceren-informeren",
        block="infopunt-digitaal-platform-community-manager",
        author="marieke",
        support=42,
    ),
    DemoInitiative(
        key="informatiepunt-samen-wonen",
        title="Informatiepunt 'Samen wonen' voor ouderen en jongeren",
        summary="Een loket dat ouderen met een te grote woning en jongeren die een kamer "
        "zoeken bij elkaar brengt, met goede afspraken.",
        description="Veel ouderen wonen alleen in een grote woning, terwijl jongeren geen "
        "kamer kunnen vinden. Samen wonen kan voor beiden fijn zijn, maar de regels zijn "
        "ingewikkeld: huurcontract, toeslagen, privacy.\n\n"
        "In ons informatiepunt leggen we uit wat kan, helpen we bij de afspraken en zoeken "
        "we goede koppels. Het geld is voor juridisch advies, een website en een "
        "medewerker voor acht uur per week.",
        cost=8_000,
        district="westerpark",
        theme="initieren-mobiliseren",
        block="gemeenschappelijk-aanmeldpunt-wonen",
        author="marieke",
        support=18,
        location="Hugo de Grootplein",
    ),
    DemoInitiative(
        key="houtwerkplaats-dagbesteding",
        title="Houtwerkplaats als dagbesteding in de Frederik Hendrikbuurt",
        summary="Een houtwerkplaats waar mensen met een beperking of psychische klachten "
        "samen met buren meubels maken voor de buurt.",
        description="Mensen met een beperking of psychische klachten zitten vaak thuis, "
        "terwijl ze graag iets nuttigs willen doen. In onze houtwerkplaats maken ze "
        "bankjes, plantenbakken en speelgoed voor scholen en buurthuizen. Buren met "
        "ervaring helpen mee.\n\n"
        "Het geld is voor machines met goede beveiliging, hout, een begeleider voor drie "
        "dagen per week en de huur van een ruimte onder de flats.",
        cost=26_000,
        district="westerpark",
        theme="dienstverlenen-herstellen",
        block="dagbesteding",
        author="priya",
        support=50,
        location="Frederik Hendrikplantsoen",
    ),
    DemoInitiative(
        key="winterfeest-hugo-de-grootplein",
        title="Winterfeest op het Hugo de Grootplein",
        summary="Een winteravond met lichtjes, warme soep en muziek op het plein, voor buren "
        "die de feestdagen alleen doorbrengen.",
        description="Rond de feestdagen zitten veel mensen alleen thuis. Wij willen op de "
        "kortste dag van het jaar een avond op het plein organiseren met lichtjes, soep en "
        "muziek. Iedereen is welkom, je hoeft niets te betalen.\n\n"
        "Buren uit de Zeeheldenbuurt en de Spaarndammerbuurt koken de soep, de kinderen van "
        "de basisschool maken lichtjes. Het geld is voor verlichting, een tent, de soep, "
        "muzikanten, warme dekens en een vergunning.",
        cost=6_500,
        district="westerpark",
        theme="verbinden-includeren",
        block="evenementen",
        author="daan",
        support=8,
        location="Hugo de Grootplein",
    ),
)


def _c(initiative: str, author: str, text: str, *replies: tuple[str, str]) -> DemoComment:
    """Build one DemoComment; replies are (author, text) pairs."""
    return DemoComment(initiative, author, text, tuple(DemoReply(a, t) for a, t in replies))


COMMENTS: tuple[DemoComment, ...] = (
    _c(
        "taalcafe-bos-en-lommerplein",
        "kwame",
        "Mijn buurvrouw gaat elke week en praat nu veel makkelijker met de juf van haar zoon. Goed plan!",
    ),
    _c(
        "taalcafe-bos-en-lommerplein",
        "ayse",
        "Is er ook een moment in de avond? Veel mensen werken overdag.",
        ("fatima", "Goede vraag. Als de tweede zaal er komt, willen we ook op dinsdagavond open."),
        ("ayse", "Dan kom ik als vrijwilliger helpen."),
    ),
    _c(
        "buurtmoestuin-erasmuspark",
        "rachid",
        "Mooi idee, maar wie geeft de planten water in de zomervakantie?",
        (
            "kwame",
            "We maken een rooster met vaste gieters. Er zijn al vijftien aanmeldingen, ook voor juli en augustus.",
        ),
    ),
    _c(
        "buurtmoestuin-erasmuspark",
        "marieke",
        "In het Westerpark hebben we zoiets ook. Tip: zet de bakken hoog, dan kunnen ouderen "
        "en mensen in een rolstoel ook meedoen.",
    ),
    _c(
        "klusdienst-kolenkitbuurt",
        "fatima",
        "Heel fijn. Mijn moeder wacht al maanden op de corporatie voor een kapotte keukenkast.",
    ),
    _c(
        "klusdienst-kolenkitbuurt",
        "joost",
        "Pas op dat jullie niet het werk van de woningcorporatie gaan doen. Zij moeten onderhoud gewoon zelf regelen.",
        (
            "rachid",
            "Eens. Grote reparaties melden we bij de corporatie, en we helpen mensen "
            "daarbij. Wij doen alleen kleine klusjes.",
        ),
    ),
    _c(
        "elektrisch-buurtbusje-bos-en-lommer",
        "rachid",
        "Wat gebeurt er na een jaar? Ik wil niet dat ouderen eraan wennen en het dan stopt.",
        (
            "kwame",
            "We praten al met twee zorgorganisaties over een vaste bijdrage. Dat "
            "schrijven we in het plan voor het tweede jaar.",
        ),
    ),
    _c(
        "elektrisch-buurtbusje-bos-en-lommer",
        "daan",
        "38.000 euro is veel geld voor één buurt. Kunnen jullie het busje niet delen met andere initiatieven?",
    ),
    _c(
        "verhalen-van-bos-en-lommer",
        "mohamed",
        "Leuk, maar wat doet het stadsdeel daarna met die verhalen? Ik wil geen boekje dat in een kast verdwijnt.",
        ("fatima", "We vragen het stadsdeel om een reactie op wat we horen, en die zetten we ook op de website."),
    ),
    _c(
        "samen-eten-landlust",
        "ingrid",
        "Ik heb vorige maand meegegeten. Heerlijk, en ik zat naast mensen die ik nog nooit had gesproken.",
    ),
    _c(
        "samen-eten-landlust",
        "sanne",
        "Kunnen jullie ook rekening houden met mensen met diabetes?",
        ("rachid", "Ja, er is elke week een variant met minder suiker en zout. Dat zetten we nu ook op de flyer."),
    ),
    _c("samen-eten-landlust", "kwame", "Ik kook graag een keer Ghanees mee!"),
    _c(
        "buurtassistent-kolenkitbuurt",
        "joost",
        "Doet het wijkteam dit niet al? Ik wil niet dat er dubbel werk gebeurt.",
    ),
    _c(
        "buurtassistent-kolenkitbuurt",
        "rachid",
        "Het wijkteam zit op kantoor. Een buurtassistent staat op straat. Dat is echt iets anders.",
    ),
    _c(
        "laptopbank-scholieren",
        "lucia",
        "Worden de oude gegevens echt goed gewist? Dat is belangrijk voor de bedrijven die laptops geven.",
        ("kwame", "Ja, we gebruiken gecertificeerde software en geven elk bedrijf een verklaring."),
    ),
    _c(
        "laptopbank-scholieren",
        "ayse",
        "Mijn zoon heeft dit jaar zijn huiswerk op mijn telefoon gemaakt. Dit zou echt helpen.",
    ),
    _c(
        "buurtbemiddeling-portiekflats",
        "priya",
        "Buurtbemiddeling bestaat al in Amsterdam. Is dit niet dubbel?",
        (
            "rachid",
            "Die is er, maar de wachttijd is lang en de bemiddelaars spreken weinig "
            "talen. Wij willen mensen uit de flats zelf opleiden.",
        ),
    ),
    _c(
        "buurtfeest-bos-en-lommerplein",
        "marieke",
        "Denk ook aan de bewoners boven het plein. Graag om tien uur stoppen met de muziek.",
    ),
    _c(
        "mantelzorgcafe-erasmuspark",
        "sanne",
        "Wat fijn dat iemand dit doet. Misschien kunnen we samenwerken met ons plan voor respijtzorg in Oud-West?",
    ),
    _c(
        "zomeravonden-mercatorplein",
        "ingrid",
        "Eindelijk iets op het plein voor iedereen. Ik kom zeker naar de filmavond.",
    ),
    _c(
        "zomeravonden-mercatorplein",
        "joost",
        "Leuk, maar de bewoners van de flats rond het plein hebben vaak last van geluid. Hebben jullie hen gevraagd?",
        ("mohamed", "We gaan in mei langs alle portieken met een brief, en om half elf is het afgelopen."),
        ("joost", "Dank je, dan steun ik het."),
    ),
    _c(
        "repair-cafe-de-baarsjes",
        "kwame",
        "Kunnen jullie ook telefoons repareren?",
        ("ayse", "Kleine dingen zoals een nieuwe accu wel. Schermen nog niet, daar zoeken we een vrijwilliger voor."),
    ),
    _c(
        "uitleenpunt-hulpmiddelen-baarsjes",
        "fatima",
        "Na de heupoperatie van mijn vader hadden we dit goed kunnen gebruiken.",
    ),
    _c(
        "uitleenpunt-hulpmiddelen-baarsjes",
        "daan",
        "Hoe zorgen jullie dat alles schoon en veilig is?",
        (
            "ingrid",
            "Na elke uitleen maken we het schoon en controleren we remmen en "
            "wielen. Een fysiotherapeut uit de buurt helpt ons daarbij.",
        ),
    ),
    _c(
        "maatjes-nieuwkomers-baarsjes",
        "lucia",
        "Toen ik hier kwam wonen, had ik zo'n maatje. Zij is nu nog steeds mijn vriendin.",
    ),
    _c(
        "maatjes-nieuwkomers-baarsjes",
        "mohamed",
        "Kunnen maatjes ook helpen met werk zoeken?",
        ("ayse", "Ze kunnen meegaan naar het werkplein, maar voor echt werkadvies verwijzen we door."),
    ),
    _c("digitaal-spreekuur-baarsjes", "joost", "Belangrijk plan. De gemeente zou dit eigenlijk zelf moeten regelen."),
    _c(
        "digitaal-spreekuur-baarsjes",
        "rachid",
        "Hoe gaan jullie om met privacy als iemand inlogt met DigiD?",
        (
            "ingrid",
            "De vrijwilliger kijkt mee, maar de bewoner typt zelf. We bewaren geen "
            "gegevens en vrijwilligers tekenen een geheimhoudingsverklaring.",
        ),
    ),
    _c(
        "gesprekken-herinrichting-postjesweg",
        "ayse",
        "Het stadsdeel organiseert zelf ook avonden. Wat voegt dit toe?",
        (
            "mohamed",
            "Bij hun avonden komen vooral dezelfde mensen. Wij gaan ook naar de moskee, de school en de winkels.",
        ),
    ),
    _c("fietswerkplaats-jongeren", "priya", "Top! Jongeren leren een vak en de buurt heeft er ook iets aan."),
    _c(
        "fietswerkplaats-jongeren",
        "sanne",
        "Is de huur van een winkelruimte niet te duur? Misschien kan het in een schoolgebouw.",
        (
            "mohamed",
            "We hebben naar scholen gekeken, maar daar mogen we alleen 's avonds in. Deze eigenaar geeft korting.",
        ),
    ),
    _c(
        "buitensport-vrouwen-chassepark",
        "ingrid",
        "Ik ben 67. Kan ik ook meedoen?",
        ("ayse", "Natuurlijk! De trainer past de oefeningen aan. Er doen al vrouwen van boven de zeventig mee."),
    ),
    _c(
        "buitensport-vrouwen-chassepark",
        "daan",
        "Waarom alleen voor vrouwen?",
        (
            "ayse",
            "Veel vrouwen uit de buurt sporten niet als er mannen bij zijn. Voor hen "
            "is dit een eerste stap. Er zijn genoeg gemengde groepen.",
        ),
    ),
    _c(
        "creatieve-dagbesteding-dementie",
        "sanne",
        "Wordt dit betaald vanuit de Wmo? Dan is geld uit het wijkfonds misschien niet nodig.",
        (
            "ingrid",
            "Voor de Wmo heb je een indicatie nodig. Veel ouderen met beginnende "
            "dementie hebben die nog niet. Voor hen is dit bedoeld.",
        ),
    ),
    _c(
        "meertalige-wijkkrant-baarsjes", "lucia", "Papier is duur en slecht voor het milieu. Waarom niet alleen online?"
    ),
    _c(
        "meertalige-wijkkrant-baarsjes",
        "ingrid",
        "Mijn buren van boven de tachtig lezen alleen wat in de brievenbus valt. Papier is voor hen echt nodig.",
    ),
    _c(
        "woonspreekuur-huurders-baarsjes",
        "joost",
        "De Huurteams doen dit al in heel Amsterdam. Werken jullie met hen samen?",
        ("ingrid", "Ja, het Huurteam komt twee keer per maand naar ons spreekuur. Wij zijn de laagdrempelige ingang."),
    ),
    _c(
        "koken-met-restjes-ten-katemarkt",
        "lucia",
        "Ik sta op de markt en gooi elke zaterdag kratten groente weg. Ik doe mee!",
    ),
    _c(
        "koken-met-restjes-ten-katemarkt",
        "priya",
        "Hoe zit het met de voedselveiligheid?",
        (
            "sanne",
            "De kok heeft een hygiënediploma en we koelen alles meteen. Wat na twee "
            "dagen niet op is, gaat naar de compost.",
        ),
    ),
    _c(
        "buurtkamer-jan-pieter-heijestraat",
        "sanne",
        "Hier is echt behoefte aan. Er is in deze straat nergens een plek om gewoon te zitten zonder iets te kopen.",
    ),
    _c(
        "buurtkamer-jan-pieter-heijestraat",
        "mohamed",
        "Wat gebeurt er als de eigenaar na een jaar de huur verhoogt?",
        ("joost", "We proberen een contract voor drie jaar te krijgen. Het stadsdeel heeft beloofd mee te praten."),
    ),
    _c(
        "buurtkamer-jan-pieter-heijestraat",
        "lucia",
        "Kan er ook huiswerkbegeleiding komen voor kinderen uit de Kinkerbuurt?",
    ),
    _c("schaken-bellamyplein", "kwame", "Klein bedrag, groot plezier. Mooi plan."),
    _c(
        "open-podium-de-hallen",
        "joost",
        "De Hallen is vooral voor toeristen. Komen buren daar wel?",
        ("lucia", "Daarom vragen we geen entree en maken we reclame in de buurthuizen en op de markt."),
    ),
    _c(
        "respijtzorg-mantelzorgers-oud-west",
        "rachid",
        "Misschien kunnen de vrijwilligers ook naar Bos en Lommer komen? Daar is dit ook nodig.",
    ),
    _c(
        "boodschappenmaatjes-kinkerstraat",
        "marieke",
        "Goed dat jullie samen gaan in plaats van bezorgen. Zo blijven mensen in beweging.",
    ),
    _c(
        "computerles-65-plus",
        "ingrid",
        "Kunnen de lessen ook in het Papiaments of Sranantongo? Mijn tante spreekt slecht Nederlands.",
    ),
    _c(
        "deelkast-gereedschap",
        "ayse",
        "Wie is verantwoordelijk als iets kapot gaat?",
        (
            "joost",
            "Je tekent bij het eerste lenen een eenvoudige afspraak. Kleine schade "
            "betalen we uit het onderhoudsbudget.",
        ),
    ),
    _c(
        "vrijwilligerscoordinator-oud-west",
        "daan",
        "Ik begrijp het idee, maar het is vooral salaris. Ik zie liever geld naar activiteiten gaan.",
    ),
    _c("luisteravonden-eenzaamheid", "priya", "Belangrijk onderwerp. Veel jonge mensen praten er niet over."),
    _c(
        "wandelgroep-westerpark",
        "priya",
        "Mijn moeder loopt met een rollator. Is de route daar geschikt voor?",
        ("marieke", "Ja, we lopen alleen over verharde paden en er zijn veel bankjes."),
    ),
    _c(
        "huiskamer-spaarndammerbuurt",
        "daan",
        "Eindelijk! Sinds het buurthuis dicht is, is de buurt veel stiller geworden.",
    ),
    _c(
        "huiskamer-spaarndammerbuurt",
        "joost",
        "42.000 euro is bijna het hele budget van een gebied. Kan het ook kleiner beginnen?",
        (
            "priya",
            "We kunnen beginnen met drie dagen open in plaats van vijf. Dan is het "
            "ongeveer 30.000 euro. Dat zetten we in de toelichting.",
        ),
        ("marieke", "Ik zou het jammer vinden. Juist een vaste plek die elke dag open is, maakt het verschil."),
    ),
    _c(
        "boodschappenrit-staatsliedenbuurt",
        "kwame",
        "In Bos en Lommer hebben we een vergelijkbaar plan. Laten we ervaringen delen.",
    ),
    _c(
        "maaltijd-aan-huis-herstel",
        "sanne",
        "Hoe weten jullie wie er net uit het ziekenhuis komt?",
        ("priya", "Mensen melden zich zelf of via de huisarts, de buurtzuster of een buur."),
    ),
    _c(
        "energiecoaches-westerpark",
        "marieke",
        "Een energiecoach kwam bij ons langs. Onze rekening is twintig euro per maand lager.",
    ),
    _c(
        "energiecoaches-westerpark",
        "lucia",
        "Moet de woningcorporatie dit niet betalen? Het gaat om hun woningen.",
        ("daan", "Isoleren is hun taak, en daar blijven we op drukken. Maar dat duurt jaren. Dit helpt bewoners nu."),
    ),
    _c("jongeren-en-politie-in-gesprek", "rachid", "Goed idee, maar zorg dat de jongeren zelf de onderwerpen kiezen."),
    _c(
        "buurtplatform-westerpark",
        "priya",
        "Er zijn al zoveel apps. Waarom nog een website?",
        (
            "marieke",
            "Het is geen nieuwe app, maar één overzicht van wat er al is. En we "
            "drukken een agenda voor wie niet online is.",
        ),
    ),
    _c(
        "informatiepunt-samen-wonen",
        "ingrid",
        "Interessant. Wordt de huurtoeslag van de oudere dan niet lager?",
        ("marieke", "Dat hangt van de situatie af. Dat is precies waarom we juridisch advies in het plan hebben."),
    ),
    _c("houtwerkplaats-dagbesteding", "fatima", "Mooie bankjes voor de buurt én een zinvolle dag. Dit steun ik."),
    _c(
        "winterfeest-hugo-de-grootplein",
        "marieke",
        "Lief idee. Is de soep ook vegetarisch en halal?",
        ("daan", "Ja, we maken twee soorten soep, allebei zonder vlees."),
    ),
)
