"""The dashboard's charts as Plotly figures, built as plain dicts.

The same dict is drawn in the browser by plotly.js (static/js/charts.js) and in the PDF by
``board.dashboard.svg``, so a board pack's charts are the page's charts: same data, same
colours, same symbols, same legend. Plain dicts rather than ``plotly.graph_objects`` because
validating a dozen figures on every request costs more than the rest of the page.
"""

from __future__ import annotations

import json

from django.utils.html import format_html
from markupsafe import Markup

from board.dashboard.attention import Ranked
from board.dashboard.presenters import (
    BLUE,
    GREY,
    ORANGE,
    PURPLE,
    measure_value,
    target_text,
    variation_icon,
)
from board.dashboard.selectors import Spread
from board.dashboard.trends import MeasureTrend
from metrics.spc import Variation

FONT = "Frutiger W01, Arial, sans-serif"
TEXT = "#212b32"
GRID = "#d8dde0"
LINE = "#425563"
TARGET = "#007f3b"
ENGLAND = "#330072"
HIGHLIGHT = "#003087"

# Each kind of point has its own symbol as well as its own colour.
POINT_STYLES = {
    Variation.COMMON_CAUSE: {"color": GREY, "symbol": "circle"},
    Variation.IMPROVING: {"color": BLUE, "symbol": "diamond"},
    Variation.CONCERNING: {"color": ORANGE, "symbol": "square"},
    Variation.NEITHER_HIGH: {"color": PURPLE, "symbol": "triangle-up"},
    Variation.NEITHER_LOW: {"color": PURPLE, "symbol": "triangle-down"},
}
POINT_NAMES = {
    Variation.COMMON_CAUSE: "Common cause",
    Variation.IMPROVING: "Special cause: improving",
    Variation.CONCERNING: "Special cause: concerning",
    Variation.NEITHER_HIGH: "Special cause: higher",
    Variation.NEITHER_LOW: "Special cause: lower",
}


def _line(name, x, y, *, color, dash="solid", width=2, group=None, legend=True) -> dict:
    return {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "x": x,
        "y": y,
        "line": {"color": color, "dash": dash, "width": width},
        "legendgroup": group or name,
        "showlegend": legend,
        "hoverinfo": "skip",
    }


def spc_figure(trend: MeasureTrend) -> dict:
    """Values joined by a line, the mean and process limits of each segment, the target, and
    each point marked by what SPC makes of it."""
    months = [m.isoformat() for m in trend.months]
    values = [point.value for point in trend.chart.points]
    data = [_line(trend.definition.title, months, values, color=LINE, legend=False)]
    data += _segment_lines(trend, months)
    if trend.key.target is not None and months:
        target = [trend.key.target] * len(months)
        data.append(
            _line(
                target_text(trend.key.target, trend.definition.unit),
                months,
                target,
                color=TARGET,
                dash="dot",
            )
        )
    data += _point_traces(trend, months)
    return {"data": data, "layout": _layout(trend.definition.unit, legend_rows=2)}


def _segment_lines(trend: MeasureTrend, months: list[str]) -> list[dict]:
    lines = []
    for number, segment in enumerate(trend.chart.segments):
        x = months[segment.start : segment.stop]
        first = number == 0
        lines.append(_line("Mean", x, [segment.mean] * len(x), color=TEXT, legend=first))
        if segment.upper_limit is None:
            continue
        for name, limit in (
            ("Process limits", segment.upper_limit),
            ("Process limits", segment.lower_limit),
        ):
            lines.append(
                _line(
                    name,
                    x,
                    [limit] * len(x),
                    color=GREY,
                    dash="dash",
                    group="limits",
                    legend=first and limit == segment.upper_limit,
                )
            )
    return lines


def _point_traces(trend: MeasureTrend, months: list[str]) -> list[dict]:
    """One marker trace per kind of point present, so the legend names each in words."""
    unit = trend.definition.unit
    kinds = trend.point_variations()
    traces = []
    for variation, style in POINT_STYLES.items():
        chosen = [i for i, kind in enumerate(kinds) if kind == variation]
        if not chosen:
            continue
        points = [trend.chart.points[i] for i in chosen]
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": POINT_NAMES[variation],
                "x": [months[i] for i in chosen],
                "y": [p.value for p in points],
                "marker": {
                    "color": style["color"],
                    "symbol": style["symbol"],
                    "size": 10,
                    "line": {"color": "#ffffff", "width": 1},
                },
                "text": [measure_value(p.value, unit) for p in points],
                "hovertemplate": "%{x|%b %Y}: %{text}<extra>" + POINT_NAMES[variation] + "</extra>",
            }
        )
    return traces


