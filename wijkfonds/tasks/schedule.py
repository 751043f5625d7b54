"""What runs in the background and when: one entry per task, shown to staff (``/beheer/achtergrond``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from wijkfonds.common.translation import LazyString
from wijkfonds.common.translation import lazy_gettext as _l
from wijkfonds.extensions import db
from wijkfonds.models import TaskRun


@dataclass(frozen=True)
class Entry:
    """A background task: its name, crontab, and what staff read about it."""

    name: str
    cron: dict[str, str]
    title: LazyString
    when: LazyString
    what: LazyString
    handled: LazyString  # with %(n)s: what the last run did


SEND_MAIL = Entry(
    "send_mail_due",
    {"minute": "*"},  # and again 30 s later: see tasks.mail
    _l("Mail versturen"),
    _l("elke 30 seconden, en meteen nadat een pagina mail klaarzette"),
    _l("Verstuurt de mail die in de uitgaande post klaarstaat."),
    _l("%(n)s berichten verstuurd"),
)
RECOVER_RUNS = Entry(
    "recover_runs",
    {"minute": "*"},
    _l("Onderbroken berekeningen hervatten"),
    _l("elke minuut, en bij elke start van de achtergrondverwerker"),
    _l(
        "Een toewijzingsberekening waarvan de verwerker stopte (herstart, crash) gaat opnieuw in de wachtrij; "
        "na de laatste poging wordt hij als mislukt getoond, met de reden."
    ),
    _l("%(n)s berekeningen opnieuw in de wachtrij"),
)
ANCHORS = Entry(
    "ensure_anchors",
    {"minute": "*/5"},
    _l("Ankers van het auditlogboek"),
    _l("elke 5 minuten"),
    _l("Publiceert de ondertekende ankers van het auditlogboek die aan de beurt zijn."),
    _l("%(n)s ankers gepubliceerd"),
)
RETENTION = Entry(
    "clean_up",
    {"minute": "*/15"},
    _l("Opruimen"),
    _l("elk kwartier"),
    _l(
        "Verwijdert de pogingen die de limieten tellen (inloggen, stemcodes, meldingen: met IP-adres of "
        "e-mailadres) zodra ze ouder zijn dan het langste venster van die limieten. Sessies van stemmers met "
        "een code worden niet op de server bewaard: ze staan in de cookie, en 'Klaar' beëindigt ze op de server."
    ),
    _l("%(n)s oude pogingen verwijderd"),
)
NOTICES = Entry(
    "notify_due",
    {"minute": "*/5"},
    _l("Meldingen: het stemmen is open"),
    _l("elke 5 minuten"),
    _l("Meldt bewoners die dat willen dat het stemmen in hun gebied open is, één keer per ronde en gebied."),
    _l("%(n)s meldingen klaargezet"),
)
DIGESTS = Entry(
    "send_digests",
    {"minute": "3"},
    _l("Dagelijkse samenvatting"),
    _l("elk uur (verstuurd vanaf het ingestelde uur, één keer per dag)"),
    _l("Zet voor bewoners die één mail per dag willen hun samenvatting klaar."),
    _l("%(n)s samenvattingen klaargezet"),
)
IMPLEMENTATION_REMINDERS = Entry(
    "remind_initiators",
    {"minute": "17"},
    _l("Herinneringen over de uitvoering"),
    _l("elk uur"),
    _l(
        "Herinnert indieners van gefinancierde plannen aan een bericht over de voortgang of aan hun "
        "verantwoording als die te laat is, hoogstens één keer per periode per plan."
    ),
    _l("%(n)s herinneringen klaargezet"),
)
SCHEDULE = (SEND_MAIL, RECOVER_RUNS, ANCHORS, RETENTION, NOTICES, DIGESTS, IMPLEMENTATION_REMINDERS)


def overview() -> list[tuple[Entry, TaskRun | None]]:
    """Every scheduled task with its last recorded run (None: it never ran here)."""
    runs = {r.name: r for r in db.session.scalars(select(TaskRun))}
    return [(entry, runs.get(entry.name)) for entry in SCHEDULE]
