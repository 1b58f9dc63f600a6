"""Draw the dashboard's Plotly figures as static SVG, for the PDF board pack.

The PDF must show the page's charts, and there is no browser (or kaleido) where packs are
made. So this draws the same figure dict plotly.js draws: the small part of Plotly our
charts use (line and marker scatter traces on a date axis, markers on a category axis,
vertical line shapes, a legend), in the same colours, dashes and symbols
(docs/decisions/0012-dashboard-and-board-pack.md).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from html import escape

from core.presenters import month as month_label

DASHES = {"solid": "", "dash": "7,4", "dot": "2,3", "dashdot": "7,3,2,3"}
FONT = "Arial, Helvetica, sans-serif"
TEXT, GRID = "#212b32", "#d8dde0"
CHAR_WIDTH = 6.2  # average width of an 11px Arial character, for laying out the legend
ROW = 22  # height of a legend row


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _tag(name: str, text: str = "", **attributes: object) -> str:
    """One SVG element; numbers are rounded to a tenth, underscores become hyphens."""
    parts = []
    for key, value in attributes.items():
        if value is None or value == "":
            continue
        shown = f"{value:.1f}" if isinstance(value, float) else escape(str(value))
        parts.append(f'{key.rstrip("_").replace("_", "-")}="{shown}"')
    opening = " ".join([f"<{name}", *parts])
    return f"{opening}>{escape(text)}</{name}>" if text else f"{opening}/>"


def _label(x: float, y: float, text: str, anchor: str = "middle", **extra: object) -> str:
    return _tag("text", text, x=x, y=y, text_anchor=anchor, fill=TEXT, **extra)


def _rule(x1: float, y1: float, x2: float, y2: float, colour: str = GRID) -> str:
    return _tag("line", x1=x1, y1=y1, x2=x2, y2=y2, stroke=colour)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering low..high, about ``count`` of them. A flat series (values
    equal but for rounding) gets an axis of a unit either side."""
    if high - low <= 1e-9 * max(1.0, abs(low), abs(high)):
        low, high = low - 1, high + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step + 1e-9)
    stop = math.ceil(high / step - 1e-9)
    return [round((start + i) * step, 10) for i in range(stop - start + 1)]


def _tick_text(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


class _Scale:
    """Maps data values onto a pixel range."""

    def __init__(self, low: float, high: float, start: float, end: float) -> None:
        self.low, self.high, self.start, self.end = low, high, start, end

    def __call__(self, value: float) -> float:
        span = (self.high - self.low) or 1
        return self.start + (value - self.low) / span * (self.end - self.start)


def _day(text: str) -> float:
    return dt.date.fromisoformat(text[:10]).toordinal()


def _legend_entries(figure: dict) -> list[dict]:
    entries, seen = [], set()
    for trace in figure["data"]:
        group = trace.get("legendgroup", trace.get("name"))
        if trace.get("showlegend", True) is False or not trace.get("name") or group in seen:
            continue
        seen.add(group)
        entries.append(trace)
    shapes = figure["layout"].get("shapes", [])
    lines = [{"name": s["name"], "line": s["line"]} for s in shapes if s.get("showlegend")]
    return entries + lines


def _entry_width(entry: dict) -> float:
    return 50 + len(entry["name"]) * CHAR_WIDTH


def _legend_rows(entries: list[dict], width: float) -> list[list[dict]]:
    rows: list[list[dict]] = [[]]
    used = 0.0
    for entry in entries:
        if rows[-1] and used + _entry_width(entry) > width:
            rows.append([])
            used = 0
        rows[-1].append(entry)
        used += _entry_width(entry)
    return [row for row in rows if row]


def _is_ranked(figure: dict) -> bool:
    """Organisations down a category axis (the variation charts), not months along a date axis."""
    return figure["layout"].get("yaxis", {}).get("type") == "category"


def figure_svg(figure: dict, *, width: int = 900, title: str = "") -> str:
    """The figure as a standalone <svg> element (a string of markup). The legend always goes
    under the chart here, so the plot keeps room for it only at the bottom."""
    layout = figure["layout"]
    margin = layout.get("margin", {})
    rows = _legend_rows(_legend_entries(figure), width - 40)
    height = layout.get("height", 420) + ROW * max(0, len(rows) - 2)
    below = 48 if _is_ranked(figure) else 40
    bottom = height - below - ROW * len(rows)
    plot = Box(margin.get("l", 70), 16, width - margin.get("r", 20), bottom)
    draw = _ranked_chart if _is_ranked(figure) else _line_chart
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="11" role="img">',
            _tag("title", title) if title else "",
            _tag("rect", width=width, height=height, fill="#ffffff"),
            *draw(figure, plot),
            *_legend(rows, plot.bottom + below - 6),
            "</svg>",
        ]
    )


# --- lines on a date axis ------------------------------------------------------------------


