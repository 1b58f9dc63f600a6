"""The board pack's tables as an Excel workbook: one sheet per table, numbers as numbers."""

from __future__ import annotations

import re

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from core.boardpack.models import BoardPack
from core.dashboard.page import DashboardPage
from core.dashboard.presenters import rules_text, variation_icon
from core.dashboard.selectors import Spread
from core.dashboard.tables import Table
from core.dashboard.trends import MeasureTrend
from core.exports import workbook_bytes

BOLD = Font(bold=True)
NUMBER_FORMAT = "#,##0.0"
MONTH_FORMAT = "mmm yyyy"


def _sheet(book: Workbook, name: str, header: list[str]) -> Worksheet:
    """A new sheet with a bold header row; Excel allows 31 characters and no []:*?/\\."""
    clean = re.sub(r"[\[\]:*?/\\]", "", name)[:31]
    taken = set(book.sheetnames)
    title, number = clean, 2
    while title in taken:
        title = f"{clean[:28]} {number}"
        number += 1
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = BOLD
    sheet.freeze_panes = "A2"
    return sheet


def _blank(value):
    return "" if value is None else value


def pack_xlsx(pack: BoardPack, page: DashboardPage) -> bytes:
    book = Workbook()
    book.remove(book.active)
    _cover(book, pack, page)
    _headline(book, page)
    for trend in page.dashboard.trends:
        _spc(book, trend, pack.org.code)
    places = page.places_table()
    if places:
        _display(book, "By place", places)
    for spread in page.dashboard.spreads:
        _spread(book, spread, page)
    if page.attention:
        _display(book, "Deteriorating", page.attention.deteriorating)
        for table in page.attention.lowest:
            _display(book, table.caption, table)
        _display(book, "Weakest recording", page.attention.data_quality)
    _sources(book, page)
    return workbook_bytes(book)


def _cover(book: Workbook, pack: BoardPack, page: DashboardPage) -> None:
    sheet = _sheet(book, "Cover", ["Item", "Detail"])
    rows = [
        ("Title", pack.title),
        ("Meeting", pack.meeting),
        ("Meeting date", pack.meeting_date),
        ("Executive lead", pack.executive_lead),
        ("Organisation", f"{pack.org.name} ({pack.org.code})"),
        ("Month reported", pack.month),
        ("Purpose", pack.purpose),
        ("The ask of the board", pack.ask),
    ]
    rows += [("Summary for escalation", sentence) for sentence in page.summary]
    for row in rows:
        sheet.append(row)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 120


def _headline(book: Workbook, page: DashboardPage) -> None:
    header = ["Measure", "Unit", "Month", "Value", "Change on a year before", "England",
              "Target", "Variation", "Assurance"]  # fmt: skip
    sheet = _sheet(book, "Headline measures", header)
    cards = {card.code: card for card in page.cards}
    for trend in page.dashboard.trends:
        latest, card = trend.latest, cards[trend.definition.code]
        if latest is None:
            continue
        sheet.append(
            [
                trend.definition.title,
                trend.definition.unit,
                latest.month,
                _blank(latest.value),
                _blank(latest.change_year),
                _blank(trend.england),
                _blank(trend.key.target),
                card.variation.label,
                card.assurance.label,
            ]
        )
    sheet.column_dimensions["A"].width = 40


def _spc(book: Workbook, trend: MeasureTrend, code: str) -> None:
    header = ["Organisation", "Month", "Value", "Numerator", "Denominator", "Mean",
              "Lower process limit", "Upper process limit", "What SPC shows", "Rules"]  # fmt: skip
    sheet = _sheet(book, f"SPC {trend.definition.title}", header)
    kinds = trend.point_variations()
    for row, point, kind in zip(trend.values, trend.chart.points, kinds, strict=True):
        sheet.append([
            code, row.month, point.value, row.numerator, _blank(row.denominator), point.mean,
            _blank(point.lower_limit), _blank(point.upper_limit), variation_icon(kind).label,
            rules_text(point.rules),
        ])  # fmt: skip
    for column in "CFGH":
        for cell in sheet[column][1:]:
            cell.number_format = NUMBER_FORMAT
    for cell in sheet["B"][1:]:
        cell.number_format = MONTH_FORMAT


def _spread(book: Workbook, spread: Spread, page: DashboardPage) -> None:
    header = ["Rank", "ODS code", "Organisation", "Value", "Numerator", "Denominator"]
    sheet = _sheet(book, f"Variation {spread.definition.title}", header)
    for rank, row in enumerate(spread.rows, start=1):
        sheet.append([rank, row.org.code, row.org.name, _blank(row.value), row.numerator,
                      _blank(row.denominator)])  # fmt: skip
    sheet.append(["", page.org.code, page.org.name, _blank(spread.own), "", ""])
    sheet.append(["", "ENG", "England", _blank(spread.england), "", ""])
    sheet.column_dimensions["C"].width = 40


def _display(book: Workbook, name: str, table: Table) -> None:
    """A table as the page shows it (words and formatted figures)."""
    sheet = _sheet(book, name, table.head)
    for row in table.rows:
        sheet.append([cell["text"] if isinstance(cell, dict) else cell for cell in row])
    sheet.column_dimensions["A"].width = 40


def _sources(book: Workbook, page: DashboardPage) -> None:
    sheet = _sheet(book, "Sources and caveats", ["Note"])
    for note in [page.source_line, *page.caveats()]:
        sheet.append([note])
    sheet.column_dimensions["A"].width = 140
