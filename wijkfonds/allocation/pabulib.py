"""pabulib ``.pb`` files in and out: one file, or several files forming one multi-district round.

* :func:`read_pb` reads one file into a :class:`PbElection` (every META key, every project
  and vote column); :func:`write_pb` writes one back, optionally with a ``selected``
  column from an :class:`~wijkfonds.allocation.model.Allocation`.
* :func:`read_election` turns one or more files into an ``Instance`` and a ``Profile``:
  each file is a district, named by its META ``district`` (else the file's stem), whose
  budget is its META ``budget``; the total budget is the sum.

Exclusive groups: META ``exclusive_groups`` (our own key; see
:data:`~.pabulib_read.EXCLUSIVE_KEY`) lists groups of this file's projects of which at most
one may be funded, e.g. ``exclusive_groups;773,153``; they become
``Instance.exclusive_groups``, and :func:`write_pb` records them.

Caps: META ``budget_per_neighborhood`` (with ``neighborhoods``) and ``budget_per_category``
(with ``categories``) are comma-separated lists in the same order, e.g.
``neighborhoods;Oostelijke Eilanden,Haarlemmerhouttuinen,Other`` and
``budget_per_neighborhood;150000,100000,250000``; they become
``Instance.neighbourhood_caps`` / ``category_caps``. A cap belongs to its own file, so a
capped name may not occur in another file of the same round (``ignore_caps`` drops them).

See :mod:`.pabulib_read` for the ballot values (ordinal ballots use pabutools' Borda
convention) and the error messages (:class:`PabulibError`, ``FILE:LINE: problem``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from .model import BallotType, Instance, Profile
from .pabulib_head import column_warnings, district_name, instance_from_elections, read_head
from .pabulib_read import PabulibError, PbElection
from .pabulib_votes import read_votes
from .pabulib_write import write_pb

__all__ = [
    "PabulibError",
    "PbElection",
    "column_warnings",
    "district_name",
    "read_election",
    "read_pb",
    "round_from_elections",
    "write_pb",
]


def read_pb(path: str | Path, *, whole_amounts: bool = False) -> PbElection:
    """Read one pabulib file; raises :class:`PabulibError` on any malformed input.

    Amounts may have cents (``1893934.38``). ``whole_amounts=True`` refuses them instead,
    naming the line, for callers that count whole currency units only (the platform).
    """
    head = read_head(path, whole_amounts=whole_amounts)
    votes = read_votes(
        head.votes,
        head.votes_line,
        head.path,
        meta=head.meta,
        meta_lines=head.meta_lines,
        ballot_type=head.ballot_type,
        project_ids=head.project_ids,
    )
    counts, sums = _totals(len(head.projects), votes.indices, votes.values)
    return PbElection(
        path=head.path,
        meta=head.meta,
        project_columns=head.project_columns,
        projects=head.projects,
        vote_columns=votes.columns,
        ballot_type=head.ballot_type,
        voter_ids=votes.voter_ids,
        indptr=votes.indptr,
        indices=votes.indices,
        values=votes.values,
        voter_extra=votes.extra,
        meta_lines=head.meta_lines,
        project_lines=head.project_lines,
        warnings=column_warnings(head.path, head.projects, head.project_lines, counts, sums),
    )


def _totals(n: int, indices: npt.NDArray[np.int32], values: npt.NDArray[np.int64]) -> tuple[list[int], list[int]]:
    """Ballots naming each project and the sum of their values (exact, also beyond float64's 2**53)."""
    counts = np.bincount(indices, minlength=n).tolist()
    if values.size and int(np.abs(values).sum()) >= 2**53:  # float64 sums would no longer be exact
        sums = [0] * n
        for i, v in zip(indices.tolist(), values.tolist(), strict=True):
            sums[i] += v
    else:
        sums = np.rint(np.bincount(indices, weights=values, minlength=n)).astype(np.int64).tolist()
    return counts, sums


def round_from_elections(elections: Sequence[PbElection], *, ignore_caps: bool = False) -> tuple[Instance, Profile]:
    """Combine read files into one round: each file a district (see the module docstring)."""
    instance = instance_from_elections(elections, ignore_caps=ignore_caps)
    return instance, _profile(elections, elections[0].ballot_type)


def _profile(elections: Sequence[PbElection], ballot_type: BallotType) -> Profile:
    if any(e.ballot_type != ballot_type for e in elections):
        ballot_type = BallotType.APPROVAL  # approval and choose-1 files mixed: both are approval sets
    offsets = np.cumsum([0] + [len(e.projects) for e in elections])
    nnz = np.cumsum([0] + [int(e.indptr[-1]) for e in elections])
    indptr = np.concatenate([[0]] + [e.indptr[1:] + nnz[k] for k, e in enumerate(elections)]).astype(np.int64)
    indices = np.concatenate([e.indices + offsets[k] for k, e in enumerate(elections)]).astype(np.int32)
    values = np.concatenate([e.values for e in elections]).astype(np.int64)
    voter_district = np.repeat(np.arange(len(elections), dtype=np.int32), [e.num_voters for e in elections])
    voter_ids: list[str] = [v for e in elections for v in e.voter_ids]
    columns = list(dict.fromkeys(c for e in elections for c in e.voter_extra))
    extra = {c: [v for e in elections for v in e.voter_extra.get(c, [""] * e.num_voters)] for c in columns}
    return Profile(
        ballot_type=ballot_type,
        districts=tuple(district_name(e) for e in elections),
        indptr=indptr,
        indices=indices,
        values=values,
        voter_district=voter_district,
        voter_ids=voter_ids if len(elections) > 1 else elections[0].voter_ids,
        voter_extra=extra,
    )


def read_election(paths: Sequence[str | Path], *, ignore_caps: bool = False) -> tuple[Instance, Profile]:
    """Read one or more pabulib files as one multi-district round (``Instance``, ``Profile``)."""
    return round_from_elections([read_pb(p) for p in paths], ignore_caps=ignore_caps)
