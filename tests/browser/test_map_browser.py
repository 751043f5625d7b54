"""The maps in a real browser: the form's map fills the fields, the overview shows markers on
local tiles, the plan page its point; axe on every page with a map; nothing leaves 127.0.0.1.

Tiles come from the app's own tile route (/kaart/tegels/, the default MAP_TILE_URL), which
fetches each once from the tests' tile server on 127.0.0.1 (conftest: MAP_TILE_UPSTREAM) and
keeps it; every request beyond this machine is refused and fails the test.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect
from sqlalchemy import select

from wijkfonds.demo.load import ROUND_SLUG
from wijkfonds.extensions import db
from wijkfonds.models import District, Initiative, Round, Status

from .conftest import CONTEXT, axe_violations, guard_network, login, serve_demo, shot

RESIDENT = "bewoner@wijkfonds.nl"  # a demo resident of De Baarsjes


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A live server of this module's own: the form test adds a plan."""
    with serve_demo(tmp_path_factory.mktemp("maps")) as srv:
        yield srv


T = TypeVar("T")


def in_app(server: dict, fn: Callable[[], T]) -> T:
    """fn() in a request context of the server (reads only)."""
    with server["app"].test_request_context():
        return fn()


def watch(page: Page) -> list[str]:
    """Collect what the page's console says about the Content-Security-Policy, and script errors."""
    problems: list[str] = []
    page.on("console", lambda m: "Content Security Policy" in m.text and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    return problems


def settled(page: Page, locator: Any) -> dict[str, float]:
    """The element's box once it stops moving (Leaflet animates its zoom to the district)."""
    box = locator.bounding_box()
    for _ in range(40):
        page.wait_for_timeout(100)
        again = locator.bounding_box()
        if again == box and box is not None:
            return box
        box = again
    pytest.fail("the map kept moving")


def no_axe_problems(page: Page, name: str) -> None:
    """axe reports no serious or critical violations on the page."""
    found = axe_violations(page)
    assert not found, f"{name}: {found}"


def test_form_map_places_a_point_by_click_and_fills_the_fields(server, page: Page) -> None:
    base = server["url"]
    problems = watch(page)
    login(page, base, RESIDENT)
    page.goto(base + "/initiatieven/nieuw")
    picker = page.locator(".map--picker")
    expect(picker).to_be_visible()
    expect(picker).to_have_attribute("aria-label", re.compile("klik of tik"))
    # The chosen district's outline (De Baarsjes, the resident's own) is drawn heavier.
    chosen = picker.locator("path[stroke-width='3']")
    expect(chosen).to_have_count(1)
    picker.scroll_into_view_if_needed()
    box = settled(page, chosen)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    lat, lon = page.get_by_label("Breedtegraad (niet verplicht)"), page.get_by_label("Lengtegraad (niet verplicht)")
    expect(lat).to_have_value(re.compile(r"^52\.3\d{5}$"))
    expect(lon).to_have_value(re.compile(r"^4\.8\d{5}$"))
    status = page.locator("#place-map-status")
    expect(status).to_contain_text("Punt gekozen")
    expect(status).not_to_contain_text("buiten")
    expect(picker.locator(".leaflet-marker-icon")).to_have_count(1)

    def district_errors() -> list[Any]:
        from wijkfonds.services.places.points import check_point

        baarsjes = db.session.scalars(select(District).where(District.slug == "de-baarsjes")).one()
        return check_point(baarsjes, float(lat.input_value()), float(lon.input_value()))

    assert in_app(server, district_errors) == []  # the server agrees: inside De Baarsjes
    no_axe_problems(page, "form with map")
    shot(page, "map-form")

    # A click beside the district: the fields follow, the map warns (the server would refuse it).
    inside = (lat.input_value(), lon.input_value())
    map_box = settled(page, picker)
    page.mouse.click(map_box["x"] + 25, map_box["y"] + map_box["height"] - 25)
    expect(status).to_contain_text("buiten het gekozen gebied")
    assert (lat.input_value(), lon.input_value()) != inside
    # Typing the fields (as a keyboard user does) moves the marker back; the button clears it.
    lat.fill(inside[0].replace(".", ","))
    lon.fill(inside[1])
    expect(status).not_to_contain_text("buiten")
    page.get_by_role("button", name="Punt wissen").click()
    expect(lat).to_have_value("")
    expect(picker.locator(".leaflet-marker-icon")).to_have_count(0)
    lat.fill(inside[0])
    lon.fill(inside[1])

    page.get_by_label("Titel").fill("Bankjes rond het Mercatorplein")
    page.get_by_label("Korte samenvatting").fill("Vier bankjes waar buren even kunnen zitten.")
    page.get_by_label("Beschrijving").fill("We zetten vier bankjes neer en houden ze samen schoon.")
    page.get_by_label("Gevraagd bedrag in hele euro's").fill("2400")
    page.get_by_label("Thema").select_option(index=1)
    page.get_by_label("Bouwsteen").select_option(index=1)
    page.get_by_label("Plaats (niet verplicht)").fill("Mercatorplein")
    page.get_by_role("button", name="Plan indienen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bankjes rond het Mercatorplein")
    expect(page.locator("dl.facts")).to_contain_text("Punt op de kaart: breedtegraad 52,3")
    small = page.locator(".map--small")
    expect(small.locator(".leaflet-marker-icon")).to_have_count(1)

    def stored() -> tuple[float | None, float | None]:
        ini = db.session.scalars(select(Initiative).where(Initiative.title == "Bankjes rond het Mercatorplein")).one()
        return ini.latitude, ini.longitude

    assert in_app(server, stored) == (float(inside[0]), float(inside[1]))
    no_axe_problems(page, "plan page with map")
    shot(page, "map-plan-page")
    assert problems == []


def test_overview_map_shows_markers_on_local_tiles(server, page: Page) -> None:
    base = server["url"]
    problems = watch(page)
    before = len(server["tiles"])
    page.goto(base + "/")
    page.get_by_role("link", name="Kaart", exact=True).click()
    expect(page).to_have_url(re.compile(r"weergave=kaart"))

    def listed() -> list[Initiative]:
        rnd = db.session.scalars(select(Round).where(Round.slug == ROUND_SLUG)).one()
        return list(
            db.session.scalars(
                select(Initiative).where(Initiative.round_id == rnd.id, Initiative.status != Status.WITHDRAWN.value)
            )
        )

    plans = in_app(server, listed)
    expected = len([i for i in plans if i.latitude is not None])
    assert expected >= 30
    overview = page.locator(".map--overview")
    expect(page.get_by_text("De kaart heeft JavaScript nodig")).to_be_hidden()
    markers = overview.locator(".leaflet-marker-icon")
    expect(markers).to_have_count(expected)
    expect(overview).to_have_attribute("data-markers", str(expected))
    expect(overview.locator("img.leaflet-tile-loaded").first).to_be_visible()
    sources = overview.locator("img.leaflet-tile").evaluate_all("tiles => tiles.map(t => t.src)")
    assert sources and all(s.startswith(base + "/kaart/tegels/") for s in sources), sources[:3]
    assert len(server["tiles"]) > before
    # The app asked its upstream once per tile, however often browsers asked the app.
    assert server["upstream"] and len(server["upstream"]) == len(set(server["upstream"]))
    # The legend and the list say in words what colour and shape say on the map.
    expect(page.locator(".map-legend")).to_contain_text("Ingediend")
    expect(page.locator(".place-list li")).to_have_count(len(plans))
    # Markers are buttons with a name, reachable by keyboard; Enter opens the pop-up with the link.
    first = markers.first
    expect(first).to_have_attribute("role", "button")
    expect(first).to_have_attribute("aria-label", re.compile(r".+ \(Ingediend\)$"))
    first.focus()
    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup a.map-popup-link")
    expect(link).to_be_focused()
    title = link.inner_text()
    no_axe_problems(page, "overview map")
    shot(page, "map-overview")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert problems == []


def test_overview_filters_redraw_the_map(server, page: Page) -> None:
    base = server["url"]
    page.goto(base + "/?weergave=kaart")
    markers = page.locator(".map--overview .leaflet-marker-icon")
    expect(markers.first).to_be_visible()
    all_markers = markers.count()
    page.get_by_label("Gebied").select_option(label="Oud-West")  # htmx swaps the list and its map
    expect(page).to_have_url(re.compile(r"district=\d+.*weergave=kaart|weergave=kaart.*district=\d+"))
    expect(page.locator(".place-list li").first).to_contain_text("Oud-West")
    expect(markers.first).to_be_visible()
    assert 0 < markers.count() < all_markers


def test_map_view_without_javascript_is_a_list(server, new_page) -> None:
    page = new_page(java_script_enabled=False)
    page.goto(server["url"] + "/?weergave=kaart")
    expect(page.get_by_text("De kaart heeft JavaScript nodig")).to_be_visible()
    expect(page.locator(".map--overview")).to_be_hidden()
    expect(page.locator(".place-list li").first).to_be_visible()
    expect(page.get_by_role("link", name="Lijst")).to_be_visible()
    # (axe needs scripts to run: it checks this same list in the overview test, with the map drawn.)


def test_requests_beyond_this_machine_are_refused_and_listed(server, browser) -> None:
    """The guard every browser test runs with: here its list is read instead of failing the test."""
    context = browser.new_context(**CONTEXT)
    blocked = guard_network(context)
    try:
        page = context.new_page()
        # A navigation (which no Content-Security-Policy of ours stops) to a tile server.
        with pytest.raises(PlaywrightError, match="ERR_BLOCKED_BY_CLIENT"):
            page.goto("https://tile.openstreetmap.org/0/0/0.png")
        assert blocked == ["https://tile.openstreetmap.org/0/0/0.png"]
        page = context.new_page()
        page.goto(server["url"] + "/?weergave=kaart")
        expect(page.locator(".map--overview .leaflet-marker-icon").first).to_be_visible()
        assert blocked == ["https://tile.openstreetmap.org/0/0/0.png"]  # the map itself asked for nothing else
    finally:
        context.close()
