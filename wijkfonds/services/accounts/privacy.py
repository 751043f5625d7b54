"""Privacy (AVG): what the platform holds about a person, their copy of it, and deleting an account.

Every table of ``wijkfonds/models`` by what it holds about people (``TABLES`` says the same
for the test that keeps it complete; ``USER_REFERENCES`` says, for every column that points
to an account, what the export shows and what deleting the account does):

Personal data, with a key to the account
    ``user``              the account: address, name, district, role, password hash (never
                          exported), confirmation time. Deleting blanks it (see below).
    ``initiative``        plans (``author_id``): exported with their revisions; on deletion
                          kept (author shown as "verwijderd account") or withdrawn, as chosen,
                          where the round still allows withdrawing.
    ``revision``          earlier texts of a plan (``editor_id``: the author or staff):
                          exported with the plan; kept as part of its public history.
    ``comment``           comments (``author_id``; ``hidden_by_id`` for moderators): exported;
                          kept with their text, shown as "verwijderd account", as on forums.
    ``implementation_update``, ``implementation_account``: what an initiator wrote about a
                          funded plan's progress, and its financial account (``author_id``,
                          ``submitted_by_id``): exported; kept like comments (the account of
                          public money), shown as "verwijderd account". ``implementation_payment``
                          and the staff columns name staff (``staff_actions``).
    ``content_translation`` translations of plans, needs and comments (``translator_id``;
                          ``hidden_by_id`` for staff): exported; kept with their text, shown
                          as "verwijderd account", like comments.
    ``report``            reports of comments (``reporter_id``): exported; on deletion the
                          report stays for moderation without its reporter.
    ``support``           support for plans (``user_id``): exported; removed when the round has
                          not started voting yet, else kept as part of the count (see below).
    ``theme_nomination``, ``nomination_comment``: proposed themes and their comments:
                          exported; kept like plans and comments.
    ``nomination_support`` support for proposed themes: as ``support``.
    ``voter``             a voter of a round (``user_id`` when an account bound a letter's
                          code, or votes in a round without letters): the export says only
                          that the account is a voter in round X, never anything of the
                          ballot; on deletion ``user_id`` is emptied, the ballot stays counted
                          (while voting runs, the letter's code opens it again, as before binding).
    ``audit_event``       the log (``actor_id``, and ``actor`` as "role:id", never an address):
                          exported as kinds and times; kept, because every event is part of
                          the hash chain that auditors check. After deletion the id points to
                          the empty tombstone.
    ``need``, ``need_reply``: needs and stories and their replies (``author_id``): exported;
                          kept with their text, shown as "verwijderd account", as comments.
    ``need_recognition``  "herkenbaar" marks (``user_id``): exported; deleted with the account.
    ``need_report``       reports of needs and replies: as ``report``.
    ``need_response``     staff's public answers to needs: staff actions.
    ``code_batch``, ``allocation_run``: staff actions (``created_by_id``, ``started_by_id``,
                          ``published_by_id``): exported for staff accounts; staff accounts are
                          not deleted here (an admin blocks them).

Personal data without a key to the account
    ``mail_outbox``       messages with the recipient's address: the rows to the account's
                          address are exported, and deleted with the account.
    ``rate_event``        counted attempts: internet addresses (IPv4, or an IPv6 /64), digests
                          of e-mail addresses, "user:<id>": the rows keyed by the account's
                          digest or id are exported and deleted with the account; the rest go
                          after RATE_EVENT_RETENTION_HOURS (privacy_retention.py).

Pseudonymous, never linked to an account by the platform
    ``voting_code`` (hashes of the letters' codes), ``ballot`` and ``ballot_item`` (what a
    voter chose, linked only to a ``voter``), ``receipt`` (hashes of receipt codes),
    ``ballot_commitment`` (Merkle roots).

No personal data
    ``round``, ``district_budget``, ``block_quota``, ``round_theme``, ``district``, ``theme``,
    ``building_block``, ``audit_anchor`` (signed heads of the log), ``eligible_count`` (how
    many residents of a district may vote in a round), ``implementation`` and
    ``implementation_milestone`` (a funded plan's status, amounts and steps), ``initiative_need``
    (which plan answers which need).

Deleting an account (``delete_account``) keeps the ``user`` row as the tombstone of the
person: kept comments, plans and nominations point to it, so every foreign key and the
audit log stay valid, and pages show "verwijderd account" (``User.display_name``). No second,
shared tombstone row: the audit log keeps the account number of every action anyway, so
moving content to another row would hide nothing and would make the log disagree with the
pages. The row loses its address (a unique placeholder without "@"), name, district and
password (a value no password matches), is blocked, and its sessions end.

Support given before voting starts is removed (and the plan's count drops), as the resident
could have taken it back themselves. Once voting has started it stays, attached to the
nameless tombstone: the counts decided which plans went through review onto the ballot, and
removing them afterwards would change the record those decisions rest on.
"""

