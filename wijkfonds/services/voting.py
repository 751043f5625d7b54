"""Ballots: who votes where, the rules of a ballot, casting and changing it, receipts.

Secrecy: nothing here records who chose what beyond the Ballot row itself. Audit events
carry the round, district and version only, and no actor (an actor id next to a timestamp
would let anyone with the log and the ballot table link a person to a ballot).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_currency, gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import Ballot, BallotItem, BallotKind, District, Initiative, Phase, Receipt, Round, Status, User, Voter
from ..timeutil import utcnow
from . import audit
from .errors import DomainError, NotAllowed, ValidationFailed

RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 12
MAX_ITEMS = 500  # more ticks than any ballot has options: refuse before touching the database


def require_voting(rnd: Round) -> None:
    """Raise (409) unless the round is in its voting phase."""
    if rnd.phase() != Phase.VOTING:
        raise DomainError(_("Stemmen kan alleen in de stemperiode. Op dit moment kan er in deze ronde niet gestemd worden."))


def options(rnd: Round, district_id: int) -> list[Initiative]:
    """The initiatives on the ballot of one district: feasible ones, by title."""
    return list(db.session.scalars(
        select(Initiative).where(
            Initiative.round_id == rnd.id, Initiative.district_id == district_id,
            Initiative.status == Status.FEASIBLE.value,
        ).order_by(Initiative.title, Initiative.id)
    ))


def account_voter(rnd: Round, user: User, *, create: bool, lock: bool = False) -> Voter | None:
    """The Voter row of an account in this round (created on first vote when ``create``)."""
    if user.district_id is None:
        raise NotAllowed(_("Uw account hoort niet bij een gebied. Alleen bewoners met een gebied kunnen stemmen."))
    query = select(Voter).where(Voter.round_id == rnd.id, Voter.user_id == user.id)
    voter = db.session.scalars(query.with_for_update() if lock else query).first()
    if voter is None and create:
        voter = Voter(round_id=rnd.id, district_id=user.district_id, user_id=user.id)
        db.session.add(voter)
        db.session.flush()
    return voter


def lock_voter(voter_id: int) -> Voter | None:
    """Re-read a voter with a row lock (PostgreSQL); SQLite already holds the write lock."""
    return db.session.scalars(select(Voter).where(Voter.id == voter_id).with_for_update()).first()


def current_ballot(voter: Voter | None) -> Ballot | None:
    """The voter's ballot, if any."""
    if voter is None:
        return None
    return db.session.scalars(select(Ballot).where(Ballot.voter_id == voter.id)).first()


@dataclass(frozen=True)
class Tally:
    """What a set of ticks adds up to, for the budget meter and the rules."""

    kind: str
    budget: int
    spent: int
    count: int
    min_spend: int
    approval_min: int
    approval_max: int | None

    @property
    def left(self) -> int:
        """Budget left (negative when over)."""
        return self.budget - self.spent

    @property
    def ok(self) -> bool:
        """True when this selection may be submitted."""
        if self.count < 1:
            return False
        if self.kind == BallotKind.APPROVAL.value:
            return self.count >= self.approval_min and (self.approval_max is None or self.count <= self.approval_max)
        return self.spent <= self.budget and self.spent >= self.min_spend


def tally(rnd: Round, district_id: int, chosen: list[Initiative]) -> Tally:
    """Sum the chosen initiatives against the district's budget and the round's rules."""
    return Tally(rnd.ballot_kind, rnd.budget_for(district_id), sum(i.cost for i in chosen), len(chosen),
                 rnd.knapsack_min_spend, rnd.approval_min, rnd.approval_max)


def _euro(amount: int) -> str:
    return format_currency(amount, "EUR", format="¤ #,##0", currency_digits=False)


