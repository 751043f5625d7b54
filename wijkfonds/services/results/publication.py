"""Publishing a run as the official result, comparing runs, and explaining outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from wijkfonds.allocation import AllocationError
from wijkfonds.common.money import euro, number
from wijkfonds.common.timeutil import to_local, utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import AllocationRun, Initiative, Phase, Round, Status, User
from wijkfonds.services.audit import anchors
from wijkfonds.services.audit import log as audit
from wijkfonds.services.errors import DomainError, ValidationFailed
from wijkfonds.services.implementation import records as implementation
from wijkfonds.services.notifications import events as notify
from wijkfonds.services.results import explanations
from wijkfonds.services.results.rule_words import rule_name, share_text
from wijkfonds.services.results.runs import round_input


def published_run(round_id: int) -> AllocationRun | None:
    """The official result of a round: the run published last (None before publication)."""
    return db.session.scalars(
        select(AllocationRun)
        .where(AllocationRun.round_id == round_id, AllocationRun.published_at.is_not(None))
        .order_by(AllocationRun.published_at.desc(), AllocationRun.id.desc())
        .limit(1)
    ).first()


def check_publish(run: AllocationRun, reason: str) -> AllocationRun | None:
    """Every reason why ``run`` cannot be published now (DomainError/ValidationFailed); else the run it replaces."""
    rnd: Round = run.round
    reason = (reason or "").strip()
    if rnd.phase() != Phase.RESULTS:
        raise DomainError(_("Deze ronde is nog niet gesloten."), 409)
    if run.status != "done" or not run.result:
        raise DomainError(_("Alleen een geslaagde berekening kan de uitslag worden."), 409)
    current = published_run(rnd.id)
    if current is not None and current.id == run.id:
        raise DomainError(_("Deze berekening is al de officiële uitslag."), 409)
    if current is not None and not reason:
        raise ValidationFailed(
            [("reason", _("Er is al een uitslag gepubliceerd. Geef een reden waarom u die vervangt."))]
        )
    if len(reason) > 1000:
        raise ValidationFailed([("reason", _("Gebruik hoogstens 1000 tekens."))])
    try:
        digest = round_input(rnd).digest
    except AllocationError as exc:
        raise DomainError(str(exc), 409) from None
    if digest != run.input_digest:
        raise DomainError(
            _("De gegevens van de ronde zijn veranderd sinds deze berekening. Reken opnieuw en publiceer dan."), 409
        )
    return current


def publish_preview(run: AllocationRun, reason: str) -> list[str]:
    """What publishing ``run`` does, in figures (after the same checks as publish)."""
    current = check_publish(run, reason)
    result, rnd = run.result or {}, run.round
    facts = [
        _(
            "Berekening %(id)s (regel: %(rule)s) wordt de officiële uitslag van „%(round)s”.",
            id=run.id,
            rule=rule_name(run.rule, run.completion),
            round=rnd.name,
        ),
        _(
            "Plannen die geld krijgen: %(n)s van %(m)s, samen %(spent)s van het budget van %(budget)s.",
            n=number(len(result.get("selected", []))),
            m=number(len(result.get("outcomes", {}))),
            spent=euro(result.get("cost", 0)),
            budget=euro(rnd.total_budget),
        ),
        _("Bewoners zien de uitslag meteen; elk plan krijgt de status ‘gefinancierd’ of ‘niet gefinancierd’."),
    ]
    if current is not None and current.published_at is not None:
        facts.append(
            _(
                "Dit vervangt de uitslag van berekening %(id)s (gepubliceerd op %(when)s), met als reden: %(reason)s",
                id=current.id,
                when=to_local(current.published_at).strftime("%d-%m-%Y %H:%M"),
                reason=(reason or "").strip(),
            )
        )
    return facts


def publish(run: AllocationRun, *, reason: str, actor: User) -> None:
    """Make ``run`` the official result; replacing an earlier publication needs a reason."""
    rnd: Round = run.round
    reason = (reason or "").strip()
    current = check_publish(run, reason)
    result = run.result
    assert result is not None  # check_publish refuses a run without a result
    funded = {o["initiative_id"]: o["funded"] for o in result["outcomes"].values()}
    for ini in db.session.scalars(select(Initiative).where(Initiative.id.in_(list(funded)))):
        ini.status = Status.FUNDED.value if funded[ini.id] else Status.NOT_FUNDED.value
    run.published_at = utcnow()
    run.published_by_id = actor.id
    run.publish_reason = reason
    db.session.flush()
    # Every funded plan gets its implementation record; before the publication's own event,
    # so that event stays the head the result's anchor signs.
    implementation.ensure_for_run(run, actor)
    audit.record(
        "allocation.published",
        actor=actor,
        round_id=rnd.id,
        run_id=run.id,
        rule=run.rule,
        params=run.params,
        input_digest=run.input_digest,
        replaces=current.id if current else None,
        reason=reason,
        selected=len(result["selected"]),
    )
    notify.result_published(run, replaces=current is not None)  # followers of its plans
    anchors.ensure_current(run.published_at)  # the result is anchored


def share(part: int, whole: int) -> float:
    """part/whole as a fraction (0 when whole is 0), for percentages in templates."""
    return part / whole if whole else 0.0


@dataclass(frozen=True)
class DiffRow:
    """One initiative that one run funds and the other does not."""

    initiative: Initiative
    in_a: bool
    in_b: bool
    support: int
    cost: int


def compare(a: AllocationRun, b: AllocationRun) -> dict[str, Any]:
    """Side by side: differing initiatives, support covered, spend per district and block, voters served."""
    if a.round_id != b.round_id:
        raise DomainError(_("U kunt alleen berekeningen van dezelfde ronde vergelijken."), 400)
    if not a.result or not b.result:
        raise DomainError(_("Alleen geslaagde berekeningen kunnen worden vergeleken."), 409)
    ra, rb = a.result, b.result
    fa = {o["initiative_id"] for o in ra["outcomes"].values() if o["funded"]}
    fb = {o["initiative_id"] for o in rb["outcomes"].values() if o["funded"]}
    info = {o["initiative_id"]: o for o in list(ra["outcomes"].values()) + list(rb["outcomes"].values())}
    differing = sorted(fa ^ fb)
    inis = {i.id: i for i in db.session.scalars(select(Initiative).where(Initiative.id.in_(differing)))}
    rows = [DiffRow(inis[i], i in fa, i in fb, info[i]["support"], info[i]["cost"]) for i in differing if i in inis]
    rows.sort(key=lambda r: (r.initiative.district.name, -r.support))

    def totals(r: dict[str, Any]) -> dict[str, Any]:
        return {
            "cost": r["cost"],
            "funded": len(r["selected"]),
            "votes_covered": r["votes_covered"],
            "votes_total": r["votes_total"],
            "votes_share": share(r["votes_covered"], r["votes_total"]),
            "voters_with_funded": r["voters_with_funded"],
            "voters": r["voters"],
            "voters_share": share(r["voters_with_funded"], r["voters"]),
        }

    def spend(key: str) -> list[tuple[str, int, int]]:
        names = sorted(set(ra[key]) | set(rb[key]))
        return [(n, ra[key].get(n, 0), rb[key].get(n, 0)) for n in names]

    return {
        "a": totals(ra),
        "b": totals(rb),
        "rows": rows,
        "same": not differing,
        "districts": spend("district_spend"),
        "blocks": spend("block_spend"),
    }


def explanation_for(initiative: Initiative, lang: str) -> dict[str, Any] | None:
    """Why the initiative was (not) funded in the published result, in ``lang``; None before publication."""
    run = published_run(initiative.round_id)
    if run is None or not run.result:
        return None
    outcome = next((o for o in run.result["outcomes"].values() if o["initiative_id"] == initiative.id), None)
    if outcome is None:
        return None
    return {
        "funded": outcome["funded"],
        "text": explanations.outcome_text(outcome, lang),
        "share": share_text(outcome, lang),
        "rule": run.rule,
        "completion": run.completion,
        "run": run,
        "support": outcome.get("support"),
        "rank": outcome.get("rank"),
    }