from __future__ import annotations

import importlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import selectinload

from wijkfonds.common.timeutil import duration_text, utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import (
    AccountToken,
    AllocationRun,
    AuditEvent,
    CodeBatch,
    Comment,
    FinancialAccount,
    Implementation,
    ImplementationUpdate,
    Initiative,
    NominationComment,
    NominationSupport,
    OutboxMessage,
    Payment,
    Phase,
    RateEvent,
    Report,
    Revision,
    Role,
    Round,
    Support,
    ThemeNomination,
    User,
    Voter,
)
from wijkfonds.services import ratelimit
from wijkfonds.services.accounts import mails, users
from wijkfonds.services.audit import log as audit
from wijkfonds.services.dialogue import initiatives
from wijkfonds.services.errors import NotAllowed, ValidationFailed
from wijkfonds.services.needs import privacy as needs_privacy
from wijkfonds.services.translations import content as content_translations

KEEP, WITHDRAW = "keep", "withdraw"
BEFORE_VOTING = frozenset({Phase.UPCOMING, Phase.NOMINATION, Phase.SUBMISSION, Phase.REVIEW})
# A password hash that no password matches (werkzeug's format is method$salt$hash).
UNUSABLE_PASSWORD = "!account-verwijderd"


@dataclass(frozen=True)
class Reference:
    """One column that points to an account: where the export shows it, and what deletion does."""

    export: str  # the key of the export that holds these rows
    on_delete: str


USER_REFERENCES: dict[tuple[str, str], Reference] = {
    ("initiative", "author_id"): Reference("plans", "kept or withdrawn as chosen; shown as 'verwijderd account'"),
    ("revision", "editor_id"): Reference("plans", "kept with the plan's history (staff_actions for staff)"),
    ("comment", "author_id"): Reference("comments", "kept with its text; shown as 'verwijderd account'"),
    ("comment", "hidden_by_id"): Reference("staff_actions", "staff only: not deleted here"),
    ("content_translation", "translator_id"): Reference(
        "translations", "kept with its text; shown as 'verwijderd account'"
    ),
    ("content_translation", "hidden_by_id"): Reference("staff_actions", "staff only: not deleted here"),
    ("report", "reporter_id"): Reference("reports", "reporter emptied; the report stays"),
    ("support", "user_id"): Reference("supports", "removed before voting starts, else kept nameless"),
    ("theme_nomination", "author_id"): Reference("theme_nominations", "kept; shown as 'verwijderd account'"),
    ("nomination_comment", "author_id"): Reference("nomination_comments", "kept; shown as 'verwijderd account'"),
    ("nomination_support", "user_id"): Reference(
        "nomination_supports", "removed before voting starts, else kept nameless"
    ),
    ("voter", "user_id"): Reference("voting", "emptied; the ballot stays counted and unlinked"),
    ("audit_event", "actor_id"): Reference("audit_events", "kept: part of the hash chain"),
    ("code_batch", "created_by_id"): Reference("staff_actions", "staff only: not deleted here"),
    ("allocation_run", "started_by_id"): Reference("staff_actions", "staff only: not deleted here"),
    ("allocation_run", "published_by_id"): Reference("staff_actions", "staff only: not deleted here"),
    ("photo", "uploader_id"): Reference("plans", "kept with the plan it shows (the plan's own content)"),
    ("district_outline", "uploaded_by_id"): Reference("staff_actions", "staff only: not deleted here"),
    ("photo", "hidden_by_id"): Reference("staff_actions", "staff only: not deleted here"),
    ("implementation_update", "author_id"): Reference(
        "implementation_updates", "kept with its text like a comment; shown as 'verwijderd account'"
    ),
    ("implementation_update", "hidden_by_id"): Reference("staff_actions", "staff only: not deleted here"),
    ("implementation_payment", "recorded_by_id"): Reference("staff_actions", "staff only: not deleted here"),
    ("implementation_account", "submitted_by_id"): Reference(
        "financial_accounts", "kept: the account of public money spent; shown as 'verwijderd account'"
    ),
    ("implementation_account", "decided_by_id"): Reference("staff_actions", "staff only: not deleted here"),
    ("account_token", "user_id"): Reference("account_links", "deleted: the links hold addresses"),
    ("need", "author_id"): Reference("needs", "kept with its text; shown as 'verwijderd account'"),
    ("need", "hidden_by_id"): Reference("need_staff_actions", "staff only: not deleted here"),
    ("need_recognition", "user_id"): Reference("need_recognitions", "deleted (services.needs.privacy.forget)"),
    ("need_reply", "author_id"): Reference("need_replies", "kept with its text; shown as 'verwijderd account'"),
    ("need_reply", "hidden_by_id"): Reference("need_staff_actions", "staff only: not deleted here"),
    ("need_response", "author_id"): Reference("need_staff_actions", "staff only: not deleted here"),
    ("need_report", "reporter_id"): Reference("need_reports", "reporter emptied; the report stays"),
    ("plan_follow", "user_id"): Reference("notifications", "deleted (services.notifications.privacy.forget)"),
    ("notification_settings", "user_id"): Reference("notifications", "deleted (services.notifications.privacy.forget)"),
    ("notification_pending", "user_id"): Reference("notifications", "deleted (services.notifications.privacy.forget)"),
}

