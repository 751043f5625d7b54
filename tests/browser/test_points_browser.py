"""Points and ranked ballots in a real browser: axe-core finds nothing serious, the live points
counter follows typing (htmx), and a ranked ballot is stored in order; with JavaScript off, both
ballots work with the form controls alone (a wrong one is refused and stores nothing).
(Through the test client: tests/test_points_ranked.py.)"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from wijkfonds.demo.voting import ROUND_SLUG as VOTING_SLUG
from wijkfonds.demo.voting import VOTERS_PER_DISTRICT, demo_code
from wijkfonds.extensions import db
from wijkfonds.models import Ballot, BallotItem, Initiative, Round, Voter, VotingCode
from wijkfonds.services.voting.codes import hash_code

from .conftest import axe_violations, scripts_run, serve_demo, shot


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A live server of this module's own: its voting round becomes a points or ranked round."""
    with serve_demo(tmp_path_factory.mktemp("points")) as srv:
        yield srv


def _make(server: dict, kind: str) -> int:
    """Turn the demo's voting round into a ``kind`` round (straight in the database: a test set-up)."""
    app = server["app"]
    with app.app_context():
        rnd = db.session.scalars(select(Round).where(Round.slug == VOTING_SLUG)).one()
        rnd.ballot_kind, rnd.points_total, rnd.points_min_plans, rnd.ranked_max = kind, 10, 2, 3
        db.session.commit()
        for store in app.extensions.values():  # the snapshots and shared pages of the old rules
            if isinstance(store, dict):
                store.clear()
        return rnd.id


def _enter(page: Page, server: dict, round_id: int, voter: int) -> None:
    page.goto(f"{server['url']}/stemmen/{round_id}/code")
    page.get_by_label("Stemcode").fill(demo_code("westerpark", VOTERS_PER_DISTRICT - voter))
    page.get_by_role("button", name="Verder naar het stembiljet").click()
    expect(page.locator("#ballot-meter")).to_be_visible()


def _submit(page: Page) -> None:
    """The ballot's main button ("Stem", or "Wijzig mijn stem" for a voter who voted before)."""
    page.locator(".ballot-form button[type=submit]:not(.secondary)").click()


def _check(page: Page, name: str) -> None:
    shot(page, "points-" + name)
    assert axe_violations(page) == [], name


def test_points_ballot(server, new_page) -> None:
    round_id = _make(server, "points")
    page = new_page()
    _enter(page, server, round_id, 1)
    expect(page.get_by_text("U heeft 10 punten.")).to_be_visible()
    _check(page, "ballot")
    inputs = page.locator("input.points-input")
    for k in range(inputs.count()):  # the demo voter may have voted already (a tick counts 1 point)
        inputs.nth(k).fill("")
    inputs.nth(0).fill("7")
    inputs.nth(1).fill("5")
    expect(page.locator("#ballot-meter")).to_contain_text("gegeven 12 van 10, aan 2 plannen")  # live, no click
    _check(page, "ballot-over")
    _submit(page)
    expect(page.locator(".form-errors")).to_contain_text("hoogstens 10 verdelen")
    page.locator("input.points-input").nth(1).fill("3")
    _submit(page)
    expect(page.locator(".receipt-code")).to_be_visible()
    expect(page.get_by_text("Samen: 10 van 10 punten.")).to_be_visible()
    _check(page, "confirmation")


def test_ranked_ballot(server, new_page) -> None:
    round_id = _make(server, "ranked")
    page = new_page()
    _enter(page, server, round_id, 2)
    expect(page.get_by_text("Zet hoogstens 3 plannen op volgorde")).to_be_visible()
    selects = page.locator(".ballot-options select")
    for k in range(selects.count()):
        selects.nth(k).select_option("")
    selects.nth(0).select_option("2")
    selects.nth(1).select_option("1")
    _submit(page)
    expect(page.locator(".receipt-code")).to_be_visible()
    expect(page.locator("main ol li")).to_have_count(2)
    _check(page, "ranked-confirmation")


# Without JavaScript -------------------------------------------------------------------------
# No htmx and no timers: nothing may wait for a live meter, and axe-core (whose run waits on
# timers) cannot run here. Every click that submits waits for its page load, with a timeout.

BALLOT_URL = re.compile(r"/stemmen/\d+/stembiljet$")


def _plain_page(new_page) -> Page:
    page = new_page(java_script_enabled=False)
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(10_000)
    return page


def _spare_code(number: int) -> str:
    """A demo code that has never voted (the spare ones come after the voters')."""
    return demo_code("westerpark", VOTERS_PER_DISTRICT + number)


def _enter_plain(page: Page, server: dict, round_id: int, code: str) -> None:
    page.goto(f"{server['url']}/stemmen/{round_id}/code")
    assert not scripts_run(page)
    page.get_by_label("Stemcode").fill(code)
    with page.expect_navigation(url=BALLOT_URL):
        page.get_by_role("button", name="Verder naar het stembiljet").click()


def _post(page: Page, button: str, url: re.Pattern[str], status: int) -> None:
    """Click a submit button of the ballot and wait for the page the server answers with."""
    with page.expect_navigation(url=url) as nav:
        page.locator(".ballot-form").get_by_role("button", name=button, exact=True).click()
    response = nav.value
    assert response is not None and response.status == status, response and response.status


