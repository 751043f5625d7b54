"""The VOTES section as distinct ballots with their counts, without numpy.

Voters who cast the same ballot are alike to Equal Shares from start to end: they start with
the same share and pay the same for every project they support. So a file's 38,903 ballots
(Katowice 2020) become 3,614 groups, and a rule works on those.

Two readers compute the same :class:`Groups`: one in C (``_votes.c``, about 8 ms on Katowice,
built by the install) and one in plain Python (about 80 ms), which serves where the C one
was not built and is the C one's reference in ``tests/allocation/test_quick_votes.py``.

The reader *declines* (returns None) whenever the section is anything but plain: quoted
fields, blank lines, a row with the wrong number of fields, an empty or repeated voter id,
an id it does not know exactly, a project named twice in a ballot, points that are not plain
whole numbers or do not match the vote, a ballot longer than the file allows. For each of
these the full reader (:mod:`..pabulib_votes`) either refuses the file with a message naming
the line or reads it in its own way, so the quick path leaves every such file to it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from itertools import repeat

from wijkfonds.allocation.model import BallotType
from wijkfonds.allocation.pabulib_head import PbHead

try:  # the same reader in C, built by the install (setuptools ext-modules in pyproject.toml)
    from ._votes import read_groups as _read_in_c
except ImportError:  # pragma: no cover - a checkout that was not installed: the Python reader
    _read_in_c = None  # type: ignore[assignment]  # (the tests fail when it is missing)

__all__ = ["BUILT_IN_C", "Groups", "read_groups"]

BUILT_IN_C = _read_in_c is not None

MAX_DIGITS = 9  # points of more digits are declined (both readers; real files give 1 to 10 points)

_POINTS_ALWAYS = (BallotType.CUMULATIVE,)
_SUPPORTED = (BallotType.APPROVAL, BallotType.CHOOSE_1, BallotType.CUMULATIVE, BallotType.ORDINAL)


@dataclass
class Groups:
    """Distinct ballots, numbered in the order first met: ``counts[g]`` how many voters cast
    ballot ``g``; ``voters`` all ballots (empty ones too); ``entries`` the project mentions
    summed over the distinct ballots.

    Per project ``k``: ``supporters[k]`` the groups whose ballot gives it a value above 0 and
    those values (two parallel lists, groups ascending), ``people[k]`` their voters,
    ``named[k]`` the ballots naming it and ``sums[k]`` the sum of their values (the VOTES side
    of the PROJECTS ``votes``/``score`` check).
    """

    supporters: list[tuple[list[int], list[int]]]
    counts: list[int]
    voters: int
    named: list[int]
    sums: list[int]
    people: list[int]
    entries: int


def read_groups(head: PbHead, *, python: bool = False) -> Groups | None:
    """The distinct ballots of ``head``'s VOTES section, or None to leave the file to the full reader.

    ``python``: use the plain-Python reader even where the C one is built (the tests compare them).
    """
    if head.ballot_type not in _SUPPORTED:
        return None
    in_c = _read_in_c is not None and not python
    if not head.votes_decoded:  # read_head(decode_votes=False): the section is still raw bytes
        if in_c:
            try:
                return _read_bytes(head)
            except _DecodeFirst:
                pass
        body = _decoded(head)
        if body is None:
            return None
        head = replace(head, votes=body, votes_decoded=True)
    body = head.votes
    start = 1 if body.startswith("\n") else 0  # the rest of the VOTES line
    end = body.find("\n", start)
    as_read = in_c and head.votes_byte >= 0  # the file's own bytes (no CRLF was turned)
    quoted = head.raw.find(b'"', head.votes_byte) if as_read else body.find('"')
    if end <= start or quoted >= 0:
        return None
    columns = _columns(head, body[start:end])
    if columns is None:
        return None
    stop = len(body)
    while stop > end and body[stop - 1].isspace():  # what the full reader's rstrip() drops, without a copy
        stop -= 1
    if stop <= end + 1:
        return None  # no rows
    if in_c:
        if as_read:  # the rows' bytes in the file, found from the (short) text around them
            first = head.votes_byte + len(body[: end + 1].encode())
            return _groups_in_c(head, columns, memoryview(head.raw)[first : len(head.raw) - len(body[stop:].encode())])
        return _groups_in_c(head, columns, body[end + 1 : stop].encode())
    header, with_points, limit, top = columns
    rows = body[end + 1 : stop]
    return _read_in_python(head, header, rows, with_points=with_points, limit=limit, top=top)


_TAIL = 64


class _DecodeFirst(Exception):
    """The section's last 64 bytes are all blank: :func:`read_groups` decodes it first."""


