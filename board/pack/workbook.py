"""The board pack's tables as an Excel workbook: one sheet per table, a contents sheet, and
every figure a number with a number format (never text such as '47.4%' or '7,315').

Percentages are kept as the portal stores them (47.4, not 0.474, as the CSV downloads and the
API give them) and shown with a literal per cent sign, so a formula over the sheet gives the
same figure as the page. Sheet names are meaningful within Excel's 31 characters: long
measure names are shortened by words, not cut mid-word, and two sheets never share a name;
the contents sheet gives each sheet's full title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from board.dashboard.page import DashboardPage
from board.dashboard.presenters import PERCENT, rules_text, variation_icon
from board.dashboard.selectors import Spread
from board.dashboard.tables import LEVEL_NAMES
from board.dashboard.trends import MeasureTrend
from board.pack.models import BoardPack
from board.sections import DrawnSection
from core.exports import workbook_bytes
from practices.models import OrgKind

BOLD = Font(bold=True)
LINK = Font(color="005EB8", underline="single")
MONTH_FORMAT = "mmm yyyy"
DAY_FORMAT = "d mmmm yyyy"
COUNT_FORMAT = "#,##0"
RANK_FORMAT = "0"

SHEET_CHARS = 31  # Excel's limit on a sheet name
NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
# Tried in turn, only while a name is still too long.
SHORTER = (
    ("Appointments", "Appts"),
    ("appointments", "appts"),
    ("two weeks", "2 weeks"),
    ("after more than", "over"),
    ("more than", "over"),
    ("patients", "pts"),
    ("within", "in"),
)


def value_format(unit: str) -> str:
    """How a measure's value is shown: 47.4%, 7,315 or 99.9."""
    if unit == PERCENT:
        return '0.0"%"'
    if unit == "appointments":
        return COUNT_FORMAT
    return "#,##0.0"


def change_format(unit: str) -> str:
    """A change on last year, signed; for a percentage, in percentage points."""
    if unit == PERCENT:
        return '+0.0" pp";-0.0" pp";0.0" pp"'
    if unit == "appointments":
        return "+#,##0;-#,##0;0"
    return "+#,##0.0;-#,##0.0;0.0"


