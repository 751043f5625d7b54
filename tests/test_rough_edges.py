"""Rough edges (issue 14, item 8): one money format per language, a favicon, alt text on images.

English pages write every amount as ``€ 14,500`` (the results table, the explanations the
engine writes, the staff's run page); Dutch pages as ``€ 14.500``. The vote-count column
is headed "Votes" in English, not "Voting" (the menu's word for the voting pages).
"""

from __future__ import annotations

import re
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

from sqlalchemy import select

from tests import factories as f
from tests import factories_results as fr
from wijkfonds.allocation.explain import render_reason
from wijkfonds.allocation.money import format_money
from wijkfonds.extensions import db
from wijkfonds.models import Initiative, Role, Status

ROOT = Path(__file__).resolve().parents[1]
# An amount as a page writes it: a currency (code or sign), then digits with their separators.
AMOUNT = re.compile(r"(?:EUR|€)\s?-?\d(?:[\d.,]*\d)?")
ENGLISH = re.compile(r"€ \d{1,3}(?:,\d{3})*(?:\.\d\d)?")
DUTCH = re.compile(r"€ \d{1,3}(?:\.\d{3})*(?:,\d\d)?")


def amounts(html: str) -> list[str]:
    """Every amount of money in a page's text (markup and scripts left out)."""
    text = re.sub(r"<script\b.*?</script>|<style\b.*?</style>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text).replace("&nbsp;", " ").replace("\u00a0", " ")
    return AMOUNT.findall(text)


def test_engine_writes_euros_with_the_sign_when_asked() -> None:
    assert format_money(14_500) == "EUR 14,500"  # the engine's own (CLI, stored sentences) as before
    assert format_money(14_500, symbol=True) == "€ 14,500"
    assert format_money(Fraction(2801, 2), symbol=True) == "€ 1,400.50"
    assert format_money(-300, "en", symbol=True) == "-€ 300"
    assert format_money(14_500, "nl", symbol=True) == format_money(14_500, "nl") == "€ 14.500"
    assert format_money(740_793, "en", "PLN", symbol=True) == "PLN 740,793"  # other currencies keep their code
    params = {"left": 8400, "cost": 11600, "rank": 2, "place": "in De Baarsjes"}
    codes = [c for c, t in _reasons().items() if "{left:money}" in t["en"] and "{cost:money}" in t["en"]]
    assert codes, "no reason code with money to render"
    needed = re.findall(r"{(\w+)", _reasons()[codes[0]]["en"])
    sentence = render_reason(codes[0], {k: params.get(k, 1) for k in needed} | params, "en", symbol=True)
    assert "€ 8,400" in sentence and "€ 11,600" in sentence and "EUR" not in sentence


def _reasons() -> dict[str, dict[str, str]]:
    from wijkfonds.allocation.explain import reasons

    return reasons()


def _published(client, auth) -> tuple[int, Initiative, int]:
    """A closed round with greedy computed and published; its id, a plan left out, the run id."""
    rnd, _inis = fr.closed_round(seed=5)
    staff = f.user(Role.STAFF)
    run = fr.finished_run(rnd, staff, "greedy")
    auth.login(staff)
    resp = client.post(f"/beheer/toewijzing/berekening/{run.id}/publiceren", data={"reason": "", "confirm": "1"})
    assert resp.status_code in (302, 303), resp.status_code
    db.session.expire_all()
    loser = db.session.scalars(
        select(Initiative).where(Initiative.round_id == rnd.id, Initiative.status == Status.NOT_FUNDED.value)
    ).first()
    assert loser is not None
    return rnd.id, loser, run.id


def test_english_results_pages_use_one_money_format(client, auth) -> None:
    round_id, loser, run_id = _published(client, auth)
    client.get("/taal/en?next=/")
    pages = {
        "results": client.get(f"/uitslag/{round_id}").get_data(as_text=True),
        "explanation": client.get(f"/uitslag/initiatief/{loser.id}").get_data(as_text=True),
        "run (staff)": client.get(f"/beheer/toewijzing/berekening/{run_id}").get_data(as_text=True),
    }
    for name, html in pages.items():
        found = amounts(html)
        assert found, f"{name}: no amounts at all"
        wrong = [a for a in found if not ENGLISH.fullmatch(a)]
        assert wrong == [], f"English {name} page mixes money formats: {sorted(set(wrong))[:5]}"
    # The explanation of a plan left out names money (what was left, what it costs).
    assert re.search(r"not funded\b.*€ \d", pages["explanation"], re.S)
    assert "EUR" not in re.sub(r"<[^>]+>", " ", pages["results"])
    # The vote counts' column says what it counts.
    heading = re.compile(r'<th scope="col" class="num">\s*(\w+)\s*</th>')
    assert "Votes" in heading.findall(pages["results"]) and "Voting" not in heading.findall(pages["results"])
    assert "Votes" in heading.findall(pages["run (staff)"]) and "Voting" not in heading.findall(pages["run (staff)"])


def test_dutch_results_pages_keep_their_format(client, auth) -> None:
    round_id, loser, _run_id = _published(client, auth)
    auth.logout()
    for path in (f"/uitslag/{round_id}", f"/uitslag/initiatief/{loser.id}"):
        html = client.get(path).get_data(as_text=True)
        found = amounts(html)
        assert found and [a for a in found if not DUTCH.fullmatch(a)] == [], (path, found[:5])
        assert '<th scope="col" class="num">Stemmen</th>' in html or "initiatief" in path


class _Links(HTMLParser):
    """The icons a page links and the images it shows."""

    def __init__(self) -> None:
        super().__init__()
        self.icons: list[str] = []
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        rel = (a.get("rel") or "").split()
        if tag == "link" and ("icon" in rel or "apple-touch-icon" in rel):
            self.icons.append(a["href"] or "")
        if tag == "img":
            self.images.append(a)


def test_favicon_is_there(client) -> None:
    ico = client.get("/favicon.ico")
    assert ico.status_code == 200 and ico.mimetype == "image/vnd.microsoft.icon"
    assert ico.data[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    for path, status in (("/", 200), ("/bestaat-niet", 404), ("/account/login", 200)):
        resp = client.get(path)
        assert resp.status_code == status
        links = _Links()
        links.feed(resp.get_data(as_text=True))
        assert len(links.icons) >= 2, (path, links.icons)
        for href in links.icons:
            icon = client.get(href)
            assert icon.status_code == 200 and icon.mimetype.startswith("image/"), (path, href, icon.status_code)


def test_every_img_in_the_templates_has_alt_text() -> None:
    """Each <img> a template writes has an alt attribute (alt="" for decorative ones)."""
    missing = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        for tag in re.findall(r"<img\b[^>]*>", template.read_text(encoding="utf-8"), flags=re.S):
            if not re.search(r"\salt=", tag):
                missing.append(f"{template.relative_to(ROOT)}: {tag[:80]}")
    assert missing == []


def test_a_plan_photo_is_shown_with_its_alt_text(client, auth) -> None:
    """A rendered page with a photo: every <img> carries the alt text its uploader wrote."""
    from tests import factories_media as fm
    from wijkfonds.services.media import photos

    author = f.user()
    ini = f.initiative(f.round_(), author)
    photos.add_to_initiative(ini, photos.store(fm.png(), author), "Twee bankjes onder een boom", author)
    db.session.commit()
    links = _Links()
    links.feed(client.get(f"/initiatieven/{ini.id}").get_data(as_text=True))
    assert links.images and all(i.get("alt") == "Twee bankjes onder een boom" for i in links.images)
