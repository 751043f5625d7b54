"""The part of reading pabulib files that needs no numpy: META, PROJECTS, the round's Instance.

:func:`read_head` reads a file up to its VOTES section (the full reader,
:func:`~.pabulib.read_pb`, then parses the votes into arrays); :func:`instance_from_elections`
builds the Instance of one or more read files; :func:`column_warnings` compares the
PROJECTS ``votes``/``score`` columns with counts of the VOTES section. Kept apart from
:mod:`.pabulib` so that the command line's quick path (:mod:`.quick`) can use them without
loading numpy (see that module for why a fresh process cares).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from .model import BallotType, Instance, Project
from .money import Money, is_whole, parse_money
from .pabulib_read import (
    PabulibError,
    PbSource,
    csv_rows,
    decode,
    exclusive_groups,
    find_sections,
    parse_amount,
    read_meta,
    read_projects,
)

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["PbHead", "column_warnings", "district_name", "instance_from_elections", "read_head"]

_PROJECT_COLUMNS = ("project_id", "cost", "name", "category", "categories", "neighborhood")
_VOTES_LINE = re.compile(r'^[ \t"]*votes[ \t";]*$', re.IGNORECASE | re.MULTILINE)
_CAPS = (("neighborhoods", "budget_per_neighborhood"), ("categories", "budget_per_category"))


@dataclass(eq=False)
class PbHead:
    """One file read up to its VOTES section (a :class:`~.pabulib_read.PbSource`).

    ``votes`` is the text after the ``VOTES`` line (CRLF already turned into LF), and
    ``votes_line`` that line's number in the file. When no CRLF was turned, ``raw`` holds the
    file's bytes and ``votes_byte`` where ``votes`` starts in them (else ``b""`` and -1), so
    that a reader in C can take the section's UTF-8 as it is (``quick/ballots.py``).
    ``votes_decoded`` is False only when :func:`read_head` was asked not to decode the
    section: then ``votes`` is empty and the section is ``raw[votes_byte:]``, not yet checked.
    """

    path: str
    meta: dict[str, str]
    meta_lines: dict[str, int]
    project_columns: list[str]
    projects: list[dict[str, str]]
    project_lines: list[int]
    ballot_type: BallotType
    votes: str
    votes_line: int
    raw: bytes = b""
    votes_byte: int = -1
    votes_decoded: bool = True

    @property
    def project_ids(self) -> list[str]:
        """Project ids in file order."""
        return [row["project_id"] for row in self.projects]


def _votes_line(text: str) -> re.Match[str] | None:
    """The ``VOTES`` header line, found with plain ``find`` first (a regex over 4 MB is slow)."""
    at = text.find("\nVOTES")
    while at >= 0:
        found = _VOTES_LINE.match(text, at + 1)
        if found:
            return found
        at = text.find("\nVOTES", at + 1)
    return _VOTES_LINE.search(text)


def _votes_end(raw: bytes) -> int:
    """The byte just past the line :func:`_votes_line` finds with ``find``, or -1 (CRLF: -1 too)."""
    if b"\r" in raw:
        return -1
    at = raw.find(b"\nVOTES")
    while at >= 0:
        end = raw.find(b"\n", at + 1)
        end = len(raw) if end < 0 else end
        try:
            line = raw[at + 1 : end].decode()
        except UnicodeDecodeError:
            return -1
        found = _VOTES_LINE.match(line)
        if found:
            return at + 1 + len(line[: found.end()].encode())
        at = raw.find(b"\nVOTES", at + 1)
    return -1


def read_head(path: str | Path, *, whole_amounts: bool = False, decode_votes: bool = True) -> PbHead:
    """Read one file's META and PROJECTS; raises :class:`PabulibError` on any malformed input.

    Amounts may have cents (``1893934.38``). ``whole_amounts=True`` refuses them instead,
    naming the line, for callers that count whole currency units only (the platform).
    ``decode_votes=False`` (the command line's quick path, whose reader in C checks and reads
    the bytes itself) decodes only the part up to the VOTES line where that line is plain to
    find; the VOTES section is then neither decoded nor checked (``PbHead.votes_decoded``).
    """
    name = str(path)
    try:
        with open(path, "rb") as fh:  # noqa: PTH123 - not pathlib: a command-line run would pay ~6 ms to import it
            raw = fh.read()
    except OSError as exc:
        raise PabulibError(name, None, f"cannot read the file ({exc.strerror or exc})") from None
    cut = -1 if decode_votes else _votes_end(raw)
    if cut >= 0:
        text = decode(raw[:cut], name)
        found = _votes_line(text)
        if found is None or found.end() != len(text):
            cut = -1
    if cut < 0:
        text = decode(raw, name)
    as_read = "\r" not in text
    if not as_read:
        text = text.replace("\r\n", "\n")
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
    if whole_amounts:
        _require_whole(name, meta, meta_lines, projects, project_lines)
    if votes_at is None:  # find_sections found a VOTES line that is not the bare word
        raise PabulibError(name, sec["votes"] + 1, "the VOTES line must hold only the word VOTES")
    return PbHead(
        path=name,
        meta=meta,
        meta_lines=meta_lines,
        project_columns=project_columns,
        projects=projects,
        project_lines=project_lines,
        ballot_type=ballot_type,
        votes=text[votes_at.end() :],
        votes_line=sec["votes"] + 1,
        raw=raw if as_read else b"",
        votes_byte=len(text[: votes_at.end()].encode()) + 3 * raw.startswith(b"\xef\xbb\xbf") if as_read else -1,
        votes_decoded=cut < 0,
    )


def column_warnings(
    path: str, projects: list[dict[str, str]], lines: list[int], counts: Sequence[int], sums: Sequence[int]
) -> list[str]:
    """Where PROJECTS ``votes``/``score`` disagree with the VOTES section, one sentence per project and column.

    ``counts[k]`` is the number of ballots naming project ``k`` (file order), ``sums[k]`` the
    sum of their values (points; 1 per ballot for approval); the VOTES section decides.
    """
    if not any("votes" in row or "score" in row for row in projects[:1]):
        return []
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


def district_name(election: PbSource) -> str:
    """The district a file stands for: META ``district``, else the file's stem."""
    return election.meta.get("district") or os.path.splitext(os.path.basename(election.path))[0]  # noqa: PTH119, PTH122


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


def _caps(e: PbSource, names_key: str, caps_key: str) -> dict[str, Money]:
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
    elections: Sequence[PbSource], instance_projects: list[Project], caps: list[tuple[PbSource, str, str]]
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


def instance_from_elections(elections: Sequence[PbSource], *, ignore_caps: bool = False) -> Instance:
    """The Instance of read files forming one round: each file a district (see :mod:`.pabulib`)."""
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
    cap_sources: list[tuple[PbSource, str, str]] = []
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
    return Instance(
        projects=tuple(projects),
        budget=sum(budgets.values(), start=Fraction(0)),
        district_budgets=budgets,
        neighbourhood_caps=neighbourhood_caps,
        category_caps=category_caps,
        meta={district_name(e): dict(e.meta) for e in elections},
        exclusive_groups=[group for e in elections for group in exclusive_groups(e)],
    )
