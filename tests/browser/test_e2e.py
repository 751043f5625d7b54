"""One story through the real UI: submit, review, vote (with and without JavaScript), compute, publish, audit.

The steps share the session's live server and run in file order; each one needs what the
previous steps left behind (``story``), so a failing step stops the rest with a clear
message. The database is only read, to check what the pages claim.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from tests import factories_media as fm
from wijkfonds.allocation.pabulib import read_pb
from wijkfonds.demo.voting import ROUND_NAME as VOTING_ROUND
from wijkfonds.demo.voting import VOTERS_PER_DISTRICT, demo_code
from wijkfonds.extensions import db
from wijkfonds.models import AllocationRun, Ballot, Comment, District, Initiative, Round
from wijkfonds.services.results.publication import published_run

from .conftest import login, shot

SUBMISSION_ROUND = "West Begroot 2027"
TITLE = "Boekenkast op het Ten Kateplein"
COMMENT = "Ik wil elke zaterdag helpen met het sorteren van de boeken."
ESTIMATE = 3_800
LONG = 60_000  # ms: a background run on this 2-core machine, with margin
PHOTO_ALT = "Een open boekenkast op een plein, met een bankje ernaast"


@pytest.fixture(scope="module")
def story() -> dict[str, Any]:
    """What earlier steps left for later ones (ids, codes, receipts)."""
    return {}


def need(story: dict[str, Any], key: str) -> Any:
    """A value an earlier step should have stored; fail clearly when that step did not finish."""
    if key not in story:
        pytest.fail(f"an earlier step of the story did not finish (missing {key!r})")
    return story[key]


T = TypeVar("T")


def read(live_server: dict, fn: Callable[[], T]) -> T:
    """Run fn() in an app context of the live server (reads only)."""
    with live_server["app"].app_context():
        return fn()


def euros(amount: int) -> str:
    """The digits of an amount as the Dutch pages show them (8.400)."""
    return f"{amount:,}".replace(",", ".")


def spent_pattern(amount: int) -> re.Pattern[str]:
    """The meter's 'Gekozen: € X' part for this amount."""
    return re.compile(r"Gekozen:\s*€\s*" + re.escape(euros(amount)) + r"\.")


def options(page: Page) -> list[tuple[str, int, str]]:
    """(checkbox id, cost, title) of every plan on the ballot."""
    out = []
    for box in page.locator("input[name=initiative]").all():
        box_id = box.get_attribute("id")
        label = page.locator(f"label[for={box_id}]").inner_text()
        title, _, cost = label.rpartition("·")
        out.append((box_id, int(re.sub(r"\D", "", cost)), title.strip()))
    return out


def enter_code(page: Page, base: str, code: str) -> None:
    """From the voting index to the ballot with a code from a letter."""
    page.goto(base + "/stemmen/")
    section = page.locator("section.card", has=page.get_by_role("heading", name=VOTING_ROUND))
    section.get_by_role("link", name="Stemmen met de stemcode uit uw brief").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stemmen met een stemcode")
    page.get_by_label("Stemcode").fill(code[:5] + "-" + code[5:])
    page.get_by_role("button", name="Verder naar het stembiljet").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stembiljet")


def loaded_upright(img) -> bool:
    """The image loaded (the browser decoded a real file) and is taller than wide."""
    img.evaluate("i => i.decode()")
    width, height = img.evaluate("i => [i.naturalWidth, i.naturalHeight]")
    return 0 < width < height


def check_receipt(page: Page, base: str, receipt: str) -> None:
    """Type the receipt into the public check form and expect 'counted'."""
    page.goto(base + "/stemmen/controle")
    page.get_by_label("Uw ontvangstcode").fill(receipt)
    page.get_by_role("button", name="Controleer").click()
    expect(page.get_by_role("status")).to_contain_text("Deze stem telt mee.")


