"""The ballot as cards: what a plan's card shows (photo, cost, district, building block, the whole
plan inline), that the option snapshot still costs one statement per district sheet, the red
over-budget meter, and the receipt to print and to keep as a file."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import event

from tests import factories as f
from tests import factories_media as fm
from tests import factories_vote as fv
from wijkfonds.extensions import db
from wijkfonds.models import Photo
from wijkfonds.services.media import photos
from wijkfonds.services.voting import snapshots

ALT = "Twee bankjes op het plein"


def _photo(ini, colour=(40, 120, 200)) -> Photo:
    """A photo on a plan, as its initiator would have added it before voting."""
    author = ini.author
    stored = photos.store(fm.jpeg(colour=colour), author)
    photo = Photo(
        owner_kind="initiative",
        owner_id=ini.id,
        uploader_id=author.id,
        digest=stored.digest,
        fmt=stored.fmt,
        widths=",".join(map(str, stored.widths)),
        width=stored.width,
        height=stored.height,
        alt=ALT,
        hidden_reason="",
    )
    db.session.add(photo)
    db.session.flush()
    return photo


def _voter(app: Flask, rnd):
    code = fv.voting_code(rnd)
    db.session.commit()
    client = app.test_client()
    assert client.post(f"/stemmen/{rnd.id}/code", data={"code": code}).status_code == 303
    return client


def test_a_card_shows_photo_cost_district_block_and_the_whole_plan_inline(app: Flask) -> None:
    rnd = fv.voting_round()
    plan = fv.feasible(rnd, cost=4_500, title="Bankjes op het plein")
    plan.description = "Vier bankjes rond de boom.\nWe onderhouden ze met de buurt."
    photo = _photo(plan)
    block_name = plan.block.name_nl
    client = _voter(app, rnd)
    page = client.get(f"/stemmen/{rnd.id}/stembiljet").get_data(as_text=True)
    card = page[page.index('<div class="ballot-option card">') :]
    card = card[: card.index("</details>")]
    assert f'<label for="ini-{plan.id}"><strong><bdi>Bankjes op het plein</bdi></strong> · € 4.500</label>' in card
    img = re.search(r"<img [^>]+>", card).group(0)
    assert f'alt="{ALT}"' in img and 'loading="lazy"' in img and 'width="1280"' in img and 'height="960"' in img
    assert all(f"/media/fotos/{photo.digest}-{w}.jpg {w}w" in img for w in (320, 640, 1280))
    assert "Gebied: De Baarsjes" in card and f"Bouwsteen: {block_name}" in card
    assert "<details" in card and "Lees het hele plan" in card and "Vier bankjes rond de boom." in card
    link = re.search(r'<a href="([^"]+)" target="_blank" rel="noopener">([^<]+)</a>', card)
    assert link and link.group(1) == f"/initiatieven/{plan.id}" and "(opent in nieuw venster)" in link.group(2)


def test_the_english_card_says_it_opens_a_new_window(app: Flask) -> None:
    rnd = fv.voting_round()
    plan = fv.feasible(rnd)
    english = plan.block.name_en
    client = _voter(app, rnd)
    client.get("/taal/en?next=/")
    page = client.get(f"/stemmen/{rnd.id}/stembiljet").get_data(as_text=True)
    assert "Read the whole plan" in page and "(opens in a new window)" in page and f"Building block: {english}" in page


def test_a_plan_without_a_photo_has_a_card_without_an_img(app: Flask) -> None:
    rnd = fv.voting_round()
    fv.feasible(rnd, title="Zonder foto")
    client = _voter(app, rnd)
    page = client.get(f"/stemmen/{rnd.id}/stembiljet").get_data(as_text=True)
    assert "Zonder foto" in page and "<img" not in page


def test_one_statement_per_district_sheet_whatever_the_number_of_plans_and_photos(app: Flask) -> None:
    rnd = fv.voting_round()
    plans = [fv.feasible(rnd, title=f"Plan {n}") for n in range(6)]
    for n, plan in enumerate(plans[:4]):
        _photo(plan, colour=(n, n, n))
        if n < 2:
            _photo(plan, colour=(n, n, 99))  # a second photo: the card shows the first
    hidden = _photo(plans[4])
    hidden.hidden_at = hidden.created_at
    db.session.commit()
    round_id, district_id = rnd.id, plans[0].district_id  # read now: no ORM refresh inside the count
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    with app.test_request_context():
        app.extensions["wijkfonds_voting_snapshots"].clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            sheet = snapshots.sheet(round_id, district_id)
            again = snapshots.sheet(round_id, district_id)  # kept for 2 s: no statement
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    assert again is sheet
    options = [s for s in statements if "FROM initiative" in s]
    assert len(options) == 1 and len(statements) == 2  # the district's budget, and the options with their cards
    by_title = {o.title: o for o in sheet.options}
    firsts = {p.owner_id: p for p in reversed(db.session.query(Photo).filter(Photo.hidden_at.is_(None)).all())}
    for plan in plans[:4]:
        assert by_title[plan.title].photo is not None and by_title[plan.title].photo.id == firsts[plan.id].id
    assert by_title["Plan 4"].photo is None  # its only photo is hidden
    assert by_title["Plan 5"].photo is None
    assert {o.district_name for o in sheet.options} == {"De Baarsjes"}
    assert all(o.block_name_nl and o.block_name_en and o.description for o in sheet.options)
    hash(sheet)  # the snapshot stays hashable: it is part of the cached page's key


def test_hiding_a_photo_takes_it_off_the_ballot_at_once(app: Flask) -> None:
    rnd = fv.voting_round()
    plan = fv.feasible(rnd)
    photo = _photo(plan)
    staff = f.user("staff")
    client = _voter(app, rnd)
    assert f"/media/fotos/{photo.digest}-640.jpg" in client.get(f"/stemmen/{rnd.id}/stembiljet").get_data(as_text=True)
    photos.hide(db.session.get(Photo, photo.id), staff, "Hoort niet bij het plan")
    db.session.commit()  # in this process the snapshots are cleared at once
    assert "/media/fotos/" not in client.get(f"/stemmen/{rnd.id}/stembiljet").get_data(as_text=True)


def test_over_budget_the_meter_turns_red_and_says_by_how_much(app: Flask) -> None:
    rnd = fv.voting_round()  # € 10.000 for De Baarsjes
    plans = [fv.feasible(rnd, cost=c) for c in (4_000, 5_000, 2_500)]
    client = _voter(app, rnd)
    data = {"initiative": [str(p.id) for p in plans], "district": str(plans[0].district_id)}
    frag = client.post(f"/stemmen/{rnd.id}/stembiljet/meter", data=data, headers={"HX-Request": "true"})
    body = frag.get_data(as_text=True)
    assert "<html" not in body and 'class="meter-state is-over"' in body
    assert '<strong class="over">€ 1.500 te veel</strong>' in body
    meter = re.search(r"<meter [^>]+>", body).group(0)
    assert 'value="11500"' in meter and 'max="11500"' in meter and 'high="10000"' in meter and 'optimum="0"' in meter
    full = client.post(f"/stemmen/{rnd.id}/stembiljet/meter", data=data).get_data(as_text=True)  # without JavaScript
    assert "<html" in full and "€ 1.500 te veel" in full and "is-over" in full
    within = client.post(
        f"/stemmen/{rnd.id}/stembiljet/meter", data={**data, "initiative": data["initiative"][:2]}
    ).get_data(as_text=True)
    assert "te veel" not in within and "is-over" not in within and "Over:" in within


def test_the_receipt_downloads_as_a_text_file_from_the_session_only(app: Flask) -> None:
    rnd = fv.voting_round()
    plan = fv.feasible(rnd, title="Geveltuinen in de straat")
    client = _voter(app, rnd)
    assert client.get(f"/stemmen/{rnd.id}/ontvangstcode.txt").status_code == 302  # no ballot yet: nothing to keep
    cast = client.post(f"/stemmen/{rnd.id}/stembiljet", data={"initiative": [plan.id], "district": plan.district_id})
    assert cast.status_code == 303
    with client.session_transaction() as sess:
        receipt = sess["vote_receipts"][str(rnd.id)]
    page = client.get(f"/stemmen/{rnd.id}/bevestiging").get_data(as_text=True)
    assert f'href="/stemmen/{rnd.id}/ontvangstcode.txt" download' in page and 'class="no-print' in page
    resp = client.get(f"/stemmen/{rnd.id}/ontvangstcode.txt?code=NEPCODE1234&round=9")
    text = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert resp.headers["Content-Disposition"] == f'attachment; filename="ontvangstcode-ronde-{rnd.id}.txt"'
    assert resp.headers["Cache-Control"] == "no-store" and resp.headers["X-Content-Type-Options"] == "nosniff"
    assert receipt in text and rnd.name in text
    assert "NEPCODE1234" not in text and "Geveltuinen" not in text  # nothing from the address, no choice
    other = app.test_client()  # another browser has no receipt in its session
    assert other.get(f"/stemmen/{rnd.id}/ontvangstcode.txt").status_code == 302


def test_the_print_stylesheet_hides_menu_and_buttons(app: Flask) -> None:
    css = app.test_client().get("/static/css/site.css").get_data(as_text=True)
    block = css[css.index("@media print") :]
    block = block[: block.index("}\n}") + 3]
    for selector in (".site-header", ".no-print", "button", ".button", ".skip-link"):
        assert selector in block.split("{", 2)[1]
    assert ".print-only { display: block; }" in block
