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

import re
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import numpy as np
import numpy.typing as npt

from .model import BallotType, Instance, Profile, Project
from .money import Money, is_whole, parse_money
from .pabulib_read import (
    PabulibError,
    PbElection,
    csv_rows,
    decode,
    exclusive_groups,
    find_sections,
    parse_amount,
    read_meta,
    read_projects,
)
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

_PROJECT_COLUMNS = ("project_id", "cost", "name", "category", "categories", "neighborhood")
_VOTES_LINE = re.compile(r'^[ \t"]*votes[ \t";]*$', re.IGNORECASE | re.MULTILINE)
_CAPS = (("neighborhoods", "budget_per_neighborhood"), ("categories", "budget_per_category"))


def _votes_line(text: str) -> re.Match[str] | None:
    """The ``VOTES`` header line, found with plain ``find`` first (a regex over 4 MB is slow)."""
    at = text.find("\nVOTES")
    while at >= 0:
        found = _VOTES_LINE.match(text, at + 1)
        if found:
            return found
        at = text.find("\nVOTES", at + 1)
    return _VOTES_LINE.search(text)


def read_pb(path: str | Path, *, whole_amounts: bool = False) -> PbElection:
    """Read one pabulib file; raises :class:`PabulibError` on any malformed input.

    Amounts may have cents (``1893934.38``). ``whole_amounts=True`` refuses them instead,
    naming the line, for callers that count whole currency units only (the platform).
    """
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise PabulibError(name, None, f"cannot read the file ({exc.strerror or exc})") from None
    text = decode(raw, name).replace("\r\n", "\n")
    votes_at = _votes_line(text)
    # Only the small part before VOTES is split into lines; the votes are parsed column-wise.
    head = text[: votes_at.start()] if votes_at else text
    lines = head.split("\n")
    if votes_at:
        lines[-1] = "VOTES"  # head ends where the VOTES line starts
    sec = find_sections(lines, name)
    meta_rows = csv_rows(lines[sec["meta"] + 1 : sec["projects"]], sec["meta"] + 2, name)
    meta, meta_lines = read_meta(meta_rows, name, sec["meta"] + 1)
    project_rows = csv_rows(lines[sec["projects"] + 1 : sec["votes"]], sec["projects"] + 2, name)
    project_columns, projects, project_lines = read_projects(project_rows, name, sec["projects"] + 1)
    ballot_type = BallotType(meta["vote_type"])
    project_ids = [p["project_id"] for p in projects]
    if whole_amounts:
        _require_whole(name, meta, meta_lines, projects, project_lines)
    if votes_at is None:  # find_sections found a VOTES line that is not the bare word
        raise PabulibError(name, sec["votes"] + 1, "the VOTES line must hold only the word VOTES")
    votes = read_votes(
        text[votes_at.end() :],
        sec["votes"] + 1,
        name,
        meta=meta,
        meta_lines=meta_lines,
        ballot_type=ballot_type,
        project_ids=project_ids,
    )
    warnings = column_warnings(name, projects, project_lines, votes.indices, votes.values)
    return PbElection(
        path=name,
        meta=meta,
        project_columns=project_columns,
        projects=projects,
        vote_columns=votes.columns,
        ballot_type=ballot_type,
        voter_ids=votes.voter_ids,
        indptr=votes.indptr,
        indices=votes.indices,
        values=votes.values,
        voter_extra=votes.extra,
        meta_lines=meta_lines,
        project_lines=project_lines,
        warnings=warnings,
    )


def column_warnings(
    path: str,
    projects: list[dict[str, str]],
    lines: list[int],
    indices: npt.NDArray[np.int32],
    values: npt.NDArray[np.int64],
) -> list[str]:
    """Where PROJECTS ``votes``/``score`` disagree with the VOTES section, one sentence per project and column.

    ``votes`` is compared with the number of ballots naming the project, ``score`` with
    the sum of their values (points; 1 per ballot for approval). The VOTES section decides.
    """
    n = len(projects)
    if not any("votes" in row or "score" in row for row in projects[:1]):
        return []
    counts = np.bincount(indices, minlength=n).tolist()
    if values.size and int(np.abs(values).sum()) >= 2**53:  # float64 sums would no longer be exact
        sums = [0] * n
        for i, v in zip(indices.tolist(), values.tolist(), strict=True):
            sums[i] += v
    else:
        sums = np.rint(np.bincount(indices, weights=values, minlength=n)).astype(np.int64).tolist()
    out: list[str] = []
    for k, (row, line) in enumerate(zip(projects, lines, strict=True)):
        for column, got, what in (
            ("votes", counts[k], f"{counts[k]} ballots in VOTES name it"),
            ("score", sums[k], f"its points in VOTES add up to {sums[k]}"),
        ):
            text = row.get(column, "").strip()
            if not text:
                continue
            said = parse_money(text)
            if said is None:
                out.append(
                    f"{path}:{line}: project {row['project_id']!r}: PROJECTS {column} is not a number "
                    f"({text!r}); the engine counts the VOTES section"
                )
            elif said != got:
                out.append(
                    f"{path}:{line}: project {row['project_id']!r}: PROJECTS says {column} {text}, but {what}; "
                    "the engine counts the VOTES section"
                )
    return out


def _require_whole(
    path: str, meta: dict[str, str], meta_lines: dict[str, int], projects: list[dict[str, str]], lines: list[int]
) -> None:
    """Refuse amounts with cents (see :func:`read_pb`)."""
    found = [("budget", meta["budget"], meta_lines["budget"])]
    found += [
        (key, text, meta_lines[key])
        for key in ("budget_per_neighborhood", "budget_per_category")
        if key in meta
        for text in meta[key].split(",")
    ]
    found += [
        (f"the cost of project {row['project_id']!r}", row["cost"], line)
        for row, line in zip(projects, lines, strict=True)
    ]
    for what, text, line in found:
        amount = parse_money(text)
        if amount is not None and not is_whole(amount):
            raise PabulibError(path, line, f"{what} has cents ({text.strip()}); only whole amounts are accepted here")