def check_choices(rnd: Round, district_id: int, raw_ids: list[str]) -> list[Initiative]:
    """Resolve submitted ids into initiatives; raise ValidationFailed on any rule broken."""
    errors: list[tuple[str | None, str]] = []
    if len(raw_ids) > MAX_ITEMS:
        raise ValidationFailed([("initiatives", _("Dit stembiljet heeft te veel plannen."))])
    ids: list[int | None] = []
    for raw in raw_ids:
        try:
            ids.append(int(str(raw).strip()))
        except ValueError:
            ids.append(None)
            errors.append(("initiatives", _("Een gekozen plan bestaat niet (%(id)s).", id=str(raw)[:20])))
    wanted = {i for i in ids if i is not None}
    found = {i.id: i for i in db.session.scalars(select(Initiative).where(Initiative.id.in_(wanted)))} if wanted else {}
    seen: set[int] = set()
    chosen: list[Initiative] = []
    for iid in ids:
        if iid is None:
            continue
        ini = found.get(iid)
        if ini is None or ini.round_id != rnd.id:
            errors.append(("initiatives", _("Een gekozen plan bestaat niet in deze ronde (nummer %(id)s).", id=iid)))
        elif iid in seen:
            errors.append(("initiatives", _("U heeft het plan ‘%(title)s’ twee keer gekozen. Kies elk plan één keer.", title=ini.title)))
        elif ini.district_id != district_id:
            errors.append(("initiatives", _("Het plan ‘%(title)s’ hoort bij een ander gebied. U kunt alleen stemmen op plannen in uw eigen gebied.", title=ini.title)))
        elif ini.status != Status.FEASIBLE.value:
            errors.append(("initiatives", _("Het plan ‘%(title)s’ staat niet op de stemlijst.", title=ini.title)))
        else:
            chosen.append(ini)
        seen.add(iid)
    if errors:
        raise ValidationFailed(errors)
    t = tally(rnd, district_id, chosen)
    if t.count == 0:
        errors.append(("initiatives", _("Kies minstens één plan.")))
    elif rnd.ballot_kind == BallotKind.APPROVAL.value:
        if t.approval_max is not None and t.count > t.approval_max:
            errors.append(("initiatives", _("U mag hoogstens %(k)s plannen aankruisen. U koos er %(n)s.", k=t.approval_max, n=t.count)))
        if t.count < t.approval_min:
            errors.append(("initiatives", _("Kruis minstens %(m)s plannen aan. U koos er %(n)s.", m=t.approval_min, n=t.count)))
    else:
        if t.spent > t.budget:
            errors.append(("initiatives", _("Uw keuze kost %(spent)s, maar het budget van uw gebied is %(budget)s. Haal een of meer plannen weg.",
                                            spent=_euro(t.spent), budget=_euro(t.budget))))
        elif t.spent < t.min_spend:
            errors.append(("initiatives", _("Kies plannen voor samen minstens %(min)s. Uw keuze kost nu %(spent)s.",
                                            min=_euro(t.min_spend), spent=_euro(t.spent))))
    if errors:
        raise ValidationFailed(errors)
    return chosen


def check_district_field(voter_district_id: int, raw: str | None) -> None:
    """The ballot form names its district; a different one means the form was tampered with."""
    if raw is None or raw.strip() != str(voter_district_id):
        raise DomainError(_("Het gebied op het stembiljet klopt niet met uw gebied. Laad de pagina opnieuw en stem opnieuw."), 400)


def _receipt_code() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def receipt_hash(code: str) -> str:
    """SHA-256 of a normalised receipt code."""
    clean = "".join(ch for ch in code.upper() if ch not in " -\t\r\n")
    return hashlib.sha256(clean.encode("ascii", "replace")).hexdigest()


@dataclass(frozen=True)
class CastResult:
    """A stored ballot and the receipt code shown once to the voter (None for paper)."""

    ballot: Ballot
    receipt: str | None


def cast(rnd: Round, voter: Voter, raw_ids: list[str], *, paper: bool = False, actor: User | None = None) -> CastResult:
    """Store or replace the voter's ballot after checking every rule; the last one counts."""
    require_voting(rnd)
    locked = lock_voter(voter.id)
    if locked is None or locked.round_id != rnd.id:
        raise NotAllowed(_("U kunt in deze ronde niet stemmen."))
    chosen = check_choices(rnd, locked.district_id, raw_ids)
    now = utcnow()
    ballot = current_ballot(locked)
    if ballot is None:
        ballot = Ballot(round_id=rnd.id, voter_id=locked.id, district_id=locked.district_id, paper=paper,
                        version=1, first_cast_at=now, updated_at=now)
        db.session.add(ballot)
    else:
        ballot.items.clear()
        db.session.flush()  # delete the old items before the new ones meet the unique constraint
        ballot.version += 1
        ballot.updated_at = now
        ballot.paper = paper
    for pos, ini in enumerate(sorted(chosen, key=lambda i: i.id)):
        ballot.items.append(BallotItem(initiative_id=ini.id, position=pos, points=1))
    db.session.flush()
    code: str | None = None
    if not paper:
        for old in db.session.scalars(select(Receipt).where(Receipt.ballot_id == ballot.id, Receipt.superseded_at.is_(None))):
            old.superseded_at = now
        code = _receipt_code()
        db.session.add(Receipt(round_id=rnd.id, ballot_id=ballot.id, code_hash=receipt_hash(code), created_at=now))
    kind = "ballot.paper" if paper else ("ballot.cast" if ballot.version == 1 else "ballot.changed")
    audit.record(kind, actor=actor if paper else None, round_id=rnd.id, district_id=ballot.district_id, version=ballot.version)
    db.session.flush()
    return CastResult(ballot, code)


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


def district_name(district_id: int) -> str:
    """Name of a district (for headings)."""
    d = db.session.get(District, district_id)
    return d.name if d else ""
