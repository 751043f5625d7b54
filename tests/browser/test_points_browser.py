"""Points and ranked ballots in a real browser: axe-core finds nothing serious, the live points
counter follows typing (htmx), and a ranked ballot is stored in order. (Without JavaScript:
tests/test_points_ranked.py, through the test client.)"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from wijkfonds.demo.voting import ROUND_SLUG as VOTING_SLUG
from wijkfonds.demo.voting import VOTERS_PER_DISTRICT, demo_code
from wijkfonds.extensions import db
from wijkfonds.models import Round

from .conftest import axe_violations, serve_demo, shot


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
