"""Many simultaneous ballots of one voter against a real running server: one ballot, no error page."""

from __future__ import annotations

import http.client
import re
import threading
from http.cookies import SimpleCookie
from itertools import combinations
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from tests import factories as f
from tests import factories_vote as fv
from tests.conftest import make_app
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import Ballot, Receipt, Voter

SUBMISSIONS = 24
TIMEOUT = 60


class Browser:
    """A minimal cookie-keeping HTTP client for one session (redirects are not followed)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        """Send one request with the session cookie; remember cookies that come back."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode("utf-8", "replace")
            for raw in resp.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(raw).items():
                    self.cookies[name] = morsel.value
            return resp.status, text
        finally:
            conn.close()


def _token(html: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.mark.slow
def test_concurrent_ballots_of_one_voter(database_url: str) -> None:
    app = make_app(database_url, WTF_CSRF_ENABLED=True, SERVER_NAME=None)
    with app.app_context():
        rnd = fv.voting_round(voter_access="account")  # accounts race to create their voter
        plans = [fv.feasible(rnd, cost=2_000 + 500 * i) for i in range(7)]
        me = fv.resident()
        me.email_confirmed_at = utcnow()
        db.session.commit()
        rnd_id, district_id, user_id = rnd.id, me.district_id, me.id
        plan_ids = [p.id for p in plans]
        email = me.email
        db.session.remove()
    # Every submission is a different valid ballot (each pair costs at most € 10.000).
    ballots = [sorted(pair) for pair in combinations(plan_ids, 2)] + [[i] for i in plan_ids]
    ballots = ballots[:SUBMISSIONS]
    assert len(ballots) == SUBMISSIONS and len({tuple(b) for b in ballots}) == SUBMISSIONS

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        browser = Browser(server.server_port)
        status, page = browser.request("GET", "/account/login")
        assert status == 200
        status, _ = browser.request(
            "POST", "/account/login", {"csrf_token": _token(page), "email": email, "password": f.PASSWORD}
        )
        assert status == 302, "login failed"
        status, page = browser.request("GET", f"/stemmen/{rnd_id}/stembiljet")
        assert status == 200
        token = _token(page)

        barrier = threading.Barrier(SUBMISSIONS)
        results: list[tuple[int, str] | BaseException] = [None] * SUBMISSIONS  # type: ignore[list-item]

        def submit(i: int) -> None:
            mine = Browser(server.server_port)
            mine.cookies = dict(browser.cookies)
            form = {"csrf_token": token, "district": str(district_id), "initiative": [str(x) for x in ballots[i]]}
            try:
                barrier.wait(timeout=TIMEOUT)
                results[i] = mine.request("POST", f"/stemmen/{rnd_id}/stembiljet", form)
            except BaseException as exc:
                results[i] = exc

        workers = [threading.Thread(target=submit, args=(i,)) for i in range(SUBMISSIONS)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(TIMEOUT * 2)
        assert not any(w.is_alive() for w in workers), "a submission hung"
    finally:
        server.shutdown()
        thread.join(10)

    problems = [
        r if isinstance(r, BaseException) else f"{r[0]}: {r[1][:200]}"
        for r in results
        if isinstance(r, BaseException) or not 200 <= r[0] < 400
    ]
    assert not problems, problems

    with app.app_context():
        voters = list(db.session.scalars(select(Voter).where(Voter.user_id == user_id)))
        assert len(voters) == 1
        stored = list(db.session.scalars(select(Ballot).where(Ballot.voter_id == voters[0].id)))
        assert len(stored) == 1 and db.session.scalar(select(func.count(Ballot.id))) == 1
        items = sorted(i.initiative_id for i in stored[0].items)
        assert items in ballots
        # Every submission was stored in turn (none lost): the version counts them all.
        assert stored[0].version == SUBMISSIONS
        receipts = list(db.session.scalars(select(Receipt).where(Receipt.ballot_id == stored[0].id)))
        assert len(receipts) == SUBMISSIONS and sum(r.superseded_at is None for r in receipts) == 1
        db.session.remove()
        db.engine.dispose()
