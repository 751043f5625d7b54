"""Phones first: every main page of every audience fits a 390 px wide phone.

At a 390x844 viewport each page must have no horizontal scroll
(``document.documentElement.scrollWidth <= window.innerWidth``); a failure names the page
and the elements whose right edge lies beyond the viewport. Every ``<img>`` on a walked
page has an ``alt`` attribute (``alt=""`` for decorative ones).

Like the accessibility walk, this module has its own live server and runs in file order:
pages of the voting round first (code entry, ballot, receipt), then the submission round
in review, then the voting round closed, computed and published for the result pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from wijkfonds.demo.load import ROUND_SLUG as SUBMISSION_SLUG
from wijkfonds.demo.voting import ROUND_SLUG as VOTING_SLUG
from wijkfonds.demo.voting import VOTERS_PER_DISTRICT, demo_code
from wijkfonds.extensions import db
from wijkfonds.models import BuildingBlock, Comment, District, Initiative, Round, User

from .conftest import CONTEXT, axe_violations, guard_network, in_app, login, serve_demo, shot, slug, visit

PHONE: dict[str, Any] = {**CONTEXT, "viewport": {"width": 390, "height": 844}}
AUTHOR = "fatima"  # a demo resident with several plans in the submission round
PHOTO_ALT = "Een lange rij tafels op het plein"
ACCOUNTS = {
    "anon": None,
    "resident": "author",  # looked up: the demo author of the plans below
    "staff": "medewerker@wijkfonds.nl",
    "auditor": "auditor@wijkfonds.nl",
    "admin": "beheer@wijkfonds.nl",
}

# What a page measures: its width against the viewport, the widest elements beyond the
# right edge (outermost first, at most eight), and the images without an alt attribute.
MEASURE = """() => {
  window.scrollTo(0, 0);
  const vw = window.innerWidth;
  const describe = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      let part = e.tagName.toLowerCase();
      if (e.id) part += '#' + e.id;
      else if (typeof e.className === 'string' && e.className.trim())
        part += '.' + e.className.trim().split(/\\s+/).slice(0, 2).join('.');
      parts.unshift(part);
    }
    return parts.join(' > ');
  };
  const beyond = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= vw + 0.5) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.position === 'fixed') continue;
    // Inside a box that clips (a map, a scrolling panel) within the viewport: not the page's width.
    let clipped = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= vw + 0.5) { clipped = true; break; }
    }
    if (clipped) continue;
    beyond.push({
      element: describe(el),
      right: Math.round(r.right),
      width: Math.round(r.width),
      text: (el.innerText || el.getAttribute('src') || '').trim().replace(/\\s+/g, ' ').slice(0, 60),
    });
  }
  beyond.sort((a, b) => b.right - a.right || b.width - a.width);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: vw,
    beyond: beyond.slice(0, 8),
    noAlt: Array.from(document.images).filter((i) => !i.hasAttribute('alt')).map((i) => i.outerHTML.slice(0, 160)),
  };
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A live server of this module's own (its walk closes and publishes the voting round)."""
    with serve_demo(tmp_path_factory.mktemp("phone")) as srv:
        yield srv


@pytest.fixture(scope="module")
def ids(server) -> dict[str, Any]:
    """Ids and e-mail addresses the page paths need; one message in the outbox, and a wide
    photo on the author's first plan (so photos are measured too, their alt text checked)."""
    from tests import factories_media as fm
    from wijkfonds.services.mail.outbox import queue
    from wijkfonds.services.media import photos

    def look() -> dict[str, Any]:
        def round_id(slug: str) -> int:
            return db.session.scalars(select(Round.id).where(Round.slug == slug)).one()

        sub, vote = round_id(SUBMISSION_SLUG), round_id(VOTING_SLUG)
        author = db.session.scalars(select(User).where(User.email.like(f"{AUTHOR}.%"))).one()
        busiest = db.session.execute(
            select(Comment.initiative_id, func.count()).group_by(Comment.initiative_id).order_by(func.count().desc())
        ).first()
        mail = queue("bewoner@voorbeeld.nl", "test_message", language="nl", context={"requested_by": "Telefoon"})
        own = db.session.scalars(
            select(Initiative)
            .where(Initiative.author_id == author.id, Initiative.round_id == sub)
            .order_by(Initiative.id)
        ).first()
        photo = photos.add_to_initiative(own, photos.store(fm.jpeg((2400, 900)), author), PHOTO_ALT, author)
        return {
            "photo": photo.id,
            "sub": sub,
            "vote": vote,
            "author": author.email,
            "own": own.id,
            "detail": busiest[0] if busiest else None,
            "comment": db.session.scalars(
                select(Comment.id).where(Comment.author_id != author.id).order_by(Comment.id)
            ).first(),
            "block": db.session.scalars(select(BuildingBlock.id).order_by(BuildingBlock.id)).first(),
            "district": db.session.scalars(select(District.id).order_by(District.id)).first(),
            "voted_plan": db.session.scalars(
                select(Initiative.id).where(Initiative.round_id == vote).order_by(Initiative.id)
            ).first(),
            "mail": mail.id,
        }

    return in_app(server, look)


