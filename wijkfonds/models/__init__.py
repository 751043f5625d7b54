"""All models, imported here so that Alembic and the app see every table."""

from __future__ import annotations

from wijkfonds.models.account_token import AccountToken, TokenPurpose
from wijkfonds.models.allocation_run import AllocationRun
from wijkfonds.models.audit import AuditEvent
from wijkfonds.models.catalog import BuildingBlock, Theme
from wijkfonds.models.dialogue import Comment, Report
from wijkfonds.models.implementation import (
    AccountStatus,
    FinancialAccount,
    Implementation,
    ImplementationStatus,
    ImplementationUpdate,
    Milestone,
    Payment,
)
from wijkfonds.models.initiative import Initiative, Revision, Status, Support
from wijkfonds.models.integrity import BallotCommitment, PublishedAnchor
from wijkfonds.models.mail import MailStatus, OutboxMessage
from wijkfonds.models.media import Photo
from wijkfonds.models.needs import Need, NeedRecognition, NeedReply, NeedReport, NeedResponse, initiative_need
from wijkfonds.models.notifications import (
    Follow,
    NotificationDelivery,
    NotificationKind,
    NotificationMark,
    NotificationSettings,
    PendingNotification,
)
from wijkfonds.models.place import District, DistrictOutline
from wijkfonds.models.reach import EligibleCount
from wijkfonds.models.round import (
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
from wijkfonds.models.task_run import TaskRun
from wijkfonds.models.translation import ContentKind, ContentTranslation
from wijkfonds.models.user import RateEvent, Role, User
from wijkfonds.models.voting import Ballot, BallotItem, CodeBatch, Receipt, Voter, VotingCode

__all__ = [
    "AccountStatus",
    "AccountToken",
    "AllocationRun",
    "AuditEvent",
    "Ballot",
    "BallotCommitment",
    "BallotItem",
    "BallotKind",
    "BlockQuota",
    "BuildingBlock",
    "CodeBatch",
    "Comment",
    "ContentKind",
    "ContentTranslation",
    "District",
    "DistrictBudget",
    "DistrictOutline",
    "EligibleCount",
    "FinancialAccount",
    "Follow",
    "Implementation",
    "ImplementationStatus",
    "ImplementationUpdate",
    "Initiative",
    "MailStatus",
    "Milestone",
    "Need",
    "NeedRecognition",
    "NeedReply",
    "NeedReport",
    "NeedResponse",
    "NominationComment",
    "NominationSupport",
    "NotificationDelivery",
    "NotificationKind",
    "NotificationMark",
    "NotificationSettings",
    "OutboxMessage",
    "Payment",
    "PendingNotification",
    "Phase",
    "Photo",
    "PublishedAnchor",
    "RateEvent",
    "Receipt",
    "Report",
    "Revision",
    "Role",
    "Round",
    "Status",
    "Support",
    "TaskRun",
    "Theme",
    "ThemeNomination",
    "TokenPurpose",
    "User",
    "Voter",
    "VotingCode",
    "initiative_need",
    "round_theme",
]
