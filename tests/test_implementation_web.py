"""After the vote, through the pages: staff overview and plan page, the initiator's page, the public timeline."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

from tests import factories as f
from tests import factories_implementation as fi
from tests import factories_media as fm
from wijkfonds.extensions import db
from wijkfonds.models import FinancialAccount, Payment, Role, Status
from wijkfonds.services.implementation import money, progress


def _payments() -> int:
    return db.session.scalar(select(func.count(Payment.id))) or 0


def test_staff_overview_shows_each_funded_plan_with_its_money_and_filters(client, auth) -> None:
    rnd, staff, impls = fi.published()
    impl = impls[0]
    progress.set_status(impl, "started", staff)
    money.record_payment(impl, staff, 100, progress.local_today(), "Voorschot")
    db.session.commit()
    auth.login(staff)
    page = client.get(f"/beheer/uitvoering?ronde={rnd.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for i in impls:
        assert i.initiative.title in html
    assert "€ 100" in html and "Gestart" in html
    started = client.get(f"/beheer/uitvoering?ronde={rnd.id}&status=started").get_data(as_text=True)
    assert impl.initiative.title in started and impls[1].initiative.title not in started
    late = client.get(f"/beheer/uitvoering?ronde={rnd.id}&achter=1").get_data(as_text=True)
    assert "Geen plannen voor deze keuze." in late
    assert client.get("/beheer/uitvoering?ronde=abc&gebied=99999999999999999999").status_code == 200
    assert "Uitvoering" in client.get("/").get_data(as_text=True)  # the staff menu entry


def test_residents_and_visitors_do_not_reach_the_staff_pages(client, auth) -> None:
    _rnd, _staff, impls = fi.published()
    assert client.get("/beheer/uitvoering").status_code == 302  # to the login page
    auth.login(f.user())
    assert client.get("/beheer/uitvoering").status_code == 403
    assert client.get(f"/beheer/uitvoering/plannen/{impls[0].initiative_id}").status_code == 403
    assert client.post(f"/beheer/uitvoering/plannen/{impls[0].initiative_id}/betalingen", data={}).status_code == 403


def test_bad_payments_get_a_422_with_the_reason_and_save_nothing(client, auth) -> None:
    _rnd, staff, impls = fi.published()
    impl = impls[0]
    auth.login(staff)
    url = f"/beheer/uitvoering/plannen/{impl.initiative_id}/betalingen"
    today = progress.local_today()
    cases = [
        (
            {"amount": str(impl.granted + 1), "paid_on": today.isoformat(), "purpose": "Te veel"},
            "meer dan er nog over is",
        ),
        ({"amount": "-5", "paid_on": today.isoformat(), "purpose": "Negatief"}, "niet negatief"),
        ({"amount": "0", "paid_on": today.isoformat(), "purpose": "Nul"}, "meer dan € 0"),
        (
            {"amount": "50", "paid_on": (today + timedelta(days=2)).isoformat(), "purpose": "Later"},
            "niet in de toekomst",
        ),
        ({"amount": "50", "paid_on": today.isoformat(), "purpose": ""}, "Schrijf waarvoor"),
        ({"amount": "12,50", "paid_on": today.isoformat(), "purpose": "Centen"}, "zonder centen"),
    ]
    for data, message in cases:
        resp = client.post(url, data=data)
        assert resp.status_code == 422, data
        assert message in resp.get_data(as_text=True), data
    assert _payments() == 0
    ok = client.post(url, data={"amount": "250", "paid_on": today.isoformat(), "purpose": "Voorschot"})
    assert ok.status_code == 303 and _payments() == 1
    page = client.get(f"/beheer/uitvoering/plannen/{impl.initiative_id}").get_data(as_text=True)
    assert "Voorschot" in page and "€ 250" in page


def test_a_plan_that_was_not_funded_has_no_implementation_pages(client, auth) -> None:
    rnd, staff, _impls = fi.published()
    author = f.user()
    loser = f.initiative(rnd, author, status=Status.NOT_FUNDED)
    db.session.commit()
    auth.login(staff)
    resp = client.get(f"/beheer/uitvoering/plannen/{loser.id}")
    assert resp.status_code == 409 and "niet gefinancierd" in resp.get_data(as_text=True)
    assert client.post(f"/beheer/uitvoering/plannen/{loser.id}/berichten", data={"body": "Nieuws"}).status_code == 409
    auth.login(author)
    assert client.post(f"/uitvoering/plannen/{loser.id}", data={"body": "Nieuws"}).status_code == 409
    assert "Uitvoering" not in client.get(f"/initiatieven/{loser.id}").get_data(as_text=True).split("</header>", 1)[1]


def test_stopping_without_a_reason_is_refused_on_the_form(client, auth) -> None:
    _rnd, staff, impls = fi.published()
    impl = impls[0]
    auth.login(staff)
    url = f"/beheer/uitvoering/plannen/{impl.initiative_id}/status"
    resp = client.post(url, data={"status": "stopped", "reason": ""})
    assert resp.status_code == 422 and "Geef een reden waarom het plan stopt" in resp.get_data(as_text=True)
    assert client.post(url, data={"status": "completed"}).status_code == 422
    assert client.post(url, data={"status": "stopped", "reason": "Geen vrijwilligers meer."}).status_code == 303
    db.session.expire_all()
    assert "Geen vrijwilligers meer." in client.get(f"/initiatieven/{impl.initiative_id}").get_data(as_text=True)


def test_the_initiator_posts_updates_with_a_photo_and_the_public_page_shows_the_timeline(client, auth) -> None:
    _rnd, staff, impls = fi.published()
    impl = impls[0]
    initiator = fi.with_initiator(impl)
    progress.set_status(impl, "started", staff)
    money.record_payment(impl, staff, 300, progress.local_today(), "Voorschot")
    db.session.commit()
    other = f.user()
    auth.login(other)
    assert client.get(f"/uitvoering/plannen/{impl.initiative_id}").status_code == 403
    auth.login(initiator)
    url = f"/uitvoering/plannen/{impl.initiative_id}"
    assert client.get(url).status_code == 200
    assert client.post(url, data={"body": ""}).status_code == 422
    no_alt = client.post(
        url,
        data={"body": "Met foto", "photo": (io.BytesIO(fm.jpeg((800, 600))), "a.jpg"), "photo_alt": ""},
        content_type="multipart/form-data",
    )
    assert no_alt.status_code == 422 and "Beschrijf in een zin" in no_alt.get_data(as_text=True)
    token = re.search(r'name="photo_token" type="hidden" value="([^"]+)"', no_alt.get_data(as_text=True))
    assert token is not None  # the photo is kept for the next attempt
    resp = client.post(
        url,
        data={"body": "De eerste bijeenkomst was vol.", "photo_token": token.group(1), "photo_alt": "Een volle zaal"},
    )
    assert resp.status_code == 303
    public = client.get(f"/initiatieven/{impl.initiative_id}").get_data(as_text=True)
    assert "De eerste bijeenkomst was vol." in public and 'alt="Een volle zaal"' in public
    assert "Betaald tot nu toe" in public and "€ 300" in public and "Gestart" in public
    assert "Schrijf over de uitvoering" in public
    auth.logout()
    anonymous = client.get(f"/initiatieven/{impl.initiative_id}").get_data(as_text=True)
    assert "De eerste bijeenkomst was vol." in anonymous and "Schrijf over de uitvoering" not in anonymous


def test_an_account_sent_back_and_sent_again_through_the_pages(client, auth) -> None:
    _rnd, staff, impls = fi.published()
    impl = impls[0]
    initiator = fi.with_initiator(impl)
    progress.set_status(impl, "started", staff)
    money.record_payment(impl, staff, 800, progress.local_today(), "Alles")
    db.session.commit()
    auth.login(initiator)
    url = f"/uitvoering/plannen/{impl.initiative_id}/verantwoording"
    running = client.post(url, data={"spent": "800", "returned": "0", "body": "Op"})
    assert running.status_code == 409 and "Dit plan loopt nog" in running.get_data(as_text=True)
    progress.set_status(impl, "completed", staff)
    db.session.commit()
    wrong = client.post(url, data={"spent": "700", "returned": "0", "body": "Op"})
    assert wrong.status_code == 422 and "moet gelijk zijn aan wat u ontving" in wrong.get_data(as_text=True)
    assert db.session.scalar(select(func.count(FinancialAccount.id))) == 0
    assert client.post(url, data={"spent": "750", "returned": "50", "body": "Zaal en koffie."}).status_code == 303
    auth.login(staff)
    manage = f"/beheer/uitvoering/plannen/{impl.initiative_id}"
    assert client.post(manage + "/verantwoording/terugsturen", data={"reason": ""}).status_code == 422
    assert client.post(manage + "/verantwoording/terugsturen", data={"reason": "Bonnen ontbreken."}).status_code == 303
    auth.login(initiator)
    page = client.get(f"/uitvoering/plannen/{impl.initiative_id}").get_data(as_text=True)
    assert "Bonnen ontbreken." in page
    assert client.post(url, data={"spent": "750", "returned": "50", "body": "Met bonnen."}).status_code == 303
    auth.login(staff)
    assert client.post(manage + "/verantwoording/goedkeuren").status_code == 303
    public = client.get(f"/initiatieven/{impl.initiative_id}").get_data(as_text=True)
    assert "Terugbetaald" in public and "€ 50" in public and "€ 750" in public


def test_staff_hide_an_update_and_the_public_sees_the_reason(client, auth) -> None:
    _rnd, staff, impls = fi.published()
    impl = impls[0]
    update = progress.add_update(impl, staff, "Bel 06-12345678 voor meer info.")
    db.session.commit()
    auth.login(staff)
    assert client.post(f"/beheer/uitvoering/berichten/{update.id}/verbergen", data={"reason": ""}).status_code == 422
    resp = client.post(f"/beheer/uitvoering/berichten/{update.id}/verbergen", data={"reason": "Een telefoonnummer."})
    assert resp.status_code == 303
    auth.logout()
    public = client.get(f"/initiatieven/{impl.initiative_id}").get_data(as_text=True)
    assert "06-12345678" not in public and "Een telefoonnummer." in public


def test_every_form_needs_its_csrf_token(csrf_app: Flask) -> None:
    with csrf_app.app_context():
        _rnd, staff, impls = fi.published()
        impl = impls[0]
        url = f"/beheer/uitvoering/plannen/{impl.initiative_id}"
        client = csrf_app.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"] = staff.get_id()
            sess["_fresh"] = True
        today = progress.local_today().isoformat()
        bare = client.post(url + "/betalingen", data={"amount": "10", "paid_on": today, "purpose": "x"})
        assert bare.status_code in (400, 422) and _payments() == 0
        page = client.get(url).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert token is not None
        data = {"csrf_token": token.group(1), "amount": "10", "paid_on": today, "purpose": "Voorschot"}
        assert client.post(url + "/betalingen", data=data).status_code == 303
        assert _payments() == 1
        assert f.user(Role.STAFF) is not None


def test_the_pages_in_english(client, auth) -> None:
    _rnd, staff, impls = fi.published()
    auth.login(staff)
    client.get("/taal/en?next=/")
    html = client.get(f"/beheer/uitvoering/plannen/{impls[0].initiative_id}").get_data(as_text=True)
    assert "Payments" in html and "Milestones" in html
