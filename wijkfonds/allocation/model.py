"""Value objects of the allocation engine: projects, instances, profiles and allocations.

Money is exact (:data:`~.money.Money`): an ``int`` number of currency units (euros for
Wijkfonds, zloty for Warsaw files) when whole, a :class:`fractions.Fraction` when it has
cents (Warsaw 2017's budget is 740,793.05). Projects and instances accept ``int``,
``Fraction`` and ``Decimal`` and store the normal form; floats are refused. Shares are
fractions too, so that no float ever decides whether a plan fits.

A :class:`Profile` stores all ballots of a round in compressed sparse row (CSR) form:
``indptr`` (one offset per voter plus one), ``indices`` (project index per entry, in the
order the voter gave them) and ``values`` (points for cumulative/scoring ballots, 1 for
approval and choose-1, the Borda score for ordinal ballots). One million voters with
five choices each take about 60 MB.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING

from .errors import AllocationError
from .money import Money, as_money, money_scale

if TYPE_CHECKING:  # the arrays are numpy's, but this module needs numpy only for their types
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "Allocation",
    "AllocationError",
    "BallotType",
    "Instance",
    "Profile",
    "Project",
    "ProjectOutcome",
]


class BallotType(enum.StrEnum):
    """The ballot types of pabulib's ``vote_type``."""

    APPROVAL = "approval"
    CHOOSE_1 = "choose-1"
    CUMULATIVE = "cumulative"
    SCORING = "scoring"
    ORDINAL = "ordinal"


@dataclass(frozen=True, slots=True)
class Project:
    """One initiative/project.

    ``categories`` holds every category the project counts toward (theme, building
    block, pabulib ``category`` values); ``extra`` keeps other pabulib columns verbatim.
    """

    id: str
    cost: Money
    name: str = ""
    district: str = ""
    categories: tuple[str, ...] = ()
    neighbourhood: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The normal form (int when whole), so that equal amounts compare and print alike.
        object.__setattr__(self, "cost", as_money(self.cost, f"the cost of project {self.id!r}"))


@dataclass(frozen=True)
class Instance:
    """Projects plus every budget bound a rule must respect.

    * ``budget``: the total budget (all districts together).
    * ``district_budgets``: upper bound per district; every project's district must be a key.
    * ``district_floors``: optional minimum spend per district.
    * ``neighbourhood_caps`` / ``category_caps``: upper bounds in money.
    * ``category_min_share`` / ``category_max_share``: fractions of ``budget``.
    * ``meta``: pabulib META of the source files, kept for writing back.
    * ``exclusive_groups``: groups of project ids of which at most one may be funded (two
      plans for the same place); every rule honours them.

    Every amount is exact money (see the module docstring) and stored in normal form.
    """

    projects: tuple[Project, ...]
    budget: Money
    district_budgets: Mapping[str, Money]
    district_floors: Mapping[str, Money] = field(default_factory=dict)
    neighbourhood_caps: Mapping[str, Money] = field(default_factory=dict)
    category_caps: Mapping[str, Money] = field(default_factory=dict)
    category_min_share: Mapping[str, Fraction] = field(default_factory=dict)
    category_max_share: Mapping[str, Fraction] = field(default_factory=dict)
    meta: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    exclusive_groups: Sequence[Sequence[str]] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "budget", as_money(self.budget, "the total budget"))
        for name, what in (
            ("district_budgets", "the budget of district"),
            ("district_floors", "the floor of district"),
            ("neighbourhood_caps", "the cap of neighbourhood"),
            ("category_caps", "the cap of category"),
        ):
            amounts = {k: as_money(v, f"{what} {k!r}") for k, v in getattr(self, name).items()}
            object.__setattr__(self, name, amounts)
        seen: set[str] = set()
        for p in self.projects:
            if p.id in seen:
                raise AllocationError(f"project id {p.id!r} occurs more than once")
            seen.add(p.id)
            if p.cost < 0:
                raise AllocationError(f"project {p.id!r} has a negative cost ({p.cost})")
            if p.district not in self.district_budgets:
                raise AllocationError(f"project {p.id!r} belongs to district {p.district!r}, which has no budget")
        if self.budget < 0:
            raise AllocationError(f"the total budget is negative ({self.budget})")
        groups = tuple(tuple(str(pid) for pid in group) for group in self.exclusive_groups)
        for group in groups:
            if len(group) < 2:
                raise AllocationError(
                    f"an exclusive group needs at least two projects, not {', '.join(group) or 'none'}"
                )
            if len(set(group)) < len(group):
                raise AllocationError(f"the exclusive group {','.join(group)} names a project twice")
            unknown = [pid for pid in group if pid not in seen]
            if unknown:
                raise AllocationError(
                    f"the exclusive group {','.join(group)} names {unknown[0]!r}, which is not a project"
                )
        object.__setattr__(self, "exclusive_groups", groups)

    @cached_property
    def money_scale(self) -> int:
        """Units per currency unit that make every amount whole: 1 without cents, at most 100 with cents.

        (20 for Warsaw 2017, whose amounts are all multiples of 0.05.)
        """
        return money_scale(
            [
                self.budget,
                *(p.cost for p in self.projects),
                *self.district_budgets.values(),
                *self.district_floors.values(),
                *self.neighbourhood_caps.values(),
                *self.category_caps.values(),
            ]
        )

    @property
    def districts(self) -> tuple[str, ...]:
        """District names in a stable order."""
        return tuple(self.district_budgets)

    def index_of(self) -> dict[str, int]:
        """Map project id -> position in ``projects``."""
        return {p.id: i for i, p in enumerate(self.projects)}