@pytest.fixture(scope="module")
def pages(browser, server, ids) -> Iterator[Callable[[str], Page]]:
    """One phone-sized page per audience, kept for the module (logging in once each)."""
    made: dict[str, Page] = {}
    blocked: list[str] = []

    def get(who: str) -> Page:
        if who not in made:
            context = browser.new_context(**PHONE)
            guard_network(context, blocked)
            made[who] = context.new_page()
            email = ACCOUNTS[who]
            if email:
                login(made[who], server["url"], ids.get(email, email))
        return made[who]

    yield get
    for p in made.values():
        p.context.close()
    assert not blocked, f"requests beyond 127.0.0.1: {sorted(set(blocked))[:10]}"


def check_fits(page: Page, name: str) -> None:
    """No horizontal scroll at the phone's width, and an alt attribute on every image."""
    page.wait_for_load_state("load")
    m = page.evaluate(MEASURE)
    shot(page, "phone-" + slug(name))
    if m["scrollWidth"] > m["innerWidth"]:
        widest = "\n".join(
            f"  {b['element']}: right {b['right']} px, width {b['width']} px «{b['text']}»" for b in m["beyond"]
        )
        pytest.fail(
            f"{name} is {m['scrollWidth']} px wide on a {m['innerWidth']} px phone; beyond the right edge:\n{widest}",
            pytrace=False,
        )
    assert m["noAlt"] == [], f"{name}: images without an alt attribute: {m['noAlt']}"
    # The stacked cards and wrapped menus of a phone keep axe as content as the desktop pages.
    violations = axe_violations(page)
    assert violations == [], f"{name} on a phone: {violations}"


def walk(pages, server, ids, who: str, path: str, *, status: int = 200) -> None:
    """Open ``path`` as ``who`` on the phone and check that it fits."""
    page = pages(who)
    visit(page, server, path, ids, status)
    if "weergave=kaart" in path:
        expect(page.locator(".leaflet-container")).to_be_visible()
    if path in ("/initiatieven/{own}", "/initiatieven/{own}/fotos", "/moderatie/fotos/", "/moderatie/fotos/{photo}"):
        expect(page.get_by_role("img", name=PHOTO_ALT).first).to_be_visible()
    check_fits(page, f"{who} {path}")


# The voting round is open; the submission round takes plans.
BEFORE = [
    ("anon", "/"),
    ("anon", "/?weergave=kaart"),
    ("anon", "/initiatieven/{detail}"),
    ("anon", "/themas/"),
    ("anon", "/uitslag/"),
    ("anon", "/stemmen/"),
    ("anon", "/stemmen/{vote}/code"),
    ("anon", "/stemmen/controle"),
    ("anon", "/stemmen/controle?code=ABCDEFGHJKLM"),
    ("anon", "/account/login"),
    ("anon", "/account/registreren"),
    ("anon", "/account/wachtwoord-vergeten"),
    ("anon", "/privacy/"),
    ("anon", "/controle/"),
    ("anon", "/controle/ankers"),
    ("anon", "/bestaat-niet"),
    ("resident", "/initiatieven/nieuw"),
    ("resident", "/initiatieven/mijn"),
    ("resident", "/initiatieven/{own}"),
    ("resident", "/initiatieven/{own}/bewerken"),
    ("resident", "/initiatieven/{own}/fotos"),
    ("resident", "/initiatieven/{own}/intrekken"),
    ("resident", "/initiatieven/reacties/{comment}/melden"),
    ("resident", "/account/"),
    ("resident", "/account/meldingen"),
    ("resident", "/account/e-mailadres"),
    ("resident", "/privacy/mijn-gegevens"),
    ("resident", "/privacy/account-verwijderen"),
    ("resident", "/vertalingen/verouderd"),
    ("staff", "/beheer/rondes/"),
    ("staff", "/beheer/rondes/nieuw"),
    ("staff", "/beheer/rondes/{sub}"),
    ("staff", "/beheer/rondes/{sub}/bewerken"),
    ("staff", "/beheer/rondes/{vote}"),
    ("staff", "/beheer/stemcodes/"),
    ("staff", "/beheer/stemcodes/ronde/{vote}"),
    ("staff", "/beheer/stemcodes/ronde/{vote}/papier"),
    ("staff", "/beheer/stemcodes/ronde/{vote}/opkomst"),
    ("staff", "/beheer/toewijzing/"),
    ("staff", "/beheer/toewijzing/importeren"),
    ("staff", "/moderatie/"),
    ("staff", "/moderatie/reacties/{comment}"),
    ("staff", "/moderatie/fotos/"),
    ("staff", "/moderatie/fotos/{photo}"),
    ("staff", "/beheer/mail/"),
    ("staff", "/beheer/mail/{mail}"),
    ("staff", "/beheer/achtergrond/"),
    ("auditor", "/controle/"),
    ("auditor", "/controle/logboek"),
    ("admin", "/beheer/"),
    ("admin", "/beheer/accounts"),
    ("admin", "/beheer/accounts/nieuw"),
    ("admin", "/beheer/gebieden"),
    ("admin", "/beheer/gebieden/{district}"),
    ("admin", "/beheer/gebieden/omtrekken"),
    ("admin", "/beheer/bouwstenen"),
    ("admin", "/beheer/bouwstenen/{block}"),
]