def test_a_resident_registers_submits_and_comments(live_server, page, story) -> None:
    base = live_server["url"]
    page.goto(base + "/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Registreren").click()
    page.get_by_label("E-mailadres").fill("ilse.bakker@voorbeeld.nl")
    page.get_by_label("Naam (zichtbaar bij uw reacties)").fill("Ilse Bakker")
    page.get_by_label("Gebied waar u woont").select_option(label="Oud-West")
    page.get_by_label("Wachtwoord (minstens 10 tekens)").fill("boekenkast-2027")
    page.get_by_label("Herhaal het wachtwoord").fill("boekenkast-2027")
    shot(page, "e2e-01-register")
    page.get_by_role("button", name="Account maken").click()
    # The same neutral page for a new address and a taken one; then log in as usual.
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelding ontvangen")
    login(page, base, "ilse.bakker@voorbeeld.nl", "boekenkast-2027")
    expect(page.locator(".nav-user")).to_have_text("Ilse Bakker")

    page.get_by_role("link", name="Plan indienen").click()
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Korte samenvatting").fill("Een open boekenkast waar buren gratis boeken ruilen.")
    page.get_by_label("Beschrijving").fill(
        "Een weerbestendige kast op het plein, met een vaste groep buren die hem bijhoudt."
    )
    page.get_by_label("Gevraagd bedrag in hele euro's").fill("4.500")
    page.get_by_label("Gebied", exact=True).select_option(label="Oud-West")
    page.get_by_label("Thema").select_option(index=1)
    page.get_by_label("Bouwsteen").select_option(index=1)
    page.get_by_label("Plaats (niet verplicht)").fill("Ten Kateplein")
    page.get_by_label("Foto (niet verplicht)").set_input_files(
        {"name": "boekenkast.jpg", "mimeType": "image/jpeg", "buffer": fm.jpeg_with_gps(orientation=6)}
    )
    page.get_by_label("Wat is er op de foto te zien?").fill(PHOTO_ALT)
    shot(page, "e2e-02-submit-form")
    page.get_by_role("button", name="Plan indienen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".flash-success")).to_contain_text("Uw plan is ingediend")
    match = re.search(r"/initiatieven/(\d+)$", page.url)
    assert match, page.url
    story["initiative_id"] = int(match.group(1))
    photo = page.get_by_role("img", name=PHOTO_ALT)
    expect(photo).to_be_visible()
    assert loaded_upright(photo)  # the phone said "turn 90°": stored turned
    shot(page, "e2e-02b-plan-with-photo")
    page.goto(base + "/")
    card = page.locator("article.initiative-card", has=page.get_by_role("link", name=TITLE))
    expect(card.get_by_role("img", name=PHOTO_ALT)).to_be_visible()
    assert loaded_upright(card.get_by_role("img", name=PHOTO_ALT))
    page.goto(f"{base}/initiatieven/{story['initiative_id']}")

    page.locator("#body-nieuw").fill(COMMENT)
    page.get_by_role("button", name="Reactie plaatsen").click()
    dialogue = page.locator("#dialoog")
    expect(dialogue.locator(".comments")).to_contain_text(COMMENT)  # swapped in by htmx
    expect(dialogue.get_by_role("heading", level=2)).to_have_text("Reacties (1)")
    expect(page.locator("#body-nieuw")).to_have_value("")
    shot(page, "e2e-03-commented")

    def stored() -> tuple:
        ini = db.session.get(Initiative, story["initiative_id"])
        return (
            ini.title,
            ini.requested_cost,
            ini.status,
            ini.district.name,
            list(db.session.scalars(select(Comment.body).where(Comment.initiative_id == ini.id))),
        )

    assert read(live_server, stored) == (TITLE, 4_500, "submitted", "Oud-West", [COMMENT])


def test_b_staff_review_puts_it_on_the_ballot(live_server, page, story) -> None:
    base, ini_id = live_server["url"], need(story, "initiative_id")
    login(page, base, "medewerker@wijkfonds.nl")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Rondes").click()
    page.get_by_role("link", name=SUBMISSION_ROUND, exact=True).click()
    page.get_by_role("link", name="Ronde bewerken").click()
    page.get_by_label("Steundrempel").fill("0")
    shot(page, "e2e-04-threshold")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".flash-success")).to_contain_text("De wijzigingen zijn opgeslagen.")

    page.get_by_role("button", name="Start beoordeling nu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start beoordeling nu?")  # asks first
    page.get_by_role("button", name="Start beoordeling nu").click()
    expect(page.locator(".flash-success")).to_contain_text("is nu begonnen")
    page.get_by_role("link", name="Naar de beoordeling van de plannen").click()
    page.get_by_role("button", name="Zet in beoordeling").click()
    expect(page.get_by_role("main")).to_contain_text("Plannen die van ‘ingediend’ naar ‘in beoordeling’ gaan")
    page.get_by_role("button", name="Zet in beoordeling").click()
    expect(page.locator(".flash-success")).to_contain_text("43 plannen staan nu in beoordeling.")
    shot(page, "e2e-05-in-review")

    page.get_by_label("Gebied").select_option(label="Oud-West")
    page.get_by_role("button", name="Toon").click()
    item = page.locator("article.review-item", has=page.get_by_role("link", name=TITLE))
    expect(item).to_contain_text("In beoordeling")
    item.get_by_label("Haalbaar: op de stemlijst").check()
    item.get_by_label("Kosten volgens het stadsdeel").fill(str(ESTIMATE))
    item.get_by_role("button", name="Besluit opslaan").click()
    expect(item.get_by_role("status")).to_have_text("Het besluit is opgeslagen.")  # htmx swapped the row
    expect(item).to_contain_text("Op de stemlijst")
    shot(page, "e2e-06-feasible")

    public = page.context.browser.new_context(locale="nl-NL").new_page()
    public.goto(f"{base}/initiatieven/{ini_id}")
    expect(public.locator(".initiative .badge")).to_have_text("Op de stemlijst")
    estimate = public.locator("dl.facts dt", has_text="Schatting van het stadsdeel").locator(
        "xpath=following-sibling::dd[1]"
    )
    expect(estimate).to_have_text(re.compile(r"€\s*" + re.escape(euros(ESTIMATE)) + "$"))
    shot(public, "e2e-07-public-on-ballot")
    public.context.close()

    def status_and_estimate() -> tuple[str, int | None]:
        row = db.session.get(Initiative, ini_id)
        return row.status, row.estimated_cost

    ini = read(live_server, status_and_estimate)
    assert ini == ("feasible", ESTIMATE)


