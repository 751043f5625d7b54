"""Dialogue: comments and replies, editing window, reports, and moderation by staff."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests import factories as f
from tests import factories_resident as fr
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import AuditEvent, Comment, Phase, Report, Role

HX = {"HX-Request": "true"}


@pytest.fixture()
def ini(app):
    """An initiative in a submission round."""
    rnd = f.round_(Phase.SUBMISSION)
    item = f.initiative(rnd, f.user(), title="Speeltuin Erasmuspark")
    db.session.commit()
    return item


def _login(auth, role: Role = Role.RESIDENT):
    u = f.user(role)
    db.session.commit()
    auth.login(u)
    return u


def _last_kind() -> str | None:
    return db.session.scalars(select(AuditEvent.kind).order_by(AuditEvent.seq.desc())).first()


def test_post_comment_without_js_redirects_to_anchor(client, auth, ini) -> None:
    me = _login(auth)
    resp = client.post(f"/initiatieven/{ini.id}/reacties", data={"body": "  Goed idee!  "})
    c = db.session.scalars(select(Comment)).one()
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/initiatieven/{ini.id}#reactie-{c.id}")
    assert (c.body, c.author_id, c.parent_id) == ("Goed idee!", me.id, None)
    page = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert "Goed idee!" in page and "Reacties (1)" in page


def test_post_comment_with_htmx_returns_the_dialogue_fragment(client, auth, ini) -> None:
    _login(auth)
    resp = client.post(f"/initiatieven/{ini.id}/reacties", data={"body": "Via htmx"}, headers=HX)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and body.lstrip().startswith('<section id="dialoog"')
    assert "<html" not in body and "Via htmx" in body


def test_replies_are_one_level_deep(client, auth, ini) -> None:
    _login(auth)
    top = fr.comment(ini, body="Eerste")
    reply = fr.comment(ini, body="Antwoord", parent=top)
    db.session.commit()
    client.post(f"/initiatieven/{ini.id}/reacties", data={"body": "Antwoord op antwoord", "parent_id": reply.id})
    new = db.session.scalars(select(Comment).where(Comment.body == "Antwoord op antwoord")).one()
    assert new.parent_id == top.id
    page = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert page.index("Eerste") < page.index("Antwoord") < page.index("Antwoord op antwoord")


def test_reply_to_a_comment_of_another_initiative_is_refused(client, auth, ini) -> None:
    _login(auth)
    other = f.initiative(ini.round, f.user())
    foreign = fr.comment(other)
    db.session.commit()
    before = fr.snapshot()
    for parent in (foreign.id, 999999, "abc"):
        resp = client.post(f"/initiatieven/{ini.id}/reacties", data={"body": "Hallo", "parent_id": parent})
        if parent == "abc":  # unreadable parent: treated as a new top-level comment
            continue
        assert resp.status_code == 422, parent
        assert "De reactie waarop u antwoordt bestaat niet (meer)." in resp.get_data(as_text=True)
    assert fr.snapshot()["comment"] == before["comment"] + 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Schrijf eerst uw reactie."),
        ("   \n ", "Schrijf eerst uw reactie."),
        ("x" * 2001, "Uw reactie mag hoogstens 2000 tekens hebben."),
    ],
)
def test_empty_or_too_long_comment_is_refused(client, auth, ini, body, message) -> None:
    _login(auth)
    before = fr.snapshot()
    resp = client.post(f"/initiatieven/{ini.id}/reacties", data={"body": body})
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    hx = client.post(f"/initiatieven/{ini.id}/reacties", data={"body": body}, headers=HX)
    # 422 is swapped by htmx too (responseHandling in base.html), so the message shows in place.
    assert hx.status_code == 422 and message in hx.get_data(as_text=True) and "<html" not in hx.get_data(as_text=True)
    assert fr.snapshot() == before


def test_commenting_while_logged_out_saves_nothing(client, ini) -> None:
    before = fr.snapshot()
    resp = client.post(f"/initiatieven/{ini.id}/reacties", data={"body": "Anoniem"})
    assert resp.status_code == 302 and "/account/login" in resp.headers["Location"]
    assert fr.snapshot() == before
    assert "om te reageren" in client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)


def test_comment_on_unknown_initiative_is_404(client, auth) -> None:
    _login(auth)
    assert client.post("/initiatieven/999999/reacties", data={"body": "Hallo"}).status_code == 404


def test_html_in_comments_is_escaped(client, auth, ini) -> None:
    _login(auth)
    client.post(f"/initiatieven/{ini.id}/reacties", data={"body": "<script>alert('x')</script>"})
    page = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert(" in page


def test_author_edits_within_the_window(client, auth, ini) -> None:
    me = _login(auth)
    c = fr.comment(ini, me, body="Eerst zo")
    db.session.commit()
    form = client.get(f"/initiatieven/reacties/{c.id}/bewerken", headers=HX).get_data(as_text=True)
    assert "<html" not in form and "Eerst zo" in form
    resp = client.post(f"/initiatieven/reacties/{c.id}/bewerken", data={"body": "Nu anders"}, headers=HX)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Nu anders" in body and "bewerkt" in body
    db.session.expire_all()
    assert c.body == "Nu anders" and c.edited_at is not None
    plain = client.post(f"/initiatieven/reacties/{c.id}/bewerken", data={"body": "Nog eens"})
    assert plain.status_code == 303 and plain.headers["Location"].endswith(f"#reactie-{c.id}")


def test_editing_after_the_window_or_by_others_is_refused(client, auth, ini) -> None:
    me = _login(auth)
    old = fr.comment(ini, me, body="Oud", created_at=utcnow() - timedelta(minutes=16))
    theirs = fr.comment(ini, f.user(), body="Van een ander")
    db.session.commit()
    before = fr.snapshot()
    late = client.post(f"/initiatieven/reacties/{old.id}/bewerken", data={"body": "Te laat"})
    assert late.status_code == 409 and "in de eerste 15 minuten" in late.get_data(as_text=True)
    other = client.post(f"/initiatieven/reacties/{theirs.id}/bewerken", data={"body": "Gekaapt"})
    assert other.status_code == 403 and "alleen uw eigen reacties" in other.get_data(as_text=True)
    db.session.expire_all()
    assert (old.body, theirs.body) == ("Oud", "Van een ander") and fr.snapshot() == before
    assert "Bewerken" not in client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)


def test_hidden_comment_cannot_be_edited(client, auth, ini) -> None:
    me = _login(auth)
    c = fr.comment(ini, me, body="Verborgen tekst")
    c.hidden_at, c.hidden_reason = utcnow(), "Persoonlijke gegevens"
    db.session.commit()
    resp = client.post(f"/initiatieven/reacties/{c.id}/bewerken", data={"body": "Toch wijzigen"})
    assert resp.status_code == 409 and "Een verborgen reactie kan niet worden bewerkt." in resp.get_data(as_text=True)
    db.session.expire_all()
    assert c.body == "Verborgen tekst"


def test_edit_with_empty_text_is_refused(client, auth, ini) -> None:
    me = _login(auth)
    c = fr.comment(ini, me, body="Blijft")
    db.session.commit()
    resp = client.post(f"/initiatieven/reacties/{c.id}/bewerken", data={"body": ""})
    assert resp.status_code == 422 and "Schrijf eerst uw reactie." in resp.get_data(as_text=True)
    db.session.expire_all()
    assert c.body == "Blijft" and c.edited_at is None


def test_anyone_can_report_with_a_reason_and_it_is_rate_limited(client, app, ini) -> None:
    app.config["REPORT_RATE_LIMIT"] = (2, 3600)
    c = fr.comment(ini)
    db.session.commit()
    assert "Waarom meldt u deze reactie?" in client.get(f"/initiatieven/reacties/{c.id}/melden").get_data(as_text=True)
    empty = client.post(f"/initiatieven/reacties/{c.id}/melden", data={"reason": ""})
    assert empty.status_code == 422 and "Geef een reden." in empty.get_data(as_text=True)
    for _ in range(2):
        assert client.post(f"/initiatieven/reacties/{c.id}/melden", data={"reason": "Scheldwoorden"}).status_code == 303
    before = fr.snapshot()
    blocked = client.post(f"/initiatieven/reacties/{c.id}/melden", data={"reason": "Nog een keer"})
    assert blocked.status_code == 429 and "U heeft veel reacties gemeld" in blocked.get_data(as_text=True)
    assert fr.snapshot() == before
    assert db.session.scalars(select(Report)).first().reporter_id is None


def test_a_resident_reports_a_comment_once(client, auth, ini) -> None:
    me = _login(auth)
    c = fr.comment(ini)
    db.session.commit()
    for _ in range(3):
        client.post(f"/initiatieven/reacties/{c.id}/melden", data={"reason": "Persoonlijke gegevens"})
    assert [r.reporter_id for r in db.session.scalars(select(Report))] == [me.id]


def test_staff_hide_and_unhide_from_the_queue(client, auth, ini) -> None:
    c = fr.comment(ini, body="Jij bent een ...")
    fr.report(c)
    fr.report(c, reason="Beledigend")
    _login(auth, Role.STAFF)
    queue = client.get("/moderatie/").get_data(as_text=True)
    assert "Jij bent een ..." in queue and "2 meldingen" in queue and "Beledigend" in queue
    resp = client.post(f"/moderatie/reacties/{c.id}/verbergen", data={"reason": "Scheldwoorden"})
    assert resp.status_code == 303
    db.session.expire_all()
    assert c.hidden_at is not None and _last_kind() == "comment.hidden"
    assert all(r.resolved for r in db.session.scalars(select(Report)))
    page = client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)
    assert "Verborgen door een moderator: Scheldwoorden" in page and "Jij bent een ..." not in page
    assert "Er zijn geen open meldingen." in client.get("/moderatie/").get_data(as_text=True)
    again = client.post(f"/moderatie/reacties/{c.id}/verbergen", data={"reason": "Nog eens"})
    assert again.status_code == 409 and "al verborgen" in again.get_data(as_text=True)
    assert client.post(f"/moderatie/reacties/{c.id}/tonen").status_code == 303
    db.session.expire_all()
    assert c.hidden_at is None and c.hidden_reason == "" and _last_kind() == "comment.unhidden"
    assert "Jij bent een ..." in client.get(f"/initiatieven/{ini.id}").get_data(as_text=True)


def test_hiding_needs_a_reason(client, auth, ini) -> None:
    c = fr.comment(ini)
    _login(auth, Role.STAFF)
    before = fr.snapshot()
    for reason in ("", "r" * 301):
        resp = client.post(f"/moderatie/reacties/{c.id}/verbergen", data={"reason": reason})
        assert resp.status_code == 422
        assert "Geef een reden." in resp.get_data(as_text=True) or "hoogstens 300 tekens" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert c.hidden_at is None and fr.snapshot() == before


def test_dismissing_reports_keeps_the_comment(client, auth, ini) -> None:
    c = fr.comment(ini, body="Gewone reactie")
    fr.report(c)
    _login(auth, Role.STAFF)
    assert client.post(f"/moderatie/reacties/{c.id}/meldingen-sluiten").status_code == 303
    db.session.expire_all()
    assert c.hidden_at is None and _last_kind() == "comment.reports_dismissed"
    before = fr.snapshot()
    none_left = client.post(f"/moderatie/reacties/{c.id}/meldingen-sluiten")
    assert none_left.status_code == 409 and fr.snapshot() == before


def test_residents_cannot_moderate(client, auth, ini) -> None:
    c = fr.comment(ini)
    _login(auth)
    before = fr.snapshot()
    assert client.get("/moderatie/").status_code == 403
    assert client.post(f"/moderatie/reacties/{c.id}/verbergen", data={"reason": "Weg"}).status_code == 403
    assert fr.snapshot() == before
