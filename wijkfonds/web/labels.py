"""Human labels (Dutch source, translated) for enum values shown in many places."""

from __future__ import annotations

from typing import Any

from flask import Flask

from wijkfonds.services.labels import BALLOT_KINDS, ILP_GOALS, PHASES, ROLES, STATUS_BADGE, STATUSES
from wijkfonds.services.results import rule_words

__all__ = ["BALLOT_KINDS", "PHASES", "ROLES", "STATUSES", "STATUS_BADGE", "phase_label", "register"]


def phase_label(phase: Any) -> Any:
    """The label of a Phase or of its value; anything else comes back unchanged."""
    return PHASES.get(getattr(phase, "value", phase), phase)


def register(app: Flask) -> None:
    """Expose the label tables to every template."""
    app.jinja_env.globals.update(
        phase_label=phase_label,
        status_label=lambda s: STATUSES.get(s, s),
        status_badge=lambda s: STATUS_BADGE.get(s, ""),
        role_label=lambda r: ROLES.get(r, r),
        ballot_kind_label=lambda k: BALLOT_KINDS.get(k, k),
        rule_name=rule_words.rule_name,
        rule_sentence=rule_words.rule_sentence,
        completion_sentence=lambda c: rule_words.COMPLETIONS[c].sentence if c in rule_words.COMPLETIONS else "",
        ilp_goal_label=lambda g: ILP_GOALS.get(g, g),
    )
