"""What an irreversible staff step on a round will do, in figures, for its confirmation page.

Nothing here writes: each function checks that the step is possible now (the same
DomainError as the step itself) and describes it in plain sentences.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from wijkfonds.common.money import number
from wijkfonds.common.timeutil import duration_text, utcnow
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import Ballot, Initiative, Phase, Round, Status, ThemeNomination
from wijkfonds.services.errors import DomainError
from wijkfonds.services.rounds.admin import PHASE_FIELD, check_advance
from wijkfonds.services.rounds.review import phase_problem, queue_counts


def _count(model: type[Ballot] | type[Initiative] | type[ThemeNomination], *where: object) -> int:
    return db.session.scalar(select(func.count(model.id)).where(*where)) or 0  # type: ignore[arg-type]


def advance(rnd: Round, target: Phase, now: datetime | None = None) -> list[str]:
    """What starting ``target`` now does: how much earlier than planned, and what it ends."""
    now = now or utcnow()
    check_advance(rnd, target, now)
    planned = getattr(rnd, PHASE_FIELD[target])
    # The next phase has not started, so its planned start lies ahead.
    early = duration_text(max((planned - now).total_seconds(), 0) if planned is not None else 0)
    if target == Phase.RESULTS:
        ballots = _count(Ballot, Ballot.round_id == rnd.id)
        paper = _count(Ballot, Ballot.round_id == rnd.id, Ballot.paper.is_(True))
        return [
            _("Het stemmen stopt nu, %(time)s eerder dan gepland; tot nu toe 1 stembiljet.", time=early)
            if ballots == 1
            else _(
                "Het stemmen stopt nu, %(time)s eerder dan gepland; tot nu toe %(n)s stembiljetten.",
                time=early,
                n=number(ballots),
            ),
            _("Op papier ingevoerd: %(n)s.", n=number(paper)),
            _("Daarna kan niemand meer stemmen of een stem veranderen, ook niet met een stemcode of op papier."),
        ]
    if target == Phase.VOTING:
        feasible = _count(Initiative, Initiative.round_id == rnd.id, Initiative.status == Status.FEASIBLE.value)
        facts = [
            _("Het stemmen begint nu, %(time)s eerder dan gepland.", time=early),
            _("Haalbare plannen op de stemlijst: %(n)s.", n=number(feasible)),
        ]
        undecided = queue_counts(rnd)["open"]  # enough support, not decided yet
        if undecided:
            facts.append(
                _(
                    "Plannen met genoeg steun die nog niet zijn beoordeeld (die komen niet op de stemlijst): %(n)s.",
                    n=number(undecided),
                )
            )
        facts.append(
            _("Vanaf dan liggen budgetten, regels, thema's, aandelen per bouwsteen en de manier van stemmen vast.")
        )
        return facts
    if target == Phase.REVIEW:
        active = (Initiative.round_id == rnd.id, Initiative.status != Status.WITHDRAWN.value)
        return [
            _("Het indienen van plannen stopt nu, %(time)s eerder dan gepland.", time=early),
            _(
                "Ingediende plannen: %(n)s; met genoeg steun voor de beoordeling (minstens %(t)s): %(m)s.",
                n=number(_count(Initiative, *active)),
                t=number(rnd.support_threshold),
                m=number(_count(Initiative, *active, Initiative.support_count >= rnd.support_threshold)),
            ),
        ]
    if target == Phase.NOMINATION:
        return [_("Het voorstellen van thema's begint nu, %(time)s eerder dan gepland.", time=early)]
    facts = [_("Het indienen van plannen begint nu, %(time)s eerder dan gepland.", time=early)]
    if rnd.phase(now) == Phase.NOMINATION:
        nominations = _count(ThemeNomination, ThemeNomination.round_id == rnd.id)
        facts.append(_("Het voorstellen van thema's stopt dan. Voorgestelde thema's: %(n)s.", n=number(nominations)))
    return facts


def start_review(rnd: Round) -> list[str]:
    """What 'zet in beoordeling' does: which plans move to 'in review' and which stay behind ([] for none)."""
    problem = phase_problem(rnd)
    if problem:
        raise DomainError(problem)
    moving = queue_counts(rnd)["waiting"]
    if not moving:
        return []
    behind = _count(
        Initiative,
        Initiative.round_id == rnd.id,
        Initiative.status == Status.SUBMITTED.value,
        Initiative.support_count < rnd.support_threshold,
    )
    return [
        _(
            "Plannen die van ‘ingediend’ naar ‘in beoordeling’ gaan (minstens %(t)s steun): %(n)s.",
            t=number(rnd.support_threshold),
            n=number(moving),
        ),
        _(
            "Plannen met te weinig steun, die ‘ingediend’ blijven en niet in de beoordeling komen: %(n)s.",
            n=number(behind),
        ),
    ]
