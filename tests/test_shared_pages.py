"""Pages rendered once for every anonymous visitor (layout.anonymous_page): the code form and
a district's empty ballot. Each visitor must still get their own working CSRF token, and
nothing personal or out of date may be shared."""

from __future__ import annotations

import re

from flask import Flask, url_for
from sqlalchemy import select

from tests import factories as f
from tests import factories_vote as fv
from wijkfonds.extensions import db
from wijkfonds.models import Round, Voter
from wijkfonds.web.layout import TOKEN_SLOT

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _tokens(html: str) -> set[str]:
    found = set(TOKEN.findall(html)) | set(re.findall(r'"X-CSRFToken": "([^"]+)"', html))
    assert found, "no CSRF token on the page"
    return found


def _enter(client, rnd: Round, code: str):
    page = client.get(f"/stemmen/{rnd.id}/code").get_data(as_text=True)
    (token,) = _tokens(page)
    return client.post(f"/stemmen/{rnd.id}/code", data={"csrf_token": token, "code": code})


def test_code_page_is_shared_but_each_visitor_gets_a_working_token(csrf_app: Flask) -> None:
    rnd = fv.voting_round()
    codes = [fv.voting_code(rnd), fv.voting_code(rnd)]
    db.session.commit()
    first, second = csrf_app.test_client(), csrf_app.test_client()
    page_1 = first.get(f"/stemmen/{rnd.id}/code").get_data(as_text=True)
    page_2 = second.get(f"/stemmen/{rnd.id}/code").get_data(as_text=True)
    token_1, token_2 = _tokens(page_1), _tokens(page_2)
    assert len(token_1) == 1 and len(token_2) == 1 and token_1 != token_2  # the form's and htmx's token agree
    assert TOKEN_SLOT not in page_1 + page_2
    # Apart from the token, the two pages are the same page.
    assert page_1.replace(next(iter(token_1)), "T") == page_2.replace(next(iter(token_2)), "T")
    # Each token works in its own session only.
    stolen = second.post(f"/stemmen/{rnd.id}/code", data={"csrf_token": next(iter(token_1)), "code": codes[1]})
    assert stolen.status_code == 400
    for client, token, code in ((first, token_1, codes[0]), (second, token_2, codes[1])):
        resp = client.post(f"/stemmen/{rnd.id}/code", data={"csrf_token": next(iter(token)), "code": code})
        assert resp.status_code == 303
    assert len(db.session.scalars(select(Voter)).all()) == 2


def test_shared_ballot_follows_the_round_and_a_returning_voter_sees_their_own(csrf_app: Flask) -> None:
    rnd = fv.voting_round()
    option = fv.feasible(rnd, title="Buurtkamer aan de gracht")
    codes = [fv.voting_code(rnd), fv.voting_code(rnd)]
    db.session.commit()
    first, second = csrf_app.test_client(), csrf_app.test_client()
    assert _enter(first, rnd, codes[0]).status_code == 303
    assert _enter(second, rnd, codes[1]).status_code == 303
    ballot_1 = first.get(f"/stemmen/{rnd.id}/stembiljet").get_data(as_text=True)
    ballot_2 = second.get(f"/stemmen/{rnd.id}/stembiljet").get_data(as_text=True)
    assert option.title in ballot_1 and _tokens(ballot_1) != _tokens(ballot_2)
    # A change to the round in this process shows at once (the snapshot, and so the key, changes).
    db.session.get(Round, rnd.id).name = "Hernoemde ronde"
    db.session.commit()
    assert "Hernoemde ronde" in second.get(f"/stemmen/{rnd.id}/stembiljet").get_data(as_text=True)
    # After voting, the voter sees their own ticks, not the shared empty ballot.
    (token,) = _tokens(ballot_1)
    district = str(f.district("de-baarsjes").id)
    voted = first.post(
        f"/stemmen/{rnd.id}/stembiljet", data={"csrf_token": token, "initiative": [option.id], "district": district}
    )
    assert voted.status_code == 303
    mine = first.get(f"/stemmen/{rnd.id}/stembiljet").get_data(as_text=True)
    assert re.search(rf'value="{option.id}"[^>]*checked', mine)
    assert not re.search(
        rf'value="{option.id}"[^>]*checked', second.get(f"/stemmen/{rnd.id}/stembiljet").get_data(as_text=True)
    )