# Every table, by what it holds about people (see the module docstring).
PERSONAL, UNLINKED, PSEUDONYMOUS, NONE = "personal", "personal-unlinked", "pseudonymous", "none"
TABLES: dict[str, str] = {
    "user": PERSONAL,
    "initiative": PERSONAL,
    "revision": PERSONAL,
    "comment": PERSONAL,
    "report": PERSONAL,
    "content_translation": PERSONAL,  # translations by their translator (services/translations)
    "support": PERSONAL,
    "theme_nomination": PERSONAL,
    "nomination_comment": PERSONAL,
    "nomination_support": PERSONAL,
    "voter": PERSONAL,
    "audit_event": PERSONAL,
    "code_batch": PERSONAL,
    "allocation_run": PERSONAL,
    "mail_outbox": UNLINKED,
    "rate_event": UNLINKED,
    "voting_code": PSEUDONYMOUS,
    "ballot": PSEUDONYMOUS,
    "ballot_item": PSEUDONYMOUS,
    "receipt": PSEUDONYMOUS,
    "ballot_commitment": PSEUDONYMOUS,
    "round": NONE,
    "district_budget": NONE,
    "block_quota": NONE,
    "round_theme": NONE,
    "district": NONE,
    "theme": NONE,
    "building_block": NONE,
    "audit_anchor": NONE,
    "district_outline": PERSONAL,  # a district's shape on the map; uploaded_by_id names staff
    "task_run": NONE,  # when each background task last ran: no one's data
    "eligible_count": NONE,  # how many residents of a district may vote: a number from the city
    # Following and notifications (services.notifications.privacy exports and forgets them).
    "photo": PERSONAL,  # photos on plans (uploader_id); shown with the plan
    "account_token": PERSONAL,  # links sent by mail (hashes only, with the address they went to)
    "plan_follow": PERSONAL,
    "notification_settings": PERSONAL,
    "notification_pending": PERSONAL,
    "notification_mark": NONE,  # "sent once" keys naming plans, rounds and districts, never a person
    # After the vote (services.implementation): the funded plan's record names no one; its
    # updates and account are the initiator's writing (kept like comments), payments and
    # verdicts name staff.
    "implementation": NONE,
    "implementation_milestone": NONE,
    "implementation_update": PERSONAL,
    "implementation_payment": PERSONAL,
    "implementation_account": PERSONAL,
    # The needs board (services.needs.privacy exports and forgets them).
    "need": PERSONAL,  # needs and stories (author_id); kept as comments are
    "need_recognition": PERSONAL,  # "herkenbaar" marks: removed with the account
    "need_reply": PERSONAL,
    "need_response": PERSONAL,  # staff's public answers (author_id names staff)
    "need_report": PERSONAL,
    "initiative_need": NONE,  # which plan answers which need
}


NOTIFICATIONS = "wijkfonds.services.notifications.privacy"


def _notifications() -> Any:
    """services.notifications (following and notifications) when it is installed, else None.

    It is built apart and provides ``personal_data(user) -> dict`` and ``forget(user)``; an
    import error inside it is not taken for its absence.
    """
    try:
        return importlib.import_module(NOTIFICATIONS)
    except ModuleNotFoundError as err:
        if err.name != NOTIFICATIONS:
            raise
        return None


