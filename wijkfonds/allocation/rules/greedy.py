"""Greedy by votes (Amsterdam, CONSUL) and greedy-stop (West Begroot).

Projects are considered in :func:`~.common.greedy_order` (support descending, ties by
project id as in pabutools' lexicographic tie-breaking). **greedy** funds every project
that still fits every upper bound it falls under (total, district, neighbourhood cap,
category cap, category maximum share) and skips the others. **greedy-stop** stops the
count in a district at the first project of that district that does not fit; when the
total budget is what blocks, the count stops everywhere. Money left stays unspent.

``min_score`` (pabulib's ``min_project_score_threshold``, Łódź and Gdynia): a project whose
support is below the threshold of its district is not eligible. It is skipped (and does
not stop the count of greedy-stop), and its explanation says so.

Exclusive groups (:attr:`~wijkfonds.allocation.model.Instance.exclusive_groups`): once a
member of a group is funded, the others are skipped when their turn comes (pabulib's
``greedy-exclusive``, Warsaw); they do not stop the count of greedy-stop either.

Ranks in explanations are positions within the project's own district (1 = most votes),
because that is the list residents of the district see.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from wijkfonds.allocation.explain import BOUND_PLACES, make_outcome, register_reasons
from wijkfonds.allocation.model import Allocation, AllocationError, Instance, Profile, ProjectOutcome

from .common import BoundTracker, build_allocation, currency_of, greedy_order, project_label, project_scores

__all__ = ["greedy", "greedy_stop", "min_score_thresholds"]

_REASONS: dict[str, dict[str, str]] = {
    "greedy.below_threshold": {
        "en": "not funded: its support ({support}) is below the minimum of {threshold} that a project "
        "needs to be eligible",
        "nl": "niet gefinancierd: de steun ({support}) ligt onder het minimum van {threshold} dat een "
        "project nodig heeft om mee te doen",
    },
    "greedy.excluded": {
        "en": "not funded: it cannot be carried out together with {other_label}, which was funded before it "
        "(this project came at rank {rank} by votes)",
        "nl": "niet gefinancierd: het kan niet samen met {other_label} worden uitgevoerd, dat eerder werd "
        "gefinancierd (dit project stond op plaats {rank} op stemmen)",
    },
    "greedy.funded": {
        "en": "funded: rank {rank} by votes, it fits the budget",
        "nl": "gefinancierd: plaats {rank} op stemmen, het past in het budget",
    },
    "greedy_stop.after_stop": {
        "en": "not funded: the count in {district} stopped at rank {stop_rank} ({stopper}), "
        "before this project (rank {rank}) was reached; {left:money} stayed unspent",
        "nl": "niet gefinancierd: de telling in {district} stopte bij plaats {stop_rank} "
        "({stopper}), voordat dit project (plaats {rank}) aan de beurt was; "
        "{left:money} bleef over",
    },
}
for _kind, (_en, _nl) in BOUND_PLACES.items():
    _REASONS[f"greedy.no_room.{_kind}"] = {
        "en": "not funded: when it was reached (rank {rank} by votes) only {left:money} was "
        f"left {_en}, and it costs {{cost:money}}",
        "nl": "niet gefinancierd: toen het aan de beurt was (plaats {rank} op stemmen) was er "
        f"nog maar {{left:money}} over {_nl}, en het kost {{cost:money}}",
    }
    _REASONS[f"greedy_stop.stopper.{_kind}"] = {
        "en": f"not funded: at rank {{rank}} by votes it was the first project that did not fit "
        f"(only {{left:money}} was left {_en}, and it costs {{cost:money}}), so the count "
        "stopped here",
        "nl": f"niet gefinancierd: op plaats {{rank}} was dit het eerste project dat niet paste "
        f"(er was nog maar {{left:money}} over {_nl}, en het kost {{cost:money}}), dus de "
        "telling stopte hier",
    }
register_reasons(_REASONS)


def _district_ranks(instance: Instance, order: list[int]) -> dict[int, int]:
    seen: dict[str, int] = {}
    ranks: dict[int, int] = {}
    for i in order:
        d = instance.projects[i].district
        seen[d] = seen.get(d, 0) + 1
        ranks[i] = seen[d]
    return ranks


def min_score_thresholds(instance: Instance, min_score: int | Mapping[str, int] | None) -> dict[str, int]:
    """The minimum support per district (districts without one are absent)."""
    if min_score is None:
        return {}
    if isinstance(min_score, int):
        return dict.fromkeys(instance.districts, min_score)
    unknown = [d for d in min_score if d not in instance.district_budgets]
    if unknown:
        raise AllocationError(f"a minimum support is given for {unknown[0]!r}, which is not a district of this round")
    return {d: int(t) for d, t in min_score.items()}


def _run(instance: Instance, profile: Profile, stop: bool, min_score: int | Mapping[str, int] | None) -> Allocation:
    start = time.perf_counter()
    thresholds = min_score_thresholds(instance, min_score)
    scores = project_scores(instance, profile)
    order = greedy_order(instance, scores)
    ranks = _district_ranks(instance, order)
    tracker = BoundTracker(instance)
    currency = currency_of(instance)
    selected: list[int] = []
    outcomes: dict[str, ProjectOutcome] = {}
    # district (or "" for every district) -> params describing the project that stopped it
    stops: dict[str, dict[str, object]] = {}
    for i in order:
        p = instance.projects[i]
        base: dict[str, object] = {
            "rank": ranks[i],
            "support": int(scores[i]),
            "cost": p.cost,
            "currency": currency,
            "district": p.district,
        }
        threshold = thresholds.get(p.district)
        if threshold is not None and int(scores[i]) < threshold:
            params = {**base, "threshold": threshold}
            outcomes[p.id] = make_outcome(
                p.id, False, "greedy.below_threshold", params, rank=ranks[i], support=int(scores[i])
            )
            continue
        stopped = stops.get("") or stops.get(p.district)
        if stopped is not None:
            params = {**base, **stopped}
            outcomes[p.id] = make_outcome(
                p.id, False, "greedy_stop.after_stop", params, rank=ranks[i], support=int(scores[i])
            )
            continue
        other = tracker.excluded_by(i)
        if other is not None:
            params = {**base, "other": instance.projects[other].id, "other_label": project_label(instance, other)}
            outcomes[p.id] = make_outcome(p.id, False, "greedy.excluded", params, rank=ranks[i], support=int(scores[i]))
            continue
        block = tracker.blocking(i)
        if block is None:
            tracker.add(i)
            selected.append(i)
            outcomes[p.id] = make_outcome(p.id, True, "greedy.funded", base, rank=ranks[i], support=int(scores[i]))
            continue
        bound, left = block
        params = {**base, "left": left, "name": bound.name, "bound": bound.kind}
        if stop:
            code = f"greedy_stop.stopper.{bound.kind}"
            stops["" if bound.kind == "total" else p.district] = {
                "stop_rank": ranks[i],
                "stopper": p.name or p.id,
                "stopper_id": p.id,
                "left": left,
            }
        else:
            code = f"greedy.no_room.{bound.kind}"
        outcomes[p.id] = make_outcome(p.id, False, code, params, rank=ranks[i], support=int(scores[i]))
    # Outcomes in the instance's project order, so that output is stable and readable.
    ordered = {p.id: outcomes[p.id] for p in instance.projects}
    rule = "greedy-stop" if stop else "greedy"
    details: dict[str, object] = {"order": [instance.projects[i].id for i in order]}
    if stop:
        details["stopped_at"] = {d or "*": s["stopper_id"] for d, s in stops.items()}
    if thresholds:
        details["min_score"] = thresholds
    return build_allocation(
        rule=rule,
        completion="none",
        instance=instance,
        scores=scores,
        selected=selected,
        outcomes=ordered,
        optimal=None,
        status="ok",
        seconds=time.perf_counter() - start,
        details=details,
    )


def greedy(instance: Instance, profile: Profile, *, min_score: int | Mapping[str, int] | None = None) -> Allocation:
    """Fund projects in order of votes, skipping those that no longer fit (pabutools' greedy).

    ``min_score``: the support a project needs to be eligible, one number for every
    district or a mapping district -> number (see the module docstring).
    """
    return _run(instance, profile, stop=False, min_score=min_score)


def greedy_stop(
    instance: Instance, profile: Profile, *, min_score: int | Mapping[str, int] | None = None
) -> Allocation:
    """Fund projects in order of votes until the first one that does not fit (West Begroot); ``min_score`` as for greedy."""
    return _run(instance, profile, stop=True, min_score=min_score)
