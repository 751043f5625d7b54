"""axe-core on every main page, for every audience: zero serious or critical violations.

This module has its own live server (the end-to-end story changes the shared one), and
its tests run in file order: first the pages of a round in its voting phase, then the
round is closed and computed (set up directly through the services, which the
end-to-end story already drives through the UI) for the result pages, and last a round
with theme nominations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from wijkfonds.common.timeutil import utcnow
from wijkfonds.demo.load import ROUND_SLUG as SUBMISSION_SLUG
from wijkfonds.demo.voting import ROUND_SLUG as VOTING_SLUG
from wijkfonds.demo.voting import VOTERS_PER_DISTRICT, demo_code
from wijkfonds.extensions import db
from wijkfonds.models import (
    BuildingBlock,
    Comment,
    District,
    Initiative,
    Photo,
    Round,
    Theme,
    ThemeNomination,
    User,
)

from .conftest import CONTEXT, axe_violations, in_app, login, serve_demo, shot, slug, visit

AUTHOR = "fatima"  # a demo resident with several plans in the submission round


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A live server of this module's own (the end-to-end story changes the shared one)."""
    with serve_demo(tmp_path_factory.mktemp("a11y")) as srv:
        yield srv


@pytest.fixture(scope="module")
def ids(server) -> dict[str, Any]:
    """Ids and e-mail addresses the page paths need."""

    def look() -> dict[str, Any]:
        def round_id(slug: str) -> int:
            return db.session.scalars(select(Round.id).where(Round.slug == slug)).one()

        sub = round_id(SUBMISSION_SLUG)
        author = db.session.scalars(select(User).where(User.email.like(f"{AUTHOR}.%"))).one()
        own = db.session.scalars(
            select(Initiative.id)
            .where(Initiative.author_id == author.id, Initiative.round_id == sub)
            .order_by(Initiative.id)
        ).first()
        busiest = db.session.execute(
            select(Comment.initiative_id, func.count()).group_by(Comment.initiative_id).order_by(func.count().desc())
        ).first()[0]
        other_comment = db.session.scalars(
            select(Comment.id).where(Comment.author_id != author.id).order_by(Comment.id)
        ).first()
        return {
            "sub": sub,
            "vote": round_id(VOTING_SLUG),
            "author": author.email,
            "own": own,
            "detail": busiest,
            "comment": other_comment,
            "block": db.session.scalars(select(BuildingBlock.id).order_by(BuildingBlock.id)).first(),
            "district": db.session.scalars(select(District.id).order_by(District.id)).first(),
            "voted_plan": db.session.scalars(
                select(Initiative.id).where(Initiative.round_id == round_id(VOTING_SLUG))
            ).first(),
        }

    return in_app(server, look)


@pytest.fixture(scope="module")
def as_role(browser, server) -> Iterator[Any]:
    """One logged-in page per account, kept for the module (logging in once per role)."""
    pages: dict[str, Any] = {}

    def get(email: str | None) -> Any:
        key = email or ""
        if key not in pages:
            pages[key] = browser.new_context(**CONTEXT).new_page()
            if email:
                login(pages[key], server["url"], email)
        return pages[key]

    yield get
    for p in pages.values():
        p.context.close()


def check(page: Page, name: str) -> None:
    """Screenshot the page, then expect no serious or critical axe violations."""
    shot(page, "a11y-" + name)
    violations = axe_violations(page)
    assert violations == [], f"{name}: {violations}"


PUBLIC = [
    "/",
    "/initiatieven/{detail}",
    "/account/login",
    "/account/registreren",
    "/stemmen/",
    "/stemmen/{vote}/code",
    "/stemmen/controle",
    "/themas/",
    "/uitslag/",
    "/privacy/",
]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages(server, as_role, ids, path: str) -> None:
    page = as_role(None)
    visit(page, server, path, ids)
    check(page, "public-" + slug(path))


def test_not_found_page(server, as_role, ids) -> None:
    page = as_role(None)
    visit(page, server, "/bestaat-niet", ids, status=404)
    check(page, "public-404")


def test_english_pages(server, new_page, ids) -> None:
    """After switching to English the pages say so (lang) and stay free of violations."""
    page = new_page()
    visit(page, server, "/stemmen/", ids)
    page.locator(".lang-menu summary").click()  # the language switch opens like a menu
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Stemmen")
    check(page, "english-vote-index")
    for path in ("/", "/initiatieven/{detail}", "/stemmen/{vote}/code"):
        visit(page, server, path, ids)
        check(page, "english-" + slug(path))