def test_flash_and_language_are_not_shared(csrf_app: Flask) -> None:
    rnd = fv.voting_round()
    db.session.commit()
    client = csrf_app.test_client()
    with client.session_transaction() as sess:
        sess["_flashes"] = [("success", "Een bericht voor deze bezoeker")]
    assert "Een bericht voor deze bezoeker" in client.get(f"/stemmen/{rnd.id}/code").get_data(as_text=True)
    other = csrf_app.test_client().get(f"/stemmen/{rnd.id}/code").get_data(as_text=True)
    assert "Een bericht voor deze bezoeker" not in other
    english = csrf_app.test_client().get(f"/stemmen/{rnd.id}/code?lang=en").get_data(as_text=True)
    dutch = csrf_app.test_client().get(f"/stemmen/{rnd.id}/code").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in english and '<html lang="nl" dir="ltr">' in dutch


def test_a_code_opens_the_ballot_as_it_stands_in_every_browser(csrf_app: Flask) -> None:
    """A code holder's ballot page reads the stored ballot (cast perhaps from another
    browser); before the first ballot it is the district's shared empty ballot."""
    rnd = fv.voting_round()
    option = fv.feasible(rnd)
    code = fv.voting_code(rnd)
    db.session.commit()
    first, second = csrf_app.test_client(), csrf_app.test_client()
    assert _enter(first, rnd, code).status_code == 303
    assert _enter(second, rnd, code).status_code == 303
    page = second.get(f"/stemmen/{rnd.id}/stembiljet").get_data(as_text=True)
    assert option.title in page and not re.search(rf'value="{option.id}"[^>]*checked', page)
    (token,) = _tokens(first.get(f"/stemmen/{rnd.id}/stembiljet").get_data(as_text=True))
    district = str(f.district("de-baarsjes").id)
    voted = first.post(
        f"/stemmen/{rnd.id}/stembiljet", data={"csrf_token": token, "initiative": [option.id], "district": district}
    )
    assert voted.status_code == 303
    theirs = second.get(f"/stemmen/{rnd.id}/stembiljet").get_data(as_text=True)
    assert re.search(rf'value="{option.id}"[^>]*checked', theirs)


def test_links_on_every_page_follow_where_the_app_is_mounted(app: Flask) -> None:
    """layout.fixed_url builds the page chrome's links once per host and mount point: a mount
    point or host seen later gets its own links, not the ones built first."""
    client = app.test_client()
    plain = client.get("/privacy/").get_data(as_text=True)
    mounted = client.get("/privacy/", base_url="http://localhost/wijk/").get_data(as_text=True)
    elsewhere = client.get("/privacy/", base_url="http://elders.example/buurt/").get_data(as_text=True)
    assert 'href="/static/css/site.css"' in plain and 'href="/toegankelijkheid"' in plain
    assert "/wijk/" not in plain
    assert 'href="/wijk/static/css/site.css"' in mounted and 'href="/wijk/toegankelijkheid"' in mounted
    assert 'src="/wijk/static/js/nav.js"' in mounted and 'href="/static/css/site.css"' not in mounted
    assert 'href="/buurt/static/css/site.css"' in elsewhere and 'href="/buurt/privacy/"' in elsewhere
    with app.test_request_context("/privacy/", base_url="http://localhost/wijk/"):
        assert url_for("static", filename="favicon.svg") == "/wijk/static/favicon.svg"
        assert 'href="/wijk/static/favicon.svg"' in mounted
