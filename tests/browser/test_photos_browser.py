"""Photos in a real browser: a resident submits a plan with a photo and sees it on the plan's
page and in the list; once the plan is on the ballot its card shows the photo, reading the
whole plan inside the card keeps the ticks, and the vote counts the ticked plan; staff hide the
photo and the public no longer gets it. axe checks the ballot with photo cards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests import factories_media as fm
from wijkfonds.demo.load import ROUND_SLUG
from wijkfonds.extensions import db
from wijkfonds.models import Initiative, Phase, Photo, Round, User

from .conftest import CONTEXT, axe_violations, in_app, login, serve_demo, shot

TITLE = "Bankjes rond de plataan"
ALT = "Een plataan op een plein met twee lege houten bankjes eronder"
DESCRIPTION = "Vier bankjes rond de oude plataan, zodat ouderen er in de schaduw kunnen uitrusten."
RESIDENT = "bewoner@wijkfonds.nl"  # De Baarsjes


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A live server of this module's own: it moves the submission round to voting."""
    with serve_demo(tmp_path_factory.mktemp("photos")) as srv:
        yield srv


@pytest.fixture(scope="module")
def story() -> dict[str, Any]:
    """What the first step leaves for the next ones."""
    return {}


def test_a_resident_submits_a_plan_with_a_photo(server, page: Page, story) -> None:
    base = server["url"]
    login(page, base, RESIDENT)
    page.get_by_role("link", name="Plan indienen").click()
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Korte samenvatting").fill("Bankjes in de schaduw voor wie even wil zitten.")
    page.get_by_label("Beschrijving").fill(DESCRIPTION)
    page.get_by_label("Gevraagd bedrag in hele euro's").fill("2.400")
    page.get_by_label("Gebied", exact=True).select_option(label="De Baarsjes")
    page.get_by_label("Thema").select_option(index=1)
    page.get_by_label("Bouwsteen").select_option(index=1)
    page.get_by_label("Foto (niet verplicht)").set_input_files(
        {"name": "plataan.jpg", "mimeType": "image/jpeg", "buffer": fm.jpeg_with_gps()}
    )
    # Without alt text the form says so, and keeps the photo for the next try.
    page.get_by_role("button", name="Plan indienen").click()
    expect(page.locator("#photo_alt-error")).to_contain_text("Beschrijf in een zin wat er op de foto te zien is")
    expect(page.get_by_role("status").filter(has_text="Uw foto is ontvangen")).to_be_visible()
    expect(page.get_by_label("Titel")).to_have_value(TITLE)
    shot(page, "photos-01-alt-missing")
    page.get_by_label("Wat is er op de foto te zien?").fill(ALT)
    page.get_by_role("button", name="Plan indienen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    photo = page.get_by_role("img", name=ALT)
    expect(photo).to_be_visible()
    assert photo.evaluate("i => i.decode().then(() => i.naturalWidth)") > 0
    shot(page, "photos-02-plan-page")
    story["initiative_id"] = int(page.url.rsplit("/", 1)[1])
    story["src"] = photo.evaluate("i => i.currentSrc")

    page.goto(base + "/")
    card = page.locator("article.initiative-card", has=page.get_by_role("link", name=TITLE))
    expect(card.get_by_role("img", name=ALT)).to_be_visible()
    shot(page, "photos-03-overview")

    def stored() -> tuple[str, str]:
        row = db.session.scalars(select(Photo).where(Photo.alt == ALT)).one()  # the demo's own photos aside
        return row.alt, row.fmt

    assert in_app(server, stored) == (ALT, "jpeg")


def test_b_the_plan_goes_on_the_ballot(server, story) -> None:
    """Staff's steps (driven through the UI in test_e2e.py) taken through the services."""
    from wijkfonds.services.rounds.admin import advance_phase
    from wijkfonds.services.rounds.review import Decision, decide, start_review

    ini_id = story["initiative_id"]

    def to_voting() -> None:
        staff = db.session.scalars(select(User).where(User.email == "medewerker@wijkfonds.nl")).one()
        rnd = db.session.scalars(select(Round).where(Round.slug == ROUND_SLUG)).one()
        rnd.support_threshold = 0
        rnd.voter_access = "account"  # residents vote with their (confirmed) account, no letters
        advance_phase(rnd, Phase.REVIEW, actor=staff)
        start_review(rnd, actor=staff)
        decide(db.session.get(Initiative, ini_id), Decision("feasible", "2400"), actor=staff)
        advance_phase(rnd, Phase.VOTING, actor=staff)
        story["round_id"] = rnd.id

    in_app(server, to_voting)


def test_c_the_ballot_card_shows_the_photo_and_reading_the_plan_keeps_the_tick(server, page: Page, story) -> None:
    base, ini_id = server["url"], story["initiative_id"]
    login(page, base, RESIDENT)
    page.goto(f"{base}/stemmen/{story['round_id']}/stembiljet")
    card = page.locator(".ballot-option", has=page.locator(f"#ini-{ini_id}"))
    img = card.get_by_role("img", name=ALT)
    expect(img).to_be_visible()
    assert img.get_attribute("loading") == "lazy" and img.get_attribute("srcset")
    assert int(img.get_attribute("width")) > 0 and int(img.get_attribute("height")) > 0
    expect(card).to_contain_text("€ 2.400")
    expect(card).to_contain_text("Gebied: De Baarsjes")
    expect(card).to_contain_text("Bouwsteen:")
    page.locator(f"#ini-{ini_id}").check()
    expect(page.locator("#ballot-meter")).to_contain_text("Gekozen: € 2.400.")
    card.get_by_text("Lees het hele plan").click()
    expect(card.locator("details")).to_have_attribute("open", "")
    expect(card.get_by_text(DESCRIPTION)).to_be_visible()
    expect(
        card.get_by_role("link", name="De pagina van dit plan, met reacties (opent in nieuw venster)")
    ).to_have_attribute("target", "_blank")
    expect(page.locator(f"#ini-{ini_id}")).to_be_checked()
    shot(page, "photos-04-ballot-card-open")
    violations = axe_violations(page)
    assert violations == [], violations
    page.get_by_role("button", name="Stem", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw stem is ontvangen")
    expect(page.locator("main ul").first).to_contain_text(TITLE)  # the tick survived reading the plan
    with page.expect_download() as info:
        page.get_by_role("link", name="Bewaar de code als bestand").click()
    saved = info.value.path().read_text(encoding="utf-8")
    assert page.locator(".receipt-code strong").inner_text().strip() in saved and TITLE not in saved
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Klaar, sluit af")).to_be_hidden()
    expect(page.locator(".receipt-code")).to_be_visible()
    shot(page, "photos-05-receipt-print")


def test_d_staff_hide_the_photo_and_the_public_no_longer_gets_it(server, page: Page, browser, story) -> None:
    base, ini_id = server["url"], story["initiative_id"]
    login(page, base, "medewerker@wijkfonds.nl")
    page.goto(f"{base}/initiatieven/{ini_id}")
    page.get_by_role("link", name="Moderatie: verbergen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Foto beoordelen")
    violations = axe_violations(page)
    assert violations == [], violations
    page.get_by_label("Reden (wordt getoond in plaats van de foto)").fill("Er staat een kenteken op")
    page.get_by_role("button", name="Foto verbergen").click()
    expect(page.get_by_role("heading", name="Deze foto is verborgen")).to_be_visible()
    shot(page, "photos-06-hidden")
    public = browser.new_context(**CONTEXT).new_page()
    try:
        public.goto(f"{base}/initiatieven/{ini_id}")
        expect(
            public.get_by_text("Deze foto is verborgen door een moderator: Er staat een kenteken op")
        ).to_be_visible()
        assert public.get_by_role("img", name=ALT).count() == 0
        assert public.request.get(story["src"]).status == 404
        assert page.request.get(story["src"]).status == 200  # staff still see it
    finally:
        public.context.close()
