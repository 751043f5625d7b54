"""Who is reached and the public figures in a browser: axe, a 390 px phone, the eligible form.

Own live server (it closes the demo's voting round). In file order: staff enter eligible
numbers (one wrong first) and read the reach page during voting; the public page is
refused; then voting closes and anyone reads the figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from wijkfonds.demo.voting import ROUND_SLUG as VOTING_SLUG
from wijkfonds.extensions import db
from wijkfonds.models import Phase, Round, User
from wijkfonds.services.rounds.admin import advance_phase

from .conftest import axe_violations, login, serve_demo, shot

STAFF = "medewerker@wijkfonds.nl"
PHONE = {"viewport": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A live server of this module's own."""
    with serve_demo(tmp_path_factory.mktemp("figures")) as srv:
        yield srv


@pytest.fixture(scope="module")
def round_id(server) -> int:
    """The demo's voting round."""
    with server["app"].app_context():
        return db.session.scalars(select(Round.id).where(Round.slug == VOTING_SLUG)).one()


def _fits_the_phone(page: Any) -> None:
    """Nothing wider than the 390 px screen (no sideways scrolling of the page)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 390)"
        ".slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
    )
    assert width <= 390, f"page is {width}px wide: {wide}"


def _check(page: Any, name: str) -> None:
    shot(page, "figures-" + name)
    assert axe_violations(page) == [], name


def test_staff_enter_numbers_and_see_who_falls_behind(server, new_page, round_id) -> None:
    page = new_page(**PHONE)
    login(page, server["url"], STAFF)
    page.goto(f"{server['url']}/beheer/bereik/ronde/{round_id}/kiesgerechtigden")
    page.get_by_label("Westerpark").fill("-3")
    page.get_by_label("De Baarsjes").fill("1.200")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het aantal mag niet negatief zijn.")).to_be_visible()
    expect(page.get_by_label("Westerpark")).to_have_attribute("aria-invalid", "true")
    _fits_the_phone(page)
    _check(page, "eligible-error")
    # 120 ballots in each demo district: Westerpark's 5.000 make it fall behind.
    page.get_by_label("Westerpark").fill("5000")
    page.get_by_label("Oud-West").fill("1300")
    page.get_by_label("Bos en Lommer").fill("1400")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De aantallen zijn opgeslagen.")).to_be_visible()
    expect(page.get_by_text("Gebieden die achterlopen:")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Westerpark (2,4 %)")
    expect(page.locator("main svg").first).to_be_visible()
    _fits_the_phone(page)
    _check(page, "staff-reach")


def test_public_page_waits_for_close(server, new_page, round_id) -> None:
    page = new_page()
    response = page.goto(f"{server['url']}/cijfers/ronde/{round_id}")
    assert response is not None and response.status == 404
    expect(page.locator("main")).to_contain_text("als het stemmen gesloten is")
    expect(page.locator("main svg")).to_have_count(0)


def test_public_figures_after_close(server, new_page, round_id) -> None:
    with server["app"].app_context():
        staff = db.session.scalars(select(User).where(User.email == STAFF)).one()
        advance_phase(db.session.get_one(Round, round_id), Phase.RESULTS, actor=staff)
        db.session.commit()
    page = new_page(**PHONE)
    page.goto(f"{server['url']}/uitslag/")
    page.get_by_role("link", name=f"Opkomst: {db_name(server, round_id)}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Opkomst")
    expect(page.locator("main")).to_contain_text("Stemmen samen: 480")
    expect(page.locator("main")).to_contain_text("loopt achter")
    _fits_the_phone(page)
    _check(page, "public")


def db_name(server: dict, round_id: int) -> str:
    """The round's name."""
    with server["app"].app_context():
        return db.session.get_one(Round, round_id).name
