"""``--output``: write the election(s) back with a ``selected`` column and the exclusive groups."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .model import Allocation
from .pabulib import PbElection, write_pb

__all__ = ["OutputError", "write_outputs"]


class OutputError(Exception):
    """A problem with ``--output``; reported like bad input (exit status 2, one line)."""


def write_outputs(
    target: str, elections: Sequence[PbElection], allocation: Allocation, groups: Sequence[Sequence[str]]
) -> None:
    """Write one file (or, for several inputs, one file per input into the directory ``target``).

    Each file records the exclusive groups of its own projects; a group across files cannot
    be recorded in any one of them and is refused.
    """
    out = Path(target)
    inputs = {Path(e.path).resolve() for e in elections}
    if len(elections) == 1:
        pairs = [(out, elections[0])]
    else:
        if out.suffix == ".pb" and not out.is_dir():
            raise OutputError(f"--output {target}: with several files --output names a directory")
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"--output {target}: cannot create the directory ({exc.strerror or exc})") from None
        pairs = [(out / Path(e.path).name, e) for e in elections]
    for path, _ in pairs:
        if path.resolve() in inputs:
            raise OutputError(f"--output {target}: refusing to overwrite the input file {path}")
    own = [set(e.project_ids) for e in elections]
    for group in groups:
        if not any(set(group) <= ids for ids in own):
            raise OutputError(
                f"--output {target}: the exclusive group {','.join(group)} spans several files; "
                "a .pb file records only groups of its own projects"
            )
    for (path, election), ids in zip(pairs, own, strict=True):
        write_pb(path, election, allocation, exclusive_groups=[g for g in groups if set(g) <= ids])