def _layout(unit: str, *, legend_rows: int = 1) -> dict:
    return {
        "template": "none",
        "font": {"family": FONT, "size": 14, "color": TEXT},
        "margin": {"l": 70, "r": 20, "t": 10, "b": 40 + 30 * legend_rows},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "showlegend": True,
        "legend": {"orientation": "h", "x": 0, "y": -0.15, "yanchor": "top"},
        "xaxis": {"type": "date", "tickformat": "%b %Y", "dtick": "M3", "gridcolor": GRID},
        "yaxis": {"title": {"text": _axis_title(unit)}, "gridcolor": GRID, "zeroline": False},
        "hovermode": "closest",
    }


def _axis_title(unit: str) -> str:
    return "Per cent of appointments" if unit == "%" else unit[:1].upper() + unit[1:]


def spread_figure(spread: Spread, own_name: str) -> dict:
    """A dot for each organisation, ranked best at the top, with the organisation read and
    England as lines across. Dots rather than bars: a bar must start at zero, and from zero
    a 5-point gap between PCNs (the difference a board needs to see) all but disappears."""
    rows = [row for row in spread.rows if row.value is not None]
    unit = spread.definition.unit
    dots = {
        "type": "scatter",
        "mode": "markers",
        "name": spread.definition.title,
        "x": [row.value for row in rows],
        "y": [_bar_name(row) for row in rows],
        "marker": {
            "color": [HIGHLIGHT if row.org.pk == spread.highlight else BLUE for row in rows],
            "symbol": "circle",
            "size": [14 if row.org.pk == spread.highlight else 10 for row in rows],
        },
        "text": [measure_value(row.value, unit) for row in rows],
        "hovertemplate": "%{y}: %{text}<extra></extra>",
        "showlegend": False,
    }
    layout = _layout(unit)
    layout.update(
        {
            "height": max(260, 24 * len(rows) + 160),
            "margin": {"l": 250, "r": 20, "t": 40, "b": 70},
            "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
            "xaxis": {"title": {"text": _axis_title(unit)}, "gridcolor": GRID, "zeroline": False},
            "yaxis": {"autorange": "reversed", "type": "category", "gridcolor": GRID},
            "shapes": _markers(spread, own_name),
        }
    )
    return {"data": [dots], "layout": layout}


def _bar_name(row: Ranked) -> str:
    name = row.org.name
    return name if len(name) <= 34 else name[:33] + "…"


def _markers(spread: Spread, own_name: str) -> list[dict]:
    unit = spread.definition.unit
    marks = [
        (f"{own_name}: {measure_value(spread.own, unit)}", spread.own, TEXT, "solid"),
        (f"England: {measure_value(spread.england, unit)}", spread.england, ENGLAND, "dash"),
    ]
    return [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": value,
            "x1": value,
            "y0": 0,
            "y1": 1,
            "line": {"color": colour, "dash": dash, "width": 2},
            "name": name,
            "showlegend": True,
        }
        for name, value, colour, dash in marks
        if value is not None
    ]


def figure_markup(figure: dict, chart_id: str) -> Markup:
    """An empty box plus the figure as JSON, drawn by static/js/charts.js once plotly.js has
    loaded (docs/decisions/0006). The JSON cannot end the script element it sits in."""
    text = json.dumps(figure, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    # A ranked chart is as tall as its list; the box must be too, or what follows overlaps it.
    # charts.js sizes the box from data-app-chart-height (a style attribute would be refused
    # by the Content-Security-Policy).
    height = figure.get("layout", {}).get("height")
    return format_html(
        '<div class="app-chart__plot" data-app-chart="{data_id}" aria-hidden="true"{height}>'
        '</div><script type="application/json" id="{data_id}">{figure}</script>',
        data_id=f"{chart_id}-figure",
        height=format_html(' data-app-chart-height="{}"', int(height)) if height else "",
        figure=Markup(text),  # noqa: S704 - escaped just above
    )


def legend_words(trend: MeasureTrend) -> str:
    """The chart's key in a sentence, for readers who cannot tell the colours apart."""
    kinds = {variation_icon(v).label for v in trend.point_variations()}
    parts = ["a solid dark line is the mean", "dashed grey lines are the process limits"]
    if trend.key.target is not None:
        parts.append("a dotted green line is the target")
    symbols = {
        Variation.COMMON_CAUSE: "grey circles are common cause",
        Variation.IMPROVING: "blue diamonds are special cause improving",
        Variation.CONCERNING: "orange squares are special cause concerning",
        Variation.NEITHER_HIGH: "purple triangles pointing up are special cause higher",
        Variation.NEITHER_LOW: "purple triangles pointing down are special cause lower",
    }
    parts += [words for kind, words in symbols.items() if variation_icon(kind).label in kinds]
    return "Key: " + "; ".join(parts) + "."
