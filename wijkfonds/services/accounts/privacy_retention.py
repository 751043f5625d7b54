"""Retention (AVG): personal data that is no longer needed is removed on a schedule.

Each function is idempotent (a second run removes nothing more), takes ``now`` so that a
test or a late run decides as the schedule would have, flushes, and returns how many rows
it changed; the caller (a periodic task of the queue, or a test) commits. The schedule of
each is in its docstring; ``rules(config)`` lists every kind of data with its retention for
the privacy page (public: residents and staff read the same list).

The mail outbox has its own: ``services.mail.outbox.purge_sent`` (MAIL_RETENTION_DAYS).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import delete, exists, select, update
from sqlalchemy.engine import CursorResult

from wijkfonds.common.timeutil import utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import AllocationRun, Ballot, RateEvent, Report, Round, Voter


def _rows(result: Any) -> int:
    return int(cast("CursorResult[Any]", result).rowcount or 0)


def longest_rate_window(config: Mapping[str, Any]) -> int:
    """The longest window (seconds) of any configured rate limit: records younger than it still count."""
    windows = [0]
    for key, value in config.items():
        # Every configured rate limit: ``*_RATE_LIMIT`` = (attempts, seconds), ``*_RATE_LIMITS`` a tuple of them.
        if not (key.endswith("_RATE_LIMIT") or key.endswith("_RATE_LIMITS")) or not value:
            continue
        limits = value if isinstance(value[0], (tuple, list)) else (value,)
        windows += [int(seconds) for _attempts, seconds in limits]
    return max(windows)


def rate_event_retention(config: Mapping[str, Any]) -> timedelta:
    """How long counted attempts are kept: RATE_EVENT_RETENTION_HOURS, never less than a limit still counts."""
    hours = timedelta(hours=int(config["RATE_EVENT_RETENTION_HOURS"]))
    return max(hours, timedelta(seconds=longest_rate_window(config)))


def purge_rate_events(config: Mapping[str, Any], now: datetime | None = None) -> int:
    """Delete counted attempts (internet addresses, address digests) older than their retention.

    Schedule: every quarter of an hour (task ``clean_up``). A record is needed only while a
    limit counts it (the longest window is an hour); RATE_EVENT_RETENTION_HOURS (1) is what
    the privacy page promises, raised to the longest window when it is shorter.
    """
    cutoff = (now or utcnow()) - rate_event_retention(config)
    return _rows(db.session.execute(delete(RateEvent).where(RateEvent.at < cutoff)))


def _published_rounds(now: datetime, after: timedelta) -> Any:
    """Ids of rounds whose voting is over and whose result was published at least ``after`` ago."""
    return (
        select(AllocationRun.round_id)
        .join(Round, Round.id == AllocationRun.round_id)
        .where(
            AllocationRun.published_at.is_not(None),
            AllocationRun.published_at <= now - after,
            Round.results_start <= now,
        )
    )


def purge_unused_voters(now: datetime | None = None) -> int:
    """Delete voters that never stored a ballot, in rounds whose result is published.

    Schedule: daily. A code entered without a ballot (or an account bound to a code and
    never used) counts for nothing, and once the result is out it can no longer become a
    ballot; the row only says that someone opened a ballot, or which account holds a code.
    The codes themselves (hashes) stay, for the audit.
    """
    moment = now or utcnow()
    has_ballot = exists().where(Ballot.voter_id == Voter.id)
    return _rows(
        db.session.execute(
            delete(Voter).where(Voter.round_id.in_(_published_rounds(moment, timedelta(0))), ~has_ballot)
        )
    )


def unlink_voters(config: Mapping[str, Any], now: datetime | None = None) -> int:
    """Empty the account of every voter of a round whose result was published VOTER_LINK_RETENTION_DAYS ago.

    Schedule: daily. While voting runs the link stops an account from voting twice; after
    the result, during the six weeks in which an objection can be made, it can show who
    was a voter. After that nothing needs to know which account's voter cast a ballot; the
    ballots stay counted, their receipts and the commitment keep working.
    """
    moment = now or utcnow()
    after = timedelta(days=int(config["VOTER_LINK_RETENTION_DAYS"]))
    return _rows(
        db.session.execute(
            update(Voter)
            .where(Voter.user_id.is_not(None), Voter.round_id.in_(_published_rounds(moment, after)))
            .values(user_id=None)
        )
    )


def forget_reporters(config: Mapping[str, Any], now: datetime | None = None) -> int:
    """Forget who made a resolved report older than REPORT_RETENTION_DAYS (the report itself stays).

    Schedule: daily. Who reported matters while moderators handle it (and against someone
    reporting everything); a year later only the reason still tells moderators something.
    """
    cutoff = (now or utcnow()) - timedelta(days=int(config["REPORT_RETENTION_DAYS"]))
    return _rows(
        db.session.execute(
            update(Report)
            .where(Report.resolved.is_(True), Report.reporter_id.is_not(None), Report.created_at < cutoff)
            .values(reporter_id=None)
        )
    )


def run_all(config: Mapping[str, Any], now: datetime | None = None) -> dict[str, int]:
    """Every retention step above once, for the daily task; {step: rows changed}."""
    moment = now or utcnow()
    return {
        "purge_rate_events": purge_rate_events(config, moment),
        "purge_unused_voters": purge_unused_voters(moment),
        "unlink_voters": unlink_voters(config, moment),
        "forget_reporters": forget_reporters(config, moment),
    }


@dataclass(frozen=True)
class Rule:
    """One kind of data on the privacy page: how long it is kept, and what removes it."""

    data: str
    kept: str
    how: str


def rules(config: Mapping[str, Any]) -> list[Rule]:
    """Every kind of personal data with its retention, in the reader's language, numbers from ``config``."""
    rate_hours = int(rate_event_retention(config).total_seconds() // 3600)
    daily = _("elke dag, automatisch")
    return [
        Rule(
            _("Account (e-mailadres, naam, gebied, wachtwoord-hash)"),
            _("tot u het account verwijdert"),
            _("u zelf, op de pagina Mijn gegevens; het e-mailadres verdwijnt dan meteen"),
        ),
        Rule(
            _("Plannen, reacties en voorgestelde thema's"),
            _("zolang het platform de rondes toont: ze horen bij het openbare verslag van een ronde"),
            _("na verwijdering van uw account staan ze er zonder naam, als ‘verwijderd account’"),
        ),
        Rule(
            _("Steun voor plannen en thema's"),
            _("zolang de ronde bestaat"),
            _("verwijderd met uw account zolang het stemmen niet begonnen is; daarna telt de steun naamloos mee"),
        ),
        Rule(
            _("Koppeling van uw account aan een stemcode of kiezer"),
            _("tot %(days)d dagen na de bekendmaking van de uitslag", days=int(config["VOTER_LINK_RETENTION_DAYS"])),
            daily,
        ),
        Rule(
            _("Ingevoerde stemcodes zonder stembiljet"),
            _("tot de bekendmaking van de uitslag"),
            daily,
        ),
        Rule(
            _("Stembiljetten (zonder naam) en hashes van stemcodes en ontvangstbewijzen"),
            _("zolang de ronde bestaat, zodat iedereen de uitslag kan narekenen"),
            _("nooit aan een persoon gekoppeld"),
        ),
        Rule(
            _("Getelde pogingen (internetadressen, hashes van e-mailadressen)"),
            _("%(hours)d uur", hours=rate_hours),
            _("elk uur, automatisch"),
        ),
        Rule(
            _("Wie een reactie meldde"),
            _("%(days)d dagen na de melding, als die is afgehandeld", days=int(config["REPORT_RETENTION_DAYS"])),
            daily,
        ),
        Rule(
            _("Verstuurde en mislukte e-mail (met uw adres)"),
            _("%(days)d dagen", days=int(config["MAIL_RETENTION_DAYS"])),
            daily,
        ),
        Rule(
            _("Controlelogboek (soort, tijd en accountnummer van elke handeling, nooit een e-mailadres)"),
            _("zolang het platform bestaat: het logboek is een keten die niet kan worden ingekort"),
            _("niet verwijderd; na verwijdering van uw account wijst het nummer naar een leeg account"),
        ),
        Rule(
            _("Back-ups van de database"),
            _("%(days)d dagen", days=int(config["BACKUP_RETENTION_DAYS"])),
            _("de beheerder van het platform verwijdert oudere back-ups"),
        ),
    ]
