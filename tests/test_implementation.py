"""After the vote: records on publication, the walk of a funded plan, and every refusal saving nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests import factories as f
from tests import factories_implementation as fi
from tests import factories_media as fm
from tests import factories_results as fr
from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import db
from wijkfonds.models import (
    AuditEvent,
    FinancialAccount,
    Implementation,
    ImplementationUpdate,
    Milestone,
    NotificationKind,
    OutboxMessage,
    Payment,
    Photo,
    Role,
    Status,
)
from wijkfonds.services.errors import DomainError, NotAllowed, ValidationFailed
from wijkfonds.services.implementation import money, overview, progress, records, reminders
from wijkfonds.services.media import photos
from wijkfonds.services.results import publication


def _kinds() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.kind).where(AuditEvent.kind.like("implementation.%"))))


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _snapshot() -> tuple[int, ...]:
    return tuple(_count(m) for m in (ImplementationUpdate, Milestone, Payment, FinancialAccount, Photo, AuditEvent))


def test_publishing_gives_every_funded_plan_a_record_with_its_granted_amount(app: Flask) -> None:
    rnd, _staff, impls = fi.published()
    run = publication.published_run(rnd.id)
    assert run is not None and run.result is not None
    funded = {o["initiative_id"]: o["cost"] for o in run.result["outcomes"].values() if o["funded"]}
    assert {i.initiative_id: i.granted for i in impls} == funded
    assert all(i.status == "granted" and i.run_id == run.id for i in impls)
    assert _kinds() == ["implementation.records_made"]
    assert records.ensure_for_run(run, None) == []  # idempotent


def test_a_replacing_publication_drops_untouched_records_of_plans_no_longer_funded(app: Flask) -> None:
    rnd, staff, _impls = fi.published(seed=7)
    ilp = fr.finished_run(rnd, staff, "ilp")
    publication.publish(ilp, reason="De raad koos de exacte methode.", actor=staff)
    db.session.commit()
    now_funded = {o["initiative_id"] for o in (ilp.result or {})["outcomes"].values() if o["funded"]}
    left = set(db.session.scalars(select(Implementation.initiative_id).where(Implementation.round_id == rnd.id)))
    assert left == now_funded


def test_the_walk_of_a_funded_plan(app: Flask) -> None:
    """Start, two updates with a photo, two payments, an account sent back and then approved."""
    _rnd, staff, impls = fi.published()
    impl = impls[0]
    initiator = fi.with_initiator(impl)
    follower = f.user()
    from wijkfonds.services.notifications import follows

    follows.set_following(follower, impl.initiative, True)
    db.session.commit()
    granted = impl.granted
    assert granted > 100

    progress.set_status(impl, "started", staff)
    stored = photos.store(fm.jpeg((800, 600)), initiator)
    first = progress.add_update(
        impl, initiator, "We zijn begonnen.\nDe eerste bijeenkomst was vol.", photo=stored, alt="Een volle zaal"
    )
    progress.set_status(impl, "in_progress", staff)
    second = progress.add_update(
        impl,
        initiator,
        "De tweede maand loopt goed.",
        photo=photos.store(fm.png(), initiator),
        alt="Een tafel met koffie",
    )
    today = progress.local_today()
    money.record_payment(impl, staff, granted // 2, today - timedelta(days=10), "Eerste tranche")
    money.record_payment(impl, staff, granted - granted // 2, today, "Tweede tranche")
    db.session.commit()
    assert impl.paid == granted
    assert len(photos.for_owner(photos.OWNER_UPDATE, first.id)) == 1
    assert len(photos.for_owner(photos.OWNER_UPDATE, second.id)) == 1
    queued = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == follower.email)).all()
    assert len(queued) == 2  # the follower heard of both updates

    progress.set_status(impl, "completed", staff)
    money.submit_account(impl, initiator, granted - 100, 100, "Zaalhuur, koffie en materiaal; 100 euro over.")
    money.send_back_account(impl, staff, "Voeg de bonnen van de zaalhuur toe.")
    db.session.commit()
    assert impl.account is not None and impl.account.status == "sent_back"
    assert impl.account.staff_reason == "Voeg de bonnen van de zaalhuur toe."
    money.submit_account(impl, initiator, granted - 100, 100, "Zaalhuur (bonnen bijgevoegd), koffie en materiaal.")
    money.approve_account(impl, staff)
    db.session.commit()

    summary = overview.summary(impl.round_id)
    plan = next(p for p in summary.plans if p.implementation_id == impl.id)
    assert (plan.granted, plan.paid, plan.spent, plan.returned) == (granted, granted, granted - 100, 100)
    assert plan.status == "completed" and plan.account_status == "approved" and plan.updates == 2
    assert summary.granted == sum(i.granted for i in impls) and summary.paid == granted
    assert summary.spent == granted - 100 and summary.returned == 100
    assert summary.by_status["completed"] == 1 and summary.by_status["granted"] == len(impls) - 1
    assert summary.as_dict()["plans"][0]["granted"] > 0
    assert _kinds() == [
        "implementation.records_made",
        "implementation.status_changed",
        "implementation.update_posted",
        "implementation.status_changed",
        "implementation.update_posted",
        "implementation.payment_recorded",
        "implementation.payment_recorded",
        "implementation.status_changed",
        "implementation.account_submitted",
        "implementation.account_sent_back",
        "implementation.account_submitted",
        "implementation.account_approved",
    ]
    paid = db.session.scalars(
        select(AuditEvent.payload).where(AuditEvent.kind == "implementation.payment_recorded").order_by(AuditEvent.seq)
    ).all()
    assert [json.loads(p)["paid_total"] for p in paid] == [granted // 2, granted]


def _refused(exc: type[Exception], call, *args, **kwargs) -> Exception:
    before = _snapshot()
    with pytest.raises(exc) as info:
        call(*args, **kwargs)
    db.session.rollback()
    assert _snapshot() == before, "a refused call saved something"
    return info.value


def test_payments_above_the_grant_negative_zero_or_in_the_future_are_refused(app: Flask) -> None:
    _rnd, staff, impls = fi.published()
    impl = impls[0]
    today = progress.local_today()
    err = _refused(ValidationFailed, money.record_payment, impl, staff, impl.granted + 1, today, "Te veel")
    assert "Dit is meer dan er nog over is" in err.message
    for amount in (0, -50):
        assert (
            _refused(ValidationFailed, money.record_payment, impl, staff, amount, today, "Nul").errors[0][0] == "amount"
        )
    err = _refused(ValidationFailed, money.record_payment, impl, staff, 10, today + timedelta(days=1), "Morgen")
    assert err.errors == [("paid_on", "Een betaling kan niet in de toekomst liggen.")]
    assert _refused(ValidationFailed, money.record_payment, impl, staff, 10, today, "  ").errors[0][0] == "purpose"
    assert _refused(ValidationFailed, money.record_payment, impl, staff, 2**40, today, "Groot").errors[0][0] == "amount"
    money.record_payment(impl, staff, impl.granted - 5, today, "Bijna alles")
    db.session.commit()
    err = _refused(ValidationFailed, money.record_payment, impl, staff, 6, today, "Rest plus een")
    assert "hoogstens € 5" in err.message
    resident = f.user()
    _refused(NotAllowed, money.record_payment, impl, resident, 5, today, "Ik betaal mezelf")


def test_nothing_happens_on_a_plan_that_was_not_funded(app: Flask) -> None:
    rnd, staff, impls = fi.published()
    loser = f.initiative(rnd, status=Status.NOT_FUNDED)
    db.session.commit()
    assert loser is not None and records.for_initiative(loser) is None
    err = _refused(DomainError, records.require, loser)
    assert "niet gefinancierd" in err.message
    # A record whose plan is no longer funded refuses updates and payments too.
    impl = impls[0]
    impl.initiative.status = Status.NOT_FUNDED.value
    db.session.commit()
    _refused(DomainError, progress.add_update, impl, staff, "Toch nieuws")
    _refused(DomainError, money.record_payment, impl, staff, 10, progress.local_today(), "Toch geld")


def test_statuses_follow_their_order_and_stopping_needs_a_reason(app: Flask) -> None:
    _rnd, staff, impls = fi.published()
    impl = impls[0]
    err = _refused(ValidationFailed, progress.set_status, impl, "completed", staff)
    assert "kan niet naar ‘Afgerond’" in err.message
    _refused(ValidationFailed, progress.set_status, impl, "bogus", staff)
    err = _refused(ValidationFailed, progress.set_status, impl, "stopped", staff, reason="  ")
    assert err.errors[0][0] == "reason"
    _refused(NotAllowed, progress.set_status, impl, "started", f.user())
    progress.set_status(impl, "stopped", staff, reason="De vrijwilligers zijn verhuisd.")
    db.session.commit()
    assert impl.stop_reason == "De vrijwilligers zijn verhuisd." and impl.completed_at is not None
    _refused(ValidationFailed, progress.set_status, impl, "started", staff)  # final


def test_an_account_for_a_running_plan_and_other_bad_accounts_are_refused(app: Flask) -> None:
    _rnd, staff, impls = fi.published()
    impl = impls[0]
    initiator = fi.with_initiator(impl)
    progress.set_status(impl, "started", staff)
    money.record_payment(impl, staff, 500, progress.local_today(), "Voorschot")
    db.session.commit()
    err = _refused(DomainError, money.submit_account, impl, initiator, 500, 0, "Alles op")
    assert "Dit plan loopt nog" in err.message
    progress.set_status(impl, "completed", staff)
    db.session.commit()
    _refused(NotAllowed, money.submit_account, impl, staff, 500, 0, "Namens de indiener")
    err = _refused(ValidationFailed, money.submit_account, impl, initiator, 400, 0, "Klopt niet")
    assert "moet gelijk zijn aan wat u ontving: € 500" in err.message
    assert (
        _refused(ValidationFailed, money.submit_account, impl, initiator, -1, 501, "Negatief").errors[0][0] == "spent"
    )
    assert _refused(ValidationFailed, money.submit_account, impl, initiator, 500, 0, "").errors[0][0] == "body"
    _refused(DomainError, money.approve_account, impl, staff)  # nothing submitted yet
    money.submit_account(impl, initiator, 500, 0, "Alles besteed aan de zaal.")
    db.session.commit()
    _refused(DomainError, money.submit_account, impl, initiator, 500, 0, "Nog een keer")  # waiting for staff
    _refused(ValidationFailed, money.send_back_account, impl, staff, "")
    money.approve_account(impl, staff)
    db.session.commit()
    _refused(DomainError, money.submit_account, impl, initiator, 500, 0, "Na goedkeuring")
    _refused(ValidationFailed, money.record_payment, impl, staff, 1, progress.local_today(), "Na goedkeuring")


def test_updates_are_checked_hidden_like_comments_and_only_by_the_plans_people(app: Flask) -> None:
    _rnd, staff, impls = fi.published()
    impl = impls[0]
    initiator = fi.with_initiator(impl)
    _refused(ValidationFailed, progress.add_update, impl, initiator, "   ")
    _refused(ValidationFailed, progress.add_update, impl, initiator, "x" * 2001)
    _refused(NotAllowed, progress.add_update, impl, f.user(), "Ik ben een buurman")
    stored = photos.store(fm.jpeg((400, 300)), initiator)
    err = _refused(ValidationFailed, progress.add_update, impl, initiator, "Met foto", photo=stored, alt="")
    assert err.errors[0][0] == "photo_alt"
    update = progress.add_update(impl, staff, "Het stadsdeel meldt: de vergunning is rond.")
    db.session.commit()
    assert update.by_staff
    _refused(ValidationFailed, progress.hide_update, update, staff, "")
    _refused(NotAllowed, progress.hide_update, update, initiator, "Weg ermee")
    progress.hide_update(update, staff, "Bevat een telefoonnummer.")
    db.session.commit()
    assert progress.visible_updates(impl) == []
    _refused(DomainError, progress.hide_update, update, staff, "Nog eens")
    progress.unhide_update(update, staff)
    db.session.commit()
    assert progress.visible_updates(impl) == [update]


def test_milestones_and_what_is_overdue(app: Flask) -> None:
    _rnd, staff, impls = fi.published()
    impl = impls[0]
    today = progress.local_today()
    assert _refused(ValidationFailed, progress.add_milestone, impl, staff, "", today).errors[0][0] == "title"
    assert _refused(ValidationFailed, progress.add_milestone, impl, staff, "Start", None).errors[0][0] == "target_on"
    late = progress.add_milestone(impl, staff, "Eerste bijeenkomst", today - timedelta(days=3))
    progress.add_milestone(impl, staff, "Afsluiting", today + timedelta(days=30))
    progress.set_status(impl, "started", staff)
    db.session.commit()
    now = utcnow()
    assert overview.overdue(impl, now).milestones == (late.id,)
    assert not overview.overdue(impl, now).update
    assert overview.overdue(impl, now + timedelta(days=61)).update  # IMPLEMENTATION_UPDATE_DAYS = 60
    err = _refused(ValidationFailed, progress.complete_milestone, impl, late, staff, today + timedelta(days=1))
    assert err.errors[0][0] == "done_on"
    progress.complete_milestone(impl, late, staff, today)
    db.session.commit()
    assert overview.overdue(impl, now).milestones == ()
    progress.set_status(impl, "completed", staff)
    db.session.commit()
    assert not overview.overdue(impl, utcnow()).account
    assert overview.overdue(impl, utcnow() + timedelta(days=43)).account  # IMPLEMENTATION_ACCOUNT_DAYS = 42


def test_reminders_go_to_the_initiator_once_per_period(app: Flask) -> None:
    _rnd, staff, impls = fi.published()
    impl = impls[0]
    initiator = fi.with_initiator(impl)
    progress.set_status(impl, "started", staff)
    db.session.commit()
    assert reminders.send_reminders(utcnow()) == 0  # nothing overdue yet
    later = utcnow() + timedelta(days=61)
    assert reminders.send_reminders(later) == 1
    assert reminders.send_reminders(later + timedelta(hours=1)) == 0  # once per period
    assert reminders.send_reminders(later + timedelta(days=15)) == 1  # IMPLEMENTATION_REMINDER_DAYS = 14
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == initiator.email)).all()
    assert len(mails) == 2
    assert "Herinnering" in mails[0].subject and impl.initiative.title in mails[0].subject
    assert f"/uitvoering/plannen/{impl.initiative_id}" in mails[0].body_text


def test_the_plan_update_notification_kind_is_used(app: Flask) -> None:
    assert NotificationKind.PLAN_UPDATE.value == "plan_update"
    _rnd, staff, impls = fi.published()
    impl = impls[0]
    follower = f.user(Role.RESIDENT)
    from wijkfonds.services.notifications import follows

    follows.set_following(follower, impl.initiative, True)
    progress.add_update(impl, staff, "Nieuws: de eerste workshop is geweest.")
    db.session.commit()
    [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == follower.email)).all()
    assert "Nieuws: de eerste workshop is geweest." in mail.body_text


def test_a_digest_leaves_out_an_update_staff_hid_and_the_writer_is_not_told(app: Flask) -> None:
    from wijkfonds.models import NotificationSettings, PendingNotification
    from wijkfonds.services.notifications import follows, items

    _rnd, staff, impls = fi.published()
    impl = impls[0]
    initiator = fi.with_initiator(impl)
    daily = f.user()
    db.session.add(NotificationSettings(user_id=daily.id, delivery="daily"))
    follows.set_following(daily, impl.initiative, True)
    db.session.commit()
    update = progress.add_update(impl, initiator, "Bel 06-12345678.")
    db.session.commit()
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == initiator.email)).all() == []
    [pending] = db.session.scalars(select(PendingNotification).where(PendingNotification.user_id == daily.id)).all()
    assert items.view(NotificationKind.PLAN_UPDATE, pending.data, "nl") is not None
    progress.hide_update(update, staff, "Een telefoonnummer.")
    db.session.commit()
    assert items.view(NotificationKind.PLAN_UPDATE, pending.data, "nl") is None


def test_the_reminder_task_sends_real_mail_through_smtp_in_the_initiators_language(
    database_url: str, tmp_path, monkeypatch
) -> None:
    """The periodic task queues the reminder; the outbox's sender delivers it to a real SMTP server."""
    from tests.conftest import make_app
    from tests.smtp_server import SmtpServer
    from wijkfonds.services.mail.sender import send_due
    from wijkfonds.tasks import implementation as task

    server = SmtpServer().start()
    try:
        app = make_app(
            database_url, SMTP_URL=server.url, SITE_URL="https://wijkfonds.example.nl", MAIL_DIR=str(tmp_path)
        )
        with app.app_context():
            _rnd, staff, impls = fi.published()
            impl = impls[0]
            initiator = fi.with_initiator(impl)
            initiator.language = "en"
            progress.set_status(impl, "started", staff, now=utcnow() - timedelta(days=70))
            db.session.commit()
            task.remind_initiators.call_local()  # what the scheduler runs every hour
            task.remind_initiators.call_local()  # and an hour later: nothing new
            assert send_due().sent == 1
            (msg,) = server.inbox.to(initiator.email)
            assert msg["Subject"] == f"Reminder: how is “{impl.initiative.title}” going?"
            plain = msg.get_body(preferencelist=("plain",))
            assert plain is not None
            text = plain.get_content()
            assert "60 days" in text and f"https://wijkfonds.example.nl/uitvoering/plannen/{impl.initiative_id}" in text
            db.session.remove()
            db.engine.dispose()
    finally:
        server.stop()
