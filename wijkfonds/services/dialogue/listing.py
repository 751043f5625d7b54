"""Which plans the public may see in a list, and in what order: one query for the pages and the API."""

from __future__ import annotations

from sqlalchemy import Select, or_, select

from wijkfonds.models import Initiative, Status

MAX_WORDS = 8


def public_plans(
    round_id: int | None,
    *,
    status: str | None = None,
    district: int | None = None,
    theme: int | None = None,
    block: int | None = None,
    q: str = "",
    sort: str = "newest",
) -> Select[Initiative]:
    """The select() of the plans a visitor may list (withdrawn ones only when asked for by status), sorted.

    ``sort`` is "newest" (the pages' default), "support" (most supporters first) or "id"
    (oldest first: a stable order for paging through open data).
    """
    stmt = select(Initiative)
    if round_id is not None:
        stmt = stmt.where(Initiative.round_id == round_id)
    if status:
        stmt = stmt.where(Initiative.status == status)
    else:
        stmt = stmt.where(Initiative.status != Status.WITHDRAWN.value)
    if district:
        stmt = stmt.where(Initiative.district_id == district)
    if theme:
        stmt = stmt.where(Initiative.theme_id == theme)
    if block:
        stmt = stmt.where(Initiative.block_id == block)
    for word in q.split()[:MAX_WORDS]:
        # icontains = lower(x) LIKE lower(y) with % and _ escaped: works on SQLite and PostgreSQL.
        stmt = stmt.where(
            or_(
                Initiative.title.icontains(word, autoescape=True),
                Initiative.summary.icontains(word, autoescape=True),
                Initiative.description.icontains(word, autoescape=True),
            )
        )
    if sort == "support":
        return stmt.order_by(Initiative.support_count.desc(), Initiative.created_at.desc(), Initiative.id.desc())
    if sort == "id":
        return stmt.order_by(Initiative.id)
    return stmt.order_by(Initiative.created_at.desc(), Initiative.id.desc())
