"""Allocation rules: greedy, greedy-stop, the exact ILP, the Method of Equal Shares and its constrained form.

``mes-bounds`` is Equal Shares that also meets district floors and category minimum
shares (:mod:`.mes_bounds`); without such bounds it gives plain Equal Shares' outcome.

Every rule has the signature ``(instance, profile, *, options) -> Allocation``;
:func:`run_rule` picks one by name. Rule modules are imported on first use, so that
importing the package never loads the SCIP solver.
"""

from __future__ import annotations

from collections.abc import Mapping

from wijkfonds.allocation.model import Allocation, AllocationError, Instance, Profile

__all__ = ["COMPLETIONS", "RULES", "run_rule"]

RULES = ("greedy", "greedy-stop", "ilp", "mes", "mes-bounds")
COMPLETIONS = ("none", "add1", "add1-greedy")


def run_rule(
    rule: str,
    instance: Instance,
    profile: Profile,
    *,
    completion: str = "none",
    time_limit: float | None = None,
    min_score: int | Mapping[str, int] | None = None,
) -> Allocation:
    """Run the rule named ``rule`` ("greedy", "greedy-stop", "ilp", "mes" or "mes-bounds") on one round.

    ``completion`` applies to mes and mes-bounds only ("none", "add1", "add1-greedy"); ``time_limit``
    (seconds) to ilp only; ``min_score`` (the support a project needs to be eligible) to
    greedy and greedy-stop only. Raises :class:`AllocationError` for unknown names, options
    that do not apply, or bounds that cannot be met.
    """
    if rule not in RULES:
        raise AllocationError(f"unknown rule {rule!r}; choose one of {', '.join(RULES)}")
    if completion not in COMPLETIONS:
        raise AllocationError(f"unknown completion {completion!r}; choose one of {', '.join(COMPLETIONS)}")
    if completion != "none" and rule not in ("mes", "mes-bounds"):
        raise AllocationError(f"completion {completion!r} applies only to rule 'mes' (and 'mes-bounds'), not {rule!r}")
    if time_limit is not None:
        if rule != "ilp":
            raise AllocationError(f"a time limit applies only to rule 'ilp', not {rule!r}")
        if not time_limit > 0:
            raise AllocationError(f"the time limit must be a positive number of seconds, not {time_limit!r}")
    if min_score is not None and rule not in ("greedy", "greedy-stop"):
        raise AllocationError(f"a minimum support applies only to rules 'greedy' and 'greedy-stop', not {rule!r}")
    if profile.num_voters and profile.indices.size and int(profile.indices.max()) >= len(instance.projects):
        raise AllocationError("the profile refers to a project that is not in the instance")

    return _dispatch(rule, instance, profile, completion=completion, time_limit=time_limit, min_score=min_score)


def _dispatch(
    rule: str,
    instance: Instance,
    profile: Profile,
    *,
    completion: str,
    time_limit: float | None,
    min_score: int | Mapping[str, int] | None,
) -> Allocation:
    """Call the rule module (options already checked by :func:`run_rule`)."""
    if rule == "greedy":
        from .greedy import greedy

        return greedy(instance, profile, min_score=min_score)
    if rule == "greedy-stop":
        from .greedy import greedy_stop

        return greedy_stop(instance, profile, min_score=min_score)
    if rule == "ilp":
        from .ilp import ilp

        return ilp(instance, profile, time_limit=time_limit)
    if rule == "mes-bounds":
        from .mes_bounds import equal_shares_bounded

        return equal_shares_bounded(instance, profile, completion=completion)
    try:
        from .mes import equal_shares
    except ImportError as exc:  # pragma: no cover - only while mes.py is being written
        raise AllocationError(f"the rule 'mes' is not available: {exc}") from exc
    return equal_shares(instance, profile, completion=completion)
