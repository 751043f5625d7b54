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

from sqlalchemy import DateTime, Integer, bindparam, exists, func, insert, select, update

from wijkfonds.common.timeutil import utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.database.hot import HotStatement, on_postgresql
from wijkfonds.extensions import db
from wijkfonds.models import CodeBatch, District, Phase, RateEvent, Round, User, Voter, VotingCode
from wijkfonds.services import ratelimit
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


def _bad_code(message: str) -> ValidationFailed:
    return ValidationFailed([("code", message)])


def find_code(
    rnd: Round | VotingRound, raw: str, *, rate_key: str, limit: tuple[int, int], bucket: str = CODE_BUCKET
) -> VotingCode:
    """The unused code of this round matching ``raw``; wrong entries are rate limited per key."""
    ratelimit.check(
        bucket, rate_key, limit, _("Te veel verkeerde stemcodes. Probeer het over een paar minuten opnieuw.")
    )
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
    if row.used_at is not None:
        ratelimit.hit(bucket, rate_key)
        raise _bad_code(_("Deze stemcode is al gebruikt. Met elke code kan maar één keer gestemd worden."))
    return row


_VC = VotingCode.__table__
_RE = RateEvent.__table__
_RD = Round.__table__
# Find, check and claim an unused code in one statement: the round must be voting and the
# address must be under its rate limit (the same conditions as find_code and redeem).
_CLAIM = (
    update(_VC)
    .where(
        _VC.c.code_hash == bindparam("b_hash"),
        _VC.c.round_id == bindparam("rid"),
        _VC.c.used_at.is_(None),
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
    .values(used_at=bindparam("now"))
    .returning(_VC.c.id, _VC.c.district_id)
)
_NEW_VOTER = insert(Voter.__table__).returning(Voter.__table__.c.id)
# PostgreSQL claims the code and creates its voter in one statement (a data-modifying WITH);
# SQLite has no such WITH, so it runs _CLAIM and then _NEW_VOTER.
_claimed = _CLAIM.cte("claimed")
_CLAIM_AND_VOTER = HotStatement(
    insert(Voter.__table__)
    .from_select(
        ["round_id", "district_id", "code_id", "created_at"],
        select(
            bindparam("rid", type_=Integer), _claimed.c.district_id, _claimed.c.id, bindparam("now", type_=DateTime)
        ).select_from(_claimed),
    )
    .add_cte(_claimed)
    .returning(Voter.__table__.c.id, Voter.__table__.c.district_id)
)


@dataclass(frozen=True)
class Claimed:
    """The pseudonymous voter created for a redeemed code, and its district."""

    voter_id: int
    district_id: int


def claim(rnd: VotingRound, raw: str, *, rate_key: str, limit: tuple[int, int]) -> Claimed:
    """Redeem a code typed by a voter: mark it used and create its voter.

    The busy path of election night: one conditional UPDATE checks the phase and the rate
    limit, finds the unused code and claims it (two people typing the same code cannot both
    win); only a failed claim looks further, to say why and to count the wrong attempt.
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
        if on_postgresql():
            made = _CLAIM_AND_VOTER.first(params)
            if made is not None:
                return Claimed(made.id, made.district_id)
        else:
            row = db.session.execute(_CLAIM, params).first()
            if row is not None:
                voter_id = db.session.execute(
                    _NEW_VOTER,
                    {"round_id": rnd.id, "district_id": row.district_id, "code_id": row.id, "created_at": now},
                ).scalar_one()
                return Claimed(voter_id, row.district_id)
    # Not claimed: say why, in the order of find_code (rate limit, form, existence, use).
    find_code(rnd, raw, rate_key=rate_key, limit=limit)
    # The code exists and is unused, so the voting period is over (perhaps a moment ago).
    raise DomainError(_("U kunt alleen een stemcode invullen als het stemmen open is."))


def redeem(rnd: Round, code: VotingCode) -> Voter:
    """Mark the code used and create its pseudonymous voter (no name, no e-mail)."""
    if rnd.phase() != Phase.VOTING:
        raise DomainError(_("U kunt alleen een stemcode invullen als het stemmen open is."))
    code.used_at = utcnow()
    voter = Voter(round_id=rnd.id, district_id=code.district_id, code_id=code.id)
    db.session.add(voter)
    db.session.flush()
    return voter
