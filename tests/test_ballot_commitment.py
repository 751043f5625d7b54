"""The commitment to a round's ballots at close, and the inclusion proof a voter checks offline."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from tests import factories as f
from tests import factories_results as fr
from tests import factories_vote as fv
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.integrity import merkle
from wijkfonds.models import AuditEvent, BallotCommitment, BallotItem, Phase, PublishedAnchor, Receipt, Role
from wijkfonds.services.audit import anchors, commitment
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import DomainError
from wijkfonds.services.results import publication, runner
from wijkfonds.services.rounds import admin
from wijkfonds.services.voting import ballots as voting

REPO_ROOT = Path(__file__).resolve().parents[1]


def _code_voter(rnd, district_slug: str = "de-baarsjes"):
    """The voter of a fresh letter code."""
    from wijkfonds.services.voting import codes

    return codes.redeem(rnd, codes.find_code(rnd, fv.voting_code(rnd, district_slug), rate_key="t", limit=(100, 60)))


def _vote(rnd, ids, district_slug: str = "de-baarsjes") -> str:
    """A code holder's ballot through the voting service; its receipt code."""
    voter = _code_voter(rnd, district_slug)
    return voting.cast(rnd, voter.id, [str(i) for i in ids]).receipt


@pytest.fixture()
def closed(app):
    """A round that voted (a changed ballot, a paper ballot, two districts) and then closed by a staff action."""
    app.config["BALLOT_COMMIT_GRACE"] = 0
    rnd = fv.voting_round()
    a, b, c = (fv.feasible(rnd, cost=2_000, title=t) for t in ("Bankjes", "Geveltuinen", "Buurtfeest"))
    west = fv.feasible(rnd, district_slug="westerpark", cost=2_000, title="Plan West")
    staff = f.user(Role.STAFF)
    db.session.commit()
    receipts = [_vote(rnd, [a.id, b.id]), _vote(rnd, [c.id]), _vote(rnd, [west.id], "westerpark")]
    voter = _code_voter(rnd)
    replaced = voting.cast(rnd, voter.id, [str(a.id)]).receipt
    receipts.append(voting.cast(rnd, voter.id, [str(b.id), str(c.id)]).receipt)
    from wijkfonds.services.voting import codes

    paper_voter = codes.redeem(rnd, codes.find_code(rnd, fv.voting_code(rnd), rate_key="t", limit=(100, 60)))
    voting.cast(rnd, paper_voter.id, [str(a.id)], paper=True, actor=staff)
    db.session.commit()
    admin.advance_phase(rnd, Phase.RESULTS, actor=staff)
    db.session.commit()
    return {"rnd": rnd, "receipts": receipts, "replaced": replaced, "staff": staff, "a": a, "b": b, "c": c}


def test_closing_commits_every_counted_ballot_once_with_an_event_and_an_anchor(closed) -> None:
    rnd = closed["rnd"]
    done = commitment.for_round(rnd.id)
    assert done is not None and done.size == 5  # four online ballots (one changed) and one paper ballot
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.kind == "ballots.committed")).one()
    assert json.loads(event.payload) == {"root": done.root, "size": 5} and event.seq == done.audit_seq
    anchored = db.session.scalars(
        select(PublishedAnchor).where(PublishedAnchor.due_key == f"commitment:{rnd.id}")
    ).one()
    assert anchored.seq >= event.seq and done.root in anchored.reason
    # The leaves hold receipt hashes (never codes) of the counted ballots only.
    leaves = commitment.leaves(rnd.id)
    hashes = {leaf["receipt_hash"] for leaf in leaves}
    assert {voting.receipt_hash(r) for r in closed["receipts"]} < hashes
    assert voting.receipt_hash(closed["replaced"]) not in hashes
    assert not any(r in json.dumps(leaves) for r in closed["receipts"])
    changed = next(x for x in leaves if x["receipt_hash"] == voting.receipt_hash(closed["receipts"][3]))
    ids = sorted([closed["b"].id, closed["c"].id])
    assert changed["ballot"]["initiatives"] == [{"id": i, "points": 1} for i in ids]
    # Made once: again and again nothing new.
    assert anchors.ensure_current() == [] and anchors.ensure_commitment(rnd).id == done.id
    assert db.session.scalar(select(func.count(BallotCommitment.id))) == 1


def test_a_voter_checks_the_proof_from_the_receipt_page_offline_against_the_result_page(
    closed, client, tmp_path
) -> None:
    rnd, staff = closed["rnd"], closed["staff"]
    run = fr.finished_run(rnd, staff)
    publication.publish(run, reason="", actor=staff)
    db.session.commit()
    result_page = client.get(f"/uitslag/{rnd.id}").get_data(as_text=True)
    root = re.search(r'id="commitment-root">([0-9a-f]{64})<', result_page).group(1)
    assert root == commitment.for_round(rnd.id).root and "5 stembiljetten" in result_page

    code = closed["receipts"][0]
    receipt_page = client.get(f"/stemmen/controle?code={code}").get_data(as_text=True)
    assert "telt mee" in receipt_page and f"--root {root}" in receipt_page
    link = re.search(r'href="(/controle/ontvangstbewijs\.json\?code=[^"]+)"', receipt_page).group(1)
    resp = client.get(link.replace("&amp;", "&"))
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    assert "no-store" in resp.headers["Cache-Control"]
    proof = resp.get_json()
    assert proof["leaf"]["receipt_hash"] == voting.receipt_hash(code) and code not in resp.get_data(as_text=True)
    path = tmp_path / "stembewijs.json"
    path.write_bytes(resp.get_data())
    command = [sys.executable, "-m", "wijkfonds.integrity", "proof", str(path), "--root", root]
    ok = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and "included" in ok.stdout, ok.stderr

    # A changed ballot: its proof no longer leads to the published root.
    proof["leaf"]["ballot"]["initiatives"] = [{"id": closed["c"].id, "points": 1}]
    path.write_text(json.dumps(proof))
    bad = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    assert bad.returncode == 1 and "not to the published root" in bad.stderr


