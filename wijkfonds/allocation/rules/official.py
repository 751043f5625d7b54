"""The rule a city used, as the pabulib META ``rule`` names it, with its META parameters.

=================================  ==========================================================
META ``rule``                      what runs
=================================  ==========================================================
``greedy``                         :func:`~.greedy.greedy`
``greedy-no-skip``                 :func:`~.greedy.greedy_stop` (stop at the first project
                                   that does not fit)
``greedy-threshold``               greedy; projects whose support is below META
                                   ``min_project_score_threshold`` are not eligible
``greedy-exclusive``               greedy with the round's exclusive groups (once one
                                   project of a group is funded the others are skipped)
``equalshares/add1``               :func:`~.mes.equal_shares` with ``completion="add1"``
``equalshares/add1-comparison``    :func:`~.comparison.equal_shares_with_comparison`
=================================  ==========================================================

A META ``min_project_score_threshold`` counts for every greedy variant that has it (Gdynia's
``greedy-no-skip`` has one); ``greedy-threshold`` without it is refused. With an Equal
Shares rule a threshold is refused, since no city we know combined them and silently
dropping it would change the outcome. ``greedy-custom`` and ``unknown`` name no rule that
can be run (the file says the city's rule was special or is not known) and are refused by
name, as is any other name. ``greedy-exclusive`` needs the groups: pabulib files describe
them only in words (Warsaw 2022 Bemowo's META ``comment``), so they come from META
``exclusive_groups`` or ``--exclusive``, and without any the rule is refused. In a round of several files every file must name the same
rule; thresholds hold per file (district).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from wijkfonds.allocation.model import Allocation, AllocationError, Instance, Profile

__all__ = ["OFFICIAL_RULES", "OfficialRuleError", "official", "official_rule"]

OFFICIAL_RULES = (
    "greedy",
    "greedy-no-skip",
    "greedy-threshold",
    "greedy-exclusive",
    "equalshares/add1",
    "equalshares/add1-comparison",
)
_THRESHOLD = "min_project_score_threshold"
_NOT_RUNNABLE = {
    "greedy-custom": "the city used its own variant of greedy, which the file does not describe",
    "unknown": "the file does not know which rule the city used",
}


class OfficialRuleError(AllocationError):
    """The META ``rule`` of a district cannot be run; ``district`` and ``key`` say where (for FILE:LINE)."""

    def __init__(self, problem: str, district: str | None = None, key: str | None = None) -> None:
        self.problem, self.district, self.key = problem, district, key
        super().__init__(f"district {district!r}: {problem}" if district is not None else problem)


def official_rule(instance: Instance) -> tuple[str, dict[str, int]]:
    """The META ``rule`` of the round and its thresholds per district; raises when it cannot be run."""
    rules: dict[str, list[str]] = {}
    for district in instance.districts:
        meta = instance.meta.get(district, {})
        name = meta.get("rule", "").strip()
        if not name:
            raise OfficialRuleError("its file has no META 'rule', so no official rule is known", district)
        rules.setdefault(name, []).append(district)
    if len(rules) > 1:
        listed = "; ".join(f"{name!r} in {', '.join(ds)}" for name, ds in rules.items())
        raise OfficialRuleError(f"the files of this round name different META rules ({listed}); run them one by one")
    (name,) = rules
    first = instance.districts[0]
    if name in _NOT_RUNNABLE:
        raise OfficialRuleError(
            f"the META rule {name!r} cannot be run: {_NOT_RUNNABLE[name]}; choose a rule with --rule instead",
            first,
            "rule",
        )
    if name not in OFFICIAL_RULES:
        raise OfficialRuleError(
            f"the META rule {name!r} is not one the engine can run (it runs {', '.join(OFFICIAL_RULES)})",
            first,
            "rule",
        )
    thresholds = _thresholds(instance)
    if name == "greedy-threshold" and len(thresholds) < len(instance.districts):
        missing = [d for d in instance.districts if d not in thresholds]
        raise OfficialRuleError(f"rule 'greedy-threshold' needs META {_THRESHOLD!r}, which is missing", missing[0])
    if name == "greedy-exclusive" and not instance.exclusive_groups:
        raise OfficialRuleError(
            "rule 'greedy-exclusive' needs the groups of projects that exclude each other; the file describes them "
            "only in words (see its META comment): give them with --exclusive A,B",
            first,
            "rule",
        )
    if name.startswith("equalshares") and thresholds:
        raise OfficialRuleError(
            f"META {_THRESHOLD!r} together with rule {name!r} is not supported", next(iter(thresholds)), _THRESHOLD
        )
    return name, thresholds


def _thresholds(instance: Instance) -> dict[str, int]:
    out: dict[str, int] = {}
    for district in instance.districts:
        text = instance.meta.get(district, {}).get(_THRESHOLD)
        if text is None or not text.strip():
            continue
        try:
            out[district] = int(text.strip())
        except ValueError:
            raise OfficialRuleError(
                f"META {_THRESHOLD!r} is {text!r}, not a whole number", district, _THRESHOLD
            ) from None
    return out


def official(instance: Instance, profile: Profile) -> Allocation:
    """Run the rule the META ``rule`` names (see the module docstring); ``details["official"]`` says what ran."""
    name, thresholds = official_rule(instance)
    min_score: Mapping[str, int] | None = thresholds or None
    if name in ("greedy", "greedy-threshold", "greedy-exclusive"):
        from .greedy import greedy

        result = greedy(instance, profile, min_score=min_score)
    elif name == "greedy-no-skip":
        from .greedy import greedy_stop

        result = greedy_stop(instance, profile, min_score=min_score)
    elif name == "equalshares/add1":
        from .mes import equal_shares

        result = equal_shares(instance, profile, completion="add1")
    else:
        from .comparison import equal_shares_with_comparison

        result = equal_shares_with_comparison(instance, profile)
    about: dict[str, object] = {"rule": name}
    if thresholds:
        about[_THRESHOLD] = thresholds
    if instance.exclusive_groups:
        about["exclusive_groups"] = [list(group) for group in instance.exclusive_groups]
    return dataclasses.replace(result, details={**result.details, "official": about})
