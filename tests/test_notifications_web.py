"""The notification pages: the follow button (with and without htmx), settings, language, privacy."""

from __future__ import annotations

import ast
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

import wijkfonds
from tests import factories as f
from tests.notify_helpers import person
from wijkfonds.extensions import db
from wijkfonds.models import (
    Follow,
    NotificationDelivery,
    NotificationKind,
    NotificationSettings,
    PendingNotification,
    Phase,
    User,
)
from wijkfonds.services.dialogue import comments, initiatives
from wijkfonds.services.notifications import follows, privacy
from wijkfonds.services.notifications.unsubscribe import token_for

HX = {"HX-Request": "true"}


def _login(client, user: User) -> None:
    db.session.commit()
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True


def test_the_plan_page_offers_following_and_the_button_works_without_javascript(client, app: Flask) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    ini = f.initiative(rnd, person(), title="Buurtkast")
    anonymous = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert 'id="volgen"' in anonymous and "om dit plan te volgen" in anonymous
    me = person()
    _login(client, me)
    page = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert "U volgt dit plan niet." in page and f'action="/initiatieven/{ini.id}/volgen"' in page

    resp = client.post(f"/initiatieven/{ini.id}/volgen", data={"next": f"/initiatieven/{ini.id}#volgen"})
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/initiatieven/{ini.id}#volgen")
    assert follows.state(me, ini) == follows.FollowState(True, follows.Why.CHOSEN)
    page = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert "U volgt dit plan nu." in page and "Niet meer volgen" in page

    # A foreign "next" is not followed anywhere else.
    away = client.post(f"/initiatieven/{ini.id}/niet-volgen", data={"next": "https://elders.example/"})
    assert away.status_code == 303 and "elders.example" not in away.headers["Location"]
    assert follows.state(me, ini).following is False


def test_htmx_swaps_the_follow_box(client, app: Flask) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    author = person()
    ini = f.initiative(rnd, author)
    _login(client, author)
    page = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert "U volgt dit plan, omdat u het heeft ingediend." in page  # by default
    resp = client.post(f"/initiatieven/{ini.id}/niet-volgen", headers=HX)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and body.lstrip().startswith('<section id="volgen"')
    assert "<html" not in body and "Volg dit plan" in body
    again = client.post(f"/initiatieven/{ini.id}/volgen", headers=HX).get_data(as_text=True)
    assert "U volgt dit plan." in again
    assert db.session.scalar(select(func.count(Follow.id))) == 1  # one row, changed twice


def test_following_a_plan_that_does_not_exist_is_a_clear_404(client, app: Flask) -> None:
    _login(client, person())
    resp = client.post("/initiatieven/999999/volgen")
    assert resp.status_code == 404 and "bestaat niet" in resp.get_data(as_text=True)


def test_the_settings_page_stores_language_delivery_and_switches(client, app: Flask) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    me = person("nl")
    mine = f.initiative(rnd, me, title="Eigen plan")
    other = f.initiative(rnd, person(), title="Gesteund plan")
    initiatives.set_support(other, me, True)
    _login(client, me)
    page = client.get("/account/meldingen").get_data(as_text=True)
    assert "Plannen die u volgt" in page and "Eigen plan" in page and "Gesteund plan" in page
    assert "Nieuws over gefinancierde plannen" not in page  # that switch comes with its feature
    resp = client.post(
        "/account/meldingen",
        data={"language": "en", "delivery": "daily", "follow_supported": "y", "comment": "y", "result": "y"},
    )
    assert resp.status_code == 303
    db.session.expire_all()
    prefs = db.session.get(NotificationSettings, me.id)
    assert prefs is not None and me.language == "en" and prefs.delivery == NotificationDelivery.DAILY.value
    assert (prefs.follow_own, prefs.follow_supported) == (False, True)
    assert [k for k in NotificationKind if prefs.is_on(k)] == [
        NotificationKind.COMMENT,
        NotificationKind.RESULT,
        NotificationKind.PLAN_UPDATE,
    ]
    assert follows.state(me, mine).following is False  # follow_own is off now
    assert follows.state(me, other).why == follows.Why.SUPPORTED

    # The unfollow button in the list returns to the list.
    back = client.post(f"/initiatieven/{other.id}/niet-volgen", data={"next": "/account/meldingen#gevolgd"})
    assert back.status_code == 303 and back.headers["Location"].endswith("/account/meldingen#gevolgd")
    assert "U volgt nog geen plannen." in client.get("/account/meldingen").get_data(as_text=True)


