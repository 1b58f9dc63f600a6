"""The board pack as slides, with native PowerPoint charts an analyst can edit and restyle
(the figures sit in each chart's own data sheet), in the dashboard's colours and symbols and
the NHS look (``slide_style``).

Every chart has axis titles with units; an SPC chart's value axis spans the data (values,
mean, limits and target) with a little room, not from zero, so a change a board must see is
not flattened. A "Needs attention" slide follows the summary: what the dashboard flags, from
the same reads (the organisation's own special-cause concern and missed targets, then the
PCNs and practices the dashboard lists under "Needs attention").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.util import Emu, Inches, Pt

from board.dashboard import charts
from board.dashboard.page import DashboardPage
from board.dashboard.presenters import BLUE, GREY, PERCENT, measure_value, rules_text
from board.dashboard.selectors import Spread
from board.dashboard.svg import nice_ticks
from board.dashboard.tables import LEVEL_NAMES
from board.dashboard.trends import MeasureTrend
from board.pack import slide_style as nhs
from board.pack.models import BoardPack
from board.pack.slide_style import TALL, WIDE
from board.sections import DrawnSection
from core.exports import safe_cell
from core.presenters import day, month
from metrics.spc import Assurance, Variation
from practices.models import OrgKind

TITLE_ONLY = 5
BODY_TOP, BODY_BOTTOM = Inches(1.35), Inches(0.5)
CHART_TOP, CHART_HEIGHT = Inches(1.25), Inches(5.0)
CAPTION_TOP = Inches(6.3)
TABLE_TOP = Inches(1.85)  # under a line of text
ATTENTION_ROWS = 8  # more would not be read on one slide; the workbook has them all
MARKERS = {
    "circle": XL_MARKER_STYLE.CIRCLE,
    "diamond": XL_MARKER_STYLE.DIAMOND,
    "square": XL_MARKER_STYLE.SQUARE,
    "triangle-up": XL_MARKER_STYLE.TRIANGLE,
    "triangle-down": XL_MARKER_STYLE.TRIANGLE,
}


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def pack_pptx(pack: BoardPack, page: DashboardPage, sections: Sequence[DrawnSection] = ()) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE, TALL
    nhs.deck_theme(deck)
    _cover(deck, pack, page)
    _bullets(deck, "Summary for escalation", page.summary)
    _needs_attention(deck, page)
    _headline(deck, page)
    for trend in page.dashboard.trends:
        if trend.values:
            _spc(deck, trend, page)
    for spread in page.dashboard.spreads:
        if any(row.value is not None for row in spread.rows):
            _spread(deck, spread, page)
    for drawn in sections:
        drawn.section.add_slides(SectionSlides(deck), drawn.data)
    sources = [page.source_line, *(drawn.source_line for drawn in sections), *page.caveats()]
    _bullets(deck, "Data sources and caveats", sources)
    words = f"{pack.title}. {pack.org.name}, {month(pack.month)}"
    for number, slide in enumerate(deck.slides, start=1):
        nhs.footer(slide, words, number)
    buffer = BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _slide(deck, title: str):
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    nhs.title_bar(slide, title)
    return slide


def _text(slide, lines: list[str], *, top=BODY_TOP, size=16, bottom=BODY_BOTTOM) -> None:
    box = slide.shapes.add_textbox(Inches(0.6), top, WIDE - Inches(1.2), TALL - top - bottom)
    frame = box.text_frame
    frame.word_wrap = True
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.space_after = Pt(6)
        nhs.style_runs(paragraph, size=size)


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


def _table(slide, head: list[str], rows: list[list[str]], widths: list[float], *, top, size):
    height = Inches(0.4) * (len(rows) + 1)
    shape = slide.shapes.add_table(len(rows) + 1, len(head), Inches(0.5), top,
                                   WIDE - Inches(1), height)  # fmt: skip
    table = shape.table
    for column, width in enumerate(widths):
        table.columns[column].width = Inches(width)
    for row_index, values in enumerate([head, *rows]):
        for column, text in enumerate(values):
            table.cell(row_index, column).text = text
    nhs.table_style(table, size=size)
    return shape


class SectionSlides:
    """What a registered section adds its slides with (core.registry.PackSlides)."""

    def __init__(self, deck) -> None:
        self.deck = deck

    def slide(self, title: str):
        return _slide(self.deck, title)

    def text(self, slide, lines: list[str]) -> None:
        _text(slide, lines, size=14, bottom=TALL - TABLE_TOP)

    def table(self, slide, head: list[str], rows: list[list[str]]) -> None:
        widths = [4.33] + [8.0 / (len(head) - 1)] * (len(head) - 1) if len(head) > 1 else [12.33]
        _table(slide, head, rows, widths, top=TABLE_TOP, size=11)

    def caption(self, slide, text: str) -> None:
        _caption(slide, text)


def _headline(deck, page: DashboardPage) -> None:
    slide = _slide(deck, f"Headline measures, {month(page.dashboard.month)}")
    head = ["Measure", "Value", "Change", "England", "Variation", "Assurance"]
    rows = [
        [card.title, card.value, card.change, card.england, card.variation.label,
         card.assurance.label]
        for card in page.cards
    ]  # fmt: skip
    _table(slide, head, rows, [3.2, 1.1, 2.6, 1.5, 2.1, 1.83], top=BODY_TOP, size=12)


# --- needs attention --------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """One thing the dashboard flags: what, where, the figure, and why."""

    what: str
    where: str
    figure: str
    why: str


def attention_flags(page: DashboardPage) -> list[Flag]:
    """What the dashboard flags, most pressing first: the organisation's own measures in
    special-cause concern or set to miss their target, then the PCNs and practices in
    special-cause deterioration, the lowest access and the weakest recording."""
    flags = [flag for trend in page.dashboard.trends for flag in _own_flags(trend, page)]
    attention = page.dashboard.attention
    if attention is None:  # a practice: nothing below it to flag
        return flags
    for concern in attention.deteriorating:
        flags.append(Flag(
            "Special-cause deterioration", _where(concern.org),
            f"{concern.definition.title}: {measure_value(concern.value, concern.definition.unit)}",
            rules_text(concern.rules).capitalize(),
        ))  # fmt: skip
    flags += [flag for lowest in attention.lowest for flag in _lowest_flag(lowest, page)]
    flags += _recording_flags(attention.data_quality)
    return flags


def _where(org) -> str:
    """The organisation's name, with its level unless the name says it (most PCNs' do)."""
    level = "PCN" if org.kind == OrgKind.PCN else "practice"
    return org.name if level.casefold() in org.name.casefold() else f"{org.name} ({level})"


def _own_flags(trend: MeasureTrend, page: DashboardPage) -> list[Flag]:
    point, unit, title = trend.latest_point, trend.definition.unit, trend.definition.title
    if point is None:
        return []
    figure = f"{title}: {measure_value(point.value, unit)}"
    found = []
    if trend.variation == Variation.CONCERNING:
        found.append(Flag("Special-cause concern", page.org.name, figure,
                          rules_text(point.rules).capitalize()))  # fmt: skip
    if trend.assurance == Assurance.FAILING:
        segment = trend.chart.current
        lower, upper = (
            measure_value(segment.lower_limit, unit),
            measure_value(segment.upper_limit, unit),
        )
        found.append(Flag(
            "Will consistently miss its target", page.org.name, figure,
            f"Target {measure_value(trend.key.target, unit)}; process limits {lower} to {upper}",
        ))  # fmt: skip
    return found


def _lowest_flag(lowest, page: DashboardPage) -> list[Flag]:
    if not lowest.rows:
        return []
    row, unit = lowest.rows[0], lowest.definition.unit
    trend = page.dashboard.trend(lowest.definition.code)
    own = measure_value(trend.latest.value if trend and trend.latest else None, unit)
    england = measure_value(trend.england if trend else None, unit)
    return [Flag(
        f"Lowest {lowest.definition.title.lower()}", _where(row.org),
        measure_value(row.value, unit), f"{page.org.name} {own}; England {england}",
    )]  # fmt: skip


def _recording_flags(flags) -> list[Flag]:
    found = [
        Flag("Too few appointments recorded to count in England's figures",
             _where(flag.org), f"{flag.appointments:,} appointments",
             "Left out of England's figures for the month")
        for flag in flags
        if flag.incomplete
    ]  # fmt: skip
    worst = next((flag for flag in flags if not flag.incomplete and flag.unmapped), None)
    if worst is not None:
        found.append(Flag(
            "Highest share of appointments in no care category", _where(worst.org),
            measure_value(worst.unmapped, PERCENT),
            "Its figures by care category are less reliable",
        ))  # fmt: skip
    return found


def _needs_attention(deck, page: DashboardPage) -> None:
    slide = _slide(deck, "Needs attention")
    flags = attention_flags(page)
    when = month(page.dashboard.month)
    if not flags:
        _text(slide, [_nothing_flagged(page, when)])
        return
    _text(slide, [f"What the dashboard flags for {page.org.name} in {when}, most pressing "
                  "first."], size=14, bottom=TALL - TABLE_TOP)  # fmt: skip
    shown = flags[:ATTENTION_ROWS]
    rows = [[flag.what, flag.where, flag.figure, flag.why] for flag in shown]
    _table(slide, ["What", "Where", "Figure", "Why"], rows, [3.2, 2.6, 3.2, 3.33],
           top=TABLE_TOP, size=11)  # fmt: skip
    if len(flags) > len(shown):
        _caption(slide, f"And {len(flags) - len(shown)} more: every one is in the workbook "
                 "that comes with this pack, and on the dashboard.")  # fmt: skip


def _nothing_flagged(page: DashboardPage, when: str) -> str:
    words = (
        f"Nothing is flagged for {page.org.name} in {when}: no key measure shows special-cause "
        "concern or will miss its target"
    )
    if page.dashboard.attention is None:
        return words + "."
    return (
        words + ", no PCN or practice shows special-cause deterioration, and every practice "
        "recorded enough appointments, in a care category."
    )


# --- charts -----------------------------------------------------------------------------------


def value_title(definition) -> str:
    """The value axis: the measure and its unit."""
    title, unit = definition.title, definition.unit
    if unit == PERCENT:
        return f"{title} (%)"
    return title if title.endswith(unit) else f"{title} ({unit})"


def value_range(values: list[float | None], unit: str, *, measure: list[float]):
    """(minimum, maximum, step) of a value axis spanning the values with a little room,
    never below 0 (or above 100 for a percentage) where the measure itself cannot go."""
    known = [value for value in values if value is not None]
    low, high = min(known), max(known)
    room = (high - low) * 0.05
    ticks = nice_ticks(low - room, high + room)
    step = ticks[1] - ticks[0]
    lowest, highest = ticks[0], ticks[-1]
    if min(measure) >= 0:
        lowest = max(lowest, 0)
    if unit == PERCENT and max(measure) <= 100:
        highest = min(highest, 100)
    return lowest, highest, step


def _value_axis(chart, definition, values: list, measure: list[float]) -> None:
    unit = definition.unit
    lowest, highest, step = value_range(values, unit, measure=measure)
    axis = chart.value_axis
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = lowest, highest, step
    whole = float(step).is_integer()
    if unit == PERCENT:
        number_format = '0"%"' if whole else '0.0"%"'
    else:
        number_format = "#,##0" if whole else "#,##0.0"
    axis.tick_labels.number_format = number_format
    axis.tick_labels.number_format_is_linked = False
    nhs.axis_title(axis, value_title(definition))


def _spc(deck, trend: MeasureTrend, page: DashboardPage) -> None:
    slide = _slide(deck, f"{trend.definition.title}: SPC chart")
    points = trend.chart.points
    data = CategoryChartData()
    data.categories = [month(m) for m in trend.months]
    lines = {
        trend.definition.title: [p.value for p in points],
        "Mean": [p.mean for p in points],
        "Upper process limit": [p.upper_limit for p in points],
        "Lower process limit": [p.lower_limit for p in points],
    }
    if trend.key.target is not None:
        lines["Target"] = [trend.key.target] * len(points)
    for name, values in lines.items():
        data.add_series(name, values)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, Inches(0.5), CHART_TOP,
                                   WIDE - Inches(1), CHART_HEIGHT, data)  # fmt: skip
    chart = frame.chart
    nhs.chart_style(chart)
    _legend(chart)
    series = list(chart.plots[0].series)
    _style_line(series[0], charts.LINE, markers=True)
    _style_line(series[1], charts.TEXT)
    _style_line(series[2], GREY, MSO_LINE_DASH_STYLE.DASH)
    _style_line(series[3], GREY, MSO_LINE_DASH_STYLE.DASH)
    if len(series) > 4:
        _style_line(series[4], charts.TARGET, MSO_LINE_DASH_STYLE.ROUND_DOT)
    _colour_points(series[0], trend)
    everything = [value for values in lines.values() for value in values]
    _value_axis(chart, trend.definition, everything, lines[trend.definition.title])
    nhs.axis_title(chart.category_axis, "Month")
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
    frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, Inches(0.5), CHART_TOP,
                                   WIDE - Inches(1), CHART_HEIGHT, data)  # fmt: skip
    chart = frame.chart
    nhs.chart_style(chart)
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
    values = [row.value for row in rows]
    _value_axis(chart, spread.definition, values + [r[1] for r in references], values)
    chart.category_axis.tick_labels.font.size = Pt(9)
    plural = LEVEL_NAMES[spread.level][1]
    nhs.axis_title(chart.category_axis, f"{plural[:1].upper()}{plural[1:]}, ranked best first")
    unit = spread.definition.unit
    own, england = measure_value(spread.own, unit), measure_value(spread.england, unit)
    _caption(
        slide,
        f"{page.org.name}: {own}. England: {england}. Ranked best first. {page.source_line}",
    )


def _caption(slide, text: str) -> None:
    _text(slide, [text], top=CAPTION_TOP, size=10, bottom=Inches(0.45))
