"""Staff's matrix: districts by building blocks (or by the five functions), with needs, herkenbaar and
plans per cell, so that needs that no plan answers stand out; and the year's figures for a report."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from wijkfonds.common.reference_names import BLOCK, THEME, in_language, numbered
from wijkfonds.extensions import db
from wijkfonds.models import BuildingBlock, District, Need, NeedRecognition
from wijkfonds.services.needs.board import answering_plans, function_themes

BY_BLOCK, BY_FUNCTION = "bouwsteen", "functie"
AXES = (BY_BLOCK, BY_FUNCTION)


@dataclass
class Cell:
    """The needs of one district and one building block (or function)."""

    needs: int = 0
    recognitions: int = 0
    open: int = 0  # needs that no plan answers
    plan_ids: set[int] = field(default_factory=set)

    @property
    def plans(self) -> int:
        """How many different plans answer needs of this cell."""
        return len(self.plan_ids)

    def add(self, other: Cell) -> None:
        """Add another cell's figures (for totals)."""
        self.needs += other.needs
        self.recognitions += other.recognitions
        self.open += other.open
        self.plan_ids |= other.plan_ids


@dataclass(frozen=True)
class Row:
    """One building block or function (key None: "weet ik niet")."""

    key: int | None
    label_nl: str
    label_en: str
    context: str = BLOCK  # the catalogue context of the name (common/reference_names)
    number: int = 0  # one of the 21 building blocks: its number before the name

    def label(self, lang: str) -> str:
        """The row's name in a language."""
        return numbered(self.number, in_language(self.context, lang, self.label_nl, self.label_en))


@dataclass
class Matrix:
    """Rows (blocks or functions) by columns (districts), with a total per district and row."""

    axis: str
    districts: list[District]
    rows: list[Row]
    cells: dict[tuple[int | None, int], Cell]
    district_totals: dict[int, Cell]
    row_totals: dict[int | None, Cell]
    total: Cell

    def cell(self, row: int | None, district_id: int) -> Cell:
        """The cell of a row and a district (empty when no needs)."""
        return self.cells.get((row, district_id)) or Cell()


def build(axis: str = BY_BLOCK) -> Matrix:
    """The matrix of visible needs by district and building block (or function)."""
    districts = list(db.session.scalars(select(District).where(District.active.is_(True)).order_by(District.name)))
    if axis == BY_FUNCTION:
        rows = [Row(t.id, t.name_nl, t.name_en, THEME) for t in function_themes()]
    else:
        blocks = db.session.scalars(
            select(BuildingBlock).where(BuildingBlock.active.is_(True)).order_by(BuildingBlock.number, BuildingBlock.id)
        )
        rows = [Row(b.id, b.name_nl, b.name_en, BLOCK, b.number) for b in blocks]
    rows.append(Row(None, "Weet ik niet", "Don't know"))
    known = {r.key for r in rows}
    rec = dict(
        db.session.execute(
            select(NeedRecognition.need_id, func.count(NeedRecognition.id)).group_by(NeedRecognition.need_id)
        ).all()
    )
    plans: dict[int, set[int]] = defaultdict(set)
    for need_id, ini_id in db.session.execute(answering_plans()):
        plans[need_id].add(ini_id)
    key_col = Need.theme_id if axis == BY_FUNCTION else Need.block_id
    cells: dict[tuple[int | None, int], Cell] = {}
    for need_id, district_id, key in db.session.execute(
        select(Need.id, Need.district_id, key_col).where(Need.hidden_at.is_(None))
    ):
        row = key if key in known else None  # a block made inactive later counts as "weet ik niet"
        c = cells.setdefault((row, district_id), Cell())
        c.needs += 1
        c.recognitions += int(rec.get(need_id, 0))
        c.plan_ids |= plans.get(need_id, set())
        if not plans.get(need_id):
            c.open += 1
    district_totals = {d.id: Cell() for d in districts}
    row_totals: dict[int | None, Cell] = {r.key: Cell() for r in rows}
    total = Cell()
    for (row, district_id), c in cells.items():
        if district_id in district_totals:
            district_totals[district_id].add(c)
            row_totals[row].add(c)
            total.add(c)
    return Matrix(axis, districts, rows, cells, district_totals, row_totals, total)


@dataclass(frozen=True)
class YearFigures:
    """For the year report: needs posted in a period, and how many a plan answers."""

    posted: int
    answered: int

    @property
    def not_answered(self) -> int:
        """Needs of the period that no plan answers."""
        return self.posted - self.answered


def year_figures(start: datetime, end: datetime, district_id: int | None = None) -> YearFigures:
    """Visible needs posted in [start, end) (in one district when given), and how many of them a plan answers."""
    q = select(Need.id).where(Need.hidden_at.is_(None), Need.created_at >= start, Need.created_at < end)
    if district_id is not None:
        q = q.where(Need.district_id == district_id)
    ids = set(db.session.scalars(q))
    answered = {need_id for need_id, _ini in db.session.execute(answering_plans()) if need_id in ids}
    return YearFigures(len(ids), len(answered))
