"""Deleting one's account: what stays (nameless), what goes, and that nothing of a ballot is linked to anyone."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import String, Text, func, select

from tests import factories as f
from tests import factories_resident as fr
from tests import factories_rounds as fro
from tests import factories_vote as fv
from tests.conftest import AuthActions
from wijkfonds.extensions import db
from wijkfonds.models import (
    AuditEvent,
    Ballot,
    Comment,
    Initiative,
    NominationSupport,
    OutboxMessage,
    Phase,
    RateEvent,
    Report,
    Role,
    Status,
    Support,
    User,
    Voter,
)
from wijkfonds.services.audit import log as audit
from wijkfonds.services.dialogue import initiatives
from wijkfonds.services.mail.outbox import queue
from wijkfonds.services.voting import ballots, codes, turnout

EMAIL = "yusuf.demir@voorbeeld.nl"
NAME = "Yusuf Demir"
CODE_LIMIT = (50, 3600)


def _everywhere(email: str) -> list[str]:
    """Every (table.column) of every string column that still holds ``email`` (any case)."""
    found = []
    for table in db.metadata.tables.values():
        for column in table.columns:
            if isinstance(column.type, String | Text):
                hit = db.session.scalar(
                    select(func.count()).select_from(table).where(func.lower(column).contains(email.lower()))
                )
                if hit:
                    found.append(f"{table.name}.{column.name}")
    assert found or db.session.scalar(select(func.count()).select_from(User)), "nothing to search"
    return found


def _world() -> dict[str, int]:
    """A resident with comments, plans in two rounds, support before and after voting began,
    a theme's support, a report, mail, a counted wrong password, and a ballot through a bound code."""
    me = f.user(email=EMAIL, name=NAME)
    other = f.user()
    submission = f.round_(Phase.SUBMISSION)
    withdrawable = f.initiative(submission, me, title="Repaircafé op zaterdag")
    theirs = f.initiative(submission, other, title="Bankjes in het park")
    comment = fr.comment(theirs, me, body="Ik kom graag helpen met sjouwen.")
    reported = fr.comment(theirs, other, body="Iets onaardigs")
    fr.report(reported, me, reason="Niet vriendelijk")
    initiatives.set_support(theirs, me, True)
    initiatives.set_support(theirs, f.user(), True)

    voting = fv.voting_round()
    on_ballot = fv.feasible(voting, title="Moestuin achter de school")
    on_ballot.author_id = me.id  # my plan, already on the ballot: it can no longer be withdrawn
    supported_late = fv.feasible(voting, title="Buurtfeest in juni")
    db.session.add(Support(initiative_id=supported_late.id, user_id=me.id))
    supported_late.support_count = 1
    code = fv.voting_code(voting)
    voter = codes.bind(voting, me, code, rate_key="127.0.0.1", limit=CODE_LIMIT)
    ballots.cast(voting, voter.id, [str(supported_late.id)])

    nominating = f.round_(Phase.NOMINATION)
    nom = fro.nomination(nominating, other)
    db.session.add(NominationSupport(nomination_id=nom.id, user_id=me.id))
    queue(EMAIL, "test_message", language="nl", context={"requested_by": "Medewerker"})
    db.session.commit()
    return {
        "me": me.id,
        "withdrawable": withdrawable.id,
        "theirs": theirs.id,
        "comment": comment.id,
        "on_ballot": on_ballot.id,
        "supported_late": supported_late.id,
        "voting": voting.id,
        "voter": voter.id,
        "nomination": nom.id,
    }


def _delete(client, password: str = f.PASSWORD, plans: str = "withdraw"):
    return client.post("/privacy/account-verwijderen", data={"password": password, "plans": plans})


