"""Ballots: who votes where, the rules of a ballot, casting and changing it, receipts.

Secrecy: nothing here records who chose what beyond the Ballot row itself. Audit events
carry the round, district and version only, and no actor (an actor id next to a timestamp
would let anyone with the log and the ballot table link a person to a ballot).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ARRAY, Integer, and_, any_, bindparam, delete, insert, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from wijkfonds.common.money import euro
from wijkfonds.common.numbers import MAX_INT
from wijkfonds.common.timeutil import utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.database.hot import HotStatement, on_postgresql
from wijkfonds.extensions import db
from wijkfonds.models import (
    Ballot,
    BallotItem,
    BallotKind,
    DistrictBudget,
    Initiative,
    Phase,
    Receipt,
    Round,
    Status,
    User,
    Voter,
    VotingCode,
)
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import DomainError, NotAllowed, ValidationFailed
from wijkfonds.services.voting.snapshots import Option, VotingRound

_I = Initiative.__table__
_V = Voter.__table__
_B = Ballot.__table__
_BI = BallotItem.__table__
_RC = Receipt.__table__
_DB = DistrictBudget.__table__
_R = Round.__table__

RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 12
MAX_ITEMS = 500  # more ticks than any ballot has options: refuse before touching the database
MAX_ID = MAX_INT  # the largest id an INTEGER column holds


# The model or its snapshot: both carry the rules, the dates and phase().
RoundRules = Round | VotingRound
# Round.voter_access: who may vote online.
VOTER_ACCESS_CODE = "code"  # the code from the letter (an account may bind it once)
VOTER_ACCESS_ACCOUNT = "account"  # accounts with a confirmed e-mail address; no letters
VOTER_ACCESS = (VOTER_ACCESS_CODE, VOTER_ACCESS_ACCOUNT)


def voting_closed() -> DomainError:
    """The error (409) for a ballot outside the voting period."""
    return DomainError(
        _("Stemmen kan alleen in de stemperiode. Op dit moment kan er in deze ronde niet gestemd worden.")
    )


def require_voting(rnd: RoundRules) -> None:
    """Raise (409) unless the round is in its voting phase."""
    if rnd.phase() != Phase.VOTING:
        raise voting_closed()


def account_voter(rnd: RoundRules, user: User, *, create: bool, lock: bool = False) -> Voter | None:
    """The Voter row of an account in this round.

    In a round with letter codes (``voter_access`` "code") an account votes only as the
    voter of the one code it bound (codes.bind); it never gets a voter of its own, so a
    resident with a letter and an account cannot vote twice. In a round without letters
    ("account") the voter is created on the first vote when ``create``, for an account
    with a confirmed e-mail address.
    """
    query = select(Voter).where(Voter.round_id == rnd.id, Voter.user_id == user.id)
    voter = db.session.scalars(query.with_for_update() if lock else query).first()
    if voter is not None or rnd.voter_access == VOTER_ACCESS_CODE:
        return voter
    if user.district_id is None:
        raise no_district()
    if create:
        if user.email_confirmed_at is None:
            raise NotAllowed(_("Bevestig eerst uw e-mailadres. Daarna kunt u in deze ronde stemmen met uw account."))
        voter = Voter(round_id=rnd.id, district_id=user.district_id, user_id=user.id)
        db.session.add(voter)
        db.session.flush()
    return voter


def no_district() -> NotAllowed:
    """The error for an account without a district (it has no ballot to open)."""
    return NotAllowed(_("Uw account hoort niet bij een gebied. Alleen bewoners met een gebied kunnen stemmen."))


def access_ended() -> NotAllowed:
    """The error for a code session that was ended ("Klaar") or replaced."""
    return NotAllowed(
        _("Uw toegang met deze stemcode is beëindigd. Vul de code uit uw brief opnieuw in om verder te gaan.")
    )


@dataclass(frozen=True)
class Tally:
    """What a set of ticks (or points, or ranks) adds up to, for the meter and the rules."""

    kind: str
    budget: int
    spent: int
    count: int
    min_spend: int
    approval_min: int
    approval_max: int | None
    points_total: int = 0  # a points ballot's N
    points_used: int = 0
    points_min_plans: int = 1  # a points ballot's k
    points_max_per_plan: int | None = None
    ranked_max: int = 0  # a ranked ballot's k

    @property
    def left(self) -> int:
        """Budget left (negative when over)."""
        return self.budget - self.spent

    @property
    def points_left(self) -> int:
        """Points still to give on a points ballot (negative when over)."""
        return self.points_total - self.points_used

    @property
    def ok(self) -> bool:
        """True when this selection may be submitted."""
        if self.count < 1:
            return False
        if self.kind == BallotKind.APPROVAL.value:
            return self.count >= self.approval_min and (self.approval_max is None or self.count <= self.approval_max)
        if self.kind == BallotKind.POINTS.value:
            return self.points_used <= self.points_total and self.count >= self.points_min_plans
        if self.kind == BallotKind.RANKED.value:
            return self.count <= self.ranked_max
        return self.spent <= self.budget and self.spent >= self.min_spend


def tally(rnd: RoundRules, budget: int, chosen: Sequence[Option], points: Mapping[int, int] | None = None) -> Tally:
    """Sum the chosen initiatives against the district's budget and the round's rules.

    ``points``: a points ballot's points per chosen initiative.
    """
    return Tally(
        rnd.ballot_kind,
        budget,
        sum(i.cost for i in chosen),
        len(chosen),
        rnd.knapsack_min_spend,
        rnd.approval_min,
        rnd.approval_max,
        rnd.points_total,
        sum(points.get(i.id, 0) for i in chosen) if points else 0,
        rnd.points_min_plans,
        rnd.points_max_per_plan,
        rnd.ranked_max,
    )


def _parse_ids(raw_ids: list[str]) -> tuple[list[int | None], list[tuple[str | None, str]]]:
    """The submitted ids as numbers (None where one is not a number), and the errors so far."""
    if len(raw_ids) > MAX_ITEMS:
        raise ValidationFailed([("initiatives", _("Dit stembiljet heeft te veel plannen."))])
    errors: list[tuple[str | None, str]] = []
    ids: list[int | None] = []
    for raw in raw_ids:
        try:
            ids.append(int(str(raw).strip()))
        except ValueError:
            ids.append(None)
            errors.append(("initiatives", _("Een gekozen plan bestaat niet (%(id)s).", id=str(raw)[:20])))
    return ids, errors


def _lookup_ids(ids: list[int | None]) -> list[int]:
    """The ids worth looking up: others cannot exist (and PostgreSQL would refuse them)."""
    return sorted({i for i in ids if i is not None and 0 < i <= MAX_ID})


def _whole(text: str) -> int | None:
    """A whole number typed on a ballot (a sign allowed, so that -3 gets its own message), else None."""
    digits = text[1:] if text[:1] == "-" else text
    if not digits.isascii() or not digits.isdigit() or len(digits) > 11:
        return None
    return int(text)


def _parse_ranked(
    raw_ids: list[str], raw_ranks: list[str], ranked_max: int
) -> tuple[list[str], list[tuple[str | None, str]]]:
    """A ranked ballot's (plan, place) pairs: the plans in order of their place, and the errors.

    A blank place means the plan is not ranked. Places run 1, 2, ... without a gap, one plan
    each, at most ``ranked_max``.
    """
    if len(raw_ids) > MAX_ITEMS or len(raw_ranks) != len(raw_ids):
        raise ValidationFailed([("initiatives", _("Dit stembiljet heeft te veel plannen."))])
    errors: list[tuple[str | None, str]] = []
    at: dict[int, list[str]] = {}
    for raw_id, raw in zip(raw_ids, raw_ranks, strict=True):
        text = str(raw).strip()
        if not text:
            continue
        rank = _whole(text)
        if rank is None or not 1 <= rank <= ranked_max:
            errors.append(
                (
                    "initiatives",
                    _("Kies voor elk plan een plaats van 1 tot en met %(k)s, of geen.", k=ranked_max),
                )
            )
            continue
        at.setdefault(rank, []).append(str(raw_id).strip())
    for rank in sorted(at):
        if len(at[rank]) > 1:
            errors.append(
                (
                    "initiatives",
                    _(
                        "U zette %(n)s plannen op plaats %(rank)s. Zet op elke plaats één plan.",
                        n=len(at[rank]),
                        rank=rank,
                    ),
                )
            )
    gaps = [r for r in range(1, max(at, default=0)) if r not in at]
    if gaps:
        errors.append(
            (
                "initiatives",
                _(
                    "Plaats %(rank)s is leeg, maar een latere plaats niet. Zet de plannen op volgorde vanaf 1, zonder gat.",
                    rank=gaps[0],
                ),
            )
        )
    return [pid for rank in sorted(at) for pid in at[rank]], errors


def _parse_points(
    raw_ids: list[str], raw_points: list[str]
) -> tuple[list[str], dict[str, int], list[tuple[str | None, str]]]:
    """A points ballot's (plan, points) pairs: the plans given points, their points, and the errors.

    A blank or 0 means the plan gets no points (it is not on the ballot).
    """
    if len(raw_ids) > MAX_ITEMS or len(raw_points) != len(raw_ids):
        raise ValidationFailed([("initiatives", _("Dit stembiljet heeft te veel plannen."))])
    errors: list[tuple[str | None, str]] = []
    ids: list[str] = []
    points: dict[str, int] = {}
    for raw_id, raw in zip(raw_ids, raw_points, strict=True):
        text = str(raw).strip()
        if not text:
            continue
        value = _whole(text)
        if value is None:
            errors.append(
                ("initiatives", _("‘%(value)s’ is geen aantal punten. Vul hele getallen in.", value=text[:20]))
            )
        elif value < 0:
            errors.append(("initiatives", _("Punten kunnen niet negatief zijn (%(value)s).", value=value)))
        elif value > MAX_INT:
            errors.append(("initiatives", _("Dat zijn te veel punten (%(value)s).", value=value)))
        elif value > 0:
            key = str(raw_id).strip()
            ids.append(key)  # a plan named twice is refused by check_choices
            points[key] = points.get(key, 0) + value
    return ids, points, errors


def _kind_errors(t: Tally) -> list[tuple[str | None, str]]:
    """The rules of points and ranked ballots that a tally breaks."""
    errors: list[tuple[str | None, str]] = []
    if t.kind == BallotKind.POINTS.value:
        if t.points_used > t.points_total:
            errors.append(
                (
                    "initiatives",
                    _(
                        "U gaf %(n)s punten, maar u mag er hoogstens %(total)s verdelen. Haal %(over)s punten weg.",
                        n=t.points_used,
                        total=t.points_total,
                        over=t.points_used - t.points_total,
                    ),
                )
            )
        if t.count < t.points_min_plans:
            errors.append(
                (
                    "initiatives",
                    _(
                        "Verdeel uw punten over minstens %(k)s plannen. U gaf punten aan %(n)s.",
                        k=t.points_min_plans,
                        n=t.count,
                    ),
                )
            )
    return errors


def check_choices(  # noqa: PLR0912  # every rule in one pass over the ticks: the busiest check of election night
    rnd: RoundRules,
    district_id: int,
    budget: int,
    ids: list[int | None],
    *,
    errors: list[tuple[str | None, str]],
    found: dict[int, _Found],
    points: Mapping[int, int] | None = None,
) -> list[Option]:
    """Resolve parsed ids (see _parse_ids) into ballot options; raise ValidationFailed on any rule broken.

    ``found`` maps the ids that exist to their initiative's id, round_id, district_id,
    status, title, summary, requested_cost and estimated_cost; ``points`` a points ballot's
    points per id.
    """
    errors = list(errors)
    seen: set[int] = set()
    chosen: list[Option] = []
    for iid in ids:
        if iid is None:
            continue
        ini = found.get(iid)
        if ini is None or ini.round_id != rnd.id:
            errors.append(("initiatives", _("Een gekozen plan bestaat niet in deze ronde (nummer %(id)s).", id=iid)))
        elif iid in seen:
            twice = (
                _("U zette het plan ‘%(title)s’ op twee plaatsen. Zet elk plan op één plaats.", title=ini.title)
                if rnd.ballot_kind == BallotKind.RANKED.value
                else _("U heeft het plan ‘%(title)s’ twee keer gekozen. Kies elk plan één keer.", title=ini.title)
            )
            errors.append(("initiatives", twice))
        elif ini.district_id != district_id:
            errors.append(
                (
                    "initiatives",
                    _(
                        "Het plan ‘%(title)s’ hoort bij een ander gebied. U kunt alleen stemmen op plannen in uw eigen gebied.",
                        title=ini.title,
                    ),
                )
            )
        elif ini.status != Status.FEASIBLE.value:
            errors.append(("initiatives", _("Het plan ‘%(title)s’ staat niet op de stemlijst.", title=ini.title)))
        elif points is not None and rnd.points_max_per_plan is not None and points[iid] > rnd.points_max_per_plan:
            errors.append(
                (
                    "initiatives",
                    _(
                        "U gaf het plan ‘%(title)s’ %(n)s punten; één plan mag er hoogstens %(m)s krijgen.",
                        title=ini.title,
                        n=points[iid],
                        m=rnd.points_max_per_plan,
                    ),
                )
            )
        else:
            chosen.append(Option(ini.id, ini.title, ini.summary, ini.requested_cost, ini.estimated_cost))
        seen.add(iid)
    if errors:
        raise ValidationFailed(errors)
    t = tally(rnd, budget, chosen, points)
    if rnd.ballot_kind in _POINTS_OR_RANKED:
        errors += _kind_errors(t)
        if t.count == 0 and not errors:
            errors.append(("initiatives", _("Kies minstens één plan.")))
    elif t.count == 0:
        errors.append(("initiatives", _("Kies minstens één plan.")))
    elif rnd.ballot_kind == BallotKind.APPROVAL.value:
        if t.approval_max is not None and t.count > t.approval_max:
            errors.append(
                (
                    "initiatives",
                    _("U mag hoogstens %(k)s plannen aankruisen. U koos er %(n)s.", k=t.approval_max, n=t.count),
                )
            )
        if t.count < t.approval_min:
            errors.append(
                ("initiatives", _("Kruis minstens %(m)s plannen aan. U koos er %(n)s.", m=t.approval_min, n=t.count))
            )
    elif t.spent > t.budget:
        errors.append(
            (
                "initiatives",
                _(
                    "Uw keuze kost %(spent)s, maar het budget van uw gebied is %(budget)s. Haal een of meer plannen weg.",
                    spent=euro(t.spent),
                    budget=euro(t.budget),
                ),
            )
        )
    elif t.spent < t.min_spend:
        errors.append(
            (
                "initiatives",
                _(
                    "Kies plannen voor samen minstens %(min)s. Uw keuze kost nu %(spent)s.",
                    min=euro(t.min_spend),
                    spent=euro(t.spent),
                ),
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return chosen


_POINTS_OR_RANKED = (BallotKind.POINTS.value, BallotKind.RANKED.value)


def check_district_field(voter_district_id: int, raw: str | None) -> None:
    """The ballot form names its district; a different one means the form was tampered with."""
    if raw is None or raw.strip() != str(voter_district_id):
        raise DomainError(
            _("Het gebied op het stembiljet klopt niet met uw gebied. Laad de pagina opnieuw en stem opnieuw."), 400
        )


def _receipt_code() -> str:
    # One draw from the operating system's randomness, written in the receipt alphabet
    # (uniform over all codes, like a choice per character, at a twelfth of the cost).
    n = secrets.randbelow(len(RECEIPT_ALPHABET) ** RECEIPT_LENGTH)
    chars = []
    for _position in range(RECEIPT_LENGTH):
        n, digit = divmod(n, len(RECEIPT_ALPHABET))
        chars.append(RECEIPT_ALPHABET[digit])
    return "".join(chars)


def receipt_hash(code: str) -> str:
    """SHA-256 of a normalised receipt code."""
    clean = "".join(ch for ch in code.upper() if ch not in " -\t\r\n")
    return hashlib.sha256(clean.encode("ascii", "replace")).hexdigest()


@dataclass(frozen=True)
class CastResult:
    """A stored ballot (id and version) and the receipt code shown once to the voter (None for paper)."""

    ballot_id: int
    version: int
    receipt: str | None


# The voter (locked), its district's budget, the round's voting period as it stands now,
# and the chosen initiatives (one row each; one row of NULLs when none is found). The
# initiatives cannot change during voting, so reading them with the lock costs nothing.
def _lock_voter(ids_match: Any) -> Any:
    return (
        select(
            _V.c.round_id,
            _V.c.district_id,
            _V.c.code_id,
            _V.c.access_version,
            _DB.c.amount,
            _R.c.voting_start,
            _R.c.results_start,
            _I.c.id.label("i_id"),
            _I.c.round_id.label("i_round_id"),
            _I.c.district_id.label("i_district_id"),
            _I.c.status.label("i_status"),
            _I.c.title.label("i_title"),
            _I.c.summary.label("i_summary"),
            _I.c.requested_cost.label("i_requested_cost"),
            _I.c.estimated_cost.label("i_estimated_cost"),
        )
        .select_from(
            _V.join(_R, _R.c.id == _V.c.round_id)
            .outerjoin(_DB, and_(_DB.c.round_id == _V.c.round_id, _DB.c.district_id == _V.c.district_id))
            .outerjoin(_I, ids_match)
        )
        .where(_V.c.id == bindparam("vid"))
        .with_for_update(of=_V)
    )


_LOCK_VOTER = HotStatement(
    _lock_voter(_I.c.id.in_(bindparam("ids", expanding=True))),
    postgresql=_lock_voter(_I.c.id == any_(bindparam("ids", type_=ARRAY(Integer)))),
)


@dataclass(frozen=True)
class _Found:
    """An initiative as _LOCK_VOTER found it (the fields check_choices reads)."""

    id: int
    round_id: int
    district_id: int
    status: str
    title: str
    summary: str
    requested_cost: int
    estimated_cost: int | None


# PostgreSQL stores a ballot in one statement. Its parts work on different rows, so running
# them side by side is safe: the ballot is created or its version raised; ticks no longer
# chosen are dropped and the chosen ones added (or moved); an online ballot's earlier
# receipts are marked superseded and its new receipt added (the UPDATE cannot see the new
# receipt: every part reads the data as it was when the statement began). The voter's row
# lock, taken first in a statement of its own, makes two submissions of one voter run one
# after the other, and this statement then starts after the earlier one committed.
_STORE_PG = HotStatement(
    text("""
