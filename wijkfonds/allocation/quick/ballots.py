"""The VOTES section as distinct ballots with their counts, in plain Python (no numpy).

Voters who cast the same ballot are alike to Equal Shares from start to end: they start with
the same share and pay the same for every project they support. So a file's 38,903 ballots
(Katowice 2020) become 3,614 groups, and a rule works on those.

The reader *declines* (returns None) whenever the section is anything but plain: quoted
fields, blank lines, a row with the wrong number of fields, an empty or repeated voter id,
an id it does not know exactly, a project named twice in a ballot, points that are not plain
whole numbers or do not match the vote, a ballot longer than the file allows. For each of
these the full reader (:mod:`..pabulib_votes`) either refuses the file with a message naming
the line or reads it in its own way, so the quick path leaves every such file to it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import repeat

from wijkfonds.allocation.model import BallotType
from wijkfonds.allocation.pabulib_head import PbHead

__all__ = ["Groups", "read_groups"]

_POINTS_ALWAYS = (BallotType.CUMULATIVE,)
_SUPPORTED = (BallotType.APPROVAL, BallotType.CHOOSE_1, BallotType.CUMULATIVE, BallotType.ORDINAL)


@dataclass
class Groups:
    """Distinct ballots: ``ballots[g]`` the (project index, value) pairs of group ``g`` in the
    ballot's order, ``counts[g]`` how many voters cast it; ``voters`` all ballots (empty ones too).

    ``named[k]`` is the number of ballots naming project ``k`` and ``sums[k]`` the sum of
    their values: the VOTES side of the PROJECTS ``votes``/``score`` check.
    """

    ballots: list[tuple[tuple[int, int], ...]]
    counts: list[int]
    voters: int
    named: list[int]
    sums: list[int]


def read_groups(head: PbHead) -> Groups | None:
    """The distinct ballots of ``head``'s VOTES section, or None to leave the file to the full reader."""
    kind = head.ballot_type
    if kind not in _SUPPORTED:
        return None
    body = head.votes
    start = 1 if body.startswith("\n") else 0  # the rest of the VOTES line
    end = body.find("\n", start)
    if end <= start or body.find('"') >= 0:
        return None
    header = [c.strip() for c in body[start:end].split(";")]
    with_points = kind in _POINTS_ALWAYS or (kind == BallotType.ORDINAL and "points" in header)
    needed = ("voter_id", "vote", "points") if with_points else ("voter_id", "vote")
    if any(name not in header for name in needed) or len(set(header)) != len(header):
        return None
    stop = len(body)
    while stop > end and body[stop - 1].isspace():  # what the full reader's rstrip() drops, without a copy
        stop -= 1
    rows = body[end + 1 : stop]
    if not rows:
        return None
    lines = rows.split("\n")
    width = len(header)
    # Every row has the header's number of fields; a blank row (which the full reader skips,
    # keeping line numbers) has none, so it is declined here too.
    if set(map(str.count, lines, repeat(";"))) != {width - 1}:
        return None
    del lines
    flat = rows.replace("\n", ";").split(";")
    voter_ids = flat[header.index("voter_id") :: width]
    if len(set(voter_ids)) != len(voter_ids) or "" in voter_ids:
        return None
    votes = flat[header.index("vote") :: width]
    points = flat[header.index("points") :: width] if with_points else repeat("")
    return _groups(head, Counter(zip(votes, points, strict=False)), len(votes), with_points)  # repeat() is endless


def _groups(head: PbHead, tally: Counter[tuple[str, str]], voters: int, with_points: bool) -> Groups | None:
    kind = head.ballot_type
    index = {pid: k for k, pid in enumerate(head.project_ids)}
    limit = _length_limit(head)
    if limit == -1:
        return None
    parsed: list[tuple[list[int], list[int] | None]] = []
    for vote, points in tally:
        try:
            projects = list(map(index.__getitem__, vote.split(","))) if vote else []
        except KeyError:
            return None  # an id the file does not list exactly (the full reader also tries it stripped)
        if len(set(projects)) != len(projects) or (limit is not None and len(projects) > limit):
            return None
        values: list[int] | None = None
        if with_points:
            if points and not (points.isascii() and points.replace(",", "").isdigit()):
                return None  # plain whole numbers only: no sign, space or other digit
            tokens = points.split(",") if points else []
            if len(tokens) != len(projects) or "" in tokens:
                return None
            values = list(map(int, tokens))
        parsed.append((projects, values))
    top = 0
    if kind == BallotType.ORDINAL and not with_points:
        top = int(head.meta["max_length"]) if "max_length" in head.meta else max((len(p) for p, _ in parsed), default=0)
    n = len(head.projects)
    named, sums = [0] * n, [0] * n
    ballots: list[tuple[tuple[int, int], ...]] = []
    counts = list(tally.values())
    for (projects, given), count in zip(parsed, counts, strict=True):
        values = given if given is not None else [top - r for r in range(len(projects))] if top else [1] * len(projects)
        for k, v in zip(projects, values, strict=True):
            named[k] += count
            sums[k] += count * v
        ballots.append(tuple(zip(projects, values, strict=True)))
    return Groups(ballots, counts, voters, named, sums)


def _length_limit(head: PbHead) -> int | None:
    """The longest ballot the file allows (None: any), or -1 when META ``max_length`` is not a plain number."""
    limit = 1 if head.ballot_type == BallotType.CHOOSE_1 else None
    if "max_length" in head.meta:
        text = head.meta["max_length"].strip()
        if not (text.isascii() and text.isdigit()):
            return -1
        if limit is None or int(text) < limit:
            limit = int(text)
    return limit
