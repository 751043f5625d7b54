"""Tiny server-side SVG charts: accessible (title, desc, role="img") and always with a table.

No JavaScript and no inline styles (the CSP forbids both): colours are SVG presentation
attributes, so the charts also print. Every chart has a text equivalent: ``data_table``
renders the same numbers as an HTML table, and ``figure`` puts chart and table together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

INK = "#1f2a33"
BAR = "#005a9c"
GRID = "#c9d1d9"
FONT = 'font-family="system-ui, sans-serif"'


@dataclass(frozen=True)
class Point:
    """One labelled value (a district, a day, an initiative)."""

    label: str
    value: int


def _points(values: Sequence[Point | tuple[str, int]]) -> list[Point]:
    return [v if isinstance(v, Point) else Point(str(v[0]), int(v[1])) for v in values]


def _nice_max(top: int) -> int:
    """A round axis maximum at or above ``top`` (1, 2, 2.5 or 5 times a power of ten)."""
    if top <= 0:
        return 1
    scale = 1
    while True:
        for step in (1, 2, 5):
            if step * scale >= top:
                return step * scale
        scale *= 10


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>',
    ]


def _describe(points: list[Point], fmt: Callable[[int], str]) -> str:
    return "; ".join(f"{p.label}: {fmt(p.value)}" for p in points)


def bar_chart(
    values: Sequence[Point | tuple[str, int]],
    *,
    chart_id: str,
    title: str,
    desc: str = "",
    fmt: Callable[[int], str] = str,
    width: int = 640,
) -> Markup:
    """Horizontal bars, one per labelled value, with the value written after each bar."""
    points = _points(values)
    row, label_w, value_w, pad = 28, 250, 110, 8  # 30 characters of 13px text fit in 250px
    height = max(1, len(points)) * row + 2 * pad
    top = _nice_max(max((p.value for p in points), default=0))
    span = width - label_w - value_w
    parts = _open(chart_id, width, height, title, desc or _describe(points, fmt))
    for i, p in enumerate(points):
        y = pad + i * row
        w = 0 if p.value <= 0 else max(1, round(span * p.value / top))
        parts.append(
            f'<g class="bar"><text x="{label_w - 8}" y="{y + row * 0.65:.1f}" text-anchor="end" '
            f'font-size="13" fill="{INK}" {FONT}>{escape(_clip(p.label, 30))}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{w}" height="{row - 8}" fill="{BAR}"/>'
            f'<text x="{label_w + w + 6}" y="{y + row * 0.65:.1f}" font-size="13" fill="{INK}" {FONT}>'
            f"{escape(fmt(p.value))}</text></g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(
    values: Sequence[Point | tuple[str, int]],
    *,
    chart_id: str,
    title: str,
    desc: str = "",
    fmt: Callable[[int], str] = str,
    line: bool = False,
    width: int = 640,
    height: int = 240,
) -> Markup:
    """Vertical columns (or a line with dots when ``line``) over an ordered axis such as days."""
    points = _points(values)
    left, right, top_pad, bottom = 48, 12, 16, 40
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    top = _nice_max(max((p.value for p in points), default=0))
    slot = plot_w / max(1, len(points))
    parts = _open(chart_id, width, height, title, desc or _describe(points, fmt))
    base_y = top_pad + plot_h
    # A middle grid line only where it falls on a whole number.
    for frac in (0, 0.5, 1) if top % 2 == 0 else (0, 1):
        y = base_y - plot_h * frac
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="{INK}" {FONT}>'
            f"{escape(fmt(round(top * frac)))}</text>"
        )
    # Label every n-th point only, so that a month of days stays readable.
    every = max(1, -(-len(points) // 12))
    coords: list[tuple[float, float]] = []
    for i, p in enumerate(points):
        cx = left + slot * (i + 0.5)
        h = plot_h * max(0, p.value) / top
        coords.append((cx, base_y - h))
        if not line:
            bw = max(2.0, slot * 0.7)
            parts.append(
                f'<rect x="{cx - bw / 2:.1f}" y="{base_y - h:.1f}" width="{bw:.1f}" height="{h:.1f}" fill="{BAR}"/>'
            )
        if i % every == 0:
            parts.append(
                f'<text x="{cx:.1f}" y="{base_y + 16}" text-anchor="middle" font-size="11" fill="{INK}" {FONT}>'
                f"{escape(_clip(p.label, 10))}</text>"
            )
    if line and coords:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{BAR}" stroke-width="2"/>')
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{BAR}"/>' for x, y in coords]
    parts.append("</svg>")
    return Markup("".join(parts))


def data_table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], *, caption: str, numeric: Sequence[bool] | None = None
) -> Markup:
    """An HTML table with a caption; ``numeric`` marks right-aligned columns."""
    numeric = list(numeric) if numeric is not None else [i > 0 for i in range(len(headers))]

    def cls(i: int) -> str:
        return ' class="num"' if i < len(numeric) and numeric[i] else ""

    head = "".join(f'<th scope="col"{cls(i)}>{escape(h)}</th>' for i, h in enumerate(headers))
    body = []
    for r in rows:
        cells = [f'<th scope="row">{escape(r[0])}</th>'] + [
            f'<td data-label="{escape(headers[i]) if i < len(headers) else ""}"{cls(i)}>{escape(c)}</td>'
            for i, c in enumerate(r)
            if i > 0
        ]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return Markup(
        f'<table class="chart-table"><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def figure(chart: Markup, table: Markup, caption: str, *, scroll: str | None = None) -> Markup:
    """Chart and its table in one <figure>, so the numbers are there as text as well.

    ``scroll`` names a table too wide for a phone: it then scrolls sideways in a region of
    its own (with that name, reachable by keyboard), instead of widening the whole page.
    """
    if scroll is not None:
        table = Markup(
            f'<div class="table-scroll" role="region" tabindex="0" aria-label="{escape(scroll)}">{table}</div>'
        )
    return Markup(f'<figure class="chart-figure">{chart}<figcaption>{escape(caption)}</figcaption>{table}</figure>')


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