@pytest.mark.parametrize(("who", "path"), BEFORE, ids=[f"{w}-{slug(p)}" for w, p in BEFORE])
def test_page_fits_a_phone(server, pages, ids, who: str, path: str) -> None:
    walk(pages, server, ids, who, path, status=404 if path == "/bestaat-niet" else 200)


@pytest.fixture(scope="module")
def voter(browser, server, ids) -> Iterator[Page]:
    """A phone that entered a demo voting code (its ballot is open in the session)."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    visit(page, server, "/stemmen/{vote}/code", ids)
    page.get_by_label("Stemcode").fill(demo_code("westerpark", VOTERS_PER_DISTRICT + 3))
    page.get_by_role("button", name="Verder naar het stembiljet").click()
    expect(page.locator("#ballot-meter")).to_be_visible()
    yield page
    context.close()


def test_ballot_fits_a_phone(voter) -> None:
    """The ballot after a code, also with a plan ticked (the meter changes)."""
    check_fits(voter, "ballot")
    voter.locator("input[name=initiative]").first.check()
    expect(voter.locator("#ballot-meter")).not_to_contain_text("Gekozen: € 0.")
    check_fits(voter, "ballot, one plan ticked")


def test_receipt_fits_a_phone(voter) -> None:
    """The confirmation with the receipt code, and the receipt check that finds the ballot."""
    if not voter.locator("input[name=initiative]:checked").count():
        voter.locator("input[name=initiative]").first.check()
    voter.get_by_role("button", name="Stem", exact=True).click()
    expect(voter.locator(".receipt-code")).to_be_visible()
    check_fits(voter, "confirmation with receipt code")
    voter.get_by_role("link", name="Controleer uw ontvangstcode").click()
    expect(voter.get_by_role("status")).to_contain_text("Deze stem telt mee.")
    check_fits(voter, "receipt check (counted)")


REVIEW = [
    ("staff", "/beheer/beoordeling/"),
    ("staff", "/beheer/beoordeling/ronde/{sub}"),
    ("staff", "/beheer/beoordeling/plan/{own}"),
    ("staff", "/beheer/beoordeling/plan/{own}/tekst"),
]


@pytest.mark.parametrize(("who", "path"), REVIEW, ids=[f"{w}-{slug(p)}" for w, p in REVIEW])
def test_review_page_fits_a_phone(server, pages, review_phase, who: str, path: str) -> None:
    walk(pages, server, review_phase, who, path)


AFTER = [
    ("anon", "/uitslag/"),
    ("anon", "/uitslag/{vote}"),
    ("anon", "/uitslag/initiatief/{voted_plan}"),
    ("anon", "/initiatieven/{voted_plan}"),
    ("anon", "/stemmen/"),
    ("anon", "/uitslag/{vote}?lang=en"),
    ("anon", "/uitslag/initiatief/{voted_plan}?lang=en"),
    ("anon", "/?lang=en"),
    ("anon", "/initiatieven/{detail}?lang=en"),
    ("anon", "/stemmen/{vote}/code?lang=en"),
    ("anon", "/privacy/?lang=en"),
    ("staff", "/beheer/rondes/{vote}"),
    ("staff", "/beheer/toewijzing/ronde/{vote}"),
    ("staff", "/beheer/toewijzing/berekening/{greedy}"),
    ("staff", "/beheer/toewijzing/berekening/{ilp}"),
    ("staff", "/beheer/toewijzing/ronde/{vote}/vergelijken?a={greedy}&b={ilp}"),
    ("staff", "/beheer/toewijzing/berekening/{greedy}?lang=en"),
    ("staff", "/beheer/stemcodes/ronde/{vote}/opkomst"),
    ("auditor", "/controle/ronde/{vote}"),
    ("auditor", "/controle/logboek"),
]


@pytest.mark.parametrize(("who", "path"), AFTER, ids=[f"{w}-{slug(p)}" for w, p in AFTER])
def test_result_page_fits_a_phone(server, pages, results, who: str, path: str) -> None:
    walk(pages, server, results, who, path)