def test_voting_pages(server, new_page, ids) -> None:
    """Code entry (also with an error), ballot, meter after a tick, confirmation, receipt check."""
    page = new_page()
    visit(page, server, "/stemmen/{vote}/code", ids)
    page.get_by_label("Stemcode").fill("FOUT")
    page.get_by_role("button", name="Verder naar het stembiljet").click()
    expect(page.locator(".has-error")).to_be_visible()
    check(page, "vote-code-error")
    page.get_by_label("Stemcode").fill(demo_code("westerpark", VOTERS_PER_DISTRICT))
    page.get_by_role("button", name="Verder naar het stembiljet").click()
    expect(page.locator("#ballot-meter")).to_be_visible()
    check(page, "vote-ballot")
    page.locator("input[name=initiative]").first.check()
    expect(page.locator("#ballot-meter")).not_to_contain_text("Gekozen: € 0.")
    check(page, "vote-ballot-ticked")
    page.get_by_role("button", name="Stem", exact=True).click()
    expect(page.locator(".receipt-code")).to_be_visible()
    check(page, "vote-confirmation")
    page.get_by_role("link", name="Controleer uw ontvangstcode").click()
    expect(page.get_by_role("status")).to_contain_text("Deze stem telt mee.")
    check(page, "vote-receipt-counted")
    visit(page, server, "/stemmen/controle?code=ABCDEFGHJKLM", ids, status=200)
    check(page, "vote-receipt-unknown")


def test_keyboard_skip_link(server, new_page, ids) -> None:
    page = new_page()
    visit(page, server, "/", ids)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    assert page.evaluate("document.activeElement.textContent.trim()") == "Naar de inhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_keyboard_ticks_ballot_and_meter_updates(server, new_page, ids) -> None:
    page = new_page()
    visit(page, server, "/stemmen/{vote}/code", ids)
    page.get_by_label("Stemcode").fill(demo_code("westerpark", VOTERS_PER_DISTRICT + 1))
    page.keyboard.press("Enter")  # submits the code form from the keyboard
    meter = page.locator("#ballot-meter")
    expect(meter).to_contain_text("Gekozen: € 0.")
    boxes = page.locator("input[name=initiative]")
    ticked: list[str] = []
    for n in range(2):
        target = boxes.nth(n).get_attribute("id")
        for _ in range(60):  # Tab until the checkbox has the focus; fails if it never does
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == target:
                break
        else:
            pytest.fail(f"the keyboard never reaches #{target}")
        before = meter.inner_text()
        page.keyboard.press("Space")
        expect(boxes.nth(n)).to_be_checked()
        expect(meter).not_to_have_text(before)
        ticked.append(target)
    costs = [int(re.sub(r"\D", "", page.locator(f"label[for={t}]").inner_text().rpartition("·")[2])) for t in ticked]
    expect(meter).to_contain_text("Gekozen: € " + f"{sum(costs):,}".replace(",", ".") + ".")
    shot(page, "a11y-keyboard-ballot")


RESIDENT = [
    "/initiatieven/nieuw",
    "/initiatieven/mijn",
    "/initiatieven/{own}/bewerken",
    "/initiatieven/{own}/intrekken",
    "/initiatieven/reacties/{comment}/melden",
    "/stemmen/",
    "/stemmen/{vote}/stembiljet",
    "/privacy/mijn-gegevens",
    "/privacy/account-verwijderen",
]


@pytest.mark.parametrize("path", RESIDENT)
def test_resident_pages(server, as_role, ids, path: str) -> None:
    page = as_role(ids["author"])
    visit(page, server, path, ids)
    check(page, "resident-" + slug(path))


def test_resident_form_errors_and_comment(server, as_role, ids) -> None:
    """The submit form with every error shown, and a comment posted with htmx."""
    page = as_role(ids["author"])
    visit(page, server, "/initiatieven/nieuw", ids)
    page.get_by_role("button", name="Plan indienen").click()
    expect(page.locator(".field.has-error").first).to_be_visible()
    check(page, "resident-submit-errors")
    visit(page, server, "/initiatieven/{detail}", ids)
    page.locator("#body-nieuw").fill("Goed plan, ik help graag mee.")
    page.get_by_role("button", name="Reactie plaatsen").click()
    expect(page.locator("#dialoog")).to_contain_text("Goed plan, ik help graag mee.")
    check(page, "resident-commented")