def test_deleting_an_account(app: Flask, client, auth: AuthActions) -> None:
    ids = _world()
    me = db.session.get(User, ids["me"])
    client.post("/account/login", data={"email": EMAIL, "password": "een verkeerd wachtwoord"})  # counted
    auth.login(me)

    page = client.get("/privacy/account-verwijderen").get_data(as_text=True)
    assert "Repaircafé op zaterdag" in page and "kan nog worden ingetrokken" in page
    assert "Moestuin achter de school" in page and "kan niet meer worden ingetrokken" in page
    assert "Uw steun voor 2 plannen of thema's vervalt" in page  # the plan and the theme before voting
    assert "Uw steun voor 1 plannen of thema's blijft naamloos meetellen" in page

    # A wrong password changes nothing, and is counted as at login.
    wrong = _delete(client, password="niet mijn wachtwoord")
    assert wrong.status_code == 422 and "Dit is niet uw wachtwoord" in wrong.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, ids["me"]).email == EMAIL
    assert db.session.scalar(select(func.count(RateEvent.id)).where(RateEvent.bucket == "login-account")) == 2

    done = _delete(client)
    assert done.status_code == 303 and done.headers["Location"].endswith("/privacy/account-verwijderd")
    assert "is verwijderd" in client.get("/privacy/account-verwijderd").get_data(as_text=True)
    db.session.expire_all()

    # Reports stay without their reporter; mail and counted attempts of the account are gone.
    assert db.session.scalars(select(Report)).one().reporter_id is None
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    assert db.session.scalar(select(func.count(RateEvent.id)).where(RateEvent.bucket == "login-account")) == 0

    # The account is a tombstone that can never log in again; its sessions ended.
    me = db.session.get(User, ids["me"])
    assert me.deleted_at is not None and not me.active and me.district_id is None
    assert "@" not in me.email and me.name_column == "" and me.display_name == "verwijderd account"
    assert not me.check_password(f.PASSWORD)
    assert client.get("/privacy/mijn-gegevens").status_code == 302  # logged out
    login = app.test_client().post("/account/login", data={"email": EMAIL, "password": f.PASSWORD})
    assert login.status_code == 401
    stale = app.test_client()
    AuthActions(stale).login(me)  # even a session of the account's current version is refused
    assert stale.get("/privacy/mijn-gegevens").status_code == 302

    # The address is gone from every table.
    assert _everywhere(EMAIL) == []
    assert _everywhere(NAME) == []

    # Comments stay, with their text, as "verwijderd account".
    comment = db.session.get(Comment, ids["comment"])
    assert comment.body == "Ik kom graag helpen met sjouwen." and comment.author_id == ids["me"]
    detail = client.get(f"/initiatieven/{ids['theirs']}").get_data(as_text=True)
    assert "Ik kom graag helpen met sjouwen." in detail and "verwijderd account" in detail and NAME not in detail
    client.get(f"/taal/en?next=/initiatieven/{ids['theirs']}")
    assert "deleted account" in client.get(f"/initiatieven/{ids['theirs']}").get_data(as_text=True)

    # Plans: withdrawn where the round allowed it, kept (nameless) where not.
    assert db.session.get(Initiative, ids["withdrawable"]).status == Status.WITHDRAWN.value
    kept = db.session.get(Initiative, ids["on_ballot"])
    assert kept.status == Status.FEASIBLE.value and kept.author_id == ids["me"]
    assert "deleted account" in client.get(f"/initiatieven/{ids['on_ballot']}").get_data(as_text=True)

    # Support: removed before voting (the count drops), kept (nameless) once voting started.
    assert db.session.scalar(select(func.count(Support.id)).where(Support.initiative_id == ids["theirs"])) == 1
    assert db.session.get(Initiative, ids["theirs"]).support_count == 1
    late = db.session.scalars(select(Support).where(Support.initiative_id == ids["supported_late"])).one()
    assert late.user_id == ids["me"]
    assert db.session.scalar(select(func.count(NominationSupport.id))) == 0

    # The ballot still counts and is linked to nobody.
    voter = db.session.get(Voter, ids["voter"])
    assert voter.user_id is None and voter.code_id is not None
    ballot = db.session.scalars(select(Ballot).where(Ballot.voter_id == voter.id)).one()
    assert [i.initiative_id for i in ballot.items] == [ids["supported_late"]]
    rnd = db.session.get(type(kept.round), ids["voting"])
    assert turnout.turnout(rnd).total == 1

    # The audit log records the deletion without the address, and the chain still holds.
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.kind == "user.deleted")).one()
    assert event.actor_id == ids["me"] and EMAIL not in event.payload and "voter" not in event.payload
    assert '"plans_withdrawn":1' in event.payload and '"supports_removed":2' in event.payload
    count, problem = audit.verify()
    assert problem is None and count > 0


