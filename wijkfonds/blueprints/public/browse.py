"""Browsing initiatives: read filters from the query string, build the query, paginate."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from wijkfonds.common.numbers import parse_id, parse_page
from wijkfonds.extensions import db
from wijkfonds.models import BuildingBlock, District, Initiative, Round, Status
from wijkfonds.services.dialogue import listing

SORTS = ("newest", "support")
MAX_QUERY = 200
VIEWS = ("lijst", "kaart")  # ?weergave=: the list of cards (default) or the map with the list of places


@dataclass
class Filters:
    """The list's filters as the user asked for them, with unusable values dropped."""

    district: int | None = None
    theme: int | None = None
    block: int | None = None
    status: str | None = None
    q: str = ""
    sort: str = "newest"
    page: int = 1
    view: str = "lijst"
    dropped: list[str] = field(default_factory=list)

    def args(self, **override: object) -> dict[str, object]:
        """Query-string arguments for a link (empty values left out)."""
        base: dict[str, object] = {
            "district": self.district,
            "theme": self.theme,
            "block": self.block,
            "status": self.status,
            "q": self.q or None,
            "sort": self.sort if self.sort != "newest" else None,
            "page": self.page if self.page > 1 else None,
            "weergave": self.view if self.view != "lijst" else None,
        }
        base.update(override)
        return {k: v for k, v in base.items() if v not in (None, "")}

    @property
    def active(self) -> bool:
        """True when any filter or search narrows the list."""
        return any((self.district, self.theme, self.block, self.status, self.q))


def parse(args: Mapping[str, str], rnd: Round | None) -> Filters:
    """Read the filters; unknown ids, non-numbers and unknown values are ignored (noted in ``dropped``)."""
    f = Filters()
    theme_ids = {t.id for t in rnd.themes} if rnd is not None else set()
    checks: dict[str, Callable[[int], bool]] = {
        "district": lambda v: db.session.get(District, v) is not None,
        "theme": lambda v: v in theme_ids,
        "block": lambda v: db.session.get(BuildingBlock, v) is not None,
    }
    for name, known in checks.items():
        raw = args.get(name, "")
        if not raw:
            continue
        value = parse_id(raw)
        if value is not None and known(value):
            setattr(f, name, value)
        else:
            f.dropped.append(name)
    status = args.get("status", "")
    if status in {s.value for s in Status}:
        f.status = status
    elif status:
        f.dropped.append("status")
    f.q = " ".join(args.get("q", "").split())[:MAX_QUERY]
    f.sort = args.get("sort", "newest") if args.get("sort") in SORTS else "newest"
    # Page 0 or text means "from the start"; a huge number stays huge and gives a 404 later.
    f.page = parse_page(args.get("page"))
    f.view = args.get("weergave", "lijst") if args.get("weergave") in VIEWS else "lijst"
    return f


def query(rnd: Round, f: Filters) -> Select[Initiative]:
    """The select() of the round's initiatives for these filters, sorted (no paging)."""
    return listing.public_plans(
        rnd.id, status=f.status, district=f.district, theme=f.theme, block=f.block, q=f.q, sort=f.sort
    )


@dataclass(frozen=True)
class Page:
    """One page of results."""

    items: list[Initiative]
    total: int
    page: int
    pages: int

    @property
    def has_prev(self) -> bool:
        """True when there is an earlier page."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """True when there is a later page."""
        return self.page < self.pages


def paginate(stmt: Select[Initiative], page: int, per_page: int) -> Page | None:
    """The requested page, or None when it lies beyond the last page."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    if page > pages:
        return None
    items = list(
        db.session.scalars(
            stmt.options(
                selectinload(Initiative.district), selectinload(Initiative.theme), selectinload(Initiative.block)
            )
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    return Page(items, total, page, pages)


def places(stmt: Select[Initiative], limit: int) -> tuple[list[Initiative], int]:
    """Up to ``limit`` of the listed initiatives with their districts (for the map view), and how many there are."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    items = list(db.session.scalars(stmt.options(selectinload(Initiative.district)).limit(limit)))
    return items, total