def _plan_ids(controls) -> list[int]:
    return [int(controls.nth(k).get_attribute("id").removeprefix("ini-")) for k in range(controls.count())]


def _stored(server: dict, code: str) -> list[tuple[int, int, int]]:
    """(plan, position, points) of the ballot cast with ``code``, in order (none: [])."""
    with server["app"].app_context():
        rows = db.session.execute(
            select(BallotItem.initiative_id, BallotItem.position, BallotItem.points)
            .join(Ballot, Ballot.id == BallotItem.ballot_id)
            .join(Voter, Voter.id == Ballot.voter_id)
            .join(VotingCode, VotingCode.id == Voter.code_id)
            .where(VotingCode.code_hash == hash_code(code))
            .order_by(BallotItem.position)
        )
        return [(r[0], r[1], r[2]) for r in rows]


def _titles(server: dict, ids: list[int]) -> list[str]:
    with server["app"].app_context():
        return [db.session.get(Initiative, i).title for i in ids]


def test_points_ballot_without_javascript(server, new_page) -> None:
    round_id = _make(server, "points")
    code = _spare_code(0)
    page = _plain_page(new_page)
    _enter_plain(page, server, round_id, code)
    expect(page.get_by_text("U heeft 10 punten. Verdeel ze over minstens 2 plannen")).to_be_visible()
    inputs = page.locator(".ballot-options input[type=number]")
    a, b, c = _plan_ids(inputs)[:3]
    page.locator(f"#ini-{a}").fill("7")
    page.locator(f"#ini-{b}").fill("5")
    # Typing changes nothing without htmx; the recount button asks the server for the whole page.
    _post(page, "Tel mijn punten", re.compile(r"/stembiljet/meter$"), 200)
    expect(page.locator("#ballot-meter")).to_contain_text("gegeven 12 van 10, aan 2 plannen")
    expect(page.locator("#ballot-meter")).to_contain_text("2 punten te veel")
    expect(page.locator(f"#ini-{a}")).to_have_value("7")
    assert _stored(server, code) == []
    # Too many points: the form error, the points as given, nothing stored.
    _post(page, "Stem", BALLOT_URL, 422)
    expect(page.locator(".form-errors")).to_contain_text("U gaf 12 punten, maar u mag er hoogstens 10 verdelen")
    expect(page.locator(f"#ini-{b}")).to_have_value("5")
    assert _stored(server, code) == []
    page.locator(f"#ini-{b}").fill("2")
    page.locator(f"#ini-{c}").fill("1")
    _post(page, "Stem", re.compile(r"/stemmen/\d+/bevestiging$"), 200)
    expect(page.get_by_role("heading", name="Uw stem is ontvangen")).to_be_visible()
    expect(page.locator(".receipt-code")).to_be_visible()
    expect(page.get_by_text("Samen: 10 van 10 punten.")).to_be_visible()
    chosen = page.locator("main ul li")
    expect(chosen).to_have_count(3)
    for k, (title, points) in enumerate(zip(_titles(server, [a, b, c]), (7, 2, 1), strict=True)):
        expect(chosen.nth(k)).to_contain_text(title)
        expect(chosen.nth(k)).to_contain_text(f": {points} punten")
    given = sorted({a: 7, b: 2, c: 1}.items())  # a points ballot is stored in plan id order
    assert _stored(server, code) == [(plan, k, points) for k, (plan, points) in enumerate(given)]


def test_ranked_ballot_without_javascript(server, new_page) -> None:
    round_id = _make(server, "ranked")
    code = _spare_code(1)
    page = _plain_page(new_page)
    _enter_plain(page, server, round_id, code)
    expect(page.get_by_text("Zet hoogstens 3 plannen op volgorde")).to_be_visible()
    selects = page.locator(".ballot-options select")
    a, b, c = _plan_ids(selects)[:3]
    # A rank used twice: the form error, the places as given, nothing stored.
    page.locator(f"#ini-{a}").select_option("1")
    page.locator(f"#ini-{b}").select_option("1")
    _post(page, "Stem", BALLOT_URL, 422)
    expect(page.locator(".form-errors")).to_contain_text("U zette 2 plannen op plaats 1")
    expect(page.locator(f"#ini-{a}")).to_have_value("1")
    expect(page.locator(f"#ini-{b}")).to_have_value("1")
    assert _stored(server, code) == []
    page.locator(f"#ini-{a}").select_option("2")
    page.locator(f"#ini-{c}").select_option("3")
    # The order shown by the server (no JavaScript), before anything is stored.
    _post(page, "Toon mijn volgorde", re.compile(r"/stembiljet/meter$"), 200)
    order = _titles(server, [b, a, c])
    listed = page.locator("#ballot-meter ol.ranked-list li")
    expect(listed).to_have_text(order)
    assert _stored(server, code) == []
    _post(page, "Stem", re.compile(r"/stemmen/\d+/bevestiging$"), 200)
    expect(page.locator(".receipt-code")).to_be_visible()
    chosen = page.locator("main ol li")
    expect(chosen).to_have_count(3)
    for k, title in enumerate(order):
        expect(chosen.nth(k)).to_contain_text(title)
    # First choice at position 0 with k points, then one fewer per place.
    assert _stored(server, code) == [(b, 0, 3), (a, 1, 2), (c, 2, 1)]
