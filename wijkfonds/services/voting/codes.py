"""Voting codes (stemcodes): generation in batches, and redeeming a code for a pseudonymous voter.

Only a SHA-256 hash of each normalised code is stored. We deliberately use a plain hash and
not an HMAC keyed with SECRET_KEY: the key may change between deployments, which would make
every code sent by letter useless. Plain hashing is safe here because a code is 10 symbols
from a 31-symbol alphabet (31**10, about 2**49.5 possibilities) generated with ``secrets``:
with entry rate limited per IP, online guessing is hopeless, and even someone holding the
database cannot feasibly invert 2**49 hashes for every code of a round before it closes.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import DateTime, Integer, bindparam, exists, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from wijkfonds.common.timeutil import utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.database.hot import HotStatement, on_postgresql
from wijkfonds.extensions import db
from wijkfonds.models import CodeBatch, District, Phase, RateEvent, Round, User, Voter, VotingCode
from wijkfonds.services import ratelimit
from wijkfonds.services.accounts import confirmation
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import DomainError, ValidationFailed
from wijkfonds.services.voting.snapshots import VotingRound

# No 0/O, 1/I/L: nothing that looks like something else on a printed letter.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
MAX_BATCH = 100_000
CODE_BUCKET = "voting_code"
STAFF_CODE_BUCKET = "voting_code_staff"


def normalise(raw: str) -> str:
    """Upper case without spaces or dashes, as people type codes from a letter."""
    return "".join(ch for ch in raw.upper() if ch not in " -\t\r\n")


def hash_code(code: str) -> str:
    """SHA-256 (hex) of the normalised code: the only form in which a code is stored."""
    return hashlib.sha256(normalise(code).encode("ascii", "replace")).hexdigest()


def new_code() -> str:
    """A fresh random code of CODE_LENGTH symbols from ALPHABET (uniform, from ``secrets``)."""
    # Bytes below 248 (= 8 * 31) map uniformly onto the alphabet; the rest are dropped.
    # One urandom call per code instead of ten secrets.choice calls: 100,000 codes in ~0.3 s.
    symbols: list[str] = []
    while len(symbols) < CODE_LENGTH:
        symbols += [ALPHABET[b % 31] for b in secrets.token_bytes(16) if b < 248]
    return "".join(symbols[:CODE_LENGTH])


def pretty(code: str) -> str:
    """The code in groups for letters: 'ABCDE-FGHJK'."""
    return f"{code[:5]}-{code[5:]}"


@dataclass(frozen=True)
class GeneratedBatch:
    """A new batch with its clear codes; the codes exist only in this object."""

    batch: CodeBatch
    district: District
    codes: list[str]


def check_generate(rnd: Round, district_id: int, count: int) -> District:
    """The district, when ``count`` codes can be made for it now; ValidationFailed/DomainError otherwise."""
    errors: list[tuple[str | None, str]] = []
    district = db.session.get(District, district_id)
    if district is None or not district.active:
        errors.append(("district", _("Kies een bestaand gebied.")))
    if not 1 <= count <= MAX_BATCH:
        errors.append(("count", _("Kies een aantal van 1 tot en met %(max)s.", max=f"{MAX_BATCH:,}".replace(",", "."))))
    if errors or district is None:  # no district means an error above
        raise ValidationFailed(errors)
    if rnd.phase() == Phase.RESULTS:
        raise DomainError(_("De stemperiode van deze ronde is voorbij; nieuwe stemcodes zijn niet meer nodig."))
    return district


def generate(rnd: Round, district_id: int, count: int, *, actor: User, fmt: str) -> GeneratedBatch:
    """Create ``count`` codes for one district; the clear codes are returned once, never stored."""
    district = check_generate(rnd, district_id, count)
    batch = CodeBatch(
        round_id=rnd.id, district_id=district_id, size=count, created_by_id=actor.id, downloaded_at=utcnow()
    )
    db.session.add(batch)
    db.session.flush()
    codes: list[str] = []
    hashes: set[str] = set()
    while len(codes) < count:
        code = new_code()
        h = hash_code(code)
        if h not in hashes:  # a collision within a batch is astronomically unlikely, but cheap to rule out
            hashes.add(h)
            codes.append(code)
    rows = [{"round_id": rnd.id, "district_id": district_id, "batch_id": batch.id, "code_hash": h} for h in hashes]
    table = VotingCode.__table__
    for start in range(0, len(rows), 5000):
        db.session.execute(table.insert(), rows[start : start + 5000])  # Core executemany: fast for 100,000 rows
    audit.record(
        "codes.generated", actor=actor, round_id=rnd.id, batch_id=batch.id, district_id=district_id, count=count
    )
    audit.record("codes.downloaded", actor=actor, round_id=rnd.id, batch_id=batch.id, format=fmt)
    return GeneratedBatch(batch, district, codes)


def batches(rnd: Round) -> list[CodeBatch]:
    """The round's batches, newest first."""
    return list(
        db.session.scalars(
            select(CodeBatch)
            .where(CodeBatch.round_id == rnd.id)
            .order_by(CodeBatch.created_at.desc(), CodeBatch.id.desc())
        )
    )