WITH b AS (
    INSERT INTO ballot (round_id, voter_id, district_id, paper, version, first_cast_at, updated_at)
    VALUES (:round_id, :voter_id, :district_id, :paper, 1, :now, :now)
    ON CONFLICT (voter_id) DO UPDATE
        SET version = ballot.version + 1, updated_at = excluded.updated_at, paper = excluded.paper
    RETURNING id, version
), ticks AS (
    SELECT t.iid, t.ord - 1 AS position, t.pts
    FROM unnest(CAST(:iids AS INTEGER[]), CAST(:pts AS INTEGER[])) WITH ORDINALITY AS t(iid, pts, ord)
), dropped AS (
    DELETE FROM ballot_item
    WHERE ballot_id IN (SELECT id FROM b) AND initiative_id NOT IN (SELECT iid FROM ticks)
), added AS (
    INSERT INTO ballot_item (ballot_id, initiative_id, position, points)
    SELECT b.id, ticks.iid, ticks.position, ticks.pts FROM b, ticks
    ON CONFLICT (ballot_id, initiative_id) DO UPDATE SET position = excluded.position, points = excluded.points
), superseded AS (
    UPDATE receipt SET superseded_at = :now
    WHERE ballot_id IN (SELECT id FROM b) AND superseded_at IS NULL AND CAST(:code_hash AS VARCHAR) IS NOT NULL
), issued AS (
    INSERT INTO receipt (round_id, ballot_id, code_hash, created_at)
    SELECT :round_id, b.id, CAST(:code_hash AS VARCHAR), :now FROM b WHERE CAST(:code_hash AS VARCHAR) IS NOT NULL
), spent AS (
    UPDATE voting_code SET used_at = :now WHERE id = CAST(:code_id AS INTEGER) AND used_at IS NULL
)
SELECT id, version FROM b
""")
)

# Elsewhere (SQLite) the same steps one by one, under the write lock of BEGIN IMMEDIATE.
_NEW_BALLOT = sqlite_insert(_B)
_UPSERT_BALLOT = _NEW_BALLOT.on_conflict_do_update(
    index_elements=[_B.c.voter_id],
    set_={
        "version": _B.c.version + 1,
        "updated_at": _NEW_BALLOT.excluded.updated_at,
        "paper": _NEW_BALLOT.excluded.paper,
    },
).returning(_B.c.id, _B.c.version)
_DROP_ITEMS = delete(_BI).where(_BI.c.ballot_id == bindparam("bid"))
_ADD_ITEMS = insert(_BI)
_SUPERSEDE = (
    update(_RC)
    .where(_RC.c.ballot_id == bindparam("bid"), _RC.c.superseded_at.is_(None))
    .values(superseded_at=bindparam("now"))
)
_ADD_RECEIPT = insert(_RC)
_VC = VotingCode.__table__
_SPEND_CODE = update(_VC).where(_VC.c.id == bindparam("cid"), _VC.c.used_at.is_(None)).values(used_at=bindparam("now"))


def _store(
    round_id: int,
    voter_id: int,
    district_id: int,
    ids: list[int],
    points: list[int],
    *,
    paper: bool,
    now: datetime,
    code_id: int | None,
) -> tuple[int, int, str | None]:
    """Create or replace the voter's ballot with these ticks (in order, with their points): (ballot id, version, receipt code or None).

    A code voter's code counts as used from its first stored ballot (entering it spent nothing).
    """
    code = None if paper else _receipt_code()
    if on_postgresql():
        ballot_id, version = _STORE_PG.one(
            {
                "round_id": round_id,
                "voter_id": voter_id,
                "district_id": district_id,
                "paper": paper,
                "now": now,
                "iids": ids,
                "pts": points,
                "code_hash": receipt_hash(code) if code else None,
                "code_id": code_id,
            }
        )
        return ballot_id, version, code
    run = db.session.execute
    ballot_id, version = run(
        _UPSERT_BALLOT,
        {
            "round_id": round_id,
            "voter_id": voter_id,
            "district_id": district_id,
            "paper": paper,
            "version": 1,
            "first_cast_at": now,
            "updated_at": now,
        },
    ).one()
    if version > 1:
        run(_DROP_ITEMS, {"bid": ballot_id})
    elif code_id is not None:
        run(_SPEND_CODE, {"cid": code_id, "now": now})
    run(
        _ADD_ITEMS,
        [
            {"ballot_id": ballot_id, "initiative_id": iid, "position": pos, "points": pts}
            for pos, (iid, pts) in enumerate(zip(ids, points, strict=True))
        ],
    )
    if code is not None:
        if version > 1:
            run(_SUPERSEDE, {"bid": ballot_id, "now": now})
        run(
            _ADD_RECEIPT,
            {"round_id": round_id, "ballot_id": ballot_id, "code_hash": receipt_hash(code), "created_at": now},
        )
    return ballot_id, version, code


def cast(
    rnd: RoundRules,
    voter_id: int,
    raw_ids: list[str],
    *,
    marks: list[str] | None = None,
    paper: bool = False,
    actor: User | None = None,
    access_version: int | None = None,
) -> CastResult:
    """Store or replace the voter's ballot after checking every rule; the last one counts.

    The busiest write of election night, in as few statements as it takes: the voter row
    is locked and the chosen initiatives read in one (PostgreSQL; SQLite holds its write
    lock from BEGIN IMMEDIATE), so two submissions of one voter are applied one after the
    other; then _store writes the ballot, and the audit log gets its event.

    ``access_version`` is the code session's (None for accounts and paper): a session
    ended with "Klaar" no longer casts.

    On approval and budget ballots ``raw_ids`` are the ticked plans. On points and ranked
    ballots ``marks`` go with them, one each: a plan's points (blank or 0: none), or its
    place, 1 for the first choice (blank: not ranked).
    """
    require_voting(rnd)
    pre_errors: list[tuple[str | None, str]] = []
    given: dict[str, int] | None = None
    if rnd.ballot_kind == BallotKind.POINTS.value:
        raw_ids, given, pre_errors = _parse_points(raw_ids, marks or [])
    elif rnd.ballot_kind == BallotKind.RANKED.value:
        raw_ids, pre_errors = _parse_ranked(raw_ids, marks or [], rnd.ranked_max)
    ids, errors = _parse_ids(raw_ids)
    errors = pre_errors + errors
    rows = _LOCK_VOTER.all({"vid": voter_id, "ids": _lookup_ids(ids)})
    if not rows or rows[0].round_id != rnd.id:
        raise NotAllowed(_("U kunt in deze ronde niet stemmen."))
    voter = rows[0]
    if access_version is not None and voter.access_version != access_version:
        raise access_ended()
    now = utcnow()
    if not voter.voting_start <= now < voter.results_start:  # closed since ``rnd`` was read
        raise voting_closed()
    found = {
        r.i_id: _Found(
            r.i_id,
            r.i_round_id,
            r.i_district_id,
            r.i_status,
            r.i_title,
            r.i_summary,
            r.i_requested_cost,
            r.i_estimated_cost,
        )
        for r in rows
        if r.i_id is not None
    }
    points = None if given is None else {i: given[r] for i, r in zip(ids, raw_ids, strict=True) if i is not None}
    chosen = check_choices(rnd, voter.district_id, voter.amount or 0, ids, errors=errors, found=found, points=points)
    order, scores = _items(rnd, chosen, points)
    ballot_id, version, code = _store(
        rnd.id,
        voter_id,
        voter.district_id,
        order,
        scores,
        paper=paper,
        now=now,
        code_id=voter.code_id,
    )
    kind = "ballot.paper" if paper else ("ballot.cast" if version == 1 else "ballot.changed")
    audit.record(kind, actor=actor if paper else None, round_id=rnd.id, district_id=voter.district_id, version=version)
    return CastResult(ballot_id, version, code)


def _items(rnd: RoundRules, chosen: list[Option], points: Mapping[int, int] | None) -> tuple[list[int], list[int]]:
    """The ballot's items as stored: ids in order and their points.

    A ranked ballot keeps its order (position 0 is the first choice) and scores rank r with
    ``ranked_max - r + 1`` points (Kraków's 3-2-1 with k = 3; pabulib's ordinal convention
    with ``max_length`` = k); a points ballot stores each plan's points; others store 1.
    """
    if rnd.ballot_kind == BallotKind.RANKED.value:
        return [o.id for o in chosen], [rnd.ranked_max - k for k in range(len(chosen))]
    ids = sorted(o.id for o in chosen)
    return ids, [points[i] for i in ids] if points is not None else [1] * len(ids)


@dataclass(frozen=True)
class ReceiptStatus:
    """What a receipt says: 'counted', 'superseded' or 'unknown', with its round."""

    state: str
    round: Round | None = None
    issued_at: datetime | None = None


def check_receipt(code: str) -> ReceiptStatus:
    """Whether the ballot behind a receipt is the one that counts; never its contents."""
    row = db.session.scalars(select(Receipt).where(Receipt.code_hash == receipt_hash(code))).first()
    if row is None:
        return ReceiptStatus("unknown")
    rnd = db.session.get(Round, row.round_id)
    return ReceiptStatus("superseded" if row.superseded_at is not None else "counted", rnd, row.created_at)


# Not a HotStatement: it runs once per voter at most, and its SET is an expression that
# SQLAlchemy would fetch back (HotStatement refuses what it cannot fill in).
_END_ACCESS = (
    update(_V)
    .where(_V.c.id == bindparam("vid"), _V.c.code_id.is_not(None))
    .values(access_version=_V.c.access_version + 1)
)


def end_access(voter_id: int) -> None:
    """End every session opened with this voter's code so far ("Klaar"); entering the code again opens a new one."""
    db.session.execute(_END_ACCESS, {"vid": voter_id})
