"""The year report as a PDF: its own HTML template (A4, page numbers) rendered by WeasyPrint."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

from flask import current_app, render_template
from markupsafe import Markup

from wijkfonds.common.timeutil import to_local, utcnow
from wijkfonds.services.report.year import YearReport
from wijkfonds.services.results.importer import slugify


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    """WeasyPrint fetches nothing: the stylesheet is passed in, charts are inline SVG."""
    raise ValueError(f"the year report loads no resources ({url[:60]})")


# Rendering takes WeasyPrint about 0.6 s (8 plans, on the 2-core machine): the same report (same figures, language and day)
# is rendered once per worker, so that anyone asking for it again does not cost that second.
_CACHE: OrderedDict[str, bytes] = OrderedDict()
_CACHE_SIZE = 32
_LOCK = threading.Lock()


def render(report: YearReport, figures: dict[str, Markup | None], lang: str) -> bytes:
    """The PDF's bytes (from this worker's cache when nothing in it changed)."""
    printed_at = to_local(utcnow())
    key = hashlib.sha256(repr((report, lang, printed_at.date())).encode()).hexdigest()
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    pdf = _render(report, figures, printed_at)
    with _LOCK:
        _CACHE[key] = pdf
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return pdf


def _render(report: YearReport, figures: dict[str, Markup | None], printed_at: datetime) -> bytes:
    from weasyprint import CSS, HTML  # imported here: loading pango costs start-up time of every worker

    html = render_template("report/pdf.html", report=report, figures=figures, printed_at=printed_at)
    css = CSS(filename=str(Path(str(current_app.static_folder)) / "css" / "report-pdf.css"))
    pdf: bytes = HTML(string=html, url_fetcher=_no_fetching).write_pdf(stylesheets=[css])
    return pdf


def filename(report: YearReport, lang: str) -> str:
    """E.g. jaarverslag-west-begroot-2026-oud-west.pdf (year-report-... in English)."""
    parts = ["year-report" if lang == "en" else "jaarverslag", slugify(report.round_name)]
    if report.district_name:
        parts.append(slugify(report.district_name))
    return "-".join(p for p in parts if p) + ".pdf"