def _t(value: datetime | None) -> str | None:
    """A stored (naive UTC) time as ISO 8601 with its zone."""
    return None if value is None else value.isoformat(timespec="seconds") + "Z"


def _value(value: Any) -> Any:
    return _t(value) if isinstance(value, datetime) else value


def _rate_keys(user: User) -> list[str]:
    # The login limit keys an account by a digest of its address; the comment and report
    # limits by its id.
    return [mails.address_key(user.email), f"user:{user.id}"]  # the digest of users.authenticate, written once


def _account(user: User) -> dict[str, Any]:
    # Every column but the password hash, so a new column of the account cannot be left out.
    out = {
        attr.columns[0].name: _value(getattr(user, attr.key))
        for attr in db.inspect(User).column_attrs
        if attr.key != "password_hash"
    }
    out["district"] = user.district.name if user.district is not None else None
    return out


def _revision(rev: Revision, owner: User) -> dict[str, Any]:
    return {
        "created_at": _t(rev.created_at),
        "by": "you" if rev.editor_id == owner.id else ("staff" if rev.by_staff else "someone else"),
        "title": rev.title,
        "summary": rev.summary,
        "description": rev.description,
        "note": rev.note,
    }


def _plans(user: User) -> list[dict[str, Any]]:
    plans = db.session.scalars(select(Initiative).where(Initiative.author_id == user.id).order_by(Initiative.id)).all()
    out = []
    for ini in plans:
        revisions = db.session.scalars(
            select(Revision).where(Revision.initiative_id == ini.id).order_by(Revision.created_at, Revision.id)
        )
        out.append(
            {
                "id": ini.id,
                "round": ini.round.name,
                "district": ini.district.name,
                "title": ini.title,
                "summary": ini.summary,
                "description": ini.description,
                "location": ini.location,
                "requested_cost": ini.requested_cost,
                "estimated_cost": ini.estimated_cost,
                "status": ini.status,
                "support_count": ini.support_count,
                "created_at": _t(ini.created_at),
                "updated_at": _t(ini.updated_at),
                "earlier_versions": [_revision(r, user) for r in revisions],
            }
        )
    return out


def _comments(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Comment)
        .where(Comment.author_id == user.id)
        .options(selectinload(Comment.initiative))
        .order_by(Comment.id)
    )
    return [
        {
            "id": c.id,
            "plan_id": c.initiative_id,
            "plan": c.initiative.title,
            "reply_to": c.parent_id,
            "text": c.body,
            "created_at": _t(c.created_at),
            "edited_at": _t(c.edited_at),
            "hidden_at": _t(c.hidden_at),
            "hidden_reason": c.hidden_reason or None,
        }
        for c in rows
    ]


def _implementation_updates(user: User) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(ImplementationUpdate, Initiative.id, Initiative.title)
        .join(Implementation, Implementation.id == ImplementationUpdate.implementation_id)
        .join(Initiative, Initiative.id == Implementation.initiative_id)
        .where(ImplementationUpdate.author_id == user.id)
        .order_by(ImplementationUpdate.id)
    )
    return [
        {
            "id": u.id,
            "plan_id": plan_id,
            "plan": title,
            "text": u.body,
            "created_at": _t(u.created_at),
            "hidden_at": _t(u.hidden_at),
            "hidden_reason": u.hidden_reason or None,
        }
        for u, plan_id, title in rows
    ]


def _financial_accounts(user: User) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(FinancialAccount, Initiative.id, Initiative.title)
        .join(Implementation, Implementation.id == FinancialAccount.implementation_id)
        .join(Initiative, Initiative.id == Implementation.initiative_id)
        .where(FinancialAccount.submitted_by_id == user.id)
        .order_by(FinancialAccount.id)
    )
    return [
        {
            "plan_id": plan_id,
            "plan": title,
            "spent": a.spent,
            "returned": a.returned,
            "text": a.body,
            "status": a.status,
            "staff_reason": a.staff_reason or None,
            "submitted_at": _t(a.submitted_at),
            "decided_at": _t(a.decided_at),
        }
        for a, plan_id, title in rows
    ]


def _supports(user: User) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(Support, Initiative)
        .join(Initiative, Initiative.id == Support.initiative_id)
        .where(Support.user_id == user.id)
        .order_by(Support.id)
    )
    return [
        {"plan_id": ini.id, "plan": ini.title, "round": ini.round.name, "created_at": _t(s.created_at)}
        for s, ini in rows
    ]


