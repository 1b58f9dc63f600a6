"""The workforce plan template a PCN manager downloads, pre-filled with the PCN, the year and
the roles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from arrs.plan_files.layout import (
    AS_AT,
    BAND,
    DATE_FORMAT,
    HEADER_ROW,
    IN_POST,
    PCN_CODE,
    PCN_NAME,
    ROLE,
    SHEET,
    TITLE,
    YEAR,
)
from arrs.years import fy_end, fy_label, fy_start
from core.exports import workbook_bytes


@dataclass(frozen=True)
class TemplateRole:
    name: str
    band: str


def plan_template_build(
    *,
    pcn_code: str,
    pcn_name: str,
    year: int,
    roles: Sequence[TemplateRole],
    as_at: dt.date,
    dates: Sequence[dt.date],
) -> bytes:
    """The template as .xlsx bytes, pre-filled with the PCN, the year and the roles (a name
    that looks like a formula is written as text)."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    _template_heading(sheet, pcn_code, pcn_name, year, as_at)
    _template_table(sheet, roles, dates)
    _template_help(book.create_sheet("How to fill this in"), year)
    return workbook_bytes(book)


def _template_heading(sheet: Any, code: str, name: str, year: int, as_at: dt.date) -> None:
    sheet["A1"] = TITLE
    sheet["A1"].font = Font(bold=True, size=14)
    for row, (label, value) in enumerate(
        ((PCN_CODE, code), (PCN_NAME, name), (YEAR, fy_label(year)), (AS_AT, as_at)), start=2
    ):
        sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
        sheet.cell(row=row, column=2, value=value)
    sheet["B5"].number_format = DATE_FORMAT
    sheet["A7"] = (
        "Intended WTE at each date in row 8 (change the dates or add columns to the right). "
        "Leave a cell blank if you do not know; 0 means none."
    )
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 26


def _template_table(sheet: Any, roles: Sequence[TemplateRole], dates: Sequence[dt.date]) -> None:
    heading_fill = PatternFill("solid", fgColor="DDE7F0")
    for column, value in enumerate([ROLE, BAND, IN_POST, *dates], start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=value)
        cell.font, cell.fill = Font(bold=True), heading_fill
        cell.alignment = Alignment(wrap_text=True)
        if isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT
        if column > 2:
            sheet.column_dimensions[get_column_letter(column)].width = 14
    for row, role in enumerate(roles, start=HEADER_ROW + 1):
        sheet.cell(row=row, column=1, value=role.name)
        sheet.cell(row=row, column=2, value=role.band)
    last_row = HEADER_ROW + max(len(roles), 1)
    last_column = get_column_letter(max(3 + len(dates), 3) + 4)
    check = DataValidation(type="decimal", operator="between", formula1="0", formula2="30")
    check.allow_blank = True
    check.error = "WTE is a number from 0 to 30, or blank if not known."
    sheet.add_data_validation(check)
    check.add(f"C{HEADER_ROW + 1}:{last_column}{last_row}")
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"


def _template_help(sheet: Any, year: int) -> None:
    lines = [
        "How to fill in the ARRS workforce plan",
        "",
        "Keep the PCN code and financial year as they are.",
        "Put the date your 'WTE in post now' figures are for next to 'WTE in post as at'.",
        "Give WTE (whole-time equivalent) as a number, for example 1.6.",
        "A blank cell means not known; 0 means none. They are read differently.",
        f"Intended WTE dates must fall in {fy_label(year)} "
        f"({fy_start(year):%d/%m/%Y} to {fy_end(year):%d/%m/%Y}).",
        "You may change the dates in row 8 or add more date columns to the right.",
        "Role names must stay as they are; delete a role's row or leave it blank if not used.",
    ]
    for row, line in enumerate(lines, start=1):
        sheet.cell(row=row, column=1, value=line)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 100
