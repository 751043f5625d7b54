"""The VOTES section of a pabulib file, parsed column-wise into CSR arrays.

Part of the reader (:mod:`.pabulib_read`, whose docstring explains the ballot values);
kept apart because this is the only part whose speed matters.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .model import BallotType
from .pabulib_read import PabulibError, parse_int, quoting_problem

__all__ = ["Votes", "read_votes"]

_POINT_BALLOTS = (BallotType.CUMULATIVE, BallotType.SCORING)


@dataclass
class Votes:
    """The parsed VOTES section."""

    columns: list[str]
    voter_ids: list[str]
    indptr: npt.NDArray[np.int64]
    indices: npt.NDArray[np.int32]
    values: npt.NDArray[np.int64]
    extra: dict[str, list[str]]


class _Lines:
    """File line number of each data row (blank lines are skipped but still counted)."""

    def __init__(self, first: int, kept: list[int] | None) -> None:
        self.first = first
        self.kept = kept

    def __call__(self, row: int) -> int:
        return self.first + (row if self.kept is None else self.kept[row])


def _columns(text: str, header: list[str], at: _Lines, path: str) -> list[list[str]]:
    """Split the rows into columns: one flat split when no field is quoted, else csv."""
    ncols = len(header)
    if not text:
        return [[] for _ in header]
    if '"' not in text:
        raw = np.frombuffer(text.encode(), dtype=np.uint8)
        breaks = np.flatnonzero(raw == 10)
        semis = np.flatnonzero(raw == 59)
        per_row = np.diff(np.searchsorted(semis, np.concatenate([[0], breaks, [raw.shape[0]]])))
        bad = np.flatnonzero(per_row != ncols - 1)
        if bad.size:
            k = int(bad[0])
            raise PabulibError(
                path, at(k), f"expected {ncols} fields ({';'.join(header)}), found {int(per_row[k]) + 1}"
            )
        flat = text.replace("\n", ";").split(";")
        return [flat[j::ncols] for j in range(ncols)]
    table: list[list[str]] = []
    for k, row in enumerate(text.split("\n")):
        reader = csv.reader([row], delimiter=";", strict=True)
        try:
            fields = next(reader)
            if next(reader, None) is not None or reader.line_num != 1:
                raise PabulibError(path, at(k), "a quoted field is not closed on its line")
        except csv.Error as exc:
            raise PabulibError(path, at(k), quoting_problem(exc)) from None
        if len(fields) != ncols:
            raise PabulibError(path, at(k), f"expected {ncols} fields ({';'.join(header)}), found {len(fields)}")
        table.append(fields)
    return [list(col) for col in zip(*table, strict=True)]


def _lengths(column: list[str]) -> npt.NDArray[np.int64]:
    """Number of comma-separated items in each field (0 for an empty field), vectorised."""
    n = len(column)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    raw = np.frombuffer("\n".join(column).encode(), dtype=np.uint8)
    breaks = np.flatnonzero(raw == 10)
    commas = np.flatnonzero(raw == 44)
    starts = np.concatenate([[0], breaks + 1])
    ends = np.concatenate([breaks, [raw.shape[0]]])
    counts = np.searchsorted(commas, ends) - np.searchsorted(commas, starts) + 1
    return np.where(ends > starts, counts, 0).astype(np.int64)


def _offsets(lengths: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    indptr = np.zeros(lengths.shape[0] + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    return indptr


def _project_indices(
    votes: list[str], indptr: npt.NDArray[np.int64], project_ids: list[str], at: _Lines, path: str
) -> npt.NDArray[np.int32]:
    index = {pid: i for i, pid in enumerate(project_ids)}
    nnz = int(indptr[-1])
    tokens = ",".join(filter(None, votes)).split(",") if nnz else []
    try:
        return np.fromiter(map(index.__getitem__, tokens), dtype=np.int32, count=nnz)
    except KeyError:
        pass
    out = np.empty(nnz, dtype=np.int32)
    for pos, token in enumerate(tokens):
        found = index.get(token, index.get(token.strip()))
        if found is None:
            voter = int(np.searchsorted(indptr, pos, side="right")) - 1
            problem = (
                f"the vote names an unknown project {token.strip()!r}"
                if token.strip()
                else "empty project id in the vote"
            )
            raise PabulibError(path, at(voter), problem)
        out[pos] = found
    return out


def _check_lengths(
    lengths: npt.NDArray[np.int64],
    *,
    meta: dict[str, str],
    meta_lines: dict[str, int],
    ballot_type: BallotType,
    at: _Lines,
    path: str,
) -> None:
    limit = 1 if ballot_type == BallotType.CHOOSE_1 else None
    what = "choose-1 allows 1"
    if "max_length" in meta:
        max_length = parse_int(meta["max_length"], path, meta_lines.get("max_length"), "max_length")
        if limit is None or max_length < limit:
            limit, what = max_length, f"max_length is {max_length}"
    if limit is not None:
        over = np.flatnonzero(lengths > limit)
        if over.size:
            v = int(over[0])
            raise PabulibError(path, at(v), f"the vote names {int(lengths[v])} projects but {what}")


def _first_occurrences(
    indptr: npt.NDArray[np.int64],
    indices: npt.NDArray[np.int32],
    project_ids: list[str],
    *,
    ballot_type: BallotType,
    at: _Lines,
    path: str,
) -> npt.NDArray[np.bool_] | None:
    """Mask of the entries to keep when a ballot repeats a project, else None.

    An approval ballot is a set, so a repeat is dropped (real Amsterdam files have them);
    in a ranking or a points ballot a repeat is ambiguous and an error.
    """
    lengths = np.diff(indptr)
    voter = np.repeat(np.arange(lengths.shape[0], dtype=np.int64), lengths)
    keys = voter * max(len(project_ids), 1) + indices
    order = np.argsort(keys, kind="stable")
    same = np.flatnonzero(keys[order][1:] == keys[order][:-1])
    if not same.size:
        return None
    if ballot_type not in (BallotType.APPROVAL, BallotType.CHOOSE_1):
        first = int(order[same + 1].min())
        raise PabulibError(path, at(int(voter[first])), f"the vote names project {project_ids[indices[first]]!r} twice")
    keep = np.ones(indices.shape[0], dtype=bool)
    keep[order[same + 1]] = False
    return keep


def _points(
    points: list[str], lengths: npt.NDArray[np.int64], ballot_type: BallotType, at: _Lines, path: str
) -> npt.NDArray[np.int64]:
    plengths = _lengths(points)
    bad = np.flatnonzero(plengths != lengths)
    if bad.size:
        v = int(bad[0])
        raise PabulibError(
            path, at(v), f"the vote names {int(lengths[v])} projects but points has {int(plengths[v])} numbers"
        )
    tokens = ",".join(filter(None, points)).split(",") if int(lengths.sum()) else []
    try:
        values = np.array(tokens, dtype=np.int64)
    except (ValueError, OverflowError):
        indptr = _offsets(lengths)
        for pos, token in enumerate(tokens):
            voter = int(np.searchsorted(indptr, pos, side="right")) - 1
            parse_int(token, path, at(voter), "points")
        raise PabulibError(path, None, "points out of range") from None
    if ballot_type in (BallotType.CUMULATIVE, BallotType.ORDINAL) and values.size and values.min() < 0:
        pos = int(np.flatnonzero(values < 0)[0])
        voter = int(np.searchsorted(_offsets(lengths), pos, side="right")) - 1
        raise PabulibError(path, at(voter), f"negative points ({int(values[pos])}) in a {ballot_type.value} vote")
    return values


def _rank_points(
    indptr: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64], meta: dict[str, str]
) -> npt.NDArray[np.int64]:
    """Points by rank for ordinal ballots without a points column (see :mod:`.pabulib_read`).

    The first choice gets ``top`` points, the next one less, and so on, where ``top`` is
    META ``max_length`` (already checked: no ballot is longer), else the longest ballot.
    """
    top = int(meta["max_length"]) if "max_length" in meta else int(lengths.max(initial=0))
    position = np.arange(int(indptr[-1]), dtype=np.int64) - np.repeat(indptr[:-1], lengths)
    return top - position


def _body_rows(body: str, first: int) -> tuple[str, _Lines]:
    """Data rows of the section as one text, blank lines removed (their numbers still count)."""
    body = body.rstrip()  # trailing blank lines; a cheap scan first, the regex only when needed
    maybe_blank = "\n\n" in body or " \n" in body or "\t\n" in body or body[:1] in ("\n", " ", "\t")
    if not maybe_blank or not re.search(r"\n[ \t]*\n|^[ \t]*\n", body):
        return body, _Lines(first, None)
    rows = body.split("\n")
    kept = [k for k, r in enumerate(rows) if r.strip()]
    return "\n".join(rows[k] for k in kept), _Lines(first, kept)


def _split_header(body: str, first: int, path: str) -> tuple[list[str], str, int]:
    """The VOTES header row, the text after it and the file line of the first data row."""
    line, start = first, 0
    while True:
        end = body.find("\n", start)
        head = body[start:] if end < 0 else body[start:end]
        if head.strip():
            return [c.strip().strip('"') for c in head.split(";")], ("" if end < 0 else body[end + 1 :]), line + 1
        if end < 0:
            raise PabulibError(path, first, "section VOTES has no header row")
        start, line = end + 1, line + 1


def read_votes(
    body: str,
    first: int,
    path: str,
    *,
    meta: dict[str, str],
    meta_lines: dict[str, int],
    ballot_type: BallotType,
    project_ids: list[str],
) -> Votes:
    """Parse the VOTES section: ``body`` is the text after the ``VOTES`` line, which starts on file line ``first``."""
    header, rest, data_line = _split_header(body, first, path)
    # Ordinal ballots use their points when the file gives them (Kraków: 3, 2, 1 by rank).
    point_ballot = ballot_type in _POINT_BALLOTS or (ballot_type == BallotType.ORDINAL and "points" in header)
    needed = ("voter_id", "vote", "points") if point_ballot else ("voter_id", "vote")
    for name in needed:
        if name not in header:
            raise PabulibError(path, data_line - 1, f"the VOTES header lacks the column {name!r}")
    if len(set(header)) != len(header):
        raise PabulibError(path, data_line - 1, "the VOTES header repeats a column")
    text, where = _body_rows(rest, data_line)
    cols = dict(zip(header, _columns(text, header, where, path), strict=True))
    voter_ids = cols["voter_id"]
    if len(set(voter_ids)) != len(voter_ids) or "" in voter_ids:
        seen: dict[str, int] = {}
        for k, vid in enumerate(voter_ids):
            if not vid.strip():
                raise PabulibError(path, where(k), "empty voter_id")
            if vid in seen:
                raise PabulibError(path, where(k), f"duplicate voter_id {vid!r} (first on line {where(seen[vid])})")
            seen[vid] = k
    votes = cols["vote"]
    lengths = _lengths(votes)
    indptr = _offsets(lengths)
    indices = _project_indices(votes, indptr, project_ids, where, path)
    values = _points(cols["points"], lengths, ballot_type, where, path) if point_ballot else None
    keep = _first_occurrences(indptr, indices, project_ids, ballot_type=ballot_type, at=where, path=path)
    if keep is not None:
        voter = np.repeat(np.arange(lengths.shape[0], dtype=np.int64), lengths)
        indices = indices[keep]
        lengths = np.bincount(voter[keep], minlength=lengths.shape[0]).astype(np.int64)
        indptr = _offsets(lengths)
    _check_lengths(lengths, meta=meta, meta_lines=meta_lines, ballot_type=ballot_type, at=where, path=path)
    if values is None and ballot_type == BallotType.ORDINAL:
        values = _rank_points(indptr, lengths, meta)
    elif values is None:
        values = np.ones(indices.shape[0], dtype=np.int64)
    skip = set(needed)
    extra = {name: col for name, col in cols.items() if name not in skip}
    return Votes(header, voter_ids, indptr, indices, values, extra)
