"""The ballot rules of an imported round, read from pabulib files, and the check of every vote against them.

A round holds four ballot kinds (see :class:`~wijkfonds.models.BallotKind`); an import makes
the one that holds the file's ``vote_type``:

* ``approval`` and ``choose-1``: an approval round (every ballot item 1 point);
* ``cumulative``: a points round, "verdeel N punten over minstens k plannen". N
  (``Round.points_total``, the most points a voter may give in all) is META
  ``max_sum_points``, else the largest sum of points on one ballot; k
  (``Round.points_min_plans``, the fewest plans a voter gives points to) is META
  ``min_length``, else 1; one plan's maximum (``Round.points_max_per_plan``) is META
  ``max_points``, else none. Each ballot item keeps the voter's points.
* ``ordinal``: a ranked round, "zet maximaal k plannen op volgorde". k
  (``Round.ranked_max``) is META ``max_length``, else the longest ballot. Each item keeps
  its rank as its position (0 = first choice) and, as a ranked round scores, k - position
  points: the engine's reading of an ordinal file without a ``points`` column, so a file
  whose ``points`` column scores the ranks otherwise is refused.

A round stores whole numbers only, every plan on a points ballot with at least 1 point
(0 means "not on the ballot"), and has no minimum sum of points, no maximum number of
plans on a points ballot and no minimum on a ranked one: the META keys for those
(``min_sum_points``, ``max_length``, ``min_length``) give a warning when they are not
already met by every ballot the round can hold. Other vote types (``scoring``) have no
round to hold them and are refused. A vote that breaks the round's rules is refused with
its file and line; nothing is written before every vote of every file has passed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from wijkfonds.allocation import BallotType
from wijkfonds.allocation.pabulib import PabulibError, PbElection
from wijkfonds.allocation.pabulib_read import decode, parse_int
from wijkfonds.common.numbers import MAX_INT
from wijkfonds.models import BallotKind
from wijkfonds.services.errors import DomainError
from wijkfonds.services.rounds.checks import MAX_PLANS

KINDS = {
    BallotType.APPROVAL: BallotKind.APPROVAL,
    BallotType.CHOOSE_1: BallotKind.APPROVAL,
    BallotType.CUMULATIVE: BallotKind.POINTS,
    BallotType.ORDINAL: BallotKind.RANKED,
}
_VOTES = re.compile(r'^[ \t"]*votes[ \t";]*$', re.IGNORECASE)


class ImportFailed(DomainError):
    """A file cannot be imported; the message names the file, the line and the problem."""

    status = 422


@dataclass(frozen=True)
class BallotRules:
    """The ballot kind of an imported round and its settings (the Round's columns of the same names)."""

    kind: str
    points_total: int = 10
    points_min_plans: int = 1
    points_max_per_plan: int | None = None
    ranked_max: int = 3
    warnings: tuple[str, ...] = ()

    def describe(self) -> str:
        """The rules in one English phrase (the command line's report)."""
        if self.kind == BallotKind.POINTS.value:
            most = "" if self.points_max_per_plan is None else f", at most {self.points_max_per_plan} on one plan"
            return f"points: at most {self.points_total} points over at least {self.points_min_plans} plan(s){most}"
        if self.kind == BallotKind.RANKED.value:
            return f"ranked: at most {self.ranked_max} plan(s) in order"
        return "approval"


def check_vote_type(e: PbElection, name: str) -> None:
    """Refuse a vote type that no round can hold, naming it."""
    if e.ballot_type not in KINDS:
        raise ImportFailed(
            f"{name}:{e.meta_lines.get('vote_type')}: vote_type {e.ballot_type.value} cannot be imported; "
            "the platform holds approval (and choose-1), cumulative (points) and ordinal (ranked) ballots"
        )


def vote_line(path: str | Path, voter: int) -> int | None:
    """The file line of the ``voter``-th vote row (0 = the first), as the reader counts lines."""
    try:
        text = decode(Path(path).read_bytes(), str(path)).replace("\r\n", "\n")
    except (OSError, PabulibError):
        return None
    lines = text.split("\n")
    at = next((k for k, line in enumerate(lines) if k and _VOTES.match(line)), None)
    if at is None:
        return None
    rows = [k for k in range(at + 1, len(lines)) if lines[k].strip()][1:]  # the first is the header
    return rows[voter] + 1 if voter < len(rows) else None


@dataclass(frozen=True)
class _File:
    """One file with the name its messages use."""

    e: PbElection
    name: str

    def meta_int(self, key: str, low: int, high: int) -> int | None:
        """META ``key`` as a whole number from ``low`` to ``high``; None when absent."""
        if key not in self.e.meta:
            return None
        line = self.e.meta_lines.get(key)
        try:
            value = parse_int(self.e.meta[key], self.name, line, key)
        except PabulibError as exc:
            raise ImportFailed(f"{self.name}:{line}: {exc.problem}") from None
        if not low <= value <= high:
            raise ImportFailed(f"{self.name}:{line}: {key} is {value}; a round takes {low} to {high}")
        return value

    def meta_at_most(self, key: str, most: int | None, least: int | None) -> bool:
        """True when META ``key`` is absent or a whole number that every ballot the round holds keeps.

        A lower bound (``most``: it may be at most this) or an upper bound (``least``: it
        must be at least this); a value that is not a number is not kept.
        """
        if key not in self.e.meta:
            return True
        text = self.e.meta[key].strip()
        if not text.isascii() or not text.isdigit() or len(text) > 11:
            return False
        value = int(text)
        return (most is None or value <= most) and (least is None or value >= least)

    def refuse(self, voter: int, problem: str) -> ImportFailed:
        line = vote_line(self.e.path, voter)
        return ImportFailed(f"{self.name}:{line}: {problem}" if line else f"{self.name}: vote {voter + 1}: {problem}")

    def voter_of(self, entry: int) -> int:
        return int(np.searchsorted(self.e.indptr, entry, side="right")) - 1

    def project(self, entry: int) -> str:
        return self.e.projects[int(self.e.indices[entry])]["project_id"][:64]

    def lengths(self) -> npt.NDArray[np.int64]:
        return np.diff(self.e.indptr)

    def positions(self) -> npt.NDArray[np.int64]:
        """Each entry's place on its ballot (0 = first)."""
        lengths = self.lengths()
        return np.arange(int(self.e.indptr[-1]), dtype=np.int64) - np.repeat(self.e.indptr[:-1], lengths)


def _agreed(files: Sequence[_File], key: str, low: int, high: int) -> int | None:
    """META ``key`` of the files (one round has one value), None when no file gives it."""
    found: tuple[_File, int] | None = None
    for f in files:
        value = f.meta_int(key, low, high)
        if value is None:
            continue
        if found is not None and value != found[1]:
            raise ImportFailed(
                f"{f.name}:{f.e.meta_lines.get(key)}: {key} is {value} but {found[1]} in {found[0].name}; "
                f"a round has one {key}"
            )
        found = found or (f, value)
    return None if found is None else found[1]


def ballot_rules(elections: Sequence[PbElection], names: Sequence[str] | None = None) -> BallotRules:
    """The rules of the round the files make, after checking every vote against them (ImportFailed if one breaks them).

    ``elections`` are files that :func:`~wijkfonds.allocation.pabulib.round_from_elections`
    accepted together (one ballot kind); ``names`` replace their paths in messages.
    """
    shown = list(names) if names is not None else [str(e.path) for e in elections]
    files = [_File(e, name) for e, name in zip(elections, shown, strict=True)]
    for f in files:
        check_vote_type(f.e, f.name)
    kind = KINDS[files[0].e.ballot_type]
    if kind == BallotKind.POINTS:
        return _points_rules(files)
    if kind == BallotKind.RANKED:
        return _ranked_rules(files)
    return BallotRules(BallotKind.APPROVAL.value)


def _points_rules(files: Sequence[_File]) -> BallotRules:
    total = _agreed(files, "max_sum_points", 1, MAX_INT)
    min_plans = _agreed(files, "min_length", 1, MAX_PLANS) or 1
    per_plan = _agreed(files, "max_points", 1, total or MAX_INT)
    if total is not None and min_plans > total:
        f = next(f for f in files if "min_length" in f.e.meta)
        raise ImportFailed(
            f"{f.name}:{f.e.meta_lines.get('min_length')}: min_length is {min_plans} but max_sum_points {total}: "
            "a voter with that many points gives points to fewer projects"
        )
    largest = 0
    warnings: list[str] = []
    for f in files:
        values, lengths = f.e.values, f.lengths()
        cap = min(x for x in (total, per_plan, MAX_INT) if x is not None)
        bad = np.flatnonzero((values < 1) | (values > cap))
        if bad.size:
            k = int(bad[0])
            v = int(values[k])
            if v < 1:
                why = "a points ballot lists only projects with at least 1 point"
            elif per_plan is not None and v > per_plan:
                why = f"max_points is {per_plan}"
            elif total is not None:
                why = f"max_sum_points is {total}"
            else:
                why = f"the platform stores at most {MAX_INT}"
            raise f.refuse(f.voter_of(k), f"the vote gives project {f.project(k)!r} {v} points; {why}")
        sums = np.concatenate([[0], np.cumsum(values)])  # no overflow: every value is at most MAX_INT
        per_vote = sums[f.e.indptr[1:]] - sums[f.e.indptr[:-1]]
        over = np.flatnonzero(per_vote > (total or MAX_INT))
        if over.size:
            v = int(over[0])
            limit = f"max_sum_points is {total}" if total else f"the platform stores at most {MAX_INT}"
            raise f.refuse(v, f"the vote gives {int(per_vote[v])} points in all; {limit}")
        few = np.flatnonzero((lengths > 0) & (lengths < min_plans))
        if few.size:
            v = int(few[0])
            raise f.refuse(v, f"the vote gives points to {int(lengths[v])} project(s); min_length is {min_plans}")
        largest = max(largest, int(per_vote.max(initial=0)))
    total = total if total is not None else max(largest, min_plans)
    for f in files:
        if not f.meta_at_most("max_length", None, total):  # a ballot of N points names at most N plans
            warnings.append(f"{f.name}: max_length is not imported (a points round has no maximum number of plans)")
        if not f.meta_at_most("min_sum_points", min_plans, None):  # k plans have at least k points
            warnings.append(f"{f.name}: min_sum_points is not imported (a points round has no minimum sum)")
    return BallotRules(
        BallotKind.POINTS.value,
        points_total=total,
        points_min_plans=min_plans,
        points_max_per_plan=per_plan,
        warnings=tuple(warnings),
    )


def _ranked_rules(files: Sequence[_File]) -> BallotRules:
    given = _agreed(files, "max_length", 1, MAX_PLANS)
    longest = max((int(f.lengths().max(initial=0)) for f in files), default=0)
    if given is None and longest > MAX_PLANS:
        f = next(f for f in files if int(f.lengths().max(initial=0)) == longest)
        v = int(np.argmax(f.lengths()))
        raise f.refuse(v, f"the vote ranks {longest} projects; a ranked round takes at most {MAX_PLANS}")
    top = given if given is not None else max(longest, 1)
    warnings: list[str] = []
    for f in files:
        expected = top - f.positions()
        bad = np.flatnonzero(f.e.values != expected)
        if bad.size:
            v = f.voter_of(int(bad[0]))
            a, b = int(f.e.indptr[v]), int(f.e.indptr[v + 1])
            got = ",".join(str(x) for x in f.e.values[a:b].tolist())
            want = ",".join(str(x) for x in expected[a:b].tolist())
            why = (
                ""
                if "points" in f.e.vote_columns or given is not None
                else "; without points or max_length a file's ranks score from its own longest vote, "
                "so give every file max_length"
            )
            raise f.refuse(
                v,
                f"the vote's points {got} are not the rank scores {want} of a ranked round of at most {top} "
                f"projects (the first choice gets that many points, each next one 1 less){why}",
            )
        if not f.meta_at_most("min_length", 1, None):
            warnings.append(f"{f.name}: min_length is not imported (a ranked round has no minimum number of plans)")
    return BallotRules(BallotKind.RANKED.value, ranked_max=top, warnings=tuple(warnings))