def sheet_name(name: str, taken: Iterable[str]) -> str:
    """A name Excel accepts (31 characters, none of []:*?/\\, not starting or ending with an
    apostrophe), shortened by words, and different from every name taken (Excel compares
    them ignoring case)."""
    title = " ".join(NOT_IN_SHEET_NAMES.sub(" ", name).split()).strip("'") or "Sheet"
    for long, short in SHORTER:
        if len(title) <= SHEET_CHARS:
            break
        title = title.replace(long, short)
    if len(title) > SHEET_CHARS:
        title = title[: SHEET_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,;-") + "…"
    used = {existing.casefold() for existing in taken}
    unique, number = title, 2
    while unique.casefold() in used:
        suffix = f" ({number})"
        unique = title[: SHEET_CHARS - len(suffix)].rstrip() + suffix
        number += 1
    return unique


class PackBook:
    """The workbook being written, and what each sheet holds, for the contents sheet."""

    def __init__(self) -> None:
        self.book = Workbook()
        self.book.remove(self.book.active)
        self.contents: list[tuple[str, str]] = []

    def sheet(self, name: str, about: str, header: list[str], widths: dict | None = None):
        """A new sheet with a bold header row, frozen so it stays in view."""
        sheet = self.book.create_sheet(sheet_name(name, self.book.sheetnames))
        self.contents.append((sheet.title, about))
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = BOLD
        sheet.freeze_panes = "A2"
        for column, width in (widths or {}).items():
            sheet.column_dimensions[column].width = width
        return sheet

    def row(self, sheet: Worksheet, values: Sequence[Any], formats: Sequence[str | None]) -> None:
        """A row, each figure with its number format (for a registered section's sheets)."""
        _append(sheet, values, formats)

    def contents_sheet(self) -> None:
        """Second, after the cover: every sheet's name, linked, and its full title."""
        sheet = self.book.create_sheet("Contents", 1)
        sheet.append(["Sheet", "What it holds"])
        for cell in sheet[1]:
            cell.font = BOLD
        sheet.freeze_panes = "A2"
        for name, about in self.contents:
            sheet.append([name, about])
            link = sheet.cell(row=sheet.max_row, column=1)
            quoted = name.replace("'", "''")
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{quoted}'!A1")
            link.font = LINK
        sheet.column_dimensions["A"].width = 34
        sheet.column_dimensions["B"].width = 100


def _append(sheet: Worksheet, values: Sequence[Any], formats: Sequence[str | None]) -> None:
    """A row, each figure with its number format (None leaves a cell as it is)."""
    sheet.append(list(values))
    row = sheet.max_row
    for column, number_format in enumerate(formats, start=1):
        if number_format:
            sheet.cell(row=row, column=column).number_format = number_format


def pack_xlsx(pack: BoardPack, page: DashboardPage, sections: Sequence[DrawnSection] = ()) -> bytes:
    book = PackBook()
    _cover(book, pack, page)
    _headline(book, page)
    for trend in page.dashboard.trends:
        _spc(book, trend, page)
    if page.dashboard.places:
        _places(book, page)
    for spread in page.dashboard.spreads:
        _spread(book, spread, page)
    if page.dashboard.attention is not None:
        _deteriorating(book, page)
        _lowest(book, page)
        _weakest(book, page)
    for drawn in sections:
        drawn.section.add_sheets(book, drawn.data)
    _sources(book, page, sections)
    book.contents_sheet()
    return workbook_bytes(book.book)


def _cover(book: PackBook, pack: BoardPack, page: DashboardPage) -> None:
    sheet = book.sheet("Cover", "The cover sheet and the summary for escalation",
                       ["Item", "Detail"], {"A": 24, "B": 120})  # fmt: skip
    rows = [
        ("Title", pack.title, None),
        ("Meeting", pack.meeting, None),
        ("Meeting date", pack.meeting_date, DAY_FORMAT),
        ("Executive lead", pack.executive_lead, None),
        ("Organisation", f"{pack.org.name} ({pack.org.code})", None),
        ("Month reported", pack.month, "mmmm yyyy"),
        ("Purpose", pack.purpose, None),
        ("The ask of the board", pack.ask, None),
    ]
    rows += [("Summary for escalation", sentence, None) for sentence in page.summary]
    for item, detail, number_format in rows:
        _append(sheet, [item, detail], [None, number_format])


def _headline(book: PackBook, page: DashboardPage) -> None:
    header = ["Measure", "Unit", "Month", "Value", "Change on a year before", "England",
              "Target", "Variation", "Assurance"]  # fmt: skip
    sheet = book.sheet(
        "Headline measures",
        f"Key access measures, {page.org.name}, latest month",
        header,
        {"A": 40, "B": 18, "E": 24, "H": 26, "I": 34},
    )
    cards = {card.code: card for card in page.cards}
    for trend in page.dashboard.trends:
        latest, card, unit = trend.latest, cards[trend.definition.code], trend.definition.unit
        if latest is None:
            continue
        shown = value_format(unit)
        _append(
            sheet,
            [trend.definition.title, unit, latest.month, latest.value, latest.change_year,
             trend.england, trend.key.target, card.variation.label, card.assurance.label],
            [None, None, MONTH_FORMAT, shown, change_format(unit), shown, shown],
        )  # fmt: skip


def _spc(book: PackBook, trend: MeasureTrend, page: DashboardPage) -> None:
    header = ["ODS code", "Month", "Value", "Numerator", "Denominator", "Mean",
              "Lower process limit", "Upper process limit", "What SPC shows", "Rules"]  # fmt: skip
    title = trend.definition.title
    sheet = book.sheet(
        f"SPC {title}",
        f"{title}, {page.org.name}, by month: value, mean and process limits",
        header,
        {"G": 20, "H": 20, "I": 26, "J": 60},
    )
    shown = value_format(trend.definition.unit)
    formats = [None, MONTH_FORMAT, shown, COUNT_FORMAT, COUNT_FORMAT, shown, shown, shown]
    kinds = trend.point_variations()
    for row, point, kind in zip(trend.values, trend.chart.points, kinds, strict=True):
        _append(sheet, [
            page.org.code, row.month, point.value, row.numerator, row.denominator, point.mean,
            point.lower_limit, point.upper_limit, variation_icon(kind).label,
            rules_text(point.rules) or None,
        ], formats)  # fmt: skip


def _places(book: PackBook, page: DashboardPage) -> None:
    trends = page.dashboard.trends
    header = ["Place", "ODS code", *(t.definition.title for t in trends)]
    sheet = book.sheet("By place", f"Key measures by place, {page.org.name}, latest month",
                       header, {"A": 40})  # fmt: skip
    formats = [None, None, *(value_format(t.definition.unit) for t in trends)]
    codes = [t.definition.code for t in trends]
    for place in page.dashboard.places:
        values = [place.values[code].value for code in codes]
        _append(sheet, [place.org.name, place.org.code, *values], formats)
    own = [t.latest.value if t.latest else None for t in trends]
    _append(sheet, [page.org.name, page.org.code, *own], formats)
    _append(sheet, ["England", "ENG", *(t.england for t in trends)], formats)


def _spread(book: PackBook, spread: Spread, page: DashboardPage) -> None:
    title, level = spread.definition.title, LEVEL_NAMES[spread.level][0]
    header = ["Rank", "ODS code", "Organisation", "Value", "Numerator", "Denominator"]
    sheet = book.sheet(f"{title} by {level}", page.spread_title(spread), header, {"C": 40})
    shown = value_format(spread.definition.unit)
    formats = [RANK_FORMAT, None, None, shown, COUNT_FORMAT, COUNT_FORMAT]
    for rank, row in enumerate(spread.rows, start=1):
        _append(sheet, [rank, row.org.code, row.org.name, row.value, row.numerator,
                        row.denominator], formats)  # fmt: skip
    _append(sheet, [None, page.org.code, page.org.name, spread.own], formats)
    _append(sheet, [None, "ENG", "England", spread.england], formats)


def _deteriorating(book: PackBook, page: DashboardPage) -> None:
    header = ["Organisation", "ODS code", "Level", "Measure", "Value", "Why"]
    sheet = book.sheet(
        "Deteriorating",
        "PCNs and practices whose latest month is special cause concerning",
        header,
        {"A": 40, "D": 40, "F": 80},
    )
    for concern in page.dashboard.attention.deteriorating:
        level = "PCN" if concern.org.kind == OrgKind.PCN else "Practice"
        _append(
            sheet,
            [concern.org.name, concern.org.code, level, concern.definition.title,
             concern.value, rules_text(concern.rules).capitalize()],
            [None, None, None, None, value_format(concern.definition.unit)],
        )  # fmt: skip


def _lowest(book: PackBook, page: DashboardPage) -> None:
    for lowest in page.dashboard.attention.lowest:
        title = lowest.definition.title.lower()
        header = ["Practice", "ODS code", "Value", "Appointments"]
        sheet = book.sheet(f"Lowest {title}", f"Practices with the lowest {title}", header,
                           {"A": 40})  # fmt: skip
        formats = [None, None, value_format(lowest.definition.unit), COUNT_FORMAT]
        for row in lowest.rows:
            _append(sheet, [row.org.name, row.org.code, row.value, row.denominator], formats)


def _weakest(book: PackBook, page: DashboardPage) -> None:
    header = ["Practice", "ODS code", "Issue", "Unmapped", "Appointments",
              "Registered patients (blank: not loaded)"]  # fmt: skip
    sheet = book.sheet("Weakest recording", "Practices with the weakest recording", header,
                       {"A": 40, "C": 60, "F": 36})  # fmt: skip
    formats = [None, None, None, value_format(PERCENT), COUNT_FORMAT, COUNT_FORMAT]
    flags = page.dashboard.attention.data_quality
    # The issue in the page's words: the page's table is built from the same flags, in order.
    shown = page.attention.data_quality.rows
    for flag, row in zip(flags, shown, strict=True):
        _append(sheet, [flag.org.name, flag.org.code, row[1], flag.unmapped, flag.appointments,
                        flag.patients], formats)  # fmt: skip


def _sources(book: PackBook, page: DashboardPage, sections: Sequence[DrawnSection]) -> None:
    sheet = book.sheet("Sources and caveats", "Where the figures come from, and what to bear "
                       "in mind reading them", ["Note"], {"A": 140})  # fmt: skip
    for note in [page.source_line, *(d.source_line for d in sections), *page.caveats()]:
        sheet.append([note])
