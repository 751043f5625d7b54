"""All models, imported here so that Alembic and the app see every table."""

from __future__ import annotations

from .allocation_run import AllocationRun
from .audit import AuditEvent
from .catalog import BuildingBlock, Theme
from .dialogue import Comment, Report
from .initiative import Initiative, Revision, Status, Support
from .place import District
from .round import (
    BallotKind,
    BlockQuota,
    DistrictBudget,
    NominationComment,
    NominationSupport,
    Phase,
    Round,
    ThemeNomination,
    round_theme,
)
from .user import RateEvent, Role, User
from .voting import Ballot, BallotItem, CodeBatch, Receipt, Voter, VotingCode

__all__ = [
    "AllocationRun", "AuditEvent", "Ballot", "BallotItem", "BallotKind", "BlockQuota",
    "BuildingBlock", "CodeBatch", "Comment", "District", "DistrictBudget", "Initiative",
    "NominationComment", "NominationSupport", "Phase", "RateEvent", "Receipt", "Report",
    "Revision", "Role", "Round", "Status", "Support", "Theme", "ThemeNomination", "User",
    "Voter", "VotingCode", "round_theme",
]
