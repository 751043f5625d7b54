"""Who is reached: the number of eligible residents per district of a round, entered by staff."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from wijkfonds.common.timeutil import utcnow
from wijkfonds.extensions import Model


class EligibleCount(Model):
    """How many residents of one district may vote in one round (staff's number, from the city).

    A row exists only where staff entered a number; turnout is shown as a share of it. Who
    entered it is in the audit log (``figures.eligible_set``), so the row names nobody.
    """

    __tablename__ = "eligible_count"

    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id", ondelete="CASCADE"), primary_key=True)
    eligible: Mapped[int] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
