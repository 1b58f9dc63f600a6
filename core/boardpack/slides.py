"""The board pack as slides, with native PowerPoint charts an analyst can edit and restyle
(the figures sit in each chart's own data sheet), in the dashboard's colours and symbols."""

from __future__ import annotations

from io import BytesIO

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.util import Emu, Inches, Pt

from core.boardpack.models import BoardPack
from core.dashboard import charts
from core.dashboard.page import DashboardPage
from core.dashboard.presenters import BLUE, GREY, measure_value
from core.dashboard.selectors import Spread
from core.dashboard.svg import nice_ticks
from core.dashboard.trends import MeasureTrend
from core.exports import safe_cell
from core.presenters import day, month

WIDE, TALL = Inches(13.333), Inches(7.5)
TITLE_ONLY = 5
MARKERS = {
    "circle": XL_MARKER_STYLE.CIRCLE,
    "diamond": XL_MARKER_STYLE.DIAMOND,
    "square": XL_MARKER_STYLE.SQUARE,
    "triangle-up": XL_MARKER_STYLE.TRIANGLE,
    "triangle-down": XL_MARKER_STYLE.TRIANGLE,
}


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def pack_pptx(pack: BoardPack, page: DashboardPage) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE, TALL
    _cover(deck, pack, page)
    _bullets(deck, "Summary for escalation", page.summary)
    _headline(deck, page)
    for trend in page.dashboard.trends:
        if trend.values:
            _spc(deck, trend, page)
    for spread in page.dashboard.spreads:
        if any(row.value is not None for row in spread.rows):
            _spread(deck, spread, page)
    _bullets(deck, "Data sources and caveats", [page.source_line, *page.caveats()])
    buffer = BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _slide(deck, title: str):
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    slide.shapes.title.text = title
    slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(28)
    slide.shapes.title.left, slide.shapes.title.top = Inches(0.5), Inches(0.3)
    slide.shapes.title.width, slide.shapes.title.height = WIDE - Inches(1), Inches(1)
    return slide


BODY_TOP = Inches(1.4)


def _text(slide, lines: list[str], *, top=BODY_TOP, size=16) -> None:
    box = slide.shapes.add_textbox(Inches(0.6), top, WIDE - Inches(1.2), TALL - top - Inches(0.4))
    frame = box.text_frame
    frame.word_wrap = True
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(size)
        paragraph.space_after = Pt(6)


def _cover(deck, pack: BoardPack, page: DashboardPage) -> None:
    slide = _slide(deck, pack.title)
    _text(slide, [
        f"Meeting: {pack.meeting}, {day(pack.meeting_date)}",
        f"Executive lead: {pack.executive_lead}",
        f"Organisation: {pack.org.name} ({pack.org.code}); period reported: {month(pack.month)}",
        f"Purpose: {pack.purpose}",
        f"The ask of the board: {pack.ask}",
        page.source_line,
    ])  # fmt: skip


def _bullets(deck, title: str, lines: list[str]) -> None:
    _text(_slide(deck, title), [f"• {line}" for line in lines], size=14)


def _headline(deck, page: DashboardPage) -> None:
    slide = _slide(deck, f"Headline measures, {month(page.dashboard.month)}")
    cards = page.cards
    head = ["Measure", "Value", "Change", "England", "Variation", "Assurance"]
    shape = slide.shapes.add_table(len(cards) + 1, len(head), Inches(0.5), Inches(1.4),
                                   WIDE - Inches(1), Inches(0.5) * (len(cards) + 1))  # fmt: skip
    table = shape.table
    for column, text in enumerate(head):
        table.cell(0, column).text = text
    for row, card in enumerate(cards, start=1):
        values = [card.title, card.value, card.change, card.england, card.variation.label,
                  card.assurance.label]  # fmt: skip
        for column, text in enumerate(values):
            table.cell(row, column).text = text
            table.cell(row, column).text_frame.paragraphs[0].font.size = Pt(12)


