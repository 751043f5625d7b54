"""Theme nominations: propose, support, comment, ranking, staff choice, public afterwards."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories as f
from tests import factories_rounds as fr
from wijkfonds.extensions import db
from wijkfonds.models import (
    AuditEvent,
    NominationComment,
    NominationSupport,
    Phase,
    Role,
    Theme,
    ThemeNomination,
)
from wijkfonds.services.rounds import nominations


def _snapshot() -> tuple[int, ...]:
    return tuple(fr.count(m) for m in (ThemeNomination, NominationSupport, NominationComment, Theme, AuditEvent))


@pytest.fixture()
def resident(auth):
    """A logged-in resident."""
    user = f.user()
    db.session.commit()
    auth.login(user)
    return user


def test_propose_support_and_comment(client, resident) -> None:
    rnd = f.round_(Phase.NOMINATION, themes=[])
    db.session.commit()
    resp = client.post(
        f"/themas/ronde/{rnd.id}/voorstellen",
        data={"title": "  Eenzaamheid   onder ouderen ", "description": "Veel ouderen zijn alleen."},
    )
    assert resp.status_code == 302
    nom = db.session.scalars(select(ThemeNomination)).one()
    assert nom.title == "Eenzaamheid onder ouderen" and nom.author_id == resident.id
    url = f"/themas/voorstel/{nom.id}"
    assert client.post(f"{url}/steun", data={"want": "1"}).status_code == 302
    assert client.post(f"{url}/steun", data={"want": "1"}).status_code == 302  # a double click changes nothing
    assert nominations.support_count(nom) == 1
    frag = client.post(f"{url}/steun", data={"want": "0"}, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in frag and "Steun van bewoners: 0" in frag and "Steun dit thema" in frag
    assert nominations.support_count(nom) == 0
    assert client.post(f"{url}/reactie", data={"body": "Goed idee, ook in Bos en Lommer."}).status_code == 302
    frag = client.post(f"{url}/reactie", data={"body": "Mee eens."}, headers={"HX-Request": "true"}).get_data(
        as_text=True
    )
    assert "<html" not in frag and "Mee eens." in frag and "Goed idee" in frag
    page = client.get(url).get_data(as_text=True)
    assert "Eenzaamheid onder ouderen" in page and "Mee eens." in page
    kinds = fr.audit_kinds()
    assert kinds == [
        "nomination.created",
        "nomination.supported",
        "nomination.unsupported",
        "nomination.commented",
        "nomination.commented",
    ]


@pytest.mark.parametrize(
    "case,data,message",
    [
        ("empty", {"title": "  "}, "minstens 3 tekens"),
        ("short", {"title": "ab"}, "minstens 3 tekens"),
        ("long", {"title": "x" * 121}, "hoogstens 120 tekens"),
        ("duplicate", {"title": "GROEN IN DE BUURT"}, "al voorgesteld"),
        ("long-description", {"title": "Sport", "description": "x" * 2001}, "hoogstens 2000 tekens"),
    ],
)
def test_bad_nominations_are_refused(client, resident, case, data, message) -> None:
    rnd = f.round_(Phase.NOMINATION)
    fr.nomination(rnd, title="Groen in de buurt")
    db.session.commit()
    before = _snapshot()
    resp = client.post(f"/themas/ronde/{rnd.id}/voorstellen", data={"description": ""} | data)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True), case
    assert _snapshot() == before


def test_at_most_three_nominations_per_resident(client, resident) -> None:
    rnd = f.round_(Phase.NOMINATION)
    for i in range(nominations.MAX_PER_RESIDENT):
        fr.nomination(rnd, resident, title=f"Thema nummer {i}")
    db.session.commit()
    before = _snapshot()
    resp = client.post(f"/themas/ronde/{rnd.id}/voorstellen", data={"title": "Nog een thema"})
    assert resp.status_code == 422 and "meer kan niet" in resp.get_data(as_text=True)
    assert _snapshot() == before


@pytest.mark.parametrize(
    "phase,message",
    [
        (Phase.UPCOMING, "nog niet begonnen"),
        (Phase.SUBMISSION, "is voorbij"),
        (Phase.VOTING, "is voorbij"),
    ],
)
def test_nothing_can_be_done_outside_the_nomination_phase(client, resident, phase, message) -> None:
    rnd = f.round_(phase)
    nom = fr.nomination(rnd)
    db.session.commit()
    before = _snapshot()
    for url, data in [
        (f"/themas/ronde/{rnd.id}/voorstellen", {"title": "Te laat"}),
        (f"/themas/voorstel/{nom.id}/steun", {"want": "1"}),
        (f"/themas/voorstel/{nom.id}/reactie", {"body": "Te laat"}),
    ]:
        resp = client.post(url, data=data)
        assert resp.status_code == 409 and message in resp.get_data(as_text=True), url
    assert _snapshot() == before


def test_round_without_nomination_phase(client, resident) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    rnd.nomination_start = None
    db.session.commit()
    assert client.get(f"/themas/ronde/{rnd.id}").status_code == 404
    before = _snapshot()
    resp = client.post(f"/themas/ronde/{rnd.id}/voorstellen", data={"title": "Iets"})
    assert resp.status_code == 404 and "kunnen bewoners geen thema" in resp.get_data(as_text=True)
    assert _snapshot() == before


@pytest.mark.parametrize(
    "url,data,status,message",
    [
        ("steun", {"want": "ja"}, 422, "Ongeldig verzoek"),
        ("steun", {}, 422, "Ongeldig verzoek"),
        ("reactie", {"body": " "}, 422, "minstens 2 tekens"),
        ("reactie", {"body": "x" * 2001}, 422, "hoogstens 2000 tekens"),
    ],
)
def test_bad_support_and_comments(client, resident, *, url, data, status, message) -> None:
    rnd = f.round_(Phase.NOMINATION)
    nom = fr.nomination(rnd)
    db.session.commit()
    before = _snapshot()
    resp = client.post(f"/themas/voorstel/{nom.id}/{url}", data=data)
    assert resp.status_code == status and message in resp.get_data(as_text=True)
    assert _snapshot() == before


def test_logged_out_and_unknown(client) -> None:
    rnd = f.round_(Phase.NOMINATION)
    nom = fr.nomination(rnd)
    db.session.commit()
    before = _snapshot()
    resp = client.post(f"/themas/voorstel/{nom.id}/reactie", data={"body": "Hallo"})
    assert resp.status_code == 302 and "/account/login" in resp.headers["Location"]
    assert client.post("/themas/voorstel/999999/steun", data={"want": "1"}).status_code == 302
    assert client.get("/themas/voorstel/999999").status_code == 404
    assert _snapshot() == before


def test_ranking_by_support_with_shared_ranks(app) -> None:
    rnd = f.round_(Phase.NOMINATION)
    a = fr.nomination(rnd, title="A", supporters=2)
    b = fr.nomination(rnd, title="B", supporters=5)
    c = fr.nomination(rnd, title="C", supporters=2)
    d = fr.nomination(rnd, title="D")
    ranked = nominations.ranking(rnd)
    assert [(r.nomination.id, r.support, r.rank) for r in ranked] == [
        (b.id, 5, 1),
        (a.id, 2, 2),
        (c.id, 2, 2),
        (d.id, 0, 4),
    ]


def test_staff_choose_creates_or_reuses_a_theme(client, auth) -> None:
    rnd = f.round_(Phase.NOMINATION, themes=[])
    new = fr.nomination(rnd, title="Eenzaamheid", supporters=3)
    existing = fr.nomination(rnd, title=f.theme(2).name_nl.upper())
    staff = f.user(Role.STAFF)
    db.session.commit()
    auth.login(staff)
    themes_before = fr.count(Theme)
    assert client.post(f"/themas/voorstel/{new.id}/kiezen").status_code == 302
    assert client.post(f"/themas/voorstel/{existing.id}/kiezen").status_code == 302
    db.session.expire_all()
    assert fr.count(Theme) == themes_before + 1
    created = db.session.scalars(select(Theme).where(Theme.name_nl == "Eenzaamheid")).one()
    assert new.chosen_theme_id == created.id and existing.chosen_theme_id == f.theme(2).id
    assert {t.id for t in rnd.themes} == {created.id, f.theme(2).id}
    assert fr.audit_kinds() == ["nomination.chosen", "nomination.chosen"]
    before = _snapshot()
    again = client.post(f"/themas/voorstel/{new.id}/kiezen")
    assert again.status_code == 409 and "al gekozen" in again.get_data(as_text=True)
    assert _snapshot() == before


def test_choosing_is_refused_once_voting_started(client, auth) -> None:
    rnd = f.round_(Phase.VOTING)
    nom = fr.nomination(rnd)
    db.session.commit()
    auth.login(f.user(Role.STAFF))
    db.session.commit()
    before = _snapshot()
    resp = client.post(f"/themas/voorstel/{nom.id}/kiezen")
    assert resp.status_code == 409 and "liggen vast" in resp.get_data(as_text=True)
    assert _snapshot() == before


def test_residents_cannot_choose(client, resident) -> None:
    nom = fr.nomination(f.round_(Phase.NOMINATION))
    db.session.commit()
    before = _snapshot()
    assert client.post(f"/themas/voorstel/{nom.id}/kiezen").status_code == 403
    assert _snapshot() == before


def test_page_stays_public_and_shows_the_choice(client) -> None:
    rnd = f.round_(Phase.SUBMISSION, name="West Begroot 2029")
    chosen = fr.nomination(rnd, title="Schone straten", supporters=4)
    fr.nomination(rnd, title="Meer bankjes", supporters=1)
    chosen.chosen_theme_id = f.theme(0).id
    db.session.commit()
    body = client.get(f"/themas/ronde/{rnd.id}").get_data(as_text=True)
    assert "is voorbij" in body and "Schone straten" in body and "Meer bankjes" in body
    assert body.index("Schone straten") < body.index("Meer bankjes")
    assert body.count("Gekozen als thema") == 1 and "Een thema voorstellen" not in body
    assert "West Begroot 2029" in client.get("/themas/").get_data(as_text=True)


def test_concurrent_double_support_counts_once(app, monkeypatch) -> None:
    """A second click that passed the 'already supported?' check before the first committed."""
    rnd = f.round_(Phase.NOMINATION)
    nom = fr.nomination(rnd)
    user = f.user()
    assert nominations.set_support(nom, user, True) is True
    monkeypatch.setattr(nominations, "supports", lambda *_: False)
    assert nominations.set_support(nom, user, True) is True  # the unique constraint catches it
    db.session.commit()
    assert nominations.support_count(nom) == 1
    assert fr.audit_kinds() == ["nomination.supported"]