def _nominations(user: User) -> dict[str, list[dict[str, Any]]]:
    own = db.session.scalars(
        select(ThemeNomination).where(ThemeNomination.author_id == user.id).order_by(ThemeNomination.id)
    )
    comments = db.session.execute(
        select(NominationComment, ThemeNomination)
        .join(ThemeNomination, ThemeNomination.id == NominationComment.nomination_id)
        .where(NominationComment.author_id == user.id)
        .order_by(NominationComment.id)
    )
    supports = db.session.execute(
        select(NominationSupport, ThemeNomination)
        .join(ThemeNomination, ThemeNomination.id == NominationSupport.nomination_id)
        .where(NominationSupport.user_id == user.id)
        .order_by(NominationSupport.id)
    )
    return {
        "theme_nominations": [
            {
                "id": n.id,
                "round_id": n.round_id,
                "title": n.title,
                "description": n.description,
                "chosen_as_theme": n.chosen_theme_id is not None,
                "created_at": _t(n.created_at),
            }
            for n in own
        ],
        "nomination_comments": [
            {"nomination_id": n.id, "nomination": n.title, "text": c.body, "created_at": _t(c.created_at)}
            for c, n in comments
        ],
        "nomination_supports": [
            {"nomination_id": n.id, "nomination": n.title, "created_at": _t(s.created_at)} for s, n in supports
        ],
    }


def _reports(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(select(Report).where(Report.reporter_id == user.id).order_by(Report.id))
    return [
        {"comment_id": r.comment_id, "reason": r.reason, "resolved": r.resolved, "created_at": _t(r.created_at)}
        for r in rows
    ]


def _voting(user: User) -> list[dict[str, Any]]:
    # Only that the account is a voter of the round: nothing of the ballot (ballot secrecy).
    rows = db.session.execute(
        select(Voter.code_id, Voter.created_at, Round.id, Round.name)
        .join(Round, Round.id == Voter.round_id)
        .where(Voter.user_id == user.id)
        .order_by(Round.id)
    )
    return [
        {
            "round_id": round_id,
            "round": name,
            "how": "a voting code from a letter, bound to this account" if code_id is not None else "this account",
            "since": _t(created_at),
        }
        for code_id, created_at, round_id, name in rows
    ]


def _mail(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(func.lower(OutboxMessage.to_address) == user.email.lower())
        .order_by(OutboxMessage.id)
    )
    return [
        {
            "created_at": _t(m.created_at),
            "kind": m.template,
            "language": m.language,
            "subject": m.subject,
            "status": m.status,
            "sent_at": _t(m.sent_at),
            "text": m.body_text,
        }
        for m in rows
    ]


def _links(user: User) -> list[dict[str, Any]]:
    """Links sent by mail (confirm, reset, change address): purpose, address, times; never the token."""
    rows = db.session.scalars(select(AccountToken).where(AccountToken.user_id == user.id).order_by(AccountToken.id))
    return [
        {
            "purpose": t.purpose,
            "email": t.email,
            "created_at": _t(t.created_at),
            "expires_at": _t(t.expires_at),
            "used_at": _t(t.used_at),
            "voided_at": _t(t.voided_at),
        }
        for t in rows
    ]


def _rate_events(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(RateEvent).where(RateEvent.key.in_(_rate_keys(user))).order_by(RateEvent.at, RateEvent.id)
    )
    return [{"limit": r.bucket, "at": _t(r.at)} for r in rows]


def _audit_events(user: User) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(AuditEvent.seq, AuditEvent.at, AuditEvent.kind)
        .where(AuditEvent.actor_id == user.id)
        .order_by(AuditEvent.seq)
    )
    return [{"event": seq, "at": _t(at), "kind": kind} for seq, at, kind in rows]