@dataclass(frozen=True)
class CodeCounts:
    """The round's voting codes as stored, whether or not they came in a batch made here."""

    made: int
    used: int
    outside_batches: int  # e.g. the demo's codes or codes loaded by a script: no batch row

    @property
    def unused(self) -> int:
        """Codes with which no ballot has been stored yet."""
        return self.made - self.used


def code_counts(rnd: Round, district_id: int | None = None) -> CodeCounts:
    """Count the round's codes (of one district) from the codes themselves, as the turnout does."""
    query = select(
        func.count(VotingCode.id),
        func.count(VotingCode.used_at),
        func.count(VotingCode.id) - func.count(VotingCode.batch_id),
    ).where(VotingCode.round_id == rnd.id)
    if district_id is not None:
        query = query.where(VotingCode.district_id == district_id)
    made, used, outside = db.session.execute(query).one()
    return CodeCounts(made or 0, used or 0, outside or 0)


def _bad_code(message: str) -> ValidationFailed:
    return ValidationFailed([("code", message)])


def _count_wrong(bucket: str, rate_key: str, limit: tuple[int, int]) -> None:
    """Refuse an address over its limit of wrong codes (RateLimited, 429)."""
    ratelimit.check(
        bucket,
        rate_key,
        limit,
        _("Te veel verkeerde stemcodes vanaf dit adres. Probeer het over een uur opnieuw."),
    )


def _lookup(rnd: Round | VotingRound, raw: str, *, rate_key: str, limit: tuple[int, int], bucket: str) -> VotingCode:
    """The code of this round matching ``raw``, locked. Only a wrong code counts against the
    address: a malformed one, or one this round does not have. A real code, whatever its
    state, is no guess."""
    _count_wrong(bucket, rate_key, limit)
    code = normalise(raw)
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        ratelimit.hit(bucket, rate_key)
        raise _bad_code(
            _(
                "Een stemcode heeft 10 tekens: hoofdletters en cijfers (geen 0, 1, I, L of O). "
                "Controleer de code in uw brief."
            )
        )
    row = db.session.scalars(
        select(VotingCode).where(VotingCode.code_hash == hash_code(code)).with_for_update()
    ).first()
    if row is None or row.round_id != rnd.id:
        ratelimit.hit(bucket, rate_key)
        raise _bad_code(_("Deze stemcode bestaat niet voor deze ronde. Controleer de code in uw brief."))
    return row


def find_code(
    rnd: Round | VotingRound, raw: str, *, rate_key: str, limit: tuple[int, int], bucket: str = CODE_BUCKET
) -> VotingCode:
    """The code of this round matching ``raw`` that has no ballot yet (for a paper ballot)."""
    row = _lookup(rnd, raw, rate_key=rate_key, limit=limit, bucket=bucket)
    if row.used_at is not None:
        raise _bad_code(_("Met deze stemcode is al gestemd. Met elke code telt maar één stembiljet."))
    return row


_VC = VotingCode.__table__
_RE = RateEvent.__table__
_RD = Round.__table__
_VT = Voter.__table__
# The code of this round, if the round is voting and the address is under its limit of
# wrong codes (the conditions of _lookup and redeem).
_FIND = select(_VC.c.id, _VC.c.district_id).where(
    _VC.c.code_hash == bindparam("b_hash"),
    _VC.c.round_id == bindparam("rid"),
    exists().where(
        _RD.c.id == _VC.c.round_id, _RD.c.voting_start <= bindparam("now"), _RD.c.results_start > bindparam("now")
    ),
    select(func.count(_RE.c.id))
    .where(
        _RE.c.bucket == bindparam("bucket"),
        _RE.c.key == bindparam("key"),
        _RE.c.at >= bindparam("since"),
    )
    .scalar_subquery()
    < bindparam("attempts"),
)
_OPENED = (_VT.c.id, _VT.c.district_id, _VT.c.user_id, _VT.c.access_version)


def _open_voter(insert_fn: Any, source: Any) -> Any:
    """Create the code's voter, or (ON CONFLICT on its code) return the one that exists."""
    stmt = insert_fn(_VT).from_select(["round_id", "district_id", "code_id", "created_at"], source)
    return stmt.on_conflict_do_update(
        index_elements=[_VT.c.code_id], set_={"code_id": stmt.excluded.code_id}
    ).returning(*_OPENED)


_found = _FIND.cte("found")
# PostgreSQL finds the code and opens its voter in one statement.
_OPEN = HotStatement(
    _open_voter(
        pg_insert,
        select(
            bindparam("rid", type_=Integer), _found.c.district_id, _found.c.id, bindparam("now", type_=DateTime)
        ).select_from(_found),
    ).add_cte(_found)
)
# SQLite: _FIND, then this (its upsert needs VALUES, not a SELECT).
_OPEN_SQLITE = (
    sqlite_insert(_VT)
    .values(
        round_id=bindparam("rid"), district_id=bindparam("did"), code_id=bindparam("cid"), created_at=bindparam("now")
    )
    .on_conflict_do_update(index_elements=[_VT.c.code_id], set_={"code_id": bindparam("cid")})
    .returning(*_OPENED)
)