def district_name(election: PbElection) -> str:
    """The district a file stands for: META ``district``, else the file's stem."""
    return election.meta.get("district") or Path(election.path).stem


def _categories(row: dict[str, str]) -> tuple[str, ...]:
    text = row.get("category") or row.get("categories") or ""
    return tuple(dict.fromkeys(c.strip() for c in text.split(",") if c.strip()))


def _project(row: dict[str, str], district: str, path: str, line: int) -> Project:
    extra = {k: v for k, v in row.items() if k not in _PROJECT_COLUMNS}
    return Project(
        id=row["project_id"],
        cost=parse_amount(row["cost"], path, line, "the cost"),
        name=row.get("name", ""),
        district=district,
        categories=_categories(row),
        neighbourhood=row.get("neighborhood") or None,
        extra=extra,
    )


def _caps(e: PbElection, names_key: str, caps_key: str) -> dict[str, Money]:
    if caps_key not in e.meta:
        return {}
    line = e.meta_lines.get(caps_key)
    if names_key not in e.meta:
        raise PabulibError(e.path, line, f"{caps_key} needs the META key {names_key!r} naming what each cap is for")
    names = [n.strip() for n in e.meta[names_key].split(",")]
    amounts = [parse_amount(a, e.path, line, caps_key) for a in e.meta[caps_key].split(",")]
    if len(names) != len(amounts):
        raise PabulibError(e.path, line, f"{caps_key} has {len(amounts)} amounts but {names_key} names {len(names)}")
    if any(a < 0 for a in amounts):
        raise PabulibError(e.path, line, f"{caps_key} has a negative amount")
    return dict(zip(names, amounts, strict=True))


def _check_cap_scope(
    elections: Sequence[PbElection], instance_projects: list[Project], caps: list[tuple[PbElection, str, str]]
) -> None:
    """A cap read from one file must not silently bind projects of another file."""
    by_file = {id(e): district_name(e) for e in elections}
    for e, kind, name in caps:
        own = by_file[id(e)]
        for p in instance_projects:
            labels = p.categories if kind == "category" else (p.neighbourhood,)
            if p.district != own and name in labels:
                raise PabulibError(
                    e.path,
                    e.meta_lines.get(f"budget_per_{'category' if kind == 'category' else 'neighborhood'}"),
                    f"{kind} {name!r} has a cap in this file but also occurs in district {p.district!r}; "
                    "caps hold per file, so leave the caps out (--ignore-caps) or run the files separately",
                )


def round_from_elections(elections: Sequence[PbElection], *, ignore_caps: bool = False) -> tuple[Instance, Profile]:
    """Combine read files into one round: each file a district (see the module docstring)."""
    if not elections:
        raise PabulibError("(no file)", None, "no pabulib file given")
    first = elections[0]
    kinds = {BallotType.APPROVAL, BallotType.CHOOSE_1}
    seen_district: dict[str, str] = {}
    owner: dict[str, tuple[str, int]] = {}
    projects: list[Project] = []
    budgets: dict[str, Money] = {}
    neighbourhood_caps: dict[str, Money] = {}
    category_caps: dict[str, Money] = {}
    cap_sources: list[tuple[PbElection, str, str]] = []
    for e in elections:
        compatible = e.ballot_type == first.ballot_type or {e.ballot_type, first.ballot_type} <= kinds
        if not compatible:
            raise PabulibError(
                e.path,
                e.meta_lines.get("vote_type"),
                f"vote_type {e.ballot_type.value} differs from {first.ballot_type.value} in {first.path}",
            )
        name = district_name(e)
        if name in seen_district:
            raise PabulibError(
                e.path,
                e.meta_lines.get("district"),
                f"district {name!r} is also the district of {seen_district[name]}; a round takes one file per district",
            )
        seen_district[name] = e.path
        budgets[name] = parse_amount(e.meta["budget"], e.path, e.meta_lines.get("budget"), "the budget")
        for row, line in zip(e.projects, e.project_lines, strict=True):
            pid = row["project_id"]
            if pid in owner:
                other, other_line = owner[pid]
                raise PabulibError(
                    e.path,
                    line,
                    f"project id {pid!r} also occurs in {other}:{other_line}; "
                    "project ids must be unique across the files of a round",
                )
            owner[pid] = (e.path, line)
            projects.append(_project(row, name, e.path, line))
        if not ignore_caps:
            for (names_key, caps_key), target, kind in zip(
                _CAPS, (neighbourhood_caps, category_caps), ("neighbourhood", "category"), strict=True
            ):
                for cap_name, amount in _caps(e, names_key, caps_key).items():
                    if cap_name in target:
                        raise PabulibError(
                            e.path, e.meta_lines.get(caps_key), f"{kind} {cap_name!r} has a cap in two files"
                        )
                    target[cap_name] = amount
                    cap_sources.append((e, kind, cap_name))
    if len(elections) > 1:
        _check_cap_scope(elections, projects, cap_sources)
    instance = Instance(
        projects=tuple(projects),
        budget=sum(budgets.values(), start=Fraction(0)),
        district_budgets=budgets,
        neighbourhood_caps=neighbourhood_caps,
        category_caps=category_caps,
        meta={district_name(e): dict(e.meta) for e in elections},
        exclusive_groups=[group for e in elections for group in exclusive_groups(e)],
    )
    return instance, _profile(elections, first.ballot_type)


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