def test_the_settings_page_refuses_what_it_does_not_offer(client, app: Flask) -> None:
    me = person("nl")
    _login(client, me)
    resp = client.post("/account/meldingen", data={"language": "fr", "delivery": "hourly"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Kies een taal uit de lijst." in body and "meteen of eens per dag" in body
    db.session.expire_all()
    assert db.session.get(NotificationSettings, me.id) is None and me.language == "nl"


def test_registration_keeps_the_language_of_the_request(client, app: Flask) -> None:
    data = {
        "email": "new@example.org",
        "display_name": "New Resident",
        "district": f.district().id,
        "password": "a-long-password",
        "password2": "a-long-password",
    }
    assert client.post("/account/registreren?lang=en", data=data).status_code == 303
    assert db.session.scalars(select(User).where(User.email == "new@example.org")).one().language == "en"
    data["email"] = "nieuw@voorbeeld.nl"
    assert client.post("/account/registreren", data=data).status_code == 303
    assert db.session.scalars(select(User).where(User.email == "nieuw@voorbeeld.nl")).one().language == "nl"


def test_the_unsubscribe_page_names_what_it_switches_off(client, app: Flask) -> None:
    me = person()
    db.session.commit()
    page = client.get(f"/account/meldingen/afmelden/{token_for(me, NotificationKind.VOTING_OPEN)}").get_data(
        as_text=True
    )
    assert "Het stemmen is begonnen in mijn gebied" in page
    everything = client.get(f"/account/meldingen/afmelden/{token_for(me, None)}").get_data(as_text=True)
    assert "Alle meldingen per mail" in everything


def test_personal_data_and_forget(client, app: Flask) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    me = person("en")
    mine = f.initiative(rnd, me, title="Mijn plan")
    followed = f.initiative(rnd, person(), title="Andermans plan")
    follows.set_following(me, followed, True)
    follows.set_following(me, mine, False)
    db.session.add(NotificationSettings(user_id=me.id, delivery=NotificationDelivery.DAILY.value, review=False))
    comments.post(followed, person(), "Hallo")  # waits for my digest
    db.session.flush()

    data = privacy.personal_data(me)
    assert data["mail_language"] == "en"
    assert data["settings"]["stored"] is True and data["settings"]["delivery"] == "daily"
    assert data["settings"]["switches"]["review"] is False and data["settings"]["switches"]["comment"] is True
    assert [(c["title"], c["following"]) for c in data["choices"]] == [("Andermans plan", True), ("Mijn plan", False)]
    assert data["following"] == [{"initiative_id": followed.id, "title": "Andermans plan", "why": "chosen"}]
    assert [w["kind"] for w in data["waiting_for_digest"]] == ["comment"]

    privacy.forget(me)
    db.session.commit()
    for model in (Follow, NotificationSettings, PendingNotification):
        assert db.session.scalar(select(func.count()).select_from(model).where(model.user_id == me.id)) == 0
    after = privacy.personal_data(me)
    assert after["choices"] == [] and after["waiting_for_digest"] == [] and after["settings"]["stored"] is False


def _names(path: Path) -> set[str]:
    """Every name, attribute and imported module or name in a source file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.ImportFrom):
            found.add(node.module or "")
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_notifications_never_read_ballots_and_the_voting_path_never_notifies() -> None:
    package = Path(wijkfonds.__file__).resolve().parent
    voting = {"Ballot", "BallotItem", "BallotCommitment", "Voter", "Receipt", "VotingCode", "CodeBatch"}
    ours = [
        *(package / "services" / "notifications").rglob("*.py"),
        *(package / "blueprints" / "notifications").rglob("*.py"),
        package / "models" / "notifications.py",
    ]
    for path in ours:
        assert not _names(path) & voting, f"{path} names {_names(path) & voting}"
    for path in [*(package / "services" / "voting").rglob("*.py"), *(package / "blueprints" / "vote").rglob("*.py")]:
        assert not any("notifications" in name for name in _names(path)), f"{path} uses the notifications"