def test_plans_are_kept_when_the_resident_chooses_so(app: Flask, client, auth: AuthActions) -> None:
    me = f.user()
    rnd = f.round_(Phase.SUBMISSION)
    plan = f.initiative(rnd, me, title="Taalcafé")
    db.session.commit()
    plan_id = plan.id
    auth.login(me)
    assert _delete(client, plans="keep").status_code == 303
    db.session.expire_all()
    kept = db.session.get(Initiative, plan_id)
    assert kept.status == Status.SUBMITTED.value
    page = client.get(f"/initiatieven/{plan_id}").get_data(as_text=True)
    assert "Taalcafé" in page and "verwijderd account" in page


def test_a_tampered_plan_choice_is_refused_with_a_message(app: Flask, client, auth: AuthActions) -> None:
    me = f.user()
    db.session.commit()
    auth.login(me)
    resp = _delete(client, plans="verbranden")
    assert resp.status_code == 422 and "Kies wat er met uw plannen gebeurt." in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, me.id).deleted_at is None


def test_an_account_round_voter_keeps_its_ballot_unlinked(app: Flask, client, auth: AuthActions) -> None:
    """In a round without letters the account's own voter loses its account; the ballot stays counted."""
    me = f.user()
    me.email_confirmed_at = me.created_at
    rnd = fv.voting_round(voter_access="account")
    plan = fv.feasible(rnd)
    voter = ballots.account_voter(rnd, me, create=True)
    ballots.cast(rnd, voter.id, [str(plan.id)])
    db.session.commit()
    auth.login(me)
    assert _delete(client).status_code == 303
    db.session.expire_all()
    assert db.session.get(Voter, voter.id).user_id is None
    assert db.session.scalar(select(func.count(Ballot.id)).where(Ballot.round_id == rnd.id)) == 1


def test_guessing_the_password_on_the_delete_page_is_limited(database_url: str) -> None:
    from tests.conftest import make_app

    app = make_app(database_url, LOGIN_ACCOUNT_RATE_LIMIT=(3, 900))
    with app.app_context():
        me = f.user()
        db.session.commit()
        client = app.test_client()
        AuthActions(client).login(me)
        statuses = [_delete(client, password=f"fout {n}").status_code for n in range(4)]
        assert statuses == [422, 422, 422, 429]
        assert "over 15 minuten opnieuw" in _delete(client, password="fout").get_data(as_text=True)
        # Even the right password waits now, as at login.
        assert _delete(client).status_code == 429
        db.session.expire_all()
        assert db.session.get(User, me.id).deleted_at is None
        db.session.remove()
        db.engine.dispose()


def test_staff_accounts_are_not_deleted_here(app: Flask, client, auth: AuthActions) -> None:
    for role in (Role.STAFF, Role.AUDITOR, Role.ADMIN):
        user = f.user(role)
        db.session.commit()
        auth.login(user)
        resp = client.get("/privacy/account-verwijderen")
        assert resp.status_code == 403 and "blokkeert een beheerder" in resp.get_data(as_text=True)
        assert _delete(client).status_code == 403
        page = client.get("/privacy/mijn-gegevens").get_data(as_text=True)
        assert "blokkeert een beheerder" in page and "/privacy/account-verwijderen" not in page


def test_deleting_needs_the_csrf_token(csrf_app: Flask) -> None:
    me = f.user()
    db.session.commit()
    client = csrf_app.test_client()
    AuthActions(client).login(me)
    assert _delete(client).status_code == 400
    db.session.expire_all()
    assert db.session.get(User, me.id).deleted_at is None