def _line_chart(figure: dict, plot: Box) -> list[str]:
    traces = figure["data"]
    xs = [_day(x) for t in traces for x in t["x"]]
    ys = [y for t in traces for y in t["y"] if y is not None]
    if not xs or not ys:
        return []
    ticks = nice_ticks(min(ys), max(ys))
    x = _Scale(min(xs) - 12, max(xs) + 12, plot.left, plot.right)
    y = _Scale(ticks[0], ticks[-1], plot.bottom, plot.top)
    parts = _value_axis(ticks, y, plot, figure["layout"]) + _date_axis(traces[0]["x"], x, plot)
    for trace in traces:
        pairs = zip(trace["x"], trace["y"], strict=True)
        points = [(x(_day(a)), y(b)) for a, b in pairs if b is not None]
        if "lines" in trace.get("mode", "lines"):
            parts.append(_polyline(points, trace["line"]))
        if "markers" in trace.get("mode", ""):
            parts += [_marker(px, py, trace["marker"]) for px, py in points]
    return parts


def _value_axis(ticks: list[float], y: _Scale, plot: Box, layout: dict) -> list[str]:
    parts = []
    for tick in ticks:
        parts.append(_rule(plot.left, y(tick), plot.right, y(tick)))
        parts.append(_label(plot.left - 6, y(tick) + 4, _tick_text(tick), "end"))
    title = layout.get("yaxis", {}).get("title", {}).get("text", "")
    if title:
        middle = (plot.top + plot.bottom) / 2
        parts.append(_label(14.0, middle, title, transform=f"rotate(-90 14 {middle:.1f})"))
    return parts


def _date_axis(months: list[str], x: _Scale, plot: Box) -> list[str]:
    """A label every quarter (every month for a year or less), as the page does."""
    days = [dt.date.fromisoformat(m[:10]) for m in months]
    step = 1 if len(days) <= 12 else 3
    parts = [_rule(plot.left, plot.bottom, plot.right, plot.bottom, TEXT)]
    for day in days:
        if (day.month - 1) % step:
            continue
        px = x(day.toordinal())
        parts.append(_rule(px, plot.top, px, plot.bottom))
        parts.append(_label(px, plot.bottom + 16, month_label(day)))
    return parts


def _polyline(points: list[tuple[float, float]], line: dict) -> str:
    return _tag(
        "polyline",
        points=" ".join(f"{px:.1f},{py:.1f}" for px, py in points),
        fill="none",
        stroke=line["color"],
        stroke_width=line.get("width", 2),
        stroke_dasharray=DASHES.get(line.get("dash", "solid"), ""),
    )


SHAPES = {
    "diamond": ((0, -1.2), (1.2, 0), (0, 1.2), (-1.2, 0)),
    "triangle-up": ((0, -1.2), (1.1, 0.8), (-1.1, 0.8)),
    "triangle-down": ((0, 1.2), (1.1, -0.8), (-1.1, -0.8)),
    "square": ((-1, -1), (1, -1), (1, 1), (-1, 1)),
}


def _marker(px: float, py: float, marker: dict) -> str:
    r = marker.get("size", 10) / 2
    paint = {"fill": marker["color"], "stroke": "#ffffff", "stroke_width": 1}
    corners = SHAPES.get(marker.get("symbol", "circle"))
    if corners is None:
        return _tag("circle", cx=px, cy=py, r=float(r), **paint)
    points = " ".join(f"{px + dx * r:.1f},{py + dy * r:.1f}" for dx, dy in corners)
    return _tag("polygon", points=points, **paint)


# --- ranked dots on a category axis --------------------------------------------------------


def _ranked_chart(figure: dict, plot: Box) -> list[str]:
    dots = figure["data"][0]
    shapes = figure["layout"].get("shapes", [])
    values = [v for v in dots["x"] if v is not None] + [s["x0"] for s in shapes]
    if not values:
        return []
    ticks = nice_ticks(min(values), max(values))
    x = _Scale(ticks[0], ticks[-1], plot.left, plot.right)
    band = plot.height / max(1, len(dots["y"]))
    parts = []
    for tick in ticks:
        parts.append(_rule(x(tick), plot.top, x(tick), plot.bottom))
        parts.append(_label(x(tick), plot.bottom + 16, _tick_text(tick)))
    for index, (name, value) in enumerate(zip(dots["y"], dots["x"], strict=True)):
        py = plot.top + (index + 0.5) * band
        style = {k: (v[index] if isinstance(v, list) else v) for k, v in dots["marker"].items()}
        parts.append(_rule(plot.left, py, plot.right, py))
        parts.append(_label(plot.left - 6, py + 4, name, "end"))
        parts.append(_marker(x(value), py, style))
    for shape in shapes:
        parts.append(
            _polyline([(x(shape["x0"]), plot.top), (x(shape["x0"]), plot.bottom)], shape["line"])
        )
    title = figure["layout"].get("xaxis", {}).get("title", {}).get("text", "")
    if title:
        parts.append(_label((plot.left + plot.right) / 2, plot.bottom + 32, title))
    return parts


# --- the legend ----------------------------------------------------------------------------


def _legend(rows: list[list[dict]], top: float) -> list[str]:
    parts = []
    for number, row in enumerate(rows):
        y, left = top + number * ROW, 20.0
        for entry in row:
            if "lines" in entry.get("mode", "lines") and entry.get("line"):
                parts.append(_polyline([(left, y), (left + 26, y)], entry["line"]))
            if "markers" in entry.get("mode", ""):
                parts.append(_marker(left + 13, y, entry["marker"]))
            parts.append(_label(left + 32, y + 4, entry["name"], "start"))
            left += _entry_width(entry)
    return parts