def test_photo_pages(server, as_role, ids) -> None:
    """A plan's photo page (empty, with an error, with a photo), the plan with its photo, staff's photo pages."""
    from tests import factories_media as fm

    alt = "Een tafel vol groente op een binnenplaats"
    page = as_role(ids["author"])
    visit(page, server, "/initiatieven/{own}/fotos", ids)
    check(page, "resident-photos-empty")
    page.get_by_label("Foto (niet verplicht)").set_input_files(
        {"name": "tafel.png", "mimeType": "image/png", "buffer": fm.png()}
    )
    page.get_by_role("button", name="Foto toevoegen").click()
    expect(page.locator("#photo_alt-error")).to_be_visible()
    check(page, "resident-photos-error")
    page.get_by_label("Wat is er op de foto te zien?").fill(alt)
    page.get_by_role("button", name="Foto toevoegen").click()
    expect(page.locator(".flash-success")).to_contain_text("De foto is toegevoegd.")
    expect(page.get_by_role("img", name=alt)).to_be_visible()
    check(page, "resident-photos-one")
    visit(page, server, "/initiatieven/{own}", ids)
    expect(page.get_by_role("img", name=alt)).to_be_visible()
    check(page, "resident-plan-with-photo")
    photo_id = in_app(server, lambda: db.session.scalars(select(Photo.id).where(Photo.alt == alt)).one())
    staff = as_role("medewerker@wijkfonds.nl")
    visit(staff, server, "/moderatie/fotos/", ids)
    check(staff, "staff-photo-queue")
    visit(staff, server, f"/moderatie/fotos/{photo_id}", ids)
    staff.get_by_role("button", name="Foto verbergen").click()  # without a reason: the error is shown
    expect(staff.locator(".field.has-error")).to_be_visible()
    check(staff, "staff-photo-hide-error")


STAFF = [
    "/beheer/rondes/",
    "/beheer/rondes/nieuw",
    "/beheer/rondes/{sub}",
    "/beheer/rondes/{sub}/bewerken",
    "/beheer/rondes/{vote}",
    "/beheer/rondes/{vote}/bewerken",
    "/beheer/beoordeling/",
    "/beheer/beoordeling/ronde/{sub}",
    "/beheer/beoordeling/plan/{own}",
    "/beheer/beoordeling/plan/{own}/tekst",
    "/beheer/stemcodes/",
    "/beheer/stemcodes/ronde/{vote}",
    "/beheer/stemcodes/ronde/{vote}/papier",
    "/beheer/stemcodes/ronde/{vote}/opkomst",
    "/beheer/toewijzing/",
    "/beheer/toewijzing/ronde/{vote}",
    "/beheer/toewijzing/importeren",
    "/moderatie/",
    "/moderatie/reacties/{comment}",
    "/beheer/bouwstenen",
    "/beheer/bouwstenen/nieuw",
    "/beheer/bouwstenen/{block}",
    "/beheer/achtergrond/",
]


@pytest.mark.parametrize("path", STAFF)
def test_staff_pages(server, as_role, ids, path: str) -> None:
    page = as_role("medewerker@wijkfonds.nl")
    visit(page, server, path, ids)
    check(page, "staff-" + slug(path))


def test_staff_round_form_with_errors(server, as_role, ids) -> None:
    """The round form with field errors (in the budget table too) after a bad save."""
    page = as_role("medewerker@wijkfonds.nl")
    visit(page, server, "/beheer/rondes/{sub}/bewerken", ids)
    page.get_by_label("Steundrempel").fill("veel")
    page.locator("input[name^=budget_]").first.fill("12,50")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("td .error").first).to_be_visible()
    expect(page.locator("input[name^=budget_]").first).to_have_attribute("aria-invalid", "true")
    check(page, "staff-round-form-errors")


# The exports of a round that is still voting answer 409 with an explanation page.
AUDITOR = [("/controle/", 200), ("/controle/ronde/{vote}", 409), ("/controle/logboek", 200)]


@pytest.mark.parametrize(("path", "status"), AUDITOR)
def test_auditor_pages(server, as_role, ids, path: str, status: int) -> None:
    page = as_role("auditor@wijkfonds.nl")
    visit(page, server, path, ids, status=status)
    check(page, "auditor-" + slug(path))


ADMIN = [
    "/beheer/",
    "/beheer/accounts",
    "/beheer/accounts/nieuw",
    "/beheer/gebieden",
    "/beheer/gebieden/nieuw",
    "/beheer/gebieden/{district}",
]


