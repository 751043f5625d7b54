"""Writer of pabulib ``.pb`` files: the inverse of :func:`wijkfonds.allocation.pabulib.read_pb`.

Reading a written file gives the same :class:`PbElection` (META, project rows, ballots in
their original order, voter columns). Fields are quoted only when they must be (they
contain ``;`` or ``"``); a line break inside a value cannot be written and is refused.

With ``exclusive_groups`` the writer records groups of projects that exclude each other in
META ``exclusive_groups`` (``773,153;12,14``; see :data:`~.pabulib_read.EXCLUSIVE_KEY`),
replacing what the file had; reading the file back gives the same groups.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import TextIO

import numpy as np

from .model import Allocation
from .pabulib_read import EXCLUSIVE_KEY, PabulibError, PbElection

__all__ = ["election_text", "write_pb"]

_SPECIAL = (";", '"', "\n", "\r")


def _quote(value: str, where: str, target: str) -> str:
    if "\n" in value or "\r" in value:
        raise PabulibError(target, None, f"{where}: the value {value[:40]!r} contains a line break")
    if ";" in value or '"' in value or value != value.strip():
        return '"' + value.replace('"', '""') + '"'
    return value


def _column(values: list[str], where: str, target: str) -> list[str]:
    """Quote a whole column, checking cheaply first whether any value needs it."""
    joined = "\x00".join(values)
    if not any(ch in joined for ch in _SPECIAL) and joined == joined.strip():
        return values
    return [_quote(v, where, target) for v in values]


def _ballot_strings(election: PbElection, tokens: list[str]) -> list[str]:
    bounds = election.indptr.tolist()
    return [",".join(tokens[a:b]) for a, b in pairwise(bounds)]


def _vote_lines(election: PbElection, target: str) -> Iterable[str]:
    ids = np.array(election.project_ids, dtype=object)
    columns: list[list[str]] = []
    for name in election.vote_columns:
        if name == "voter_id":
            col = list(election.voter_ids)
        elif name == "vote":
            col = _ballot_strings(election, ids[election.indices].tolist())
        elif name == "points" and "points" not in election.voter_extra:
            col = _ballot_strings(election, election.values.astype(str).tolist())
        else:
            col = list(election.voter_extra[name])
        if len(col) != election.num_voters:
            raise PabulibError(
                target, None, f"vote column {name!r} has {len(col)} values for {election.num_voters} voters"
            )
        columns.append(_column(col, f"vote column {name!r}", target))
    return map(";".join, zip(*columns, strict=True))


def groups_text(groups: Sequence[Sequence[str]], ids: Sequence[str], target: str) -> str:
    """The META ``exclusive_groups`` value of ``groups``; every id must be one of ``ids`` (the file's projects)."""
    known = set(ids)
    for group in groups:
        for pid in group:
            if pid not in known:
                raise PabulibError(
                    target, None, f"the exclusive group {','.join(group)} names {pid!r}, not a project of this file"
                )
            if ";" in pid:
                raise PabulibError(
                    target, None, f"project id {pid!r} contains ';' and cannot be written in {EXCLUSIVE_KEY}"
                )
    return ";".join(",".join(group) for group in groups)


def election_text(
    election: PbElection,
    allocation: Allocation | None = None,
    *,
    target: str = "(text)",
    exclusive_groups: Sequence[Sequence[str]] | None = None,
) -> str:
    """The ``.pb`` text of an election; with ``allocation``, ``selected`` is 1 for its projects.

    ``exclusive_groups`` (when given) replace META ``exclusive_groups``; an empty list removes it.
    """
    meta = dict(election.meta)
    if exclusive_groups is not None:
        meta.pop(EXCLUSIVE_KEY, None)
        if exclusive_groups:
            meta[EXCLUSIVE_KEY] = groups_text(exclusive_groups, election.project_ids, target)
    out: list[str] = ["META", "key;value"]
    for key, value in meta.items():
        out.append(f"{_quote(key, 'META', target)};{_quote(value, f'META {key}', target)}")
    columns = list(election.project_columns)
    chosen = set(allocation.selected) if allocation is not None else None
    if chosen is not None and "selected" not in columns:
        columns.append("selected")
    out += ["PROJECTS", ";".join(_quote(c, "PROJECTS header", target) for c in columns)]
    for row in election.projects:
        cells = dict(row)
        if chosen is not None:
            cells["selected"] = "1" if row["project_id"] in chosen else "0"
        out.append(";".join(_quote(cells.get(c, ""), f"project {row['project_id']}", target) for c in columns))
    out += ["VOTES", ";".join(_quote(c, "VOTES header", target) for c in election.vote_columns)]
    out.extend(_vote_lines(election, target))
    return "\n".join(out) + "\n"


def write_pb(
    target: str | Path | TextIO,
    election: PbElection,
    allocation: Allocation | None = None,
    *,
    exclusive_groups: Sequence[Sequence[str]] | None = None,
) -> None:
    """Write ``election`` as a ``.pb`` file (path or open text file), UTF-8, LF line ends (see :func:`election_text`)."""
    name = str(target) if isinstance(target, (str, Path)) else getattr(target, "name", "(stream)")
    text = election_text(election, allocation, target=str(name), exclusive_groups=exclusive_groups)
    if isinstance(target, (str, Path)):
        try:
            with Path(target).open("w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except OSError as exc:
            raise PabulibError(str(target), None, f"cannot write the file ({exc.strerror or exc})") from None
    else:
        target.write(text)