def _staff_actions(user: User) -> dict[str, list[dict[str, Any]]]:
    hidden = db.session.scalars(select(Comment).where(Comment.hidden_by_id == user.id).order_by(Comment.id))
    batches = db.session.scalars(select(CodeBatch).where(CodeBatch.created_by_id == user.id).order_by(CodeBatch.id))
    runs = db.session.scalars(
        select(AllocationRun)
        .where(or_(AllocationRun.started_by_id == user.id, AllocationRun.published_by_id == user.id))
        .order_by(AllocationRun.id)
    )
    corrections = db.session.execute(
        select(Revision, Initiative.author_id)
        .join(Initiative, Initiative.id == Revision.initiative_id)
        .where(Revision.editor_id == user.id)
        .order_by(Revision.id)
    )
    payments = db.session.scalars(select(Payment).where(Payment.recorded_by_id == user.id).order_by(Payment.id))
    verdicts = db.session.scalars(
        select(FinancialAccount).where(FinancialAccount.decided_by_id == user.id).order_by(FinancialAccount.id)
    )
    updates_hidden = db.session.scalars(
        select(ImplementationUpdate)
        .where(ImplementationUpdate.hidden_by_id == user.id)
        .order_by(ImplementationUpdate.id)
    )
    return {
        "payments_recorded": [
            {"payment_id": p.id, "amount": p.amount, "paid_on": p.paid_on.isoformat(), "created_at": _t(p.created_at)}
            for p in payments
        ],
        "accounts_decided": [
            {"implementation_id": a.implementation_id, "status": a.status, "decided_at": _t(a.decided_at)}
            for a in verdicts
        ],
        "updates_hidden": [
            {"update_id": u.id, "hidden_at": _t(u.hidden_at), "reason": u.hidden_reason} for u in updates_hidden
        ],
        "comments_hidden": [
            {"comment_id": c.id, "hidden_at": _t(c.hidden_at), "reason": c.hidden_reason} for c in hidden
        ],
        "code_batches": [{"round_id": b.round_id, "size": b.size, "created_at": _t(b.created_at)} for b in batches],
        "allocation_runs": [
            {
                "run_id": r.id,
                "round_id": r.round_id,
                "started_by_you": r.started_by_id == user.id,
                "published_by_you": r.published_by_id == user.id,
                "created_at": _t(r.created_at),
                "published_at": _t(r.published_at) if r.published_by_id == user.id else None,
            }
            for r in runs
        ],
        "plan_corrections": [
            {"plan_id": rev.initiative_id, "created_at": _t(rev.created_at), "note": rev.note}
            for rev, author_id in corrections
            if author_id != user.id
        ],
    }


def explanation() -> dict[str, str]:
    """What each part of the export holds, in the reader's language."""
    return {
        "account": _("Uw account, zonder uw wachtwoord (dat bewaren wij alleen als onleesbare hash)."),
        "plans": _("Plannen die u indiende, met eerdere versies van de tekst."),
        "comments": _("Uw reacties op plannen."),
        "implementation_updates": _("Berichten die u schreef over de uitvoering van een gefinancierd plan."),
        "financial_accounts": _("De verantwoording die u instuurde over het geld van een gefinancierd plan."),
        "translations": _("Vertalingen die u schreef van plannen en reacties."),
        "supports": _("Plannen die u steunt."),
        "theme_nominations": _("Thema's die u voorstelde."),
        "nomination_comments": _("Uw reacties op voorgestelde thema's."),
        "nomination_supports": _("Voorgestelde thema's die u steunt."),
        "reports": _("Reacties die u meldde bij de moderatoren."),
        "voting": _(
            "De rondes waarin uw account kiezer is. Wat u koos staat hier niet: uw stem is geheim en wordt "
            "nooit aan uw account gekoppeld getoond."
        ),
        "mail": _("Berichten die wij aan uw e-mailadres stuurden en nog bewaren."),
        "rate_limit_records": _("Getelde pogingen (zoals onjuiste wachtwoorden) die aan uw account gekoppeld zijn."),
        "audit_events": _("Gebeurtenissen in het controlelogboek die u deed: alleen soort en tijd."),
        "staff_actions": _("Handelingen als medewerker (alleen voor accounts van medewerkers)."),
        "needs": _("Behoeften en verhalen die u plaatste."),
        "need_replies": _("Uw reacties op behoeften."),
        "need_recognitions": _("Behoeften die u herkenbaar noemde."),
        "need_reports": _("Behoeften en reacties die u meldde bij de moderatoren."),
        "need_staff_actions": _("Antwoorden op behoeften en verborgen behoeften (alleen voor medewerkers)."),
    }


def personal_data(user: User) -> dict[str, Any]:
    """Everything the platform holds about ``user``, as plain JSON-ready data (never ballot contents)."""
    data: dict[str, Any] = {
        "exported_at": _t(utcnow()),
        "about": explanation(),
        "account": _account(user),
        "plans": _plans(user),
        "comments": _comments(user),
        "implementation_updates": _implementation_updates(user),
        "financial_accounts": _financial_accounts(user),
        "translations": content_translations.personal_data(user),
        "supports": _supports(user),
        **_nominations(user),
        "reports": _reports(user),
        "voting": _voting(user),
        "mail": _mail(user),
        "account_links": _links(user),
        "rate_limit_records": _rate_events(user),
        "audit_events": _audit_events(user),
        "staff_actions": _staff_actions(user),
        **needs_privacy.personal_data(user),
    }
    notifications = _notifications()
    if notifications is not None:
        data["notifications"] = notifications.personal_data(user)
    return data


