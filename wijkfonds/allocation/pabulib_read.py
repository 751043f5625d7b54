"""Fast reader of pabulib ``.pb`` files (META / PROJECTS / VOTES, ``;``-separated).

The VOTES section holds nearly all of a file (60,000+ rows for a city), so it is parsed
column-wise: the section is split once into a flat list of fields, every column is a
slice of that list, and the ballots go straight into CSR arrays with NumPy. No Python
object is made per ballot except the strings a round trip needs (voter ids and the
extra voter columns such as ``age``). Rows with quoted fields fall back to :mod:`csv`.

Ballot values (``PbElection.values``, and so ``Profile.values``):

* approval and choose-1: 1 per listed project;
* cumulative and scoring: the voter's ``points`` for the project (whole numbers);
* ordinal with a ``points`` column: those points (Kraków gives 3, 2, 1 by rank; PROJECTS
  ``score`` is their sum);
* ordinal without points (the fallback): points by rank, the first choice getting
  ``max_length`` points (META), the second one less, and so on; without ``max_length``
  the longest ballot's length takes its place. With ``max_length`` 3 that is Kraków's
  3, 2, 1, and it reproduces the PROJECTS ``score`` of Kraków 2024, whose VOTES have no
  points. (pabutools' ``Additive_Borda_Sat`` gives ``k - 1, ..., 0`` instead: a last
  choice would count as no support.) The ballot's order is the order of ``indices``.

The PROJECTS columns ``votes`` (ballots naming the project) and ``score`` (the sum of its
values) are only checked, never used: where they disagree with what the VOTES section
gives, :attr:`PbElection.warnings` names the project and the two numbers, and every rule
counts the VOTES section.

Amounts (the budget, costs, caps) are exact money (:mod:`.money`): whole numbers or
decimals such as ``1893934.38``, read without any float. The raw text of every field is
kept, so a written file repeats them character for character.

Every ballot keeps the order in which the file lists its projects, so that
:func:`~wijkfonds.allocation.pabulib.write_pb` reproduces the vote column.

Every problem raises :class:`PabulibError`, whose message is ``FILE:LINE: problem``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from .model import AllocationError, BallotType
from .money import Money, parse_money

if TYPE_CHECKING:  # numpy only for the ballot arrays' types: reading META and PROJECTS needs none
    from pathlib import Path

    import numpy as np
    import numpy.typing as npt

__all__ = [
    "EXCLUSIVE_KEY",
    "PabulibError",
    "PbElection",
    "PbSource",
    "csv_rows",
    "decode",
    "exclusive_groups",
    "find_sections",
    "parse_amount",
    "parse_int",
    "quoting_problem",
    "read_meta",
    "read_projects",
]

_SECTIONS = ("meta", "projects", "votes")
# META key recording groups of projects that exclude each other (our own key: pabulib has
# none): groups separated by ";", the project ids of a group by ",", e.g. "773,153;12,14,15".
EXCLUSIVE_KEY = "exclusive_groups"
_INT = re.compile(r"-?[0-9]+")
_POINT_BALLOTS = (BallotType.CUMULATIVE, BallotType.SCORING)


class PabulibError(AllocationError):
    """A malformed pabulib file: the message names the file, the line and the problem."""

    def __init__(self, path: str | Path, line: int | None, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {problem}")


class PbSource(Protocol):
    """The META and PROJECTS sections of one file as read: what an Instance is built from.

    :class:`PbElection` is one; so is the quick path's head (:mod:`.pabulib_head`), which
    has not parsed the VOTES section into arrays.
    """

    path: str
    meta: dict[str, str]
    projects: list[dict[str, str]]
    ballot_type: BallotType
    meta_lines: dict[str, int]
    project_lines: list[int]

    @property
    def project_ids(self) -> list[str]:
        """Project ids in file order."""


@dataclass(eq=False)
class PbElection:
    """One pabulib file as read: META, every project column, every vote column.

    ``projects`` are the raw project rows (column -> stripped text) in file order; the
    ballots are CSR arrays over positions in ``projects`` (see the module docstring for
    ``values``); ``voter_extra`` maps every other vote column (``age``, ``sex``, ...) to
    its values in voter order. ``warnings`` are readable ``FILE:LINE: ...`` sentences about
    PROJECTS columns that disagree with the VOTES section (see the module docstring).
    """

    path: str
    meta: dict[str, str]
    project_columns: list[str]
    projects: list[dict[str, str]]
    vote_columns: list[str]
    ballot_type: BallotType
    voter_ids: list[str]
    indptr: npt.NDArray[np.int64]
    indices: npt.NDArray[np.int32]
    values: npt.NDArray[np.int64]
    voter_extra: dict[str, list[str]] = field(default_factory=dict)
    meta_lines: dict[str, int] = field(default_factory=dict)
    project_lines: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def project_ids(self) -> list[str]:
        """Project ids in file order."""
        return [row["project_id"] for row in self.projects]

    @property
    def num_voters(self) -> int:
        """Number of ballots."""
        return len(self.voter_ids)

    def same_as(self, other: PbElection) -> bool:
        """True when both describe the same election (META, projects, ballots, voter data)."""
        import numpy as np

        return (
            self.meta == other.meta
            and self.project_columns == other.project_columns
            and self.projects == other.projects
            and self.vote_columns == other.vote_columns
            and self.ballot_type == other.ballot_type
            and list(self.voter_ids) == list(other.voter_ids)
            and np.array_equal(self.indptr, other.indptr)
            and np.array_equal(self.indices, other.indices)
            and np.array_equal(self.values, other.values)
            and self.voter_extra == other.voter_extra
        )


def parse_int(text: str, path: str | Path, line: int | None, what: str) -> int:
    """Parse a whole number (digits, optional minus sign) or raise :class:`PabulibError`."""
    s = text.strip()
    if not _INT.fullmatch(s):
        raise PabulibError(path, line, f"bad number for {what}: {text!r} (a whole number is needed)")
    try:
        return int(s)
    except ValueError:  # Python refuses to convert more than 4300 digits
        raise PabulibError(path, line, f"number too long for {what}: {len(s)} digits") from None


def parse_amount(text: str, path: str | Path, line: int | None, what: str) -> Money:
    """Parse an amount of money (``1200``, ``1893934.38``) or raise :class:`PabulibError`."""
    amount = parse_money(text)
    if amount is None:
        raise PabulibError(
            path, line, f"bad number for {what}: {text!r} (an amount such as 1200 or 1893934.38 is needed)"
        )
    return amount


def exclusive_groups(election: PbSource) -> list[tuple[str, ...]]:
    """The groups of META ``exclusive_groups`` (see ``EXCLUSIVE_KEY``), checked against the file's projects."""
    text = election.meta.get(EXCLUSIVE_KEY, "")
    line = election.meta_lines.get(EXCLUSIVE_KEY)
    known = set(election.project_ids)
    groups: list[tuple[str, ...]] = []
    for part in text.split(";"):
        if not part.strip():
            continue
        group = tuple(pid.strip() for pid in part.split(","))
        if len(group) < 2 or "" in group:
            raise PabulibError(
                election.path, line, f"{EXCLUSIVE_KEY}: {part.strip()!r} is not a group of two or more ids"
            )
        if len(set(group)) < len(group):
            raise PabulibError(
                election.path, line, f"{EXCLUSIVE_KEY}: the group {part.strip()!r} names a project twice"
            )
        unknown = [pid for pid in group if pid not in known]
        if unknown:
            raise PabulibError(
                election.path, line, f"{EXCLUSIVE_KEY} names {unknown[0]!r}, which is not a project of this file"
            )
        groups.append(group)
    return groups


