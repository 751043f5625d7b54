"""The needs board in a real browser: axe on every needs page (also at 390 px), herkenbaar with
htmx and without JavaScript, the post form with its errors, staff's matrix and theme page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from wijkfonds.extensions import db
from wijkfonds.models import Need

from .conftest import CONTEXT, axe_violations, login, serve_demo, shot

RESIDENT = "bewoner@wijkfonds.nl"  # Sanne de Vries, De Baarsjes
STAFF = "medewerker@wijkfonds.nl"
PHONE = {**CONTEXT, "viewport": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A live server of this module's own (herkenbaar marks change the demo)."""
    with serve_demo(tmp_path_factory.mktemp("needs")) as srv:
        yield srv


def _need_id(server: dict, title: str) -> int:
    with server["app"].app_context():
        return db.session.scalars(select(Need.id).where(Need.title == title)).one()


def check(page: Page, name: str) -> None:
    """Screenshot, then no serious or critical axe violations."""
    shot(page, "needs-" + name)
    assert axe_violations(page) == [], name


def test_the_public_board_and_a_need_pass_axe_on_a_phone(server, new_page) -> None:
    page = new_page(**PHONE)
    page.goto(server["url"] + "/behoeften/")
    expect(page.get_by_role("heading", name="Behoeften en verhalen")).to_be_visible()
    check(page, "board-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    need = _need_id(server, "Een rolstoel lenen voor een paar weken")
    page.goto(server["url"] + f"/behoeften/{need}")
    expect(page.get_by_text("Plannen die dit beantwoorden")).to_be_visible()
    check(page, "detail-phone")


def test_herkenbaar_with_htmx_and_without_javascript(server, new_page) -> None:
    need = _need_id(server, "Geen plek voor tieners om af te spreken")  # Ingrid's, De Baarsjes
    page = new_page()
    login(page, server["url"], RESIDENT)
    page.goto(server["url"] + f"/behoeften/{need}")
    box = page.locator(f"#herkenbaar-{need}")
    before = box.locator(".support-count").inner_text()
    page.get_by_role("button", name="Herkenbaar").click()
    expect(box.get_by_role("button", name="Herkenbaar terugnemen")).to_be_visible()
    assert box.locator(".support-count").inner_text() != before
    check(page, "detail-recognised")
    page.get_by_role("button", name="Herkenbaar terugnemen").click()
    expect(box.get_by_role("button", name="Herkenbaar", exact=False).first).to_be_visible()

    plain = new_page(java_script_enabled=False)
    login(plain, server["url"], RESIDENT)
    plain.goto(server["url"] + f"/behoeften/{need}")
    plain.get_by_role("button", name="Herkenbaar").click()
    expect(plain.locator(".flash-success")).to_contain_text("U herkent deze behoefte.")


def test_the_post_form_with_its_errors_and_a_posted_need(server, new_page) -> None:
    page = new_page()
    login(page, server["url"], RESIDENT)
    page.goto(server["url"] + "/behoeften/nieuw")
    check(page, "form")
    page.get_by_role("button", name="Plaatsen").click()
    expect(page.locator(".field.has-error").first).to_be_visible()
    check(page, "form-errors")
    page.get_by_label("Titel").fill("Een plek om huiswerk te maken")
    page.get_by_label("Wat heeft u nodig, of wat maakte u mee?").fill("Thuis is het te druk om te leren.")
    page.get_by_label("Bouwsteen").select_option(label="Weet ik niet")
    page.get_by_role("button", name="Plaatsen").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.get_by_text("Bouwsteen: weet ik niet")).to_be_visible()


def test_staff_matrix_and_theme_page(server, new_page) -> None:
    page = new_page()
    login(page, server["url"], STAFF)
    page.goto(server["url"] + "/beheer/behoeften")
    expect(page.get_by_role("table")).to_be_visible()
    expect(page.get_by_text("open, zonder plan").first).to_be_visible()
    check(page, "matrix")
    page.goto(server["url"] + "/beheer/behoeften?per=functie")
    check(page, "matrix-functions")
    page.goto(server["url"] + "/beheer/behoeften/thema")
    check(page, "theme")
    phone = new_page(**PHONE)
    login(phone, server["url"], STAFF)
    phone.goto(server["url"] + "/beheer/behoeften")
    check(phone, "matrix-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
