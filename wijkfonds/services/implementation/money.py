"""A funded plan's money: payments in tranches (staff) and the financial account at the end."""

from __future__ import annotations

from datetime import date, datetime

from wijkfonds.common.money import euro, too_high
from wijkfonds.common.numbers import MAX_EUROS
from wijkfonds.common.timeutil import utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import AccountStatus, FinancialAccount, Implementation, Payment, User
from wijkfonds.services.audit import log as audit
from wijkfonds.services.dialogue.hiding import clean_reason
from wijkfonds.services.errors import DomainError, NotAllowed, ValidationFailed
from wijkfonds.services.implementation.progress import FINISHED, local_today
from wijkfonds.services.implementation.records import is_initiator, require, require_staff

PURPOSE_MAX = 300
ACCOUNT_MAX = 4000
A = AccountStatus


def _approved(impl: Implementation) -> bool:
    return impl.account is not None and impl.account.status == A.APPROVED.value


def record_payment(
    impl: Implementation,
    actor: User,
    amount: int | None,
    paid_on: date | None,
    purpose: str | None,
    *,
    now: datetime | None = None,
) -> Payment:
    """Record one tranche paid to the initiator (staff): positive, not in the future, within the grant."""
    require_staff(actor)
    require(impl.initiative)
    errors: list[tuple[str | None, str]] = []
    text = " ".join((purpose or "").split())
    if amount is None:
        errors.append(("amount", _("Vul het bedrag in, in hele euro's.")))
    elif amount <= 0:
        errors.append(("amount", _("Een betaling is meer dan € 0.")))
    elif amount > MAX_EUROS:
        errors.append(("amount", too_high()))
    elif impl.paid + amount > impl.granted:
        errors.append(
            (
                "amount",
                _(
                    "Dit is meer dan er nog over is: toegekend %(granted)s, al betaald %(paid)s, dus hoogstens %(left)s.",
                    granted=euro(impl.granted),
                    paid=euro(impl.paid),
                    left=euro(impl.granted - impl.paid),
                ),
            )
        )
    if paid_on is None:
        errors.append(("paid_on", _("Kies de datum van de betaling.")))
    elif paid_on > local_today(now):
        errors.append(("paid_on", _("Een betaling kan niet in de toekomst liggen.")))
    if not text:
        errors.append(("purpose", _("Schrijf waarvoor deze betaling is.")))
    elif len(text) > PURPOSE_MAX:
        errors.append(("purpose", _("Gebruik hoogstens %(n)d tekens.", n=PURPOSE_MAX)))
    if _approved(impl):
        errors.append((None, _("De verantwoording van dit plan is goedgekeurd: er kunnen geen betalingen meer bij.")))
    if errors:
        raise ValidationFailed(errors)
    assert amount is not None and paid_on is not None
    payment = Payment(implementation_id=impl.id, paid_on=paid_on, amount=amount, purpose=text, recorded_by_id=actor.id)
    db.session.add(payment)
    db.session.flush()
    db.session.refresh(impl, ["payments"])
    audit.record(
        "implementation.payment_recorded",
        actor=actor,
        round_id=impl.round_id,
        initiative_id=impl.initiative_id,
        payment_id=payment.id,
        amount=amount,
        paid_on=paid_on.isoformat(),
        purpose=text,
        paid_total=impl.paid,
        granted=impl.granted,
    )
    return payment


def may_submit_account(impl: Implementation) -> bool:
    """True when the initiator can send (or send again) the account now."""
    return impl.status in FINISHED and (impl.account is None or impl.account.status == A.SENT_BACK.value)