def test_after_a_ballot_is_changed_in_the_database_no_proof_is_handed_out(closed, client) -> None:
    rnd = closed["rnd"]
    receipt = db.session.scalars(
        select(Receipt).where(Receipt.code_hash == voting.receipt_hash(closed["receipts"][1]))
    ).one()
    db.session.execute(
        update(BallotItem).where(BallotItem.ballot_id == receipt.ballot_id).values(initiative_id=closed["a"].id)
    )
    db.session.commit()
    assert commitment.tree(rnd.id).root != commitment.for_round(rnd.id).root
    resp = client.get(f"/controle/ontvangstbewijs.json?code={closed['receipts'][0]}")
    assert resp.status_code == 409 and "komen niet meer overeen" in resp.get_data(as_text=True)


def test_the_proof_download_explains_every_refusal(closed, client) -> None:
    replaced = client.get(f"/controle/ontvangstbewijs.json?code={closed['replaced']}")
    assert replaced.status_code == 409 and "vervangen" in replaced.get_data(as_text=True)
    unknown = client.get("/controle/ontvangstbewijs.json?code=ABCDEFGHJKMN")
    assert unknown.status_code == 404 and "kennen we niet" in unknown.get_data(as_text=True)
    assert client.get("/controle/ontvangstbewijs.json").status_code == 400
    assert client.get("/controle/ontvangstbewijs.json?code=" + "A" * 41).status_code == 400
    english = client.get(f"/controle/ontvangstbewijs.json?code={closed['replaced']}&lang=en")
    assert english.status_code == 409


def test_before_the_commitment_the_receipt_page_says_when_the_proof_comes(app, client) -> None:
    rnd = fv.voting_round()
    a = fv.feasible(rnd)
    db.session.commit()
    code = _vote(rnd, [a.id])
    db.session.commit()
    page = client.get(f"/stemmen/controle?code={code}").get_data(as_text=True)
    assert "telt mee" in page and "ontvangstbewijs.json" not in page and "Als het stemmen voorbij is" in page
    early = client.get(f"/controle/ontvangstbewijs.json?code={code}")
    assert early.status_code == 409 and "zodra het stemmen voorbij is" in early.get_data(as_text=True)


def test_paper_ballots_cannot_be_entered_after_the_close(closed, client, auth) -> None:
    """Paper ballots are entered only while voting runs; the commitment includes every one of them."""
    rnd, staff = closed["rnd"], closed["staff"]
    code = fv.voting_code(rnd)
    db.session.commit()
    auth.login(staff)
    url = f"/beheer/stemcodes/ronde/{rnd.id}/papier"
    refused = client.post(url, data={"code": code, "step": "ballot", "initiative": [closed["a"].id]})
    assert refused.status_code == 409 and "alleen in de stemperiode" in refused.get_data(as_text=True)
    with pytest.raises(DomainError):
        voting.cast(rnd, 1, [str(closed["a"].id)], paper=True, actor=staff)
    db.session.rollback()
    assert commitment.tree(rnd.id).root == commitment.for_round(rnd.id).root


def test_no_result_before_the_commitment_and_none_in_the_grace_period(app) -> None:
    """create_run commits first; right after the close it asks to wait (a ballot may still be committing)."""
    app.config["BALLOT_COMMIT_GRACE"] = 60
    rnd, _inis = fr.closed_round(voters=2)
    staff = f.user(Role.STAFF)
    audit.record("round.created", round_id=rnd.id)
    rnd.results_start = utcnow() - timedelta(seconds=5)
    db.session.commit()
    with pytest.raises(DomainError) as waited:
        runner.create_run(rnd, rule="greedy", completion="none", time_limit=None, actor=staff)
    assert waited.value.status == 409 and "seconden opnieuw" in waited.value.message
    db.session.rollback()
    assert anchors.ensure_current() and commitment.for_round(rnd.id) is None  # the phase, not yet the ballots
    db.session.commit()
    rnd.results_start = utcnow() - timedelta(seconds=61)
    db.session.commit()
    run = runner.create_run(rnd, rule="greedy", completion="none", time_limit=None, actor=staff)
    done = commitment.for_round(rnd.id)
    assert done is not None and done.size == 8 and done.committed_at <= run.created_at
    kinds = list(db.session.scalars(select(AuditEvent.kind).order_by(AuditEvent.seq)))
    assert kinds == ["round.created", "ballots.committed"]  # the run comes after it (its event when it ends)
    # Ballots without a receipt (here: imported-style) get a placeholder no receipt code leads to.
    assert all(leaf["receipt_hash"] != voting.receipt_hash("") for leaf in commitment.leaves(rnd.id))
    assert {leaf["receipt_hash"] for leaf in commitment.leaves(rnd.id)} == {
        merkle.placeholder_receipt_hash(rnd.id, b) for b in db.session.scalars(select(BallotItem.ballot_id).distinct())
    }
