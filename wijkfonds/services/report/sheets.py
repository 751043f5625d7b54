"""A round's spreadsheet for staff and auditors: rounds, plans, result, payments, implementation.

Cells are typed: money is a number of euros with a euro format, dates are dates (shown in
Amsterdam), counts are whole numbers. No text cell is ever a formula: openpyxl stores a
string that starts with "=" as a formula, so every text cell is set to the string type
after its value (a plan titled ``=HYPERLINK(...)`` shows that text and runs nothing).
The result's votes appear only once a result is published.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from wijkfonds.common.timeutil import to_local
from wijkfonds.common.translation import gettext as _
from wijkfonds.extensions import db
from wijkfonds.models import Implementation, Initiative, Round
from wijkfonds.services.implementation.overview import summary
from wijkfonds.services.implementation.records import status_label
from wijkfonds.services.results import explanations
from wijkfonds.services.results.publication import published_run

EURO_FORMAT = '"€" #,##0'
DATE_FORMAT = "DD-MM-YYYY"
MONEY, DATE, INT, TEXT, BOOL = "money", "date", "int", "text", "bool"


class Euros(int):
    """A whole-euro amount: written as a number with the euro format."""


def _local_date(value: datetime | date | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return to_local(value).date()
    return value


def put(ws: Worksheet, row: int, column: int, value: Any) -> None:
    """One typed cell; a text is always stored as text, never as a formula."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, Euros):
        cell.value = int(value)
        cell.number_format = EURO_FORMAT
    elif isinstance(value, datetime | date):
        cell.value = _local_date(value)
        cell.number_format = DATE_FORMAT
    elif value is None or isinstance(value, bool | int | float):
        cell.value = value
    else:
        cell.value = str(value)
        cell.data_type = "s"  # openpyxl made "=..." a formula; it stays text


def _sheet(wb: Workbook, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> Worksheet:
    ws = wb.create_sheet(title)
    bold = Font(bold=True)
    for c, header in enumerate(headers, start=1):
        put(ws, 1, c, header)
        ws.cell(row=1, column=c).font = bold
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            put(ws, r, c, value)
    ws.freeze_panes = "A2"
    for c, header in enumerate(headers, start=1):
        longest = max([len(str(header))] + [len(str(row[c - 1])) for row in rows if row[c - 1] is not None])
        ws.column_dimensions[get_column_letter(c)].width = min(60, max(10, longest + 2))
    return ws


def _rounds() -> tuple[list[str], list[list[Any]]]:
    headers = [_("Ronde"), _("Naam"), _("Budget"), _("Indienen vanaf"), _("Stemmen vanaf"), _("Uitslag vanaf")]
    headers.append(_("Uitslag gepubliceerd"))
    rows = []
    for rnd in db.session.scalars(select(Round).order_by(Round.id)):
        run = published_run(rnd.id)
        rows.append(
            [
                rnd.id,
                rnd.name,
                Euros(rnd.total_budget),
                rnd.submission_start,
                rnd.voting_start,
                rnd.results_start,
                run.published_at if run is not None else None,
            ]
        )
    return headers, rows


def _plans(rnd: Round, lang: str) -> tuple[list[str], list[list[Any]]]:
    headers = [
        _("Plan"),
        _("Titel"),
        _("Gebied"),
        _("Thema"),
        _("Bouwsteen"),
        _("Gevraagd"),
        _("Schatting stadsdeel"),
        _("Status"),
        _("Steunbetuigingen"),
        _("Ingediend op"),
    ]
    inis = db.session.scalars(select(Initiative).where(Initiative.round_id == rnd.id).order_by(Initiative.id))
    rows = [
        [
            i.id,
            i.title,
            i.district.name,
            i.theme.name(lang) if i.theme is not None else "",
            i.block.name(lang) if i.block is not None else "",
            Euros(i.requested_cost),
            Euros(i.estimated_cost) if i.estimated_cost is not None else None,
            i.status,
            i.support_count,
            i.created_at,
        ]
        for i in inis
    ]
    return headers, rows


def _result(rnd: Round, lang: str) -> tuple[list[str], list[list[Any]]] | None:
    run = published_run(rnd.id)
    if run is None or not run.result:
        return None
    # "Reden" is the engine's code (for sorting and filtering), "Waarom" its sentence in the workbook's language.
    headers = [_("Plan"), _("Titel"), _("Gebied"), _("Kosten"), _("Stemmen"), _("Gekozen"), _("Reden"), _("Waarom")]
    titles = {i.id: i.title for i in db.session.scalars(select(Initiative).where(Initiative.round_id == rnd.id))}
    outcomes = sorted(run.result["outcomes"].values(), key=lambda o: (o["district"], -int(o["support"])))
    rows = [
        [
            o["initiative_id"],
            titles.get(int(o["initiative_id"]), ""),
            o["district"],
            Euros(int(o["cost"])),
            int(o["support"]),
            bool(o["funded"]),
            o.get("reason", ""),
            explanations.outcome_text(o, lang),
        ]
        for o in outcomes
    ]
    return headers, rows


def _payments(rnd: Round) -> tuple[list[str], list[list[Any]]]:
    headers = [_("Plan"), _("Titel"), _("Gebied"), _("Betaald op"), _("Bedrag"), _("Waarvoor")]
    impls = db.session.scalars(
        select(Implementation).where(Implementation.round_id == rnd.id).order_by(Implementation.id)
    )
    rows = [
        [i.initiative_id, i.initiative.title, i.initiative.district.name, p.paid_on, Euros(p.amount), p.purpose]
        for i in impls
        for p in i.payments
    ]
    return headers, rows


def _implementation(rnd: Round) -> tuple[list[str], list[list[Any]]]:
    headers = [
        _("Plan"),
        _("Titel"),
        _("Gebied"),
        _("Status"),
        _("Toegekend"),
        _("Betaald"),
        _("Besteed"),
        _("Terugbetaald"),
        _("Verantwoording"),
        _("Mijlpalen gehaald"),
        _("Mijlpalen"),
        _("Berichten"),
        _("Gestart op"),
        _("Afgerond of gestopt op"),
    ]
    accounts = {"submitted": _("ingestuurd"), "approved": _("goedgekeurd"), "sent_back": _("teruggestuurd")}
    rows = [
        [
            p.initiative_id,
            p.title,
            p.district,
            status_label(p.status),
            Euros(p.granted),
            Euros(p.paid),
            Euros(p.spent),
            Euros(p.returned),
            accounts.get(p.account_status or "", ""),
            p.milestones_done,
            p.milestones_total,
            p.updates,
            p.started_at,
            p.completed_at,
        ]
        for p in summary(rnd.id).plans
    ]
    return headers, rows


def workbook(rnd: Round, lang: str = "nl") -> bytes:
    """The round's ``.xlsx``: sheets Rondes, Plannen, Uitslag (after publication), Betalingen, Uitvoering."""
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    _sheet(wb, _("Rondes"), *_rounds())
    _sheet(wb, _("Plannen"), *_plans(rnd, lang))
    result = _result(rnd, lang)
    if result is not None:
        _sheet(wb, _("Uitslag"), *result)
    _sheet(wb, _("Betalingen"), *_payments(rnd))
    _sheet(wb, _("Uitvoering"), *_implementation(rnd))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
