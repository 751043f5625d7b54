"""The header menu: what fits on the main line, what goes under "Meer" or the account menu."""

from __future__ import annotations

import re

import pytest

from tests import factories as f
from wijkfonds.extensions import db
from wijkfonds.models import Role
from wijkfonds.web import nav


def test_split_keeps_everything_that_fits() -> None:
    short = ["Initiatieven", "Stemmen", "Uitslag"]
    assert nav.split(short) == 3
    many = [f"Menu-item {n}" for n in range(20)]  # 18 px + 10 x 8.5 px = 101 px each
    keep = nav.split(many)
    assert 0 < keep < 20
    assert nav.MORE_PX + sum(nav.width(x) for x in many[:keep]) <= nav.LINE_BUDGET
    assert nav.MORE_PX + sum(nav.width(x) for x in many[: keep + 1]) > nav.LINE_BUDGET


def _header(html: str) -> tuple[list[str], list[str], list[str]]:
    """(main line, "Meer", account menu) labels of a page's header."""
    head = html[html.index("<header") : html.index("</header>")]
    main = head[head.index('class="nav nav-main"') :]
    more = main[main.index('class="nav-sub"') :] if "nav-more" in main else ""
    line = main[: main.index('class="nav-menu nav-more"')] if more else main
    account = head[head.index('class="nav-sub"') : head.index("</details>")] if "nav-account" in head else ""

    def labels(part: str) -> list[str]:
        return re.findall(r'<li><a href="[^"]+">([^<]+)</a></li>', part)

    return labels(line), labels(more), labels(account)


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_header_keeps_the_main_line_within_the_budget(client, auth, role) -> None:
    auth.login(f.user(role))
    db.session.commit()
    line, more, account = _header(client.get("/").get_data(as_text=True))
    assert line[0] == "Initiatieven" and {"Rondes", "Beoordelen", "Stemcodes", "Toewijzing"} <= set(line)
    assert "Mail" in more and "Achtergrondtaken" in more
    assert account[:1] == ["Uw account"] and {"Meldingen", "Mijn gegevens"} <= set(account)
    assert not set(line) & set(more) and not set(line + more) & {"Meldingen", "Mijn gegevens", "Mijn plannen"}
    assert nav.MORE_PX + sum(nav.width(x.replace("&#39;", "'")) for x in line) <= nav.LINE_BUDGET


def test_two_more_entries_move_into_more_instead_of_breaking_the_line(app, client, auth, monkeypatch) -> None:
    extra = [
        nav.NavItem("admin.index", "Voortgang van plannen", (Role.STAFF,), 71),
        nav.NavItem("outbox.index", "Uitvoering", (Role.STAFF,), 72),
    ]
    monkeypatch.setattr(nav, "_ITEMS", nav._ITEMS + extra)
    app.extensions.pop("wijkfonds_nav", None)  # the menu is cached per role and language
    auth.login(f.user(Role.ADMIN))
    db.session.commit()
    line, more, _account = _header(client.get("/").get_data(as_text=True))
    app.extensions.pop("wijkfonds_nav", None)
    assert nav.MORE_PX + sum(nav.width(x.replace("&#39;", "'")) for x in line) <= nav.LINE_BUDGET
    assert "Uitvoering" in line + more and "Voortgang van plannen" in line + more


def test_resident_and_visitor_headers(client, auth) -> None:
    line, more, account = _header(client.get("/").get_data(as_text=True))
    assert "Inloggen" in line and "Registreren" in line and not more and not account
    auth.login(f.user(Role.RESIDENT))
    db.session.commit()
    line, more, account = _header(client.get("/").get_data(as_text=True))
    assert "Plan indienen" in line and not more and "Mijn plannen" in account
