"""Charts for pages, built in Python with Plotly and shown beside their data table.

A chart is never the only way to the numbers: every page that draws one also shows the
table and offers the CSV. So the drawing itself is hidden from screen readers and the
caption (title, source, period, as-at) is written by the page, not inside the figure.
Figures travel as JSON beside an empty box and are drawn by one small deferred script, so
the 3 MB plotly.js never blocks the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
from django.utils.html import format_html
from markupsafe import Markup

# NHS identity colours; each line also has its own dash pattern so colour is not the only cue.
LINE_STYLES = (
    {"color": "#005eb8", "dash": "solid"},
    {"color": "#330072", "dash": "dash"},
    {"color": "#007f3b", "dash": "dot"},
)
FONT = "Frutiger W01, Arial, sans-serif"


@dataclass(frozen=True)
class Series:
    name: str
    months: Sequence[dt.date]
    values: Sequence[int | float | None]
    # A dash pattern of its own ("dash" for planned figures), whatever its place in the chart.
    dash: str | None = None


def line_chart(series: Sequence[Series], *, y_title: str, chart_id: str) -> Markup:
    """A monthly line chart: an empty box plus the figure as JSON, which static/js/charts.js
    draws once plotly.js has loaded. Without JavaScript only the table shows."""
    figure = go.Figure()
    for index, line in enumerate(series):
        figure.add_trace(_trace(line, _style(line, index)))
    months = {month for line in series for month in line.months}
    figure.update_layout(_layout(y_title, show_legend=len(series) > 1, months=month_span(months)))
    return format_html(
        '<div class="app-chart__plot" data-app-chart="{data_id}" aria-hidden="true"></div>'
        '<script type="application/json" id="{data_id}">{figure}</script>',
        data_id=f"{chart_id}-figure",
        figure=_script_safe(figure.to_json()),
    )


def _style(line: Series, index: int) -> dict[str, str]:
    style = LINE_STYLES[index % len(LINE_STYLES)]
    return {**style, "dash": line.dash} if line.dash else style


def _script_safe(text: str) -> Markup:
    """JSON that cannot end the <script> element it sits in (as Django's json_script does)."""
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return Markup(text)  # noqa: S704 - escaped just above


def _trace(line: Series, style: dict[str, str], number: str = ",") -> go.Scatter:
    return go.Scatter(
        x=list(line.months),
        y=list(line.values),
        name=line.name,
        mode="lines+markers",
        line={"color": style["color"], "dash": style["dash"], "width": 3},
        hovertemplate="%{x|%b %Y}: %{y:" + number + "}<extra>" + line.name + "</extra>",
    )


@dataclass(frozen=True)
class Band:
    """A range of other organisations' values month by month (such as the 10th to 90th
    percentile of practices in England) with its middle line (the median)."""

    name: str
    middle_name: str
    months: Sequence[dt.date]
    low: Sequence[float | None]
    middle: Sequence[float | None]
    high: Sequence[float | None]


BAND_FILL = "rgba(174, 183, 189, 0.35)"  # NHS pale grey, see-through so gridlines show
MIDDLE_STYLE = {"color": "#4c6272", "dash": "dot"}


def band_chart(
    series: Sequence[Series], band: Band, *, y_title: str, chart_id: str, number: str = ",.1f"
) -> Markup:
    """Lines for some organisations over a shaded band of everyone else (and its median),
    drawn like ``line_chart``. ``number`` is the d3 format of values on hover."""
    figure = go.Figure()
    # The band is drawn first, so the lines sit on top, but listed last in the legend.
    for trace in _band_traces(band, number, rank=len(series) + 1):
        figure.add_trace(trace)
    for index, line in enumerate(series):
        trace = _trace(line, LINE_STYLES[index % len(LINE_STYLES)], number)
        figure.add_trace(trace.update(legendrank=index))
    layout = _layout(y_title, show_legend=True, months=len(band.months))
    figure.update_layout({**layout, "legend": {**layout["legend"], "traceorder": "normal"}})
    return format_html(
        '<div class="app-chart__plot" data-app-chart="{data_id}" aria-hidden="true"></div>'
        '<script type="application/json" id="{data_id}">{figure}</script>',
        data_id=f"{chart_id}-figure",
        figure=_script_safe(figure.to_json()),
    )


def _band_traces(band: Band, number: str, rank: int) -> list[go.Scatter]:
    """The band is its low edge (drawn invisibly) filled up to its high edge."""
    months = list(band.months)
    edge = {"width": 0, "color": BAND_FILL}
    low = go.Scatter(
        x=months, y=list(band.low), mode="lines", line=edge, showlegend=False, hoverinfo="skip"
    )
    high = go.Scatter(
        x=months,
        y=list(band.high),
        name=band.name,
        mode="lines",
        line=edge,
        fill="tonexty",
        fillcolor=BAND_FILL,
        hoverinfo="skip",
        legendrank=rank + 1,
    )
    middle = go.Scatter(
        x=months,
        y=list(band.middle),
        name=band.middle_name,
        mode="lines",
        line={**MIDDLE_STYLE, "width": 2},
        legendrank=rank,
        hovertemplate="%{x|%b %Y}: %{y:" + number + "}<extra>" + band.middle_name + "</extra>",
    )
    return [low, high, middle]


def month_span(days: Iterable[dt.date]) -> int:
    """How many months the dates stretch over, first to last: quarterly points over two years
    need quarterly ticks, not one a month."""
    days = list(days)
    if not days:
        return 0
    first, last = min(days), max(days)
    return (last.year - first.year) * 12 + last.month - first.month + 1


def _month_step(months: int) -> str:
    """One tick a month for a year or less, then quarterly, then yearly, so labels never repeat."""
    if months <= 12:
        return "M1"
    return "M3" if months <= 36 else "M12"


def _layout(y_title: str, *, show_legend: bool, months: int) -> dict:
    return {
        "template": "none",
        "font": {"family": FONT, "size": 16, "color": "#212b32"},
        "margin": {"l": 70, "r": 20, "t": 20, "b": 50},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "showlegend": show_legend,
        "legend": {"orientation": "h", "y": -0.2},
        "xaxis": {"tickformat": "%b %Y", "dtick": _month_step(months), "gridcolor": "#d8dde0"},
        # From zero, so a small change in a large list does not look like a big one.
        "yaxis": {
            "title": {"text": y_title},
            "tickformat": ",",
            "rangemode": "tozero",
            "gridcolor": "#d8dde0",
        },
        "hovermode": "x unified",
    }