def test_c_voter_with_code_sees_the_meter_and_gets_a_receipt(live_server, new_page, story) -> None:
    base = live_server["url"]
    page = new_page()
    enter_code(page, base, demo_code("oud-west", VOTERS_PER_DISTRICT))
    shot(page, "e2e-08-ballot")
    meter = page.locator("#ballot-meter")
    expect(meter).to_have_text(spent_pattern(0))
    cheapest = sorted(options(page), key=lambda o: o[1])[:2]
    spent = 0
    for n, (box_id, cost, _title) in enumerate(cheapest, start=1):
        page.locator(f"#{box_id}").check()
        spent += cost
        expect(meter).to_have_text(spent_pattern(spent))  # refreshed by htmx, nothing submitted yet
        shot(page, f"e2e-09-meter-{n}")
    # Reading a ticked plan in full happens inside the form: the ticks stay.
    card = page.locator(".ballot-option", has=page.locator(f"#{cheapest[0][0]}"))
    card.get_by_text("Lees het hele plan").click()
    expect(card.locator("details")).to_have_attribute("open", "")
    window = card.get_by_role("link", name=re.compile(r"\(opent in nieuw venster\)"))
    expect(window).to_have_attribute("target", "_blank")
    expect(window).to_have_attribute("rel", "noopener")
    shot(page, "e2e-09b-details-open")
    for box_id, _cost, _title in cheapest:
        expect(page.locator(f"#{box_id}")).to_be_checked()
    expect(meter).to_have_text(spent_pattern(spent))
    assert read(live_server, lambda: db.session.scalar(select(func.count(Ballot.id)))) == 480
    page.get_by_role("button", name="Stem", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw stem is ontvangen")
    for _box, _cost, title in cheapest:
        expect(page.locator("main ul").first).to_contain_text(title)
    receipt = page.locator(".receipt-code strong").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9-]{10,20}", receipt), receipt
    shot(page, "e2e-10-confirmation")
    story["receipt_js"] = receipt

    checker = new_page()
    check_receipt(checker, base, receipt)
    shot(checker, "e2e-11-receipt-counted")