def decode(raw: bytes, path: str) -> str:
    """Bytes -> text, refusing empty files, binary data and non-UTF-8 (a BOM is dropped)."""
    if not raw or raw.isspace():  # as "not raw.strip()", without copying a city's 4 MB
        raise PabulibError(path, 1, "the file is empty")
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise PabulibError(path, line, "binary data (a NUL byte): not a pabulib text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        bad = raw[exc.start : exc.start + 1].hex()
        raise PabulibError(path, line, f"not UTF-8 text (byte 0x{bad}): not a pabulib text file") from None


def csv_rows(lines: list[str], first: int, path: str) -> list[tuple[int, list[str]]]:
    """Split ``lines`` (file line ``first`` onward) into fields; blank lines are skipped."""
    out: list[tuple[int, list[str]]] = []
    for offset, line in enumerate(lines):
        if not line.strip():
            continue
        if '"' not in line:
            out.append((first + offset, line.split(";")))
            continue
        reader = csv.reader([line], delimiter=";", strict=True)
        try:
            row = next(reader)
            extra = next(reader, None)
        except csv.Error as exc:
            raise PabulibError(path, first + offset, quoting_problem(exc)) from None
        if extra is not None or reader.line_num != 1:
            raise PabulibError(path, first + offset, "a quoted field is not closed on its line")
        out.append((first + offset, row))
    return out


def quoting_problem(exc: csv.Error) -> str:
    """A readable message for a :mod:`csv` error on one line."""
    if "unexpected end of data" in str(exc):
        return "a quoted field is not closed on its line"
    return f"bad quoting ({exc})"


def find_sections(lines: list[str], path: str) -> dict[str, int]:
    """Line index (0-based) of each section header; VOTES is always the last section."""
    found: dict[str, int] = {}
    for i, line in enumerate(lines):
        word = line.replace(";", "").strip().strip('"').strip().lower()
        if word in _SECTIONS:
            expected = _SECTIONS[len(found)]
            if word != expected:
                raise PabulibError(path, i + 1, f"section {word.upper()} where {expected.upper()} was expected")
            found[word] = i
            if word == "votes":
                return found
        elif not found and line.strip():
            raise PabulibError(path, i + 1, f"expected the section header META, found {line[:40]!r}")
    missing = [s.upper() for s in _SECTIONS if s not in found]
    last = max((i + 1 for i, line in enumerate(lines) if line.strip()), default=1)
    raise PabulibError(path, last, f"missing section {', '.join(missing)} (the file ends here)")


def _header(rows: list[tuple[int, list[str]]], section: str, needed: tuple[str, ...], path: str, at: int) -> list[str]:
    if not rows:
        raise PabulibError(path, at, f"section {section} has no header row")
    line, cols = rows[0]
    header = [c.strip() for c in cols]
    for name in needed:
        if name not in header:
            raise PabulibError(path, line, f"the {section} header lacks the column {name!r}")
    dup = {c for c in header if header.count(c) > 1}
    if dup:
        raise PabulibError(path, line, f"the {section} header repeats the column {sorted(dup)[0]!r}")
    return header


def read_meta(rows: list[tuple[int, list[str]]], path: str, at: int) -> tuple[dict[str, str], dict[str, int]]:
    """The META rows as a dict (plus the line of each key); checks budget and vote_type."""
    header = _header(rows, "META", (), path, at)
    if header[:2] != ["key", "value"]:
        raise PabulibError(path, rows[0][0], f"the META header must be 'key;value', found {';'.join(header)!r}")
    meta: dict[str, str] = {}
    lines: dict[str, int] = {}
    for line, cols in rows[1:]:
        if len(cols) < 2:
            raise PabulibError(path, line, f"a META row needs 'key;value', found {';'.join(cols)!r}")
        key = cols[0].strip()
        if key in meta:
            raise PabulibError(path, line, f"META key {key!r} occurs twice (first on line {lines[key]})")
        meta[key] = ";".join(cols[1:]).strip()
        lines[key] = line
    for key in ("budget", "vote_type"):
        if key not in meta:
            raise PabulibError(path, at, f"META lacks the key {key!r}")
    budget = parse_amount(meta["budget"], path, lines["budget"], "the budget")
    if budget < 0:
        raise PabulibError(path, lines["budget"], f"negative budget ({budget})")
    try:
        BallotType(meta["vote_type"])
    except ValueError:
        known = ", ".join(t.value for t in BallotType)
        raise PabulibError(
            path, lines["vote_type"], f"unknown vote_type {meta['vote_type']!r} (known: {known})"
        ) from None
    return meta, lines


def read_projects(
    rows: list[tuple[int, list[str]]], path: str, at: int
) -> tuple[list[str], list[dict[str, str]], list[int]]:
    """The PROJECTS header and rows; checks ids (unique, no comma) and costs (amounts >= 0)."""
    header = _header(rows, "PROJECTS", ("project_id", "cost"), path, at)
    projects: list[dict[str, str]] = []
    first_line: dict[str, int] = {}
    for line, cols in rows[1:]:
        if len(cols) != len(header):
            raise PabulibError(path, line, f"expected {len(header)} fields ({';'.join(header)}), found {len(cols)}")
        row = {name: value.strip() for name, value in zip(header, cols, strict=True)}
        pid = row["project_id"]
        if not pid:
            raise PabulibError(path, line, "empty project_id")
        if "," in pid:
            raise PabulibError(path, line, f"project_id {pid!r} contains a comma")
        if pid in first_line:
            raise PabulibError(path, line, f"duplicate project id {pid!r} (first on line {first_line[pid]})")
        cost = parse_amount(row["cost"], path, line, f"the cost of project {pid!r}")
        if cost < 0:
            raise PabulibError(path, line, f"negative cost ({cost}) for project {pid!r}")
        first_line[pid] = line
        projects.append(row)
    return header, projects, list(first_line.values())
