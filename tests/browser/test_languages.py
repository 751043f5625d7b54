"""The residents' walk in Arabic (right to left), Turkish and Eenvoudig Nederlands (issue 16.4):
home → plan → code entry → ballot → receipt, on a 390 px phone, with the page's ``lang`` and
``dir``, no sideways scrolling, and axe-core finding no serious or critical violation.

A language runs only when its catalogue is in ``wijkfonds/i18n/translations/<code>/`` (the
site offers it from then on); until the catalogue branches are merged, it is skipped. The
voting-code letter in five languages must print on one A4 page per letter (Chromium's PDF).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from wijkfonds.demo.voting import ROUND_SLUG as VOTING_SLUG
from wijkfonds.demo.voting import VOTERS_PER_DISTRICT, demo_code
from wijkfonds.extensions import db
from wijkfonds.i18n.offer import BY_CODE, has_catalogue
from wijkfonds.models import District, Round

from .conftest import ARTIFACTS, CONTEXT, axe_violations, login, serve_demo, shot

PHONE = {**CONTEXT, "viewport": {"width": 390, "height": 844}}
# Spare demo codes of Westerpark, one per language (the accessibility module uses the first two).
WALKS = {"ar": 5, "tr": 6, "b1": 7}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A live server of this module's own (the walks cast ballots)."""
    with serve_demo(tmp_path_factory.mktemp("languages")) as srv:
        yield srv


def _ids(server: dict) -> dict[str, Any]:
    with server["app"].app_context():
        vote = db.session.scalars(select(Round.id).where(Round.slug == VOTING_SLUG)).one()
        district = db.session.scalars(select(District.id).where(District.slug == "westerpark")).one()
        return {"vote": vote, "district": district}


def check(page: Page, lang: str, step: str) -> None:
    """The page is in ``lang`` with its direction, fits 390 px, and passes axe."""
    language = BY_CODE[lang]
    shot(page, f"lang-{lang}-{step}")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language.html_lang)
    expect(html).to_have_attribute("dir", language.direction)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{lang} {step}: the page is {overflow}px wider than the 390px screen"
    violations = axe_violations(page)
    assert violations == [], f"{lang} {step}: {violations}"


@pytest.mark.parametrize("lang", list(WALKS))
def test_walk_home_plan_code_ballot_receipt(server, new_page, lang: str) -> None:
    if not has_catalogue(lang):
        pytest.skip(f"no catalogue for {lang} yet (wijkfonds/i18n/translations/{lang}/)")
    ids = _ids(server)
    page = new_page(**PHONE)
    base = server["url"]
    page.goto(f"{base}/taal/{lang}?next=/")
    check(page, lang, "home")

    page.locator("main a[href^='/initiatieven/']").first.click()
    expect(page.locator("article.initiative h1")).to_be_visible()
    check(page, lang, "plan")

    page.goto(f"{base}/stemmen/{ids['vote']}/code")
    check(page, lang, "code")
    page.locator("#code").fill(demo_code("westerpark", VOTERS_PER_DISTRICT + WALKS[lang]))
    page.locator("main form input[type=submit]").click()
    expect(page.locator("#ballot-meter")).to_be_visible()
    check(page, lang, "ballot")

    page.locator("input[name=initiative]").first.check()
    page.locator("form.ballot-form button[type=submit]").first.click()
    receipt = page.locator(".receipt-code")
    expect(receipt).to_be_visible()
    assert receipt.get_attribute("dir") == "ltr"
    check(page, lang, "receipt")
    page.locator("a[href*='/stemmen/controle']").first.click()
    expect(page.get_by_role("status")).to_be_visible()
    check(page, lang, "receipt-check")


def test_language_switch_by_keyboard(server, new_page) -> None:
    """Tab reaches the switch on a phone, Enter opens it, and a language is a link away."""
    page = new_page(**PHONE)
    page.goto(server["url"] + "/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    else:
        pytest.fail("the keyboard never reaches the language switch")
    page.keyboard.press("Enter")
    link = page.locator(".lang-list a[hreflang=en]")
    expect(link).to_be_visible()
    shot(page, "lang-switch-open")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    assert axe_violations(page) == [], "the open switch (contrast of its links)"
    page.keyboard.press("Tab")  # into the open list: the first language that is not the page's
    focused = page.evaluate("document.activeElement.getAttribute('href') || ''")
    assert focused.startswith("/taal/"), focused
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_letter_in_five_languages_prints_one_page_per_letter(server, browser) -> None:
    """Staff choose five letter languages; Chromium's PDF of 3 letters has exactly 3 A4 pages."""
    from pypdf import PdfReader

    ids = _ids(server)
    context = browser.new_context(**CONTEXT)
    page = context.new_page()
    try:
        login(page, server["url"], "medewerker@wijkfonds.nl")
        page.goto(server["url"] + "/beheer/stemcodes/brieftalen")
        boxes = page.locator(f"input[name='talen-{ids['district']}']")
        for n in range(boxes.count()):
            boxes.nth(n).check()
        chosen = boxes.count()
        page.locator("main form [type=submit]").click()
        expect(page.locator(".flash")).to_be_visible()
        page.goto(server["url"] + f"/beheer/stemcodes/ronde/{ids['vote']}")
        page.locator("#district").select_option(str(ids["district"]))
        page.locator("#count").fill("3")
        page.locator("input[name=fmt][value=letters]").check()
        page.locator("main form [type=submit]").first.click()
        page.locator("main form [type=submit]").first.click()  # the confirmation page
        expect(page.locator("article.letter")).to_have_count(3)
        assert page.locator("article.letter").first.locator(".letter-lang").count() == chosen
        shot(page, "lang-letters")
        pdf = page.pdf(format="A4", print_background=False)
        (ARTIFACTS / "lang-letters.pdf").write_bytes(pdf)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        assert pages == 3, f"3 letters with {chosen} extra languages printed on {pages} A4 pages"
    finally:
        context.close()
