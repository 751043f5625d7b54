"""Account management by admins: list, search, create, role changes, blocking, bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories as f
from tests import factories_review as fr
from wijkfonds.extensions import db
from wijkfonds.models import AuditEvent, User

BASE = "/beheer/accounts"


def _state() -> tuple:
    """Everything an account change could touch: accounts and the audit log."""
    db.session.expire_all()
    users = tuple(
        db.session.execute(
            select(User.id, User.email, User.role, User.active, User.session_version).order_by(User.id)
        ).all()
    )
    return users, fr.count(AuditEvent)


def test_list_search_filter_and_pagination(client, auth, app) -> None:
    app.config["ADMIN_PER_PAGE"] = 10
    for i in range(12):
        f.user(email=f"buur{i:02d}@voorbeeld.nl", name=f"Buurman {i}")
    f.user("auditor", email="controle@rekenkamer.nl", name="Rekenkamer West")
    auth.login(fr.admin())
    page1 = client.get(BASE).get_data(as_text=True)
    assert "Gevonden accounts: 14." in page1 and 'aria-current="page"' in page1
    page2 = client.get(f"{BASE}?pagina=2").get_data(as_text=True)
    assert "buur00@voorbeeld.nl" in page2 and "buur00@voorbeeld.nl" not in page1
    found = client.get(f"{BASE}?q=REKENKAMER").get_data(as_text=True)
    assert "controle@rekenkamer.nl" in found and "buur01@" not in found
    by_name = client.get(f"{BASE}?q=buurman 1").get_data(as_text=True)
    assert "buur01@voorbeeld.nl" in by_name and "buur10@voorbeeld.nl" in by_name and "buur02@" not in by_name
    auditors = client.get(f"{BASE}?rol=auditor").get_data(as_text=True)
    assert "Gevonden accounts: 1." in auditors and "controle@rekenkamer.nl" in auditors
    fragment = client.get(f"{BASE}?q=rekenkamer", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="accounts"' in fragment and "<html" not in fragment


def test_create_staff_account(client, auth) -> None:
    admin = fr.admin()
    auth.login(admin)
    assert client.get(f"{BASE}/nieuw").status_code == 200
    resp = client.post(
        f"{BASE}/nieuw",
        data={
            "email": "Nieuw@Stadsdeel.nl",
            "display_name": "Nieuwe Collega",
            "role": "staff",
            "password": "een-lang-wachtwoord",
        },
    )
    assert resp.status_code == 302
    user = db.session.scalars(select(User).where(User.email == "nieuw@stadsdeel.nl")).one()
    assert user.role == "staff" and user.district_id is None and user.check_password("een-lang-wachtwoord")
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event.kind == "user.created" and event.actor_id == admin.id


BAD_CREATE = [
    ({"email": "medewerker@voorbeeld.nl"}, "Er bestaat al een account met dit e-mailadres."),
    ({"role": "koning"}, "Kies een bestaande rol uit de lijst."),
    ({"role": "resident"}, "Kies een bestaande rol uit de lijst."),
    ({"role": ""}, "Kies een bestaande rol uit de lijst."),
    ({"email": "geen-adres"}, "Dit is geen geldig e-mailadres."),
    ({"password": "kort"}, "minstens 10 tekens"),
    ({"display_name": ""}, "Vul een naam in."),
]


@pytest.mark.parametrize("data,message", BAD_CREATE)
def test_bad_account_creation_changes_nothing(client, auth, data, message) -> None:
    f.user("staff", email="medewerker@voorbeeld.nl")
    auth.login(fr.admin())
    before = _state()
    form = {"email": "x@stadsdeel.nl", "display_name": "Collega", "role": "staff", "password": "een-lang-wachtwoord"}
    form.update(data)
    resp = client.post(f"{BASE}/nieuw", data=form)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert _state() == before


def test_change_role_and_block(client, auth) -> None:
    admin = fr.admin()
    other = f.user("staff")
    db.session.commit()
    auth.login(admin)
    resp = client.post(f"{BASE}/{other.id}/rol", data={"role": "auditor", "next": "/beheer/accounts?q=x"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/beheer/accounts?q=x")
    db.session.expire_all()
    assert other.role == "auditor" and other.session_version == 2
    resp = client.post(f"{BASE}/{other.id}/actief", data={"active": "0", "next": "https://evil.example/"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/beheer/accounts")
    db.session.expire_all()
    assert other.active is False
    client.post(f"{BASE}/{other.id}/actief", data={"active": "1"})
    db.session.expire_all()
    assert other.active is True
    kinds = fr.audit_kinds()
    assert kinds[-3:] == ["user.role_changed", "user.active_changed", "user.active_changed"]


def test_blocked_account_cannot_log_in(client, auth) -> None:
    admin = fr.admin()
    other = f.user("staff", email="weg@voorbeeld.nl")
    db.session.commit()
    auth.login(admin)
    client.post(f"{BASE}/{other.id}/actief", data={"active": "0"})
    auth.logout()
    resp = client.post("/account/login", data={"email": "weg@voorbeeld.nl", "password": f.PASSWORD})
    assert resp.status_code == 401


@pytest.mark.parametrize(
    "url,data,status,message",
    [
        ("rol", {"role": "staff"}, 409, "U kunt uw eigen beheerdersrol niet afnemen"),
        ("rol", {"role": "resident"}, 409, "U kunt uw eigen beheerdersrol niet afnemen"),
        ("actief", {"active": "0"}, 409, "U kunt uw eigen account niet blokkeren"),
    ],
)
def test_admin_cannot_demote_or_block_themselves(client, auth, *, url, data, status, message) -> None:
    admin = fr.admin()
    auth.login(admin)
    before = _state()
    resp = client.post(f"{BASE}/{admin.id}/{url}", data=data)
    assert resp.status_code == status and message in resp.get_data(as_text=True)
    assert _state() == before


@pytest.mark.parametrize(
    "url,data,status,message",
    [
        ("rol", {"role": "koning"}, 422, "Kies een bestaande rol uit de lijst."),
        ("rol", {}, 422, "Kies een bestaande rol uit de lijst."),
        ("rol", {"role": "resident"}, 422, "geen gebied"),
        ("actief", {"active": "misschien"}, 422, "Kies blokkeren of deblokkeren."),
    ],
)
def test_tampered_role_and_active_values(client, auth, *, url, data, status, message) -> None:
    other = f.user("staff")
    auth.login(fr.admin())
    before = _state()
    resp = client.post(f"{BASE}/{other.id}/{url}", data=data)
    assert resp.status_code == status and message in resp.get_data(as_text=True)
    assert _state() == before


def test_unknown_account_is_404(client, auth) -> None:
    auth.login(fr.admin())
    before = _state()
    for url in ("rol", "actief"):
        resp = client.post(f"{BASE}/999999/{url}", data={"role": "staff", "active": "0"})
        assert resp.status_code == 404 and "Dit account bestaat niet." in resp.get_data(as_text=True)
    assert _state() == before


def test_staff_cannot_manage_accounts(client, auth) -> None:
    other = f.user()
    auth.login(fr.staff())
    before = _state()
    assert client.get(BASE).status_code == 403
    assert client.post(f"{BASE}/{other.id}/rol", data={"role": "admin"}).status_code == 403
    assert _state() == before
