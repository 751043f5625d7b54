"""axe-core on every main page: zero serious or critical violations."""

from __future__ import annotations

import pytest

from .conftest import axe_violations, shot

PUBLIC_PAGES = ["/", "/account/login", "/account/registreren", "/bestaat-niet"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_serious_violations(live_server, page, path: str) -> None:
    page.goto(live_server["url"] + path)
    shot(page, "a11y" + path.replace("/", "_"))
    assert axe_violations(page) == []


def test_keyboard_skip_link(live_server, page) -> None:
    page.goto(live_server["url"] + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