# --- deleting an account -------------------------------------------------------------


def may_delete(user: User) -> bool:
    """True for resident accounts; staff, auditor and admin accounts are blocked by an admin instead."""
    return user.role in (Role.RESIDENT.value, Role.TRANSLATOR.value) and user.deleted_at is None


@dataclass(frozen=True)
class PlanChoice:
    """One of the resident's plans on the confirmation page: can it still be withdrawn?"""

    initiative: Initiative
    withdrawable: bool


@dataclass(frozen=True)
class DeletionPreview:
    """What deleting the account will do, for the confirmation page."""

    plans: list[PlanChoice]
    comments: int
    nominations: int
    supports_removed: int
    supports_kept: int
    voter_rounds: int

    @property
    def withdrawable(self) -> int:
        """How many plans can still be withdrawn."""
        return sum(1 for p in self.plans if p.withdrawable)


def _support_rows(model: type[Support] | type[NominationSupport], user: User) -> list[tuple[int, Phase]]:
    """(support id, phase of its round) of the account's support of plans or of themes."""
    if model is Support:
        query = (
            select(Support.id, Round)
            .join(Initiative, Initiative.id == Support.initiative_id)
            .join(Round, Round.id == Initiative.round_id)
            .where(Support.user_id == user.id)
        )
    else:
        query = (
            select(NominationSupport.id, Round)
            .join(ThemeNomination, ThemeNomination.id == NominationSupport.nomination_id)
            .join(Round, Round.id == ThemeNomination.round_id)
            .where(NominationSupport.user_id == user.id)
        )
    now = utcnow()
    return [(sid, rnd.phase(now)) for sid, rnd in db.session.execute(query)]


def _count(query: Any) -> int:
    return int(db.session.scalar(query) or 0)


def preview(user: User) -> DeletionPreview:
    """The figures of the confirmation page."""
    plans = db.session.scalars(select(Initiative).where(Initiative.author_id == user.id).order_by(Initiative.id)).all()
    supports = _support_rows(Support, user) + _support_rows(NominationSupport, user)
    removed = sum(1 for _sid, phase in supports if phase in BEFORE_VOTING)
    return DeletionPreview(
        plans=[PlanChoice(ini, initiatives.can_withdraw(ini, user)) for ini in plans],
        comments=_count(select(func.count(Comment.id)).where(Comment.author_id == user.id))
        + _count(select(func.count(NominationComment.id)).where(NominationComment.author_id == user.id)),
        nominations=_count(select(func.count(ThemeNomination.id)).where(ThemeNomination.author_id == user.id)),
        supports_removed=removed,
        supports_kept=len(supports) - removed,
        voter_rounds=_count(select(func.count(Voter.id)).where(Voter.user_id == user.id)),
    )


@dataclass(frozen=True)
class Deleted:
    """What deleting did (the figures of the audit event)."""

    plans_kept: int
    plans_withdrawn: int
    comments_kept: int
    supports_removed: int
    supports_kept: int


def _check_password(user: User, password: str, limit: tuple[int, int]) -> None:
    """ValidationFailed unless ``password`` is the account's; wrong ones count as at login."""
    key = mails.address_key(user.email)  # the login's own counter: guessing here is limited too
    ratelimit.check(
        users.LOGIN_ACCOUNT_BUCKET,
        key,
        limit,
        _(
            "Te veel onjuiste wachtwoorden voor dit account. Om raden te voorkomen kunt u het over %(window)s "
            "opnieuw proberen.",
            window=duration_text(limit[1]),
        ),
    )
    if not user.check_password(password or ""):
        ratelimit.hit(users.LOGIN_ACCOUNT_BUCKET, key)
        raise ValidationFailed([("password", _("Dit is niet uw wachtwoord. Vul het wachtwoord van uw account in."))])


