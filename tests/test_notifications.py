"""Notifications by mail, end to end: events write outbox rows, send_due delivers to a real SMTP server."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests import factories as f
from tests import factories_results as fr
from tests import factories_review as fv
from tests.notify_helpers import SITE, deliver, html_of, notify_app, person, smtp, text_of, unsubscribe_path
from tests.smtp_server import SmtpServer
from wijkfonds.common.timeutil import from_local, to_local, utcnow
from wijkfonds.extensions import db
from wijkfonds.models import (
    NotificationDelivery,
    NotificationKind,
    NotificationMark,
    NotificationSettings,
    OutboxMessage,
    PendingNotification,
    Phase,
    Role,
    Status,
)
from wijkfonds.services.dialogue import comments, initiatives
from wijkfonds.services.notifications import events, follows
from wijkfonds.services.notifications.digest import send_digests
from wijkfonds.services.results.publication import explanation_for, publish
from wijkfonds.services.rounds import review

__all__ = ["smtp"]  # the fixture, used by name


@pytest.fixture()
def app(database_url: str, tmp_path: Path, smtp: SmtpServer) -> Iterator[Flask]:
    """The app sending to the test SMTP server, with CSRF protection on as in production."""
    application = notify_app(database_url, tmp_path, smtp, WTF_CSRF_ENABLED=True)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


def _outbox_count() -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id))) or 0


def _tomorrow_at(hour: int) -> datetime:
    """Naive UTC of tomorrow at ``hour``:00 in Amsterdam."""
    day = to_local(utcnow()).date() + timedelta(days=1)
    return from_local(datetime.combine(day, time(hour)))


def test_a_comment_mails_each_follower_in_their_language_and_not_the_commenter(app: Flask, smtp: SmtpServer) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    author = person("nl", name="Anna Indiener")
    ini = f.initiative(rnd, author, title="Bankjes op het plein")
    english = person("en", name="Eve Follower")
    follows.set_following(english, ini, True)
    commenter = person("nl", name="Carl Reageerder")
    follows.set_following(commenter, ini, True)  # follows it too, yet hears nothing of their own comment
    bystander = person("nl")
    comments.post(ini, commenter, "Goed idee, ik help mee.")
    deliver(smtp)

    nl = smtp.inbox.to(author.email)
    en = smtp.inbox.to(english.email)
    assert len(nl) == 1 and len(en) == 1
    assert smtp.inbox.to(commenter.email) == [] and smtp.inbox.to(bystander.email) == []
    assert nl[0]["Subject"] == "Nieuwe reactie op „Bankjes op het plein”"
    assert en[0]["Subject"] == "New comment on “Bankjes op het plein”"
    assert nl[0]["Content-Language"] == "nl" and en[0]["Content-Language"] == "en"
    assert "Carl Reageerder heeft gereageerd op het plan" in text_of(nl[0])
    assert "Carl Reageerder commented on the plan" in text_of(en[0])
    assert f"{SITE}/initiatieven/{ini.id}#reactie-" in text_of(en[0])
    assert "Carl Reageerder commented on the plan" in html_of(en[0])
    # Data-minimal: the comment itself is read on the site (where moderation applies).
    assert "Goed idee, ik help mee." not in text_of(nl[0]) + html_of(nl[0])
    for msg in nl + en:
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert unsubscribe_path(msg).startswith("/account/meldingen/afmelden/")
    assert unsubscribe_path(nl[0]) != unsubscribe_path(en[0])  # per person


def test_a_reply_says_it_is_a_reply(app: Flask, smtp: SmtpServer) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    author = person("nl")
    ini = f.initiative(rnd, author, title="Moestuin")
    other = person("nl", name="Bo Buur")
    top = comments.post(ini, author, "Wie doet er mee?")
    comments.post(ini, other, "Ik!", top.id)
    deliver(smtp)
    [msg] = smtp.inbox.to(author.email)  # the author's own comment sent nothing, the reply one
    assert msg["Subject"] == "Nieuw antwoord bij „Moestuin”"
    assert "Bo Buur heeft een antwoord geschreven bij het plan „Moestuin”." in text_of(msg)


def test_the_unsubscribe_link_works_without_login_and_stops_the_next_comment(app: Flask, smtp: SmtpServer) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    author = person("nl")
    ini = f.initiative(rnd, author)
    follower = person("en")
    follows.set_following(follower, ini, True)
    commenter = person("nl")
    comments.post(ini, commenter, "Eerste reactie")
    deliver(smtp)
    [msg] = smtp.inbox.to(follower.email)
    path = unsubscribe_path(msg)
    client = app.test_client()  # nobody logged in; CSRF protection is on

    page = client.get(path)
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Yes, unsubscribe" not in body  # the page is in the visitor's language
    assert "Ja, afmelden" in body and 'method="post"' in body
    db.session.expire_all()
    assert db.session.get(NotificationSettings, follower.id) is None  # looking changed nothing

    # What a mail client sends for RFC 8058: no session, no CSRF token.
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "geen mail meer" in done.get_data(as_text=True)
    db.session.expire_all()
    prefs = db.session.get(NotificationSettings, follower.id)
    assert prefs is not None and prefs.comment is False and prefs.review is True  # that kind only
    assert "al afgemeld" in client.get(path).get_data(as_text=True)
    assert client.post(path).status_code == 200  # again: still fine

    comments.post(ini, commenter, "Tweede reactie")
    deliver(smtp)
    assert len(smtp.inbox.to(follower.email)) == 1  # nothing new for them
    assert len(smtp.inbox.to(author.email)) == 2  # the others still hear


def test_only_the_unsubscribe_endpoint_skips_csrf_and_bad_links_are_refused(app: Flask) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    ini = f.initiative(rnd, person())
    me = person()
    db.session.commit()
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = me.get_id()
    refused = client.post(f"/initiatieven/{ini.id}/volgen")  # no token
    assert refused.status_code == 400
    for bad in ("nonsense", "W1sxLCJjb21tZW50IiwxXQ.bad-signature", "x" * 600):
        for method in ("GET", "POST"):
            resp = app.test_client().open(f"/account/meldingen/afmelden/{bad}", method=method)
            assert resp.status_code == 404 and "afmeldlink klopt niet" in resp.get_data(as_text=True)


def test_a_link_of_a_deleted_account_does_not_work_for_a_new_one_with_the_same_id(app: Flask) -> None:
    from wijkfonds.services.notifications.unsubscribe import read, token_for

    someone = person()
    token = token_for(someone, NotificationKind.COMMENT)
    assert read(token) is not None and read(token).user.id == someone.id  # type: ignore[union-attr]
    someone.created_at = someone.created_at - timedelta(days=3)  # as if the id came back on a newer account
    db.session.flush()
    assert read(token) is None


def test_threshold_mail_goes_once(app: Flask, smtp: SmtpServer) -> None:
    rnd = f.round_(Phase.SUBMISSION, threshold=2)
    author = person("en")
    ini = f.initiative(rnd, author, title="Speeltuin")
    first, second = person(), person()
    initiatives.set_support(ini, first, True)
    deliver(smtp)
    assert smtp.inbox.to(author.email) == []  # 1 of 2
    initiatives.set_support(ini, second, True)
    deliver(smtp)
    [msg] = smtp.inbox.to(author.email)
    assert msg["Subject"] == "Your plan “Speeltuin” has enough support"
    assert "has 2 supporters, enough (2 needed)" in text_of(msg)
    # Support drops below and comes back: it was reached once, so no second mail.
    initiatives.set_support(ini, second, False)
    initiatives.set_support(ini, second, True)
    deliver(smtp)
    assert len(smtp.inbox.to(author.email)) == 1
    assert db.session.scalar(select(func.count(NotificationMark.id))) == 1


def test_the_review_decision_comes_with_its_public_reason(app: Flask, smtp: SmtpServer) -> None:
    rnd = fv.review_round(threshold=1)
    author, other_author = person("nl"), person("en")
    ini = fv.supported(rnd, 3)
    ini.author_id = author.id
    feasible = fv.supported(rnd, 3)
    feasible.author_id = other_author.id
    staff = person(role=Role.STAFF)
    reason = "Het plein is van de provincie; het stadsdeel mag er niets bouwen."
    review.decide(ini, review.Decision("not_feasible", reason=reason), actor=staff)
    review.decide(feasible, review.Decision("feasible", estimated_cost="8.400"), actor=staff)
    deliver(smtp)

    [no] = smtp.inbox.to(author.email)
    assert no["Subject"] == f"Uw plan „{ini.title}” is niet haalbaar"
    assert reason in text_of(no) and reason in html_of(no)
    assert "het is niet haalbaar. De reden:" in text_of(no)
    [yes] = smtp.inbox.to(other_author.email)
    assert yes["Subject"] == f"Your plan “{feasible.title}” is feasible"
    assert "it is feasible and will be on the ballot" in text_of(yes)
    assert "8,400" in text_of(yes) or "8.400" in text_of(yes)
    assert smtp.inbox.to(staff.email) == []


def test_voting_opened_goes_once_per_district_even_when_notify_due_runs_twice(app: Flask, smtp: SmtpServer) -> None:
    rnd = f.round_(Phase.VOTING, name="Wijkbudget 2031")
    f.round_(Phase.REVIEW)  # not voting: nothing
    baarsjes = [person("nl", district_slug="de-baarsjes"), person("en", district_slug="de-baarsjes")]
    bos = person("nl", district_slug="bos-en-lommer")
    unconfirmed = person("nl", district_slug="bos-en-lommer", confirmed=False)
    staff = person(role=Role.STAFF)
    db.session.commit()
    now = utcnow()

    told = events.notify_due(now)
    assert told == 3
    assert events.notify_due(now) == 0
    assert events.notify_due(now + timedelta(hours=1)) == 0
    deliver(smtp)
    for resident in [*baarsjes, bos]:
        assert len(smtp.inbox.to(resident.email)) == 1
    assert smtp.inbox.to(unconfirmed.email) == [] and smtp.inbox.to(staff.email) == []
    [nl] = smtp.inbox.to(baarsjes[0].email)
    [en] = smtp.inbox.to(baarsjes[1].email)
    assert nl["Subject"] == "Het stemmen is begonnen in De Baarsjes"
    assert en["Subject"] == "Voting has opened in De Baarsjes"
    assert "„Wijkbudget 2031”" in text_of(nl) and f"{SITE}/stemmen/" in text_of(nl)
    marks = set(db.session.scalars(select(NotificationMark.key)))
    assert marks == {f"voting_open:{rnd.id}:{d.id}" for d in f.districts()}

    # A resident who arrives later is not told again for a district already done.
    person("nl", district_slug="de-baarsjes")
    db.session.commit()
    assert events.notify_due(now) == 0


def test_the_daily_digest_collects_three_events_into_one_mail(app: Flask, smtp: SmtpServer) -> None:
    rnd = f.round_(Phase.SUBMISSION, threshold=2)
    author = person("nl", name="Dina Dagelijks")
    db.session.add(NotificationSettings(user_id=author.id, delivery=NotificationDelivery.DAILY.value))
    ini = f.initiative(rnd, author, title="Groene gevels")
    a, b = person(name="Ahmed"), person(name="Bea")
    initiatives.set_support(ini, a, True)
    initiatives.set_support(ini, b, True)  # 1: the threshold
    comments.post(ini, a, "Mooi!")  # 2
    comments.post(ini, b, "Ik doe mee")  # 3
    hidden = comments.post(ini, b, "Iets wat een moderator weghaalt")
    comments.hide(hidden, person(role=Role.STAFF), "Niet over het plan")
    deliver(smtp)
    assert smtp.inbox.to(author.email) == []  # nothing at once
    assert db.session.scalar(select(func.count(PendingNotification.id))) == 4

    assert send_digests(_tomorrow_at(6)) == 0  # before DIGEST_HOUR
    assert send_digests(_tomorrow_at(8)) == 1
    assert send_digests(_tomorrow_at(9)) == 0  # once a day
    deliver(smtp)
    [digest] = smtp.inbox.to(author.email)
    assert digest["Subject"] == "Uw dagoverzicht van Wijkfonds: 3 berichten"
    text = text_of(digest)
    assert "„Groene gevels” heeft 2 steunbetuigingen en daarmee genoeg steun (2 nodig)" in text
    assert "Ahmed heeft gereageerd" in text and "Bea heeft gereageerd" in text
    assert text.count("Bea heeft gereageerd") == 1  # the hidden comment is left out
    assert "Ahmed heeft gereageerd" in html_of(digest)
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert db.session.scalar(select(func.count(PendingNotification.id))) == 0

    # The digest's link switches every kind off.
    client = app.test_client()
    assert client.post(unsubscribe_path(digest)).status_code == 200
    db.session.expire_all()
    prefs = db.session.get(NotificationSettings, author.id)
    assert prefs is not None and not any(prefs.is_on(k) for k in NotificationKind)


def test_switching_a_kind_off_on_the_settings_page_stops_it(app: Flask, smtp: SmtpServer) -> None:
    rnd = f.round_(Phase.SUBMISSION, threshold=1)
    author = person("nl")
    ini = f.initiative(rnd, author)
    db.session.commit()
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = author.get_id()
    page = client.get("/account/meldingen").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    form = {
        "csrf_token": token,
        "language": "nl",
        "delivery": "instant",
        "follow_own": "y",
        "follow_supported": "y",
        "threshold": "y",
        "review": "y",
        "voting_open": "y",
        "result": "y",
    }  # "comment" unticked
    resp = client.post("/account/meldingen", data=form)
    assert resp.status_code == 303
    other = person()
    comments.post(ini, other, "Hallo")
    initiatives.set_support(ini, other, True)
    deliver(smtp)
    [only] = smtp.inbox.to(author.email)  # the threshold, not the comment
    assert "genoeg steun" in only["Subject"]


def test_unfollowing_ones_own_plan_stops_its_comment_mail(app: Flask, smtp: SmtpServer) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    author = person("nl")
    ini = f.initiative(rnd, author)
    supporter = person("nl")
    initiatives.set_support(ini, supporter, True)  # follows it by default
    assert follows.state(supporter, ini).why == follows.Why.SUPPORTED
    follows.set_following(author, ini, False)
    comments.post(ini, person(), "Hallo")
    deliver(smtp)
    assert smtp.inbox.to(author.email) == []
    assert len(smtp.inbox.to(supporter.email)) == 1


def test_nothing_goes_to_unconfirmed_or_inactive_accounts(app: Flask, smtp: SmtpServer) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    unconfirmed = person("nl", confirmed=False)
    ini = f.initiative(rnd, unconfirmed)
    inactive = person("nl")
    inactive.active = False
    follows.set_following(inactive, ini, True)
    comments.post(ini, person(), "Hallo")
    deliver(smtp)
    assert smtp.inbox.received == []


def test_the_published_result_tells_followers_the_outcome_and_explanation(app: Flask, smtp: SmtpServer) -> None:
    rnd, inis = fr.closed_round(per_district=2, voters=6)
    author = inis[0].author
    assert author is not None
    author.email_confirmed_at = utcnow()
    author.language = "en"
    fan = person("nl")
    follows.set_following(fan, inis[0], True)
    follows.set_following(fan, inis[1], True)
    staff = person(role=Role.STAFF)
    db.session.commit()
    run = fr.finished_run(rnd, staff)
    publish(run, reason="", actor=staff)
    deliver(smtp)

    [mine] = smtp.inbox.to(author.email)
    assert mine["Subject"] == f"The result of “{rnd.name}” is out"
    text = text_of(mine)
    for ini in inis:  # every plan they wrote
        explained = explanation_for(ini, "en")
        assert explained is not None
        assert ini.title in text and explained["text"] in text
    [theirs] = smtp.inbox.to(fan.email)
    fan_text = text_of(theirs)
    assert inis[0].title in fan_text and inis[1].title in fan_text and inis[2].title not in fan_text
    for ini in inis[:2]:
        outcome = "krijgt geld" if ini.status == Status.FUNDED.value else "krijgt geen geld"
        assert f"{ini.title}: {outcome}" in fan_text
    assert f"{SITE}/uitslag/{rnd.id}" in fan_text


def test_plan_update_is_for_funded_plans_and_their_followers(app: Flask, smtp: SmtpServer) -> None:
    rnd = f.round_(Phase.RESULTS)
    author = person("nl")
    funded = f.initiative(rnd, author, status=Status.FUNDED, title="Watertappunt")
    not_funded = f.initiative(rnd, author, status=Status.NOT_FUNDED)
    with pytest.raises(ValueError, match="not funded"):
        events.plan_update(not_funded, title="Begonnen", text="")
    assert events.plan_update(funded, title="De eerste schop in de grond", text="Op 3 mei begint de aannemer.") == 1
    deliver(smtp)
    [msg] = smtp.inbox.to(author.email)
    assert msg["Subject"] == "Nieuws over „Watertappunt”"
    assert "De eerste schop in de grond" in text_of(msg) and "Op 3 mei begint de aannemer." in html_of(msg)


def test_a_rolled_back_comment_takes_its_mail_with_it(app: Flask, smtp: SmtpServer) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    ini = f.initiative(rnd, person())
    db.session.commit()
    before = _outbox_count()
    comments.post(ini, person(), "Toch niet")
    assert _outbox_count() == before + 1
    db.session.rollback()
    assert _outbox_count() == before


def _twice_at_once(app: Flask, work: Callable[[], int]) -> list[int]:
    """Run ``work`` in two threads at the same time (as two workers of the task queue would)."""
    results: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with app.app_context():
                results.append(work())
                db.session.remove()
        except BaseException as err:  # surfaced below
            errors.append(err)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


def test_two_workers_running_notify_due_at_once_tell_each_resident_once(app: Flask, smtp: SmtpServer) -> None:
    f.round_(Phase.VOTING)
    residents = [person(district_slug=d.slug) for d in f.districts() for _ in range(2)]
    db.session.commit()
    now = utcnow()
    assert sum(_twice_at_once(app, lambda: events.notify_due(now))) == 8  # the districts shared out, none twice
    deliver(smtp)
    assert sorted(a for r in smtp.inbox.received for a in r.rcpt_tos) == sorted(u.email for u in residents)


def test_two_workers_running_send_digests_at_once_send_each_digest_once(app: Flask, smtp: SmtpServer) -> None:
    rnd = f.round_(Phase.SUBMISSION)
    daily = [person() for _ in range(5)]
    for user in daily:
        db.session.add(NotificationSettings(user_id=user.id, delivery=NotificationDelivery.DAILY.value))
        comments.post(f.initiative(rnd, user), person(), "Hallo")
    db.session.commit()
    at = _tomorrow_at(8)
    assert sum(_twice_at_once(app, lambda: send_digests(at))) == 5
    deliver(smtp)
    assert sorted(a for r in smtp.inbox.received for a in r.rcpt_tos) == sorted(u.email for u in daily)


def test_the_periodic_work_runs_from_the_command_line(app: Flask, smtp: SmtpServer) -> None:
    f.round_(Phase.VOTING)
    resident = person()
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["notify", "due"])
    assert first.exit_code == 0 and "voting opened: 1 account told" in first.output
    assert "voting opened: 0 accounts told" in runner.invoke(args=["notify", "due"]).output
    digests = runner.invoke(args=["notify", "digests"])
    assert digests.exit_code == 0 and "daily digests: 0 queued" in digests.output
    deliver(smtp)
    assert len(smtp.inbox.to(resident.email)) == 1
