"""Who is voting in this request: a code holder (voter kept in the session) or an account."""

from __future__ import annotations

from flask import session

from wijkfonds.services.voting import ballots as voting
from wijkfonds.services.voting.snapshots import VotingRound, code_voter_district
from wijkfonds.web.login import current_user

# {round id: [voter id, district id]} of code holders; the signed session cookie keeps it
# tamper-proof, so the ballot pages need no database lookup to know whose ballot it is.
CODE_VOTERS = "vote_code_voters"
# {round id: receipt code} of the last ballot cast in this session, for the confirmation page.
RECEIPTS = "vote_receipts"


def code_voter(rnd: VotingRound) -> tuple[int, int] | None:
    """(voter id, district id) of the code entered in this session for this round."""
    known = session.get(CODE_VOTERS, {}).get(str(rnd.id))
    if not known:
        return None
    if isinstance(known, int):  # a session from before the district was kept in it
        district_id = code_voter_district(known, rnd.id)
        return (known, district_id) if district_id is not None else None
    return int(known[0]), int(known[1])


def remember_code_voter(rnd: VotingRound, voter_id: int, district_id: int) -> None:
    """Keep voting access for this code holder during the session."""
    known = dict(session.get(CODE_VOTERS, {}))
    known[str(rnd.id)] = [voter_id, district_id]
    session[CODE_VOTERS] = known


def forget(rnd: VotingRound) -> None:
    """End the code holder's access and drop the remembered receipt."""
    for key in (CODE_VOTERS, RECEIPTS):
        known = dict(session.get(key, {}))
        known.pop(str(rnd.id), None)
        session[key] = known


def remember_receipt(rnd: VotingRound, code: str) -> None:
    """Keep the newest receipt code for the confirmation page (never stored on the server)."""
    known = dict(session.get(RECEIPTS, {}))
    known[str(rnd.id)] = code
    session[RECEIPTS] = known


def receipt(rnd: VotingRound) -> str | None:
    """The receipt code shown on the confirmation page."""
    code = session.get(RECEIPTS, {}).get(str(rnd.id))
    return code if isinstance(code, str) else None


def has_no_ballot_yet(rnd: VotingRound) -> bool:
    """True for a code holder who has not cast a ballot from this session.

    A code opens its voter in one session only (a used code is refused everywhere else,
    paper ballots included), so such a voter has no ballot and the ballot page needs no
    database read. The one exception: a ballot stored while its response (and so this
    cookie's receipt) never reached the browser; that voter sees an empty ballot again,
    and a new submission replaces the unconfirmed one, as any change does.
    """
    return code_voter(rnd) is not None and receipt(rnd) is None


def voter_id_for(rnd: VotingRound, *, create: bool) -> int | None:
    """The voter of this request: code holder first, else the logged-in account (NotAllowed without district)."""
    holder = code_voter(rnd)
    if holder is not None:
        return holder[0]
    if current_user.is_authenticated:
        voter = voting.account_voter(rnd, current_user._get_current_object(), create=create)
        return voter.id if voter is not None else None
    return None


def district_of(rnd: VotingRound) -> int | None:
    """The district whose ballot this request sees (None: not identified yet)."""
    holder = code_voter(rnd)
    if holder is not None:
        return holder[1]
    if current_user.is_authenticated:
        # Raises NotAllowed for accounts without a district; once a Voter row exists, its
        # district is the one that counts (even if the account moved since).
        voter = voting.account_voter(rnd, current_user._get_current_object(), create=False)
        return voter.district_id if voter is not None else current_user.district_id
    return None
