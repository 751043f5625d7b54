"""The commitment to a round's ballots at close: a Merkle tree over every counted ballot.

Once voting has closed (and a short grace period has passed, see :func:`ready_at`), the
round's stored ballots are fixed in a tree (``wijkfonds.integrity.merkle``): one leaf per
ballot, holding the hash of its current receipt and its content (district, the chosen
plans and their points). The root and the size are stored per round, recorded in the
audit log, and covered by the next published anchor; results are computed only after it.

A voter whose receipt is counted downloads the inclusion proof of their ballot and checks
it offline against the root on the result page. Secrecy: a leaf holds the *hash* of the
receipt code, never the code, and nothing that names a person; the proof is handed only
to whoever types the receipt code, and it shows that ballot's content to them.

Why the grace period: ``ballots.cast`` checks the clock before it stores a ballot, and a
ballot whose check fell just before the close may still be committing. On SQLite the
write lock already serialises the two; on PostgreSQL the commitment takes the audit
chain's lock (every ballot appends to the chain before it commits) and waits until
``BALLOT_COMMIT_GRACE`` seconds (default 10) after the close.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from wijkfonds.common.timeutil import utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.integrity import merkle
from wijkfonds.models import Ballot, BallotCommitment, BallotItem, Phase, Receipt, Round
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import DomainError
from wijkfonds.services.voting.ballots import receipt_hash

DEFAULT_GRACE = 10  # seconds after the close before the ballots are committed


def grace() -> timedelta:
    """How long after the close the commitment waits (config ``BALLOT_COMMIT_GRACE``, seconds)."""
    return timedelta(seconds=float(current_app.config.get("BALLOT_COMMIT_GRACE", DEFAULT_GRACE)))


def ready_at(rnd: Round) -> datetime:
    """When the round's ballots can be committed: the close plus the grace period."""
    return rnd.results_start + grace()


def is_due(rnd: Round, now: datetime) -> bool:
    """True when voting has closed long enough ago for the ballots to be committed."""
    return rnd.phase(now) == Phase.RESULTS and now >= ready_at(rnd)


def for_round(round_id: int) -> BallotCommitment | None:
    """The round's commitment (None before it is made)."""
    return db.session.scalars(select(BallotCommitment).where(BallotCommitment.round_id == round_id)).first()


def leaves(round_id: int) -> list[dict[str, Any]]:
    """One leaf per stored ballot of the round: its current receipt's hash and its content."""
    # A ballot's current receipt is its one receipt that was not superseded; paper and
    # imported ballots have none and get a placeholder that no receipt code leads to.
    receipts: dict[int, str] = {}
    for ballot_id, code_hash in db.session.execute(
        select(Receipt.ballot_id, Receipt.code_hash)
        .where(Receipt.round_id == round_id, Receipt.superseded_at.is_(None))
        .order_by(Receipt.id)
    ):
        receipts[ballot_id] = code_hash  # the latest, should there ever be two
    items: dict[int, list[tuple[int, int]]] = {}
    for ballot_id, initiative_id, points in db.session.execute(
        select(BallotItem.ballot_id, BallotItem.initiative_id, BallotItem.points)
        .join(Ballot, Ballot.id == BallotItem.ballot_id)
        .where(Ballot.round_id == round_id)
    ):
        items.setdefault(ballot_id, []).append((initiative_id, points))
    return [
        merkle.leaf_data(
            receipts.get(ballot_id) or merkle.placeholder_receipt_hash(round_id, ballot_id),
            merkle.ballot_content(district_id, items.get(ballot_id, [])),
        )
        for ballot_id, district_id in db.session.execute(
            select(Ballot.id, Ballot.district_id).where(Ballot.round_id == round_id).order_by(Ballot.id)
        )
    ]


def tree(round_id: int) -> merkle.Tree:
    """The Merkle tree over the round's ballots as they are stored now."""
    return merkle.build(leaves(round_id))


def commit(rnd: Round, now: datetime | None = None) -> BallotCommitment:
    """Fix the round's ballots in a Merkle tree; record the root in the audit log (once per round).

    The caller publishes an anchor afterwards (``anchors.ensure_commitment`` does both).
    """
    now = now or utcnow()
    existing = for_round(rnd.id)
    if existing is not None:
        return existing
    if rnd.phase(now) != Phase.RESULTS:
        raise DomainError(_("De stembiljetten worden pas vastgelegd als het stemmen voorbij is."), 409)
    if now < ready_at(rnd):
        wait = int((ready_at(rnd) - now).total_seconds()) + 1
        raise DomainError(
            _(
                "Het stemmen is net gesloten. Stemmen die op dat moment werden opgeslagen, worden nog afgerond; "
                "daarna worden alle stembiljetten vastgelegd. Probeer het over %(n)s seconden opnieuw.",
                n=wait,
            ),
            409,
        )
    built = tree(rnd.id)
    event = audit.record("ballots.committed", round_id=rnd.id, root=built.root, size=len(built.leaves))
    row = BallotCommitment(
        round_id=rnd.id, root=built.root, size=len(built.leaves), committed_at=now, audit_seq=event.seq
    )
    db.session.add(row)
    db.session.flush()
    return row


def proof_for_receipt(code: str) -> dict[str, Any]:
    """The inclusion proof of the counted ballot behind a receipt code (DomainError when there is none)."""
    digest = receipt_hash(code)
    receipt = db.session.scalars(select(Receipt).where(Receipt.code_hash == digest)).first()
    if receipt is None:
        raise DomainError(_("Deze ontvangstcode kennen we niet. Controleer of u hem goed heeft overgenomen."), 404)
    if receipt.superseded_at is not None:
        raise DomainError(
            _("Deze stem is later vervangen door een nieuwere stem. Alleen de laatste stem telt en heeft een bewijs."),
            409,
        )
    done = for_round(receipt.round_id)
    if done is None:
        raise DomainError(
            _("Het bewijs komt er zodra het stemmen voorbij is en alle stembiljetten zijn vastgelegd."), 409
        )
    built = tree(receipt.round_id)
    index = built.index_of(digest)
    if built.root != done.root or len(built.leaves) != done.size or index is None:
        # The stored ballots no longer match what was committed: never hand out a proof then.
        current_app.logger.error(
            "ballot commitment of round %s does not match the stored ballots (root %s, now %s)",
            receipt.round_id,
            done.root,
            built.root,
        )
        raise DomainError(
            _(
                "De opgeslagen stembiljetten komen niet meer overeen met wat bij het sluiten is vastgelegd. "
                "Er is daarom geen bewijs; meld dit aan de gemeente."
            ),
            409,
        )
    proof = built.proof(index, round_id=receipt.round_id)
    proof["committed_at"] = done.committed_at.isoformat(timespec="seconds") + "Z"
    return proof
