"""The Wijkfonds allocation engine: a pure library (no Flask, no SQLAlchemy)."""

from __future__ import annotations

from .model import (
    Allocation,
    AllocationError,
    BallotType,
    Instance,
    Profile,
    Project,
    ProjectOutcome,
)
from .money import Money

__all__ = [
    "Allocation",
    "AllocationError",
    "BallotType",
    "Instance",
    "Money",
    "Profile",
    "Project",
    "ProjectOutcome",
]
