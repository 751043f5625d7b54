"""``--check-selected``: compare an outcome with the official one in the files' PROJECTS ``selected`` column."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import Allocation, Instance
from .pabulib_read import PabulibError, PbElection

__all__ = ["SelectedCheck", "check_selected", "official_selected"]


def official_selected(elections: Sequence[PbElection]) -> set[str]:
    """The project ids the files mark ``selected`` 1; raises naming file and line for a missing or bad column."""
    chosen: set[str] = set()
    for e in elections:
        if "selected" not in e.project_columns:
            raise PabulibError(e.path, None, "PROJECTS has no column 'selected' to check the outcome against")
        for row, line in zip(e.projects, e.project_lines, strict=True):
            value = row["selected"].strip()
            if value not in ("0", "1"):
                raise PabulibError(
                    e.path, line, f"PROJECTS selected of project {row['project_id']!r} is {value!r}, not 0 or 1"
                )
            if value == "1":
                chosen.add(row["project_id"])
    return chosen


@dataclass(frozen=True)
class SelectedCheck:
    """How an outcome differs from the official one (both lists in the instance's project order)."""

    official: tuple[str, ...]
    only_here: tuple[str, ...]
    only_official: tuple[str, ...]

    @property
    def same(self) -> bool:
        """True when the outcome funds exactly the officially selected projects."""
        return not self.only_here and not self.only_official

    def as_json(self) -> dict[str, object]:
        """The ``check_selected`` object of ``--json``."""
        return {"same": self.same, "only_here": list(self.only_here), "only_official": list(self.only_official)}

    def lines(self, instance: Instance) -> list[str]:
        """A readable report for the table."""
        names = {p.id: p.name for p in instance.projects}

        def label(pid: str) -> str:
            return f"{pid} ({names[pid]})" if names.get(pid) else pid

        head = "Official outcome (PROJECTS selected): "
        if self.same:
            return [head + f"the same {len(self.official)} projects"]
        out = [head + "differs"]
        out += [f"  funded here, not officially: {label(pid)}" for pid in self.only_here]
        out += [f"  funded officially, not here: {label(pid)}" for pid in self.only_official]
        return out


def check_selected(instance: Instance, allocation: Allocation, elections: Sequence[PbElection]) -> SelectedCheck:
    """Compare ``allocation`` with the files' ``selected`` column."""
    official = official_selected(elections)
    ours = set(allocation.selected)
    order = [p.id for p in instance.projects]
    return SelectedCheck(
        official=tuple(pid for pid in order if pid in official),
        only_here=tuple(pid for pid in order if pid in ours and pid not in official),
        only_official=tuple(pid for pid in order if pid in official and pid not in ours),
    )