def _read_bytes(head: PbHead) -> Groups | None:
    """:func:`read_groups` on the undecoded section ``head.raw[head.votes_byte:]``, with the C reader.

    Only the header line and the end are decoded here; the C reader checks the rows' UTF-8.
    """
    raw, at = head.raw, head.votes_byte
    start = at + 1 if raw.startswith(b"\n", at) else at
    end = raw.find(b"\n", start)
    if end <= start or raw.find(b'"', at) >= 0:
        return None
    try:
        line = raw[start:end].decode()
    except UnicodeDecodeError:
        return None
    columns = _columns(head, line) if "\x00" not in line else None
    if columns is None:
        return None
    # The rows end where the text's rstrip() would end them (Unicode blanks too): read from the
    # last 64 bytes, from the first byte of a character on.
    low = max(end + 1, len(raw) - _TAIL)
    while low > end + 1 and raw[low] & 0xC0 == 0x80:
        low -= 1
    try:
        tail = raw[low:].decode()
    except UnicodeDecodeError:
        return None
    kept = tail.rstrip()
    if "\x00" in tail:
        return None
    if not kept and low > end + 1:
        raise _DecodeFirst
    stop = low + len(kept.encode())
    if stop <= end + 1:
        return None  # no rows
    return _groups_in_c(head, columns, memoryview(raw)[end + 1 : stop])


def _decoded(head: PbHead) -> str | None:
    """The undecoded section as text, or None where the full reader refuses the file (not UTF-8, NUL)."""
    try:
        body = head.raw[head.votes_byte :].decode()
    except UnicodeDecodeError:
        return None
    return None if "\x00" in body else body


_Columns = tuple[list[str], bool, int | None, int | None]


def _columns(head: PbHead, line: str) -> _Columns | None:
    """(header, with points, longest ballot allowed, top) for the VOTES header ``line``, or None to decline."""
    kind = head.ballot_type
    header = [c.strip() for c in line.split(";")]
    with_points = kind in _POINTS_ALWAYS or (kind == BallotType.ORDINAL and "points" in header)
    needed = ("voter_id", "vote", "points") if with_points else ("voter_id", "vote")
    if any(name not in header for name in needed) or len(set(header)) != len(header):
        return None
    limit, top = _length_limit(head), _top(head, with_points)
    if limit == -1 or (top is not None and top > 10**MAX_DIGITS) or len(set(head.project_ids)) != len(head.projects):
        return None
    return header, with_points, limit, top


def _groups_in_c(head: PbHead, columns: _Columns, rows: bytes | memoryview) -> Groups | None:
    header, with_points, limit, top = columns
    found = _read_in_c(
        rows,
        len(header),
        header.index("voter_id"),
        header.index("vote"),
        header.index("points") if with_points else -1,
        {pid: k for k, pid in enumerate(head.project_ids)},
        -1 if limit is None else min(limit, len(head.projects)),  # a longer one names a project twice
        -1 if top is None else top,
    )
    if found is None:
        return None
    supporters, counts, named, sums, people, entries = found
    return Groups(supporters, counts, sum(counts), named, sums, people, entries)


def _read_in_python(
    head: PbHead, header: list[str], rows: str, *, with_points: bool, limit: int | None, top: int | None
) -> Groups | None:
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
    tally = Counter(zip(votes, points, strict=False))  # repeat() is endless
    return _groups(head, tally, len(votes), with_points=with_points, limit=limit, top=top)


def _groups(
    head: PbHead, tally: Counter[tuple[str, str]], voters: int, *, with_points: bool, limit: int | None, top: int | None
) -> Groups | None:
    index = {pid: k for k, pid in enumerate(head.project_ids)}
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
            if len(tokens) != len(projects) or "" in tokens or max(map(len, tokens), default=0) > MAX_DIGITS:
                return None
            values = list(map(int, tokens))
        parsed.append((projects, values))
    if top is None:
        top = max((len(p) for p, _ in parsed), default=0)
    n = len(head.projects)
    named, sums, people = [0] * n, [0] * n, [0] * n
    supporters: list[tuple[list[int], list[int]]] = [([], []) for _ in range(n)]
    counts = list(tally.values())
    for g, ((projects, given), count) in enumerate(zip(parsed, counts, strict=True)):
        values = given if given is not None else [top - r for r in range(len(projects))] if top else [1] * len(projects)
        for k, v in zip(projects, values, strict=True):
            named[k] += count
            sums[k] += count * v
            if v > 0:
                supporters[k][0].append(g)
                supporters[k][1].append(v)
                people[k] += count
    entries = sum(len(projects) for projects, _ in parsed)
    return Groups(supporters, counts, voters, named, sums, people, entries)


def _top(head: PbHead, with_points: bool) -> int | None:
    """Ranked ballots without points score ``top - rank`` (None: top is the longest ballot); 0: every project 1."""
    if head.ballot_type != BallotType.ORDINAL or with_points:
        return 0
    return int(head.meta["max_length"]) if "max_length" in head.meta else None


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
