"""Turnout figures as SVG charts with the same numbers as tables (public and staff pages)."""

from __future__ import annotations

from fractions import Fraction

from markupsafe import Markup

from wijkfonds.common.money import number
from wijkfonds.i18n.text import format_date, get_locale
from wijkfonds.i18n.text import gettext as _
from wijkfonds.services.figures.reach import DistrictReach, RoundReach
from wijkfonds.web import svg


def percent(share: Fraction | None) -> str:
    """A share as a percentage with one decimal ('12,3 %'; '12.3 %' in English); '' when unknown."""
    if share is None:
        return ""
    tenths = round(share * 1000)  # Fraction rounds half to even, exactly
    text = f"{tenths // 10}.{tenths % 10} %"
    return text if str(get_locale() or "nl") == "en" else text.replace(".", ",")


def _basis_points(share: Fraction) -> int:
    return round(share * 10000)


def _from_basis_points(bp: int) -> str:
    return percent(Fraction(bp, 10000))


def behind_text(d: DistrictReach) -> str:
    """The mark of a district that falls behind, in words (never colour alone)."""
    return _("loopt achter") if d.behind else ""


def _label(d: DistrictReach) -> str:
    return f"{d.name} ({_('loopt achter')})" if d.behind else d.name


def share_chart(r: RoundReach, chart_id: str) -> Markup | None:
    """Turnout as a share of the eligible residents, per district with a number."""
    compared = r.compared
    if not compared:
        return None
    chart = svg.bar_chart(
        [(_label(d), _basis_points(d.share or Fraction(0))) for d in compared],
        chart_id=chart_id,
        title=_("Opkomst per gebied (deel van de kiesgerechtigden)"),
        fmt=_from_basis_points,
    )
    return chart


def district_figure(r: RoundReach, *, staff: bool, chart_id: str) -> Markup:
    """Ballots per district as bars, with a table of channels, eligible residents and shares."""
    if staff:
        headers = [
            _("Gebied"),
            _("Kiesgerechtigden"),
            _("Stemmen"),
            _("Opkomst"),
            _("Internet met stemcode"),
            _("Internet met account"),
            _("Op papier"),
            _("Achter het gemiddelde"),
        ]
        rows: list[tuple[object, ...]] = [
            (d.name, _count(d.eligible), d.ballots, percent(d.share), d.by_code, d.by_account, d.paper, behind_text(d))
            for d in r.districts
        ]
        rows.append(
            (_("Totaal"), _count(r.eligible), r.ballots, percent(r.share), r.by_code, r.by_account, r.paper, "")
        )
        numeric = [False, True, True, True, True, True, True, False]
    else:
        headers = [
            _("Gebied"),
            _("Kiesgerechtigden"),
            _("Stemmen"),
            _("Opkomst"),
            _("Via internet"),
            _("Op papier"),
            _("Achter het gemiddelde"),
        ]
        rows = [
            (d.name, _count(d.eligible), d.ballots, percent(d.share), d.online, d.paper, behind_text(d))
            for d in r.districts
        ]
        rows.append((_("Totaal"), _count(r.eligible), r.ballots, percent(r.share), r.online, r.paper, ""))
        numeric = [False, True, True, True, True, True, False]
    return svg.figure(
        svg.bar_chart([(_label(d), d.ballots) for d in r.districts], chart_id=chart_id, title=_("Stemmen per gebied")),
        svg.data_table(headers, rows, caption=_("Stemmen en opkomst per gebied"), numeric=numeric),
        _("Aantal stemmen per gebied; de opkomst is het deel van de kiesgerechtigden dat stemde."),
        scroll=_("Stemmen en opkomst per gebied"),
    )


def share_figure(r: RoundReach, chart_id: str) -> Markup | None:
    """The share chart with its table (None when no eligible number is entered)."""
    chart = share_chart(r, chart_id)
    if chart is None:
        return None
    rows = [(d.name, percent(d.share), behind_text(d)) for d in r.compared]
    rows.append((_("Gemiddelde van de ronde"), percent(r.share), ""))
    return svg.figure(
        chart,
        svg.data_table(
            [_("Gebied"), _("Opkomst"), _("Achter het gemiddelde")],
            rows,
            caption=_("Opkomst per gebied in cijfers"),
            numeric=[False, True, False],
        ),
        _("Opkomst als deel van de kiesgerechtigden, alleen voor gebieden waarvan het aantal bekend is."),
        scroll=_("Opkomst per gebied in cijfers"),
    )


def channel_figure(r: RoundReach, *, staff: bool, chart_id: str) -> Markup:
    """Ballots per channel: online (by code and by account for staff) and paper."""
    channels: list[tuple[str, int]] = (
        [(_("Internet met stemcode"), r.by_code), (_("Internet met account"), r.by_account), (_("Op papier"), r.paper)]
        if staff
        else [(_("Via internet"), r.online), (_("Op papier"), r.paper)]
    )
    rows = [(name, n, percent(Fraction(n, r.ballots)) if r.ballots else "") for name, n in channels]
    return svg.figure(
        svg.bar_chart(channels, chart_id=chart_id, title=_("Stemmen per manier van stemmen")),
        svg.data_table(
            [_("Manier van stemmen"), _("Stemmen"), _("Deel van alle stemmen")],
            rows,
            caption=_("Stemmen per manier van stemmen in cijfers"),
        ),
        _("Hoe de stemmen binnenkwamen."),
        scroll=_("Stemmen per manier van stemmen in cijfers"),
    )


def day_figure(r: RoundReach, chart_id: str) -> Markup:
    """New ballots per local day, online and on paper."""
    return svg.figure(
        svg.column_chart(
            [(format_date(d.day, "d MMM"), d.ballots) for d in r.days],
            chart_id=chart_id,
            title=_("Nieuwe stemmen per dag"),
        ),
        svg.data_table(
            [_("Dag"), _("Via internet"), _("Op papier"), _("Samen")],
            [(format_date(d.day, "EEEE d MMMM y"), d.online, d.paper, d.ballots) for d in r.days],
            caption=_("Nieuwe stemmen per dag (de dag van de eerste stem, Nederlandse tijd)"),
        ),
        _("Aantal kiezers dat op die dag voor het eerst stemde; een gewijzigde stem telt niet opnieuw."),
        scroll=_("Nieuwe stemmen per dag"),
    )


def _count(n: int | None) -> str:
    """A count grouped as the language writes it ('12.000', '12,000'); '' when unknown."""
    return "" if n is None else number(n)
