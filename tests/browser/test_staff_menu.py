"""The logged-in header at 1280 px: the main menu is one line, "Meer" and the account menu
open and close by keyboard, and both work without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import axe_violations, login, shot

WIDE = {"viewport": {"width": 1280, "height": 800}}
MAIN = ".site-header .nav-main > li"
UTILITY = ".site-header .nav-utility > li"


def _tops(page: Page, selector: str) -> list[tuple[str, int]]:
    return page.evaluate(
        "(sel) => [...document.querySelectorAll(sel)].map(li => [li.innerText.trim().split('\\n')[0], li.offsetTop])",
        selector,
    )


def _one_line(page: Page) -> list[str]:
    # Measure the laid-out header: every stylesheet of the page loaded (one CI run measured the
    # menu unstyled, its items 18 px apart).
    page.wait_for_function("[...document.styleSheets].length > 0 && [...document.styleSheets].every(s => s.cssRules)")
    main, utility = _tops(page, MAIN), _tops(page, UTILITY)
    assert len(main) >= 5 and len({top for _label, top in main}) == 1, main
    assert len({top for _label, top in utility}) == 1, utility
    right = page.evaluate(
        f'Math.max(...[...document.querySelectorAll("{MAIN}")].map(li => li.getBoundingClientRect().right))'
    )
    assert right <= 1280 - 96, right  # inside the page's 70rem column, no overflow to the right
    return [label for label, _top in main]


@pytest.mark.parametrize(
    "email,must",
    [
        ("medewerker@wijkfonds.nl", ["Initiatieven", "Beoordelen", "Stemcodes", "Rondes", "Toewijzing", "Meer"]),
        ("beheer@wijkfonds.nl", ["Initiatieven", "Plan indienen", "Rondes", "Toewijzing", "Meer"]),
        ("auditor@wijkfonds.nl", ["Initiatieven", "Controle"]),
        ("bewoner@wijkfonds.nl", ["Initiatieven", "Plan indienen", "Stemmen"]),
    ],
)
def test_the_main_menu_is_one_line_at_1280(live_server: dict, new_page, email: str, must: list[str]) -> None:
    page = new_page(**WIDE)
    login(page, live_server["url"], email)
    labels = _one_line(page)
    assert all(m in labels for m in must), labels
    shot(page, f"menu-1280-{email.split('@', maxsplit=1)[0]}")
    # In English too (other labels, other widths).
    page.locator(".lang-menu summary").click()  # the language switch opens like a menu
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    _one_line(page)
    page.locator(".lang-menu summary").click()
    page.get_by_role("link", name="Nederlands", exact=True).click()


def test_staff_use_more_and_the_account_menu_by_keyboard(live_server: dict, new_page) -> None:
    page = new_page(**WIDE)
    base = live_server["url"]
    login(page, base, "medewerker@wijkfonds.nl")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    more = menu.locator("summary", has_text="Meer")
    mail = menu.get_by_role("link", name="Mail", exact=True)
    expect(mail).to_be_hidden()
    page.locator("body").focus()
    for _ in range(40):  # Tab through the header to "Meer"
        page.keyboard.press("Tab")
        if more.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("'Meer' cannot be reached with Tab")
    page.keyboard.press("Enter")
    expect(mail).to_be_visible()
    page.keyboard.press("Tab")
    first = menu.locator(".nav-sub a").first
    expect(first).to_be_focused()
    page.keyboard.press("Escape")  # closes, focus back on "Meer"
    expect(mail).to_be_hidden()
    expect(more).to_be_focused()
    page.keyboard.press("Space")
    expect(mail).to_be_visible()
    assert axe_violations(page) == []
    mail.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Uitgaande mail")).to_be_visible()
    # The account menu: the user's own pages and logging out.
    account = page.get_by_role("navigation", name="Account en taal")
    account.locator(".nav-account summary").focus()
    page.keyboard.press("Enter")
    expect(account.get_by_role("link", name="Mijn gegevens")).to_be_visible()
    expect(account.get_by_role("link", name="Meldingen")).to_be_visible()
    account.get_by_role("button", name="Uitloggen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Inloggen")).to_be_visible()


def test_the_menus_work_without_javascript(live_server: dict, new_page) -> None:
    page = new_page(java_script_enabled=False, **WIDE)
    login(page, live_server["url"], "medewerker@wijkfonds.nl")
    _one_line(page)
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.locator("summary", has_text="Meer").click()
    menu.get_by_role("link", name="Achtergrondtaken").click()
    expect(page).to_have_url(f"{live_server['url']}/beheer/achtergrond/")


def test_one_menu_open_at_a_time_and_a_click_elsewhere_closes(live_server: dict, new_page) -> None:
    page = new_page(**WIDE)
    login(page, live_server["url"], "medewerker@wijkfonds.nl")
    more = page.locator(".nav-more details")
    account = page.locator(".nav-account details")
    more.locator("summary").click()
    expect(more).to_have_attribute("open", "")
    account.locator("summary").click()
    expect(account).to_have_attribute("open", "")
    expect(more).not_to_have_attribute("open", "")
    page.get_by_role("main").click(position={"x": 5, "y": 5})
    expect(account).not_to_have_attribute("open", "")