def _spc(deck, trend: MeasureTrend, page: DashboardPage) -> None:
    slide = _slide(deck, f"{trend.definition.title}: SPC chart")
    points = trend.chart.points
    data = CategoryChartData()
    data.categories = [month(m) for m in trend.months]
    data.add_series(trend.definition.title, [p.value for p in points])
    data.add_series("Mean", [p.mean for p in points])
    data.add_series("Upper process limit", [p.upper_limit for p in points])
    data.add_series("Lower process limit", [p.lower_limit for p in points])
    if trend.key.target is not None:
        data.add_series("Target", [trend.key.target] * len(points))
    frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, Inches(0.5), Inches(1.3),
                                   WIDE - Inches(1), Inches(5.3), data)  # fmt: skip
    chart = frame.chart
    _legend(chart)
    series = list(chart.plots[0].series)
    _style_line(series[0], charts.LINE, markers=True)
    _style_line(series[1], charts.TEXT)
    _style_line(series[2], GREY, MSO_LINE_DASH_STYLE.DASH)
    _style_line(series[3], GREY, MSO_LINE_DASH_STYLE.DASH)
    if len(series) > 4:
        _style_line(series[4], charts.TARGET, MSO_LINE_DASH_STYLE.ROUND_DOT)
    _colour_points(series[0], trend)
    _caption(slide, charts.legend_words(trend) + " " + page.source_line)


def _legend(chart) -> None:
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(11)


def _style_line(series, colour: str, dash=None, *, markers: bool = False) -> None:
    series.smooth = False
    series.format.line.color.rgb = _rgb(colour)
    series.format.line.width = Emu(Pt(2))
    if dash is not None:
        series.format.line.dash_style = dash
    if not markers:
        series.marker.style = XL_MARKER_STYLE.NONE


def _colour_points(series, trend: MeasureTrend) -> None:
    """Each month's marker in the colour and shape of what SPC makes of it."""
    for index, kind in enumerate(trend.point_variations()):
        style = charts.POINT_STYLES[kind]
        marker = series.points[index].marker
        marker.style = MARKERS[style["symbol"]]
        marker.size = 8
        marker.format.fill.solid()
        marker.format.fill.fore_color.rgb = _rgb(style["color"])
        marker.format.line.color.rgb = _rgb(style["color"])


def _spread(deck, spread: Spread, page: DashboardPage) -> None:
    """The page's ranked dots as a native chart: a marker per organisation (best first) and
    the organisation read and England as lines across."""
    slide = _slide(deck, page.spread_title(spread))
    rows = [row for row in spread.rows if row.value is not None]
    data = CategoryChartData()  # names go into the chart's data sheet: formula-like ones quoted
    data.categories = [safe_cell(row.org.name) for row in rows]
    data.add_series(spread.definition.title, [row.value for row in rows])
    references = [
        (safe_cell(page.org.name), spread.own, charts.TEXT, None),
        ("England", spread.england, charts.ENGLAND, MSO_LINE_DASH_STYLE.DASH),
    ]
    references = [r for r in references if r[1] is not None]
    for name, value, _, _ in references:
        data.add_series(name, [value] * len(rows))
    frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, Inches(0.5), Inches(1.3),
                                   WIDE - Inches(1), Inches(5.3), data)  # fmt: skip
    chart = frame.chart
    _legend(chart)
    dots, *lines = chart.plots[0].series
    dots.format.line.fill.background()  # markers only: the organisations are not a series in time
    for index, row in enumerate(rows):
        marker = dots.points[index].marker
        marker.style, marker.size = (
            XL_MARKER_STYLE.CIRCLE,
            11 if row.org.pk == spread.highlight else 8,
        )
        marker.format.fill.solid()
        colour = charts.HIGHLIGHT if row.org.pk == spread.highlight else BLUE
        marker.format.fill.fore_color.rgb = _rgb(colour)
    for series, (_, _, colour, dash) in zip(lines, references, strict=True):
        _style_line(series, colour, dash)
    values = [row.value for row in rows] + [r[1] for r in references]
    chart.value_axis.minimum_scale = nice_ticks(min(values), max(values))[0]
    chart.category_axis.tick_labels.font.size = Pt(9)
    unit = spread.definition.unit
    own, england = measure_value(spread.own, unit), measure_value(spread.england, unit)
    _caption(
        slide,
        f"{page.org.name}: {own}. England: {england}. Ranked best first. {page.source_line}",
    )


def _caption(slide, text: str) -> None:
    _text(slide, [text], top=TALL - Inches(0.85), size=10)
