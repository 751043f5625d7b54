"""The year report's charts: SVG bars drawn on the server, each followed by a table with its figures."""

from __future__ import annotations

from markupsafe import Markup

from wijkfonds.common.money import euro, number
from wijkfonds.i18n.text import gettext as _
from wijkfonds.services.implementation.records import status_label
from wijkfonds.services.report.year import Share, YearReport
from wijkfonds.web import svg


def _money_figure(report: YearReport, prefix: str) -> Markup:
    s = report.summary
    values = [
        (_("Toegekend"), s.granted),
        (_("Betaald"), s.paid),
        (_("Besteed"), s.spent),
        (_("Terugbetaald"), s.returned),
    ]
    chart = svg.bar_chart(values, chart_id=f"{prefix}-geld", title=_("Het geld in totaal"), fmt=euro)
    table = svg.data_table(
        [_("Bedrag"), _("In euro's")],
        [(label, euro(v)) for label, v in values],
        caption=_("Het geld in totaal in cijfers"),
    )
    return svg.figure(chart, table, _("Besteed en terugbetaald tellen alleen goedgekeurde verantwoordingen."))


def _plans_figure(report: YearReport, prefix: str) -> Markup:
    plans = report.plans
    chart = svg.bar_chart(
        [(p.title, p.paid) for p in plans],
        chart_id=f"{prefix}-plannen",
        title=_("Betaald per plan"),
        fmt=euro,
    )
    rows = [
        (
            p.title,
            p.district,
            status_label(p.status),
            euro(p.granted),
            euro(p.paid),
            euro(p.spent),
            euro(p.returned),
            f"{p.milestones_done}/{p.milestones_total}",
        )
        for p in plans
    ]
    table = svg.data_table(
        [
            _("Plan"),
            _("Gebied"),
            _("Status"),
            _("Toegekend"),
            _("Betaald"),
            _("Besteed"),
            _("Terugbetaald"),
            _("Mijlpalen gehaald"),
        ],
        rows,
        caption=_("Voortgang per plan"),
        numeric=[False, False, False, True, True, True, True, True],
    )
    return svg.figure(
        chart, table, _("Wat elk plan kreeg, betaald kreeg en besteedde."), scroll=_("Voortgang per plan")
    )


def _share_figure(shares: list[Share], prefix: str, title: str, first: str, note: str) -> Markup:
    chart = svg.bar_chart([(s.label, s.granted) for s in shares], chart_id=prefix, title=title, fmt=euro)
    table = svg.data_table(
        [first, _("Plannen"), _("Toegekend"), _("Betaald"), _("Besteed")],
        [(s.label, number(s.plans), euro(s.granted), euro(s.paid), euro(s.spent)) for s in shares],
        caption=title,
    )
    return svg.figure(chart, table, note)


def _turnout_figure(report: YearReport, prefix: str) -> Markup | None:
    if not report.turnout:
        return None
    chart = svg.bar_chart(
        [(t.name, t.ballots) for t in report.turnout],
        chart_id=f"{prefix}-opkomst",
        title=_("Stemmen per gebied"),
        fmt=number,
    )
    table = svg.data_table(
        [_("Gebied"), _("Stemmen"), _("Kiesgerechtigden")],
        [(t.name, number(t.ballots), number(t.eligible) if t.eligible is not None else "–") for t in report.turnout],
        caption=_("Stemmen per gebied in cijfers"),
    )
    return svg.figure(chart, table, _("Hoeveel bewoners stemden; niet wat ze kozen."))


def figures(report: YearReport, prefix: str = "verslag") -> dict[str, Markup | None]:
    """Every chart of the report with its table, keyed by section."""
    return {
        "money": _money_figure(report, prefix),
        "plans": _plans_figure(report, prefix) if report.plans else None,
        "functions": _share_figure(
            report.functions,
            f"{prefix}-functies",
            _("Toegekend per functie van de sociale infrastructuur"),
            _("Functie"),
            _(
                "Elk plan telt één keer, bij het thema dat de indiener koos (de thema's zijn de vijf functies). "
                "Een bouwsteen kan meer functies dienen; het geld wordt niet over functies verdeeld, "
                "dus de tabel telt op tot het totaal."
            ),
        ),
        "blocks": _share_figure(
            report.blocks,
            f"{prefix}-bouwstenen",
            _("Toegekend per bouwsteen"),
            _("Bouwsteen"),
            _("Elk plan telt één keer, bij de bouwsteen die de indiener koos."),
        ),
        "turnout": _turnout_figure(report, prefix),
    }
