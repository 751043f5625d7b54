"""The year report in a browser: axe, a 390 px phone, and the page as printed (the demo's past year)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from wijkfonds.demo.implementation import ROUND_SLUG
from wijkfonds.extensions import db
from wijkfonds.models import Round

from .conftest import ARTIFACTS, axe_violations, shot

PHONE = {"viewport": {"width": 390, "height": 844}}


def _round_id(live_server: dict) -> int:
    with live_server["app"].app_context():
        return db.session.scalars(select(Round.id).where(Round.slug == ROUND_SLUG)).one()


def _fits_the_phone(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide"


def test_the_report_page_is_accessible_fits_a_phone_and_prints_without_menu(live_server, new_page) -> None:
    base, rid = live_server["url"], _round_id(live_server)
    page = new_page(**PHONE)
    page.goto(f"{base}/verslag/ronde/{rid}")
    assert page.get_by_role("heading", level=1).inner_text() == "Wat is er met uw stem gebeurd?"
    assert page.locator("svg.chart[role=img]").count() >= 4
    _fits_the_phone(page)
    shot(page, "report-phone")
    assert axe_violations(page) == []

    desk = new_page(viewport={"width": 1280, "height": 900})
    desk.goto(f"{base}/verslag/ronde/{rid}")
    shot(desk, "report-desktop")
    desk.emulate_media(media="print")
    assert not desk.locator(".site-header").is_visible()
    assert not desk.locator(".no-print").first.is_visible()
    after = desk.evaluate("getComputedStyle(document.querySelector('.report-plans a'), '::after').content")
    assert "/initiatieven/" in after and after.count("http") == 1  # the link's full address is printed
    ARTIFACTS.mkdir(exist_ok=True)
    desk.pdf(path=str(ARTIFACTS / "report-print.pdf"), format="A4")
    desk.screenshot(path=str(ARTIFACTS / "report-print.png"), full_page=True)

    district = new_page(**PHONE)
    district.goto(f"{base}/verslag/ronde/{rid}")
    district.locator("section.no-print a").first.click()
    district.wait_for_load_state()
    assert "/gebied/" in district.url
    _fits_the_phone(district)
    assert axe_violations(district) == []