@pytest.mark.parametrize("path", ADMIN)
def test_admin_pages(server, as_role, ids, path: str) -> None:
    page = as_role("beheer@wijkfonds.nl")
    visit(page, server, path, ids)
    check(page, "admin-" + slug(path))


def test_review_pages_with_decision_forms(server, as_role, review_phase) -> None:
    """The queue and one plan with their decision forms, before and after an htmx decision."""
    page = as_role("medewerker@wijkfonds.nl")
    visit(page, server, "/beheer/beoordeling/ronde/{sub}", review_phase)
    expect(page.locator("form.review-form").first).to_be_visible()
    check(page, "staff-review-queue-open")
    item = page.locator("article.review-item").first
    item.get_by_label("Niet haalbaar", exact=True).check()
    item.get_by_role("button", name="Besluit opslaan").click()
    expect(item.locator(".error").first).to_be_visible()  # a reason is needed: errors in the swapped row
    check(page, "staff-review-queue-errors")
    item.get_by_label("Haalbaar: op de stemlijst").check()
    item.get_by_role("button", name="Besluit opslaan").click()
    expect(item.get_by_role("status")).to_have_text("Het besluit is opgeslagen.")
    check(page, "staff-review-queue-saved")
    visit(page, server, "/beheer/beoordeling/plan/{own}", review_phase)
    check(page, "staff-review-item")


AFTER_RESULTS = [
    ("staff", "/beheer/toewijzing/ronde/{vote}"),
    ("staff", "/beheer/toewijzing/berekening/{greedy}"),
    ("staff", "/beheer/toewijzing/berekening/{ilp}"),
    ("staff", "/beheer/toewijzing/ronde/{vote}/vergelijken?a={greedy}&b={ilp}"),
    ("staff", "/beheer/stemcodes/ronde/{vote}/opkomst"),
    ("auditor", "/controle/ronde/{vote}"),
    ("public", "/uitslag/"),
    ("public", "/uitslag/{vote}"),
    ("public", "/uitslag/initiatief/{voted_plan}"),
    ("public", "/initiatieven/{voted_plan}"),
    ("public", "/stemmen/"),
]
ACCOUNTS = {"staff": "medewerker@wijkfonds.nl", "auditor": "auditor@wijkfonds.nl", "public": None}


@pytest.mark.parametrize(("who", "path"), AFTER_RESULTS)
def test_pages_with_a_published_result(server, as_role, results, who: str, path: str) -> None:
    page = as_role(ACCOUNTS[who])
    visit(page, server, path, results)
    if path == "/uitslag/{vote}":
        expect(page.locator("main svg").first).to_be_visible()
    check(page, f"results-{who}-" + slug(path))


@pytest.fixture(scope="module")
def nominations(server, ids) -> dict[str, Any]:
    """A round in its theme-nomination phase with one proposed theme."""

    def make() -> dict[str, Any]:
        now = utcnow().replace(microsecond=0)
        author = db.session.scalars(select(User).where(User.email == ids["author"])).one()
        rnd = Round(
            slug="a11y-thema-ronde",
            name="Thema's kiezen 2028",
            total_budget=100_000,
            nomination_start=now - timedelta(days=1),
            submission_start=now + timedelta(days=10),
            review_start=now + timedelta(days=20),
            voting_start=now + timedelta(days=30),
            results_start=now + timedelta(days=40),
        )
        rnd.themes = list(db.session.scalars(select(Theme)))
        db.session.add(rnd)
        db.session.flush()
        nom = ThemeNomination(
            round_id=rnd.id,
            author_id=author.id,
            title="Eenzaamheid onder ouderen",
            description="Veel ouderen in de buurt zien weinig mensen.",
        )
        db.session.add(nom)
        db.session.flush()
        return {"nom_round": rnd.id, "nomination": nom.id}

    return {**ids, **in_app(server, make)}


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("public", "/themas/"),
        ("public", "/themas/ronde/{nom_round}"),
        ("public", "/themas/voorstel/{nomination}"),
        ("resident", "/themas/ronde/{nom_round}"),
        ("resident", "/themas/voorstel/{nomination}"),
        ("staff", "/themas/ronde/{nom_round}"),
    ],
)
def test_theme_nomination_pages(server, as_role, nominations, who: str, path: str) -> None:
    account = {"public": None, "resident": nominations["author"], "staff": "medewerker@wijkfonds.nl"}[who]
    page = as_role(account)
    visit(page, server, path, nominations)
    check(page, f"themes-{who}-" + slug(path))