def _withdraw_plans(user: User, plans: str) -> tuple[int, int]:
    """Withdraw what may still be withdrawn when asked; (kept, withdrawn)."""
    kept = withdrawn = 0
    for ini in db.session.scalars(select(Initiative).where(Initiative.author_id == user.id).order_by(Initiative.id)):
        if plans == WITHDRAW and initiatives.can_withdraw(ini, user):
            initiatives.withdraw(ini, author=user)  # audited as every withdrawal is
            withdrawn += 1
        else:
            kept += 1
    return kept, withdrawn


def _recount(initiative_ids: Iterable[int]) -> None:
    for ini_id in sorted(set(initiative_ids)):
        # The row lock first (as set_support takes it), so a concurrent support is counted.
        ini = db.session.scalars(
            select(Initiative)
            .where(Initiative.id == ini_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
        ini.support_count = _count(select(func.count(Support.id)).where(Support.initiative_id == ini_id))


def _remove_supports(user: User) -> tuple[int, int]:
    """Remove support given in rounds that have not started voting; (removed, kept)."""
    plan_rows = _support_rows(Support, user)
    theme_rows = _support_rows(NominationSupport, user)
    gone_plans = [sid for sid, phase in plan_rows if phase in BEFORE_VOTING]
    gone_themes = [sid for sid, phase in theme_rows if phase in BEFORE_VOTING]
    touched = list(db.session.scalars(select(Support.initiative_id).where(Support.id.in_(gone_plans))))
    if gone_plans:
        db.session.execute(delete(Support).where(Support.id.in_(gone_plans)))
        _recount(touched)
    if gone_themes:  # a nomination's support is counted when shown, not stored
        db.session.execute(delete(NominationSupport).where(NominationSupport.id.in_(gone_themes)))
    removed = len(gone_plans) + len(gone_themes)
    return removed, len(plan_rows) + len(theme_rows) - removed


def _forget_unlinked(user: User) -> None:
    """The rows that hold the address or the account without a foreign key: mail and counted attempts."""
    db.session.execute(delete(OutboxMessage).where(func.lower(OutboxMessage.to_address) == user.email.lower()))
    db.session.execute(delete(AccountToken).where(AccountToken.user_id == user.id))  # links hold addresses
    db.session.execute(delete(RateEvent).where(RateEvent.key.in_(_rate_keys(user))))


def _blank(user: User, now: datetime) -> None:
    """Turn the account into its tombstone: no address, name, district or password; blocked."""
    user.email = f"verwijderd-{user.id}-{secrets.token_hex(8)}"  # unique, and no address (no @)
    user.name_column = ""
    user.password_hash = UNUSABLE_PASSWORD
    user.district_id = None
    user.email_confirmed_at = None
    user.active = False
    user.session_version += 1  # every session ends
    user.deleted_at = now


def delete_account(user: User, *, password: str, plans: str, password_limit: tuple[int, int]) -> Deleted:
    """Delete a resident's account after checking the password (see the module for what stays).

    ``plans`` is KEEP or WITHDRAW (withdrawal only where the round still allows it). The
    e-mail address is gone at once from every table; the ballot of a voter bound to the
    account stays counted and is no longer linked to it. Flushes; the caller commits.
    """
    if not may_delete(user):
        raise NotAllowed(
            _("Alleen bewoners verwijderen hier hun account. Accounts van medewerkers blokkeert een beheerder.")
        )
    if plans not in (KEEP, WITHDRAW):
        raise ValidationFailed([("plans", _("Kies wat er met uw plannen gebeurt."))])
    _check_password(user, password, password_limit)
    now = utcnow()
    kept, withdrawn = _withdraw_plans(user, plans)
    removed, supports_kept = _remove_supports(user)
    db.session.execute(update(Report).where(Report.reporter_id == user.id).values(reporter_id=None))
    db.session.execute(update(Voter).where(Voter.user_id == user.id).values(user_id=None))
    comments = _count(select(func.count(Comment.id)).where(Comment.author_id == user.id)) + _count(
        select(func.count(NominationComment.id)).where(NominationComment.author_id == user.id)
    )
    notifications = _notifications()
    if notifications is not None:
        notifications.forget(user)
    needs_privacy.forget(user)
    _forget_unlinked(user)
    _blank(user, now)
    db.session.flush()
    # No address and nothing of voting: the event says what happened to what was public.
    audit.record(
        "user.deleted",
        actor=user,
        user_id=user.id,
        plans_kept=kept,
        plans_withdrawn=withdrawn,
        comments_kept=comments,
        supports_removed=removed,
        supports_kept=supports_kept,
    )
    return Deleted(kept, withdrawn, comments, removed, supports_kept)