@dataclass(frozen=True)
class Claimed:
    """The pseudonymous voter of an entered code, its district, and the session's access version."""

    voter_id: int
    district_id: int
    access_version: int


def bound_elsewhere() -> DomainError:
    """The error for a code that an account has bound: it votes through that account."""
    return DomainError(
        _("Deze stemcode is gekoppeld aan een account. Log in met dat account om te stemmen of uw stem te veranderen.")
    )


def claim(rnd: VotingRound, raw: str, *, rate_key: str, limit: tuple[int, int]) -> Claimed:
    """Open the ballot of the code typed by a voter, creating its pseudonymous voter the first time.

    Entering a code spends nothing: the code counts as used once a ballot is stored with it,
    and until voting closes entering it again (in any browser) opens that ballot to change
    it. The busy path of election night: on PostgreSQL one statement checks the phase and
    the address's limit, finds the code and opens its voter (two entries of one code at once
    open the same voter); only a failed one looks further, to say why and to count a wrong code.
    """
    code = normalise(raw)
    if rnd.phase() == Phase.VOTING and len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code):
        now = utcnow()
        attempts, seconds = limit
        params = {
            "b_hash": hash_code(code),
            "rid": rnd.id,
            "now": now,
            "bucket": CODE_BUCKET,
            "key": rate_key,
            "since": now - timedelta(seconds=seconds),
            "attempts": attempts,
        }
        opened = None
        if on_postgresql():
            opened = _OPEN.first(params)
        else:
            row = db.session.execute(_FIND, params).first()
            if row is not None:
                opened = db.session.execute(
                    _OPEN_SQLITE, {"rid": rnd.id, "did": row.district_id, "cid": row.id, "now": now}
                ).first()
        if opened is not None:
            if opened.user_id is not None:
                raise bound_elsewhere()
            return Claimed(opened.id, opened.district_id, opened.access_version)
    # Not opened: say why, in the order of _lookup (limit, form, existence).
    _lookup(rnd, raw, rate_key=rate_key, limit=limit, bucket=CODE_BUCKET)
    # The code exists, so the voting period is over (perhaps a moment ago).
    raise DomainError(_("U kunt alleen een stemcode invullen als het stemmen open is."))


def _voter_of(rnd: Round | VotingRound, code: VotingCode) -> Voter:
    voter = db.session.scalars(select(Voter).where(Voter.code_id == code.id).with_for_update()).first()
    if voter is None:
        voter = Voter(round_id=rnd.id, district_id=code.district_id, code_id=code.id)
        db.session.add(voter)
        db.session.flush()
    return voter


def redeem(rnd: Round, code: VotingCode) -> Voter:
    """The code's pseudonymous voter (no name, no e-mail), for a paper ballot; created when missing."""
    if rnd.phase() != Phase.VOTING:
        raise DomainError(_("U kunt alleen een stemcode invullen als het stemmen open is."))
    return _voter_of(rnd, code)


def bind(rnd: Round, user: User, raw: str, *, rate_key: str, limit: tuple[int, int]) -> Voter:
    """Bind the code of a resident's letter to their account for this round.

    From then on the account is that code's voter: it votes and changes its vote from any
    device where it is logged in, and the code no longer opens the ballot without it. An
    account binds one code per round; a code binds to one account. The account's address
    must be confirmed (EmailNotConfirmed, 403; the code is not looked up, nor counted).
    """
    if rnd.voter_access != "code":
        raise DomainError(_("In deze ronde stemt u met uw account; er zijn geen stemcodes."))
    if rnd.phase() != Phase.VOTING:
        raise DomainError(_("U kunt alleen een stemcode invullen als het stemmen open is."))
    confirmation.require_confirmed(
        user, _("Bevestig eerst uw e-mailadres; daarna kunt u de stemcode uit uw brief aan uw account koppelen.")
    )
    mine = db.session.scalars(select(Voter).where(Voter.round_id == rnd.id, Voter.user_id == user.id)).first()
    row = _lookup(rnd, raw, rate_key=rate_key, limit=limit, bucket=CODE_BUCKET)
    if mine is not None:
        if mine.code_id == row.id:
            return mine
        raise DomainError(_("Uw account is in deze ronde al gekoppeld aan een andere stemcode."))
    voter = _voter_of(rnd, row)
    if voter.user_id is not None:
        raise DomainError(_("Deze stemcode is al gekoppeld aan een ander account."))
    voter.user_id = user.id
    voter.access_version += 1  # sessions opened with the bare code end: the account votes now
    db.session.flush()
    # No actor: an account id next to the time would link the person to the ballot's events.
    audit.record("voter.bound", round_id=rnd.id, district_id=voter.district_id)
    return voter