def _account_errors(
    impl: Implementation, spent: int | None, returned: int | None, text: str
) -> list[tuple[str | None, str]]:
    errors: list[tuple[str | None, str]] = []
    for name, value in (("spent", spent), ("returned", returned)):
        if value is None:
            errors.append((name, _("Vul een bedrag in hele euro's in (0 mag).")))
        elif value < 0:
            errors.append((name, _("Een bedrag kan niet negatief zijn.")))
        elif value > MAX_EUROS:
            errors.append((name, too_high()))
    if not text:
        errors.append(("body", _("Schrijf kort waaraan het geld is besteed.")))
    elif len(text) > ACCOUNT_MAX:
        errors.append(("body", _("Gebruik hoogstens %(n)d tekens.", n=ACCOUNT_MAX)))
    if not errors and spent is not None and returned is not None and spent + returned != impl.paid:
        errors.append(
            (
                "spent",
                _(
                    "Besteed plus terugbetaald moet gelijk zijn aan wat u ontving: %(paid)s (nu %(sum)s).",
                    paid=euro(impl.paid),
                    sum=euro(spent + returned),
                ),
            )
        )
    return errors


def submit_account(
    impl: Implementation,
    user: User,
    spent: int | None,
    returned: int | None,
    body: str | None,
    *,
    now: datetime | None = None,
) -> FinancialAccount:
    """The initiator's account at the end: what was spent and returned of what was paid, and a short text.

    Only for a plan that is afgerond or gestopt; again after staff sent it back.
    """
    require(impl.initiative)
    if not is_initiator(impl, user):
        raise NotAllowed(_("Alleen de indiener van het plan kan de verantwoording insturen."))
    if impl.status not in FINISHED:
        raise DomainError(_("Dit plan loopt nog: de verantwoording volgt als het is afgerond of gestopt."), 409)
    if impl.account is not None and impl.account.status == A.SUBMITTED.value:
        raise DomainError(_("Uw verantwoording is ingestuurd en wacht op het oordeel van het stadsdeel."), 409)
    if _approved(impl):
        raise DomainError(_("De verantwoording van dit plan is al goedgekeurd."), 409)
    text = (body or "").strip()
    errors = _account_errors(impl, spent, returned, text)
    if errors:
        raise ValidationFailed(errors)
    assert spent is not None and returned is not None
    when = now or utcnow()
    account = impl.account
    again = account is not None
    if account is None:
        account = FinancialAccount(implementation_id=impl.id, spent=spent, returned=returned, body=text)
        db.session.add(account)
    account.spent, account.returned, account.body = spent, returned, text
    account.status = A.SUBMITTED.value
    account.submitted_by_id = user.id
    account.submitted_at = when
    account.decided_by_id = None
    account.decided_at = None
    db.session.flush()
    db.session.refresh(impl, ["account"])
    audit.record(
        "implementation.account_submitted",
        actor=user,
        round_id=impl.round_id,
        initiative_id=impl.initiative_id,
        spent=spent,
        returned=returned,
        paid=impl.paid,
        again=again,
    )
    return account


def _decide(impl: Implementation, actor: User) -> FinancialAccount:
    require_staff(actor)
    account = impl.account
    if account is None or account.status != A.SUBMITTED.value:
        raise DomainError(_("Er is geen ingestuurde verantwoording om te beoordelen."), 409)
    return account


def approve_account(impl: Implementation, actor: User, *, now: datetime | None = None) -> None:
    """Staff approve the submitted account; the plan's money story is then closed."""
    account = _decide(impl, actor)
    account.status = A.APPROVED.value
    account.staff_reason = ""
    account.decided_by_id = actor.id
    account.decided_at = now or utcnow()
    db.session.flush()
    audit.record(
        "implementation.account_approved",
        actor=actor,
        round_id=impl.round_id,
        initiative_id=impl.initiative_id,
        spent=account.spent,
        returned=account.returned,
    )


def send_back_account(impl: Implementation, actor: User, reason: str | None, *, now: datetime | None = None) -> None:
    """Staff send the account back with a reason; the initiator can then send it again."""
    account = _decide(impl, actor)
    text = clean_reason(reason)
    account.status = A.SENT_BACK.value
    account.staff_reason = text
    account.decided_by_id = actor.id
    account.decided_at = now or utcnow()
    db.session.flush()
    audit.record(
        "implementation.account_sent_back",
        actor=actor,
        round_id=impl.round_id,
        initiative_id=impl.initiative_id,
        reason=text,
    )
