"""The board pack as a PDF: an HTML page of its own, printed by WeasyPrint.

Charts are the dashboard's figures drawn to SVG by ``board.dashboard.svg`` (no browser is
needed), so the PDF shows the same charts as the page.

ICBs publish board papers, so the PDF is tagged to PDF/UA-1: a structure tree in reading
order (the HTML's order), headings h1 to h3 without gaps, the language and the document
title, and every chart a Figure whose alternative text says what the chart shows (the SVG's
<title>, which WeasyPrint uses as the Figure's /Alt). Links are left out: a printed pack
has no portal to link back to.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.html import format_html
from markupsafe import Markup

from board.dashboard.page import ChartSection, DashboardPage
from board.dashboard.presenters import Icon, measure_value, variation_icon
from board.dashboard.selectors import Spread
from board.dashboard.svg import figure_svg
from board.dashboard.tables import LEVEL_NAMES, Table
from board.dashboard.trends import MeasureTrend
from board.pack.models import BoardPack
from board.sections import DrawnSection
from core.presenters import month, period

CHART_WIDTH = 900  # drawn at this size, scaled to the page width by the stylesheet
PDF_VARIANT = "pdf/ua-1"
# WeasyPrint reports every layout step at INFO; keep the worker's log to what matters.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)


@dataclass(frozen=True)
class PdfChart:
    section: ChartSection
    svg: Markup


def chart_svg(section: ChartSection, alt: str | None = None) -> Markup:
    """The chart as SVG; its <title> (the alternative text) is ``alt``, or the chart's title."""
    return Markup(figure_svg(section.figure, width=CHART_WIDTH, title=alt or section.title))  # noqa: S704 - built from escaped parts


def spc_alt(trend: MeasureTrend, org_name: str) -> str:
    """What an SPC chart shows, in words, for a reader who cannot see it."""
    unit, title = trend.definition.unit, trend.definition.title
    months, latest, point = trend.months, trend.latest, trend.latest_point
    words = [
        f"SPC chart of {title.lower()} for {org_name}, {period(months[0], months[-1])}, "
        f"{len(months)} months.",
        f"Latest: {measure_value(latest.value, unit)} in {month(latest.month)};",
        f"mean {measure_value(point.mean, unit)};",
        f"process limits {measure_value(point.lower_limit, unit)} to "
        f"{measure_value(point.upper_limit, unit)}.",
        f"{variation_icon(trend.variation).label}.",
    ]
    if trend.key.target is not None:
        words.append(f"Target {measure_value(trend.key.target, unit)}.")
    return " ".join(words)


def spread_alt(spread: Spread, page: DashboardPage) -> str:
    """What a ranked chart shows, in words: its ends and its reference lines."""
    unit, title = spread.definition.unit, spread.definition.title
    rows = [row for row in spread.rows if row.value is not None]
    plural = LEVEL_NAMES[spread.level][1]
    words = [f"Ranked chart of {title.lower()} across {len(rows)} {plural}, best first."]
    if rows:
        best, worst = rows[0], rows[-1]
        words.append(
            f"Best: {best.org.name}, {measure_value(best.value, unit)}; "
            f"last: {worst.org.name}, {measure_value(worst.value, unit)}."
        )
    words.append(
        f"{page.org.name}: {measure_value(spread.own, unit)}; "
        f"England: {measure_value(spread.england, unit)}. The figures are in the table below."
    )
    return " ".join(words)


def spc_charts(page: DashboardPage) -> list[PdfChart]:
    trends = [trend for trend in page.dashboard.trends if trend.values]
    return [
        PdfChart(section, chart_svg(section, spc_alt(trend, page.org.name)))
        for section, trend in zip(page.spc_sections, trends, strict=True)
    ]


def spread_charts(page: DashboardPage) -> list[PdfChart]:
    spreads = [spread for spread in page.dashboard.spreads if spread.rows]
    return [
        PdfChart(section, chart_svg(section, spread_alt(spread, page)))
        for section, spread in zip(page.spread_sections, spreads, strict=True)
    ]


def icon_figure(icon: Icon) -> Markup:
    """An SPC icon for the PDF: a tagged Figure needs alternative text, so the icon says its
    meaning (its label is printed beside it)."""
    return format_html(
        '<svg width="28" height="28" viewBox="0 0 28 28" role="img"><title>{meaning}</title>'
        '<circle cx="14" cy="14" r="13" fill="{colour}"/><text x="14" y="19" '
        'text-anchor="middle" font-size="15" font-weight="bold" fill="#ffffff" '
        'font-family="Arial, sans-serif">{letter}</text></svg>',
        meaning=f"Icon: {icon.meaning.lower()}",
        colour=icon.colour,
        letter=icon.letter,
    )


def unlinked(table: Table) -> Table:
    """The table with its drill-down links as plain text."""
    rows = [[_text(cell) for cell in row] for row in table.rows]
    return dataclasses.replace(table, rows=rows)


def _text(cell: str | dict) -> str:
    return cell["text"] if isinstance(cell, dict) else cell


def pack_html(pack: BoardPack, page: DashboardPage, sections: Sequence[DrawnSection] = ()) -> str:
    context = {
        "sections": sections,
        "for_print": True,
        "pack": pack,
        "page": page,
        "dashboard": page.dashboard,
        "spc_charts": spc_charts(page),
        "spread_charts": spread_charts(page),
        "icon_figure": icon_figure,
        "unlinked": unlinked,
    }
    return render_to_string("boardpack/pack.jinja", context)


def pack_pdf(pack: BoardPack, page: DashboardPage, sections: Sequence[DrawnSection] = ()) -> bytes:
    from weasyprint import HTML

    html = pack_html(pack, page, sections)
    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
