"""Who is voting in this request: a code holder (voter id kept in the session) or an account."""

from __future__ import annotations

from flask import session
from flask_login import current_user

from ...extensions import db
from ...models import Round, Voter
from ...services import voting

# {round id: voter id} of code holders; the signed session cookie keeps it tamper-proof.
CODE_VOTERS = "vote_code_voters"
# {round id: receipt code} of the last ballot cast in this session, for the confirmation page.
RECEIPTS = "vote_receipts"


def code_voter(rnd: Round) -> Voter | None:
    """The pseudonymous voter whose code was entered in this session, for this round."""
    voter_id = session.get(CODE_VOTERS, {}).get(str(rnd.id))
    if not voter_id:
        return None
    voter = db.session.get(Voter, voter_id)
    if voter is None or voter.round_id != rnd.id or voter.code_id is None:
        return None
    return voter


def remember_code_voter(rnd: Round, voter: Voter) -> None:
    """Keep voting access for this code holder during the session."""
    known = dict(session.get(CODE_VOTERS, {}))
    known[str(rnd.id)] = voter.id
    session[CODE_VOTERS] = known


def forget(rnd: Round) -> None:
    """End the code holder's access and drop the remembered receipt."""
    for key in (CODE_VOTERS, RECEIPTS):
        known = dict(session.get(key, {}))
        known.pop(str(rnd.id), None)
        session[key] = known


def remember_receipt(rnd: Round, code: str) -> None:
    """Keep the newest receipt code for the confirmation page (never stored on the server)."""
    known = dict(session.get(RECEIPTS, {}))
    known[str(rnd.id)] = code
    session[RECEIPTS] = known


def receipt(rnd: Round) -> str | None:
    """The receipt code shown on the confirmation page."""
    return session.get(RECEIPTS, {}).get(str(rnd.id))


def voter_for(rnd: Round, *, create: bool) -> Voter | None:
    """The voter of this request: code holder first, else the logged-in account (NotAllowed without district)."""
    voter = code_voter(rnd)
    if voter is not None:
        return voter
    if current_user.is_authenticated:
        return voting.account_voter(rnd, current_user._get_current_object(), create=create)
    return None


def district_of(rnd: Round) -> int | None:
    """The district whose ballot this request sees (None: not identified yet)."""
    voter = code_voter(rnd)
    if voter is not None:
        return voter.district_id
    if current_user.is_authenticated:
        # Raises NotAllowed for accounts without a district; once a Voter row exists, its
        # district is the one that counts (even if the account moved since).
        voter = voting.account_voter(rnd, current_user._get_current_object(), create=False)
        return voter.district_id if voter is not None else current_user.district_id
    return None
