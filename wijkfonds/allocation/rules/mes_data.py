"""One district's election in the arrays the Equal Shares core works on."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

__all__ = ["DistrictData", "prepare_district"]


@dataclass
class DistrictData:
    """One district's election prepared for MES (local project and voter indices).

    ``sup_ptr/sup_voter/sup_w``: supporters of each project with their (positive integer)
    utilities. ``order_rank[j]``: position of project ``j`` when ids are sorted as strings
    (the tie-break). ``co[j]``: projects sharing at least one supporter with ``j``.
    """

    num_voters: int
    cost: npt.NDArray[np.int64]
    order_rank: npt.NDArray[np.int64]
    sup_ptr: npt.NDArray[np.int64]
    sup_voter: npt.NDArray[np.int64]
    sup_w: npt.NDArray[np.int64]
    co: npt.NDArray[np.bool_]
    sup_wf: npt.NDArray[np.float64] = field(init=False)
    supported: npt.NDArray[np.bool_] = field(init=False)

    def __post_init__(self) -> None:
        self.sup_wf = self.sup_w.astype(np.float64)
        counts = np.diff(self.sup_ptr)
        self.supported = counts > 0

    @property
    def num_projects(self) -> int:
        """Number of projects of the district."""
        return int(self.cost.shape[0])


def prepare_district(
    *,
    num_voters: int,
    voter: npt.NDArray[np.int64],
    project: npt.NDArray[np.int64],
    utility: npt.NDArray[np.int64],
    cost: npt.NDArray[np.int64],
    ids: list[str],
) -> DistrictData:
    """Build :class:`DistrictData` from ballot entries (local voter, local project, utility).

    Entries must be ordered by voter; entries with utility 0 are ignored, since such a
    voter does not support (and never pays for) the project.
    """
    keep = utility > 0
    voter, project, utility = voter[keep], project[keep], utility[keep]
    m = len(ids)
    order = np.argsort(project, kind="stable")
    sup_ptr = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(np.bincount(project, minlength=m), out=sup_ptr[1:])
    rank = np.empty(m, dtype=np.int64)
    rank[sorted(range(m), key=lambda j: ids[j])] = np.arange(m)
    return DistrictData(
        num_voters=num_voters,
        cost=cost.astype(np.int64),
        order_rank=rank,
        sup_ptr=sup_ptr,
        sup_voter=voter[order].astype(np.int64),
        sup_w=utility[order].astype(np.int64),
        co=_co_support(voter, project, num_voters, m),
    )


def _co_support(voter: npt.NDArray[np.int64], project: npt.NDArray[np.int64], n: int, m: int) -> npt.NDArray[np.bool_]:
    """``co[a, b]``: some voter supports both a and b (pairs taken per ballot length)."""
    counts = np.zeros(m * m, dtype=np.int64)
    if voter.size == 0:
        return counts.reshape(m, m) > 0
    lengths = np.bincount(voter, minlength=n)
    starts = np.zeros(n, dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    # the distinct positive lengths; not np.unique, which imports numpy.ma (some 25 ms of a CLI run)
    for length in (np.flatnonzero(np.bincount(lengths)[1:]) + 1).tolist():
        rows = starts[lengths == length]
        step = max(1, 4_000_000 // (length * length))  # bounds the memory of one chunk
        for lo in range(0, rows.shape[0], step):
            block = project[rows[lo : lo + step, None] + np.arange(length)]
            codes = block[:, :, None] * m + block[:, None, :]
            counts += np.bincount(codes.ravel(), minlength=m * m)
    return counts.reshape(m, m) > 0