def test_d_voting_works_without_javascript(live_server, new_page, story) -> None:
    base = live_server["url"]
    page = new_page(java_script_enabled=False)
    enter_code(page, base, demo_code("oud-west", VOTERS_PER_DISTRICT + 1))
    meter = page.locator("#ballot-meter")
    chosen = sorted(options(page), key=lambda o: o[1])[1:3]
    for box_id, _cost, _title in chosen:
        page.locator(f"#{box_id}").check()
    # From the keyboard, without JavaScript: Tab from the tick to "Lees het hele plan", Enter opens it.
    page.locator(f"#{chosen[0][0]}").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    expect(page.locator(".ballot-option", has=page.locator(f"#{chosen[0][0]}")).locator("details")).to_have_attribute(
        "open", ""
    )
    expect(meter).to_have_text(spent_pattern(0))  # no JavaScript: nothing recalculated yet
    page.get_by_role("button", name="Bereken wat er over is").click()
    spent = sum(c for _b, c, _t in chosen)
    expect(meter).to_have_text(spent_pattern(spent))
    for box_id, _cost, _title in chosen:
        expect(page.locator(f"#{box_id}")).to_be_checked()
    shot(page, "e2e-12-nojs-recalculated")
    page.get_by_role("button", name="Stem", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw stem is ontvangen")
    receipt = page.locator(".receipt-code strong").inner_text().strip()
    assert receipt and receipt != need(story, "receipt_js")
    shot(page, "e2e-13-nojs-confirmation")
    check_receipt(page, base, receipt)
    shot(page, "e2e-14-nojs-receipt-counted")
    assert read(live_server, lambda: db.session.scalar(select(func.count(Ballot.id)))) == 482
    story["voted"] = True


def _wait_done(page: Page) -> int:
    """Wait on a run page until the background run is done (htmx polls); return its id."""
    expect(page.locator("#run-panel")).to_contain_text("Klaar", timeout=LONG)
    expect(page.locator("#run-panel")).to_contain_text("Uitkomst")
    match = re.search(r"/berekening/(\d+)$", page.url)
    assert match, page.url
    return int(match.group(1))


def _start_run(page: Page, rule: str) -> int:
    """Start a run with the rule of this plain name from the round's run page and wait until it is done."""
    page.get_by_role("radio", name=rule, exact=True).check()
    page.get_by_role("button", name="Berekening starten").click()
    expect(page.locator(".flash-success")).to_contain_text("De berekening is gestart.")
    return _wait_done(page)


def test_e_staff_close_voting_compute_and_publish(live_server, page, new_page, story) -> None:
    base = live_server["url"]
    need(story, "voted")
    login(page, base, "medewerker@wijkfonds.nl")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("link", name="Rondes").click()
    page.get_by_role("link", name=VOTING_ROUND, exact=True).click()
    page.get_by_role("button", name="Sluit stemmen nu").click()
    expect(page.get_by_role("main")).to_contain_text("Het stemmen stopt nu")  # with the ballots so far
    page.get_by_role("button", name="Sluit stemmen nu").click()
    expect(page.locator(".flash-success")).to_contain_text("Het stemmen is gesloten.")
    expect(page.locator("#phase-text")).to_contain_text("Het stemmen is gesloten")
    shot(page, "e2e-15-voting-closed")

    menu.get_by_role("link", name="Toewijzing").click()
    page.get_by_role("link", name=VOTING_ROUND, exact=True).click()
    ilp = _start_run(page, "Zoveel mogelijk steun (exacte berekening)")
    shot(page, "e2e-16-ilp-done")
    page.get_by_role("link", name=f"Terug naar {VOTING_ROUND}").click()
    greedy = _start_run(page, "Meeste stemmen eerst")
    shot(page, "e2e-17-greedy-done")
    page.get_by_role("link", name=f"Terug naar {VOTING_ROUND}").click()
    page.get_by_role("button", name="Vergelijken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Twee berekeningen vergelijken")
    expect(page.get_by_role("table").first).to_contain_text("Gefinancierde plannen")
    shot(page, "e2e-18-compare")

    page.goto(f"{base}/beheer/toewijzing/berekening/{ilp}")
    page.get_by_role("button", name="Publiceren als officiële uitslag").click()
    expect(page.get_by_role("main")).to_contain_text("wordt de officiële uitslag")
    page.get_by_role("button", name="Publiceren als officiële uitslag").click()
    expect(page.locator(".flash-success")).to_contain_text("De uitslag is gepubliceerd.")
    expect(page.locator("#run-panel")).to_contain_text("Dit is de officiële uitslag")
    shot(page, "e2e-19-published")

    def official() -> tuple[int, list[str], int]:
        rnd = db.session.scalars(select(Round).where(Round.name == VOTING_ROUND)).one()
        run = published_run(rnd.id)
        titles = [
            db.session.get(Initiative, o["initiative_id"]).title for o in run.result["outcomes"].values() if o["funded"]
        ]
        return run.id, titles, db.session.get(AllocationRun, greedy).result["votes_total"]

    run_id, funded, votes_total = read(live_server, official)
    assert run_id == ilp and funded
    public = new_page()
    public.goto(base + "/")
    public.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Uitslag").click()
    public.get_by_role("link", name=VOTING_ROUND, exact=True).click()
    expect(public.get_by_role("heading", level=1)).to_have_text(f"Uitslag: {VOTING_ROUND}")
    tables = public.locator("table.results-table")
    for title in funded:
        expect(tables.get_by_role("link", name=title, exact=True)).to_be_visible()
    assert public.locator("main svg").count() >= 1
    expect(public.locator("main svg").first).to_be_visible()
    shot(public, "e2e-20-public-results")
    assert votes_total > 0
    story["published"] = ilp


def test_f_auditor_downloads_the_pb_file(live_server, page, story, tmp_path) -> None:
    base, run_id = live_server["url"], need(story, "published")
    login(page, base, "auditor@wijkfonds.nl")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Controle").click()
    page.get_by_role("link", name=VOTING_ROUND, exact=True).click()
    shot(page, "e2e-21-audit-exports")
    with page.expect_download() as info:
        page.get_by_role("link", name="Pabulib-bestand Oud-West").click()
    download = info.value
    assert download.suggested_filename.endswith(".pb")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    election = read_pb(path)
    assert "selected" in election.project_columns
    in_file = {p["project_id"] for p in election.projects}
    chosen = {p["project_id"] for p in election.projects if p["selected"] == "1"}
    assert {p["selected"] for p in election.projects} <= {"0", "1"}

    def published() -> set[str]:
        return set(db.session.get(AllocationRun, run_id).result["selected"])

    assert chosen == read(live_server, published) & in_file
    assert chosen, "the published run funds at least one plan in Oud-West"

    def ballots_with_votes() -> int:
        rnd = db.session.scalars(select(Round).where(Round.name == VOTING_ROUND)).one()
        district = db.session.scalars(select(District).where(District.name == "Oud-West")).one()
        return len(
            [
                b
                for b in db.session.scalars(
                    select(Ballot).where(Ballot.round_id == rnd.id, Ballot.district_id == district.id)
                )
                if b.items
            ]
        )

    # Every non-empty ballot of the district, the two cast above included (an empty ballot has no line).
    assert len(election.voter_ids) == read(live_server, ballots_with_votes) >= VOTERS_PER_DISTRICT + 1
