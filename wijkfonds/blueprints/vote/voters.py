"""Who is voting in this request: a code holder (voter kept in the session) or an account."""

from __future__ import annotations

from flask import session

from wijkfonds.services.voting import ballots as voting
from wijkfonds.services.voting.snapshots import VotingRound, code_voter_district
from wijkfonds.web.login import current_user

# {round id: [voter id, district id, access version]} of code holders; the signed session
# cookie keeps it tamper-proof. The access version is checked against the voter's on every
# read of the ballot and every cast, so "Klaar" (which raises it) ends a copied cookie too.
CODE_VOTERS = "vote_code_voters"
# {round id: receipt code} of the last ballot cast in this session, for the confirmation page.
RECEIPTS = "vote_receipts"


def code_voter(rnd: VotingRound) -> tuple[int, int, int] | None:
    """(voter id, district id, access version) of the code entered in this session for this round."""
    known = session.get(CODE_VOTERS, {}).get(str(rnd.id))
    if not known:
        return None
    if isinstance(known, int):  # a session from before the district was kept in it
        district_id = code_voter_district(known, rnd.id)
        return (known, district_id, 1) if district_id is not None else None
    version = int(known[2]) if len(known) > 2 else 1  # sessions from before access versions
    return int(known[0]), int(known[1]), version


def remember_code_voter(rnd: VotingRound, voter_id: int, district_id: int, access_version: int) -> None:
    """Keep voting access for this code holder during the session."""
    known = dict(session.get(CODE_VOTERS, {}))
    known[str(rnd.id)] = [voter_id, district_id, access_version]
    session[CODE_VOTERS] = known


def forget(rnd: VotingRound) -> None:
    """Drop the code holder and the remembered receipt from this browser."""
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
    found = session.get(RECEIPTS, {}).get(str(rnd.id))
    return str(found) if found is not None else None


def voter_id_for(rnd: VotingRound, *, create: bool) -> int | None:
    """The voter of this request: code holder first, else the logged-in account's voter.

    In a round with letter codes that is the voter of the code the account bound; an
    account without one has none (NotAllowed for accounts without a district elsewhere).
    """
    holder = code_voter(rnd)
    if holder is not None:
        return holder[0]
    if current_user.is_authenticated:
        voter = voting.account_voter(rnd, current_user._get_current_object(), create=create)
        return voter.id if voter is not None else None
    return None


def needs_binding(rnd: VotingRound) -> bool:
    """A logged-in account in a round with letter codes that has not bound its code yet."""
    if code_voter(rnd) is not None or not current_user.is_authenticated:
        return False
    if rnd.voter_access != voting.VOTER_ACCESS_CODE:
        return False
    return voting.account_voter(rnd, current_user._get_current_object(), create=False) is None


def district_of(rnd: VotingRound) -> int | None:
    """The district whose ballot this request sees (None: not identified yet)."""
    holder = code_voter(rnd)
    if holder is not None:
        return holder[1]
    if current_user.is_authenticated:
        # Once a Voter row exists, its district is the one that counts (a bound code's
        # district, or the account's when it first voted). Raises NotAllowed for accounts
        # without a district in rounds without letters.
        voter = voting.account_voter(rnd, current_user._get_current_object(), create=False)
        if voter is not None:
            return voter.district_id
        if rnd.voter_access == voting.VOTER_ACCESS_CODE:
            return None
        if current_user.district_id is None:
            raise voting.no_district()
        return current_user.district_id
    return None