@dataclass(frozen=True, eq=False)
class Profile:
    """All ballots of one round in CSR form (see module docstring).

    ``voter_district[v]`` is the index into ``districts`` of voter ``v``'s district.
    ``voter_ids`` and ``voter_extra`` (column -> values) are kept for writing pabulib
    files back; they may be empty for generated profiles.
    """

    ballot_type: BallotType
    districts: tuple[str, ...]
    indptr: npt.NDArray[np.int64]
    indices: npt.NDArray[np.int32]
    values: npt.NDArray[np.int64]
    voter_district: npt.NDArray[np.int32]
    voter_ids: Sequence[str] = ()
    voter_extra: Mapping[str, Sequence[str]] = field(default_factory=dict)

    @property
    def num_voters(self) -> int:
        """Number of ballots."""
        return int(self.indptr.shape[0] - 1)

    def ballot(self, voter: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]:
        """Project indices and values of one ballot."""
        a, b = self.indptr[voter], self.indptr[voter + 1]
        return self.indices[a:b], self.values[a:b]


@dataclass(frozen=True, slots=True)
class ProjectOutcome:
    """Whether one project was funded, and why.

    ``reason`` is a stable machine code (e.g. ``"greedy.no_room_district"``) and
    ``params`` its values (money as exact amounts: int, or Fraction with cents; names as
    str), so that the web app can render
    the sentence in Dutch or English; ``explanation`` is the English sentence.
    """

    project_id: str
    funded: bool
    reason: str
    explanation: str
    params: Mapping[str, object] = field(default_factory=dict)
    rank: int | None = None
    support: int | None = None


@dataclass(frozen=True)
class Allocation:
    """The result of running a rule.

    ``optimal`` is True when the ILP proved optimality, False when it stopped without
    proof, and None for rules that do not optimise. ``details`` holds rule-specific data
    (e.g. MES voter budgets, the effective per-voter budget after add1).
    """

    rule: str
    completion: str
    selected: tuple[str, ...]
    cost: Money
    utility: Money
    district_spend: Mapping[str, Money]
    category_spend: Mapping[str, Money]
    outcomes: Mapping[str, ProjectOutcome]
    optimal: bool | None
    status: str
    seconds: float
    details: Mapping[str, object] = field(default_factory=dict)
