"""Reading a filled-in workforce plan: the whole file is checked and every problem is
reported by spreadsheet row and column; a blank cell stays blank."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from arrs.plan_files.layout import (
    AS_AT,
    IN_POST,
    MAX_WTE,
    NOT_A_WORKBOOK,
    PCN_CODE,
    ROLE,
    SHEET,
    WTE_PLACES,
    YEAR,
)
from arrs.years import fy_contains, fy_end, fy_label, fy_start, parse_fy
from imports.sources.base import ProblemLog
from imports.sources.readers import clean_text, label_key, ods_code, parse_date


@dataclass(frozen=True)
class PlanRow:
    row: int
    role_id: int
    in_post: Decimal | None
    intended: dict[dt.date, Decimal | None]


@dataclass
class PlanFile:
    """What a clean file says. ``rows`` holds only roles with a row in the file."""

    pcn_code: str | None = None
    year: int | None = None
    as_at: dt.date | None = None
    dates: list[dt.date] = field(default_factory=list)
    rows: list[PlanRow] = field(default_factory=list)


@dataclass(frozen=True)
class Expected:
    """What the upload must match: the PCN it is uploaded for, the round's year, the roles
    (by every name, code and alias, compared as label keys)."""

    pcn_code: str
    year: int
    roles: dict[str, int]


def plan_file_read(path: Path, expected: Expected, problems: ProblemLog) -> PlanFile:
    """Read and check the whole file; every problem goes to ``problems``."""
    rows = _sheet_rows(path, problems)
    if rows is None:
        return PlanFile()
    header_at = next((n for n, values in rows if _text(values, 0).casefold() == "role"), None)
    if header_at is None:
        problems.add(None, None, f"There is no table headed '{ROLE}'. Use the template.")
        return PlanFile()
    plan = PlanFile()
    _read_heading([(n, v) for n, v in rows if n < header_at], expected, plan, problems)
    columns = _read_header(header_at, dict(rows)[header_at], expected.year, plan, problems)
    if columns is None:
        return plan
    body = [(n, values) for n, values in rows if n > header_at]
    plan.rows = list(_read_rows(body, columns, expected, problems))
    if not problems and not any(_has_figures(row) for row in plan.rows):
        problems.add(None, None, "Every WTE cell is blank: fill in at least one figure.")
    return plan


def _sheet_rows(path: Path, problems: ProblemLog) -> list[tuple[int, tuple]] | None:
    try:
        book = load_workbook(path, data_only=True, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        problems.add(None, None, NOT_A_WORKBOOK)
        return None
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        return [
            (number, values)
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            if any(clean_text(_as_text(value)) for value in values)
        ]
    finally:
        book.close()


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _text(values: tuple, index: int) -> str:
    return clean_text(_as_text(values[index])) if index < len(values) else ""


def _read_heading(
    rows: list[tuple[int, tuple]], expected: Expected, plan: PlanFile, problems: ProblemLog
) -> None:
    found = {label_key(_text(values, 0)): (number, values) for number, values in rows}
    code_at = found.get(label_key(PCN_CODE))
    year_at = found.get(label_key(YEAR))
    as_at_at = found.get(label_key(AS_AT))
    plan.pcn_code = _check_pcn(code_at, expected, problems)
    plan.year = _check_year(year_at, expected, problems)
    plan.as_at = _check_as_at(as_at_at, expected.year, problems)


def _check_pcn(found: tuple | None, expected: Expected, problems: ProblemLog) -> str | None:
    if found is None:
        problems.add(None, None, f"There is no '{PCN_CODE}' row. Use the template.")
        return None
    number, values = found
    code = ods_code(_text(values, 1))
    if not code:
        problems.add(number, "B", "The PCN code is blank.")
    elif code != expected.pcn_code:
        problems.add(
            number,
            "B",
            f"This plan is for PCN {code}, not {expected.pcn_code}, the PCN you are uploading "
            f"for. Upload it from {code}'s workforce page, or use {expected.pcn_code}'s template.",
        )
    return code or None


def _check_year(found: tuple | None, expected: Expected, problems: ProblemLog) -> int | None:
    if found is None:
        problems.add(None, None, f"There is no '{YEAR}' row. Use the template.")
        return None
    number, values = found
    try:
        year = parse_fy(_text(values, 1))
    except ValueError as error:
        problems.add(number, "B", str(error))
        return None
    if year != expected.year:
        problems.add(
            number,
            "B",
            f"This plan is for {fy_label(year)}, but the round is for {fy_label(expected.year)}.",
        )
    return year


def _check_as_at(found: tuple | None, year: int, problems: ProblemLog) -> dt.date | None:
    if found is None:
        problems.add(None, None, f"There is no '{AS_AT}' row. Use the template.")
        return None
    number, values = found
    before = problems.count
    day = _cell_date(values[1] if len(values) > 1 else None, number, "B", problems)
    if day is None and problems.count == before:
        problems.add(number, "B", "The date the WTE in post figures are for is blank.")
    elif day is not None:
        _check_in_year(day, year, number, "B", problems)
    return day


def _check_in_year(day: dt.date, year: int, row: int, column: str, problems: ProblemLog) -> bool:
    if fy_contains(year, day):
        return True
    problems.add(
        row,
        column,
        f"{day:%d/%m/%Y} is outside {fy_label(year)} "
        f"({fy_start(year):%d/%m/%Y} to {fy_end(year):%d/%m/%Y}).",
    )
    return False


def _cell_date(value: object, row: int, column: str, problems: ProblemLog) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(_as_text(value))
    except ValueError as error:
        problems.add(row, column, f"{error}; write dates like 31/03/2027")
        return None


@dataclass(frozen=True)
class Columns:
    in_post: int
    dates: dict[int, dt.date]


def _read_header(
    number: int, values: tuple, year: int, plan: PlanFile, problems: ProblemLog
) -> Columns | None:
    keys = [label_key(_as_text(value)) for value in values]
    if label_key(IN_POST) not in keys:
        problems.add(number, None, f"The table has no '{IN_POST}' column. Use the template.")
        return None
    in_post = keys.index(label_key(IN_POST))
    dates: dict[int, dt.date] = {}
    for index in range(in_post + 1, len(values)):
        day = _header_date(values[index], number, index, year, problems)
        if day is None:
            continue
        if day in dates.values():
            problems.add(number, _letter(index), f"{day:%d/%m/%Y} is a heading twice.")
        dates[index] = day
    if not dates and not problems:
        problems.add(number, None, "There are no intended WTE columns: add at least one date.")
    plan.dates = sorted(set(dates.values()))
    return Columns(in_post=in_post, dates=dates)


def _header_date(
    value: object, row: int, index: int, year: int, problems: ProblemLog
) -> dt.date | None:
    if not clean_text(_as_text(value)):
        return None
    before = problems.count
    day = _cell_date(value, row, _letter(index), problems)
    if day is None:
        if problems.count == before:
            problems.add(row, _letter(index), "is not a date; intended WTE columns need a date")
        return None
    return day if _check_in_year(day, year, row, _letter(index), problems) else None


def _letter(index: int) -> str:
    return get_column_letter(index + 1)


def _read_rows(
    body: list[tuple[int, tuple]], columns: Columns, expected: Expected, problems: ProblemLog
) -> Iterator[PlanRow]:
    seen: dict[int, int] = {}
    for number, values in body:
        role_id = _row_role(number, values, expected, seen, problems)
        in_post = _cell_wte(values, columns.in_post, number, problems)
        intended = {
            day: _cell_wte(values, index, number, problems) for index, day in columns.dates.items()
        }
        if role_id is not None:
            seen[role_id] = number
            yield PlanRow(number, role_id, in_post, intended)


def _row_role(
    number: int, values: tuple, expected: Expected, seen: dict[int, int], problems: ProblemLog
) -> int | None:
    name = _text(values, 0)
    if not name:
        problems.add(number, "A", "The role is blank; every row with figures needs a role.")
        return None
    role_id = expected.roles.get(label_key(name))
    if role_id is None:
        problems.add(
            number,
            "A",
            f"'{name}' is not an ARRS role. Use the role names in the template, or ask "
            "the ICB to add it as another name for a role.",
        )
        return None
    if role_id in seen:
        problems.add(number, "A", f"'{name}' is listed twice (also in row {seen[role_id]}).")
        return None
    return role_id


def _cell_wte(values: tuple, index: int, row: int, problems: ProblemLog) -> Decimal | None:
    raw = values[index] if index < len(values) else None
    text = clean_text(_as_text(raw)).replace(",", "")
    if not text:
        return None
    column = _letter(index)
    try:
        wte = Decimal(text)
    except InvalidOperation:
        wte = Decimal("NaN")
    if not wte.is_finite():
        problems.add(row, column, f"'{text}' is not a number of WTE")
        return None
    if wte < 0:
        problems.add(row, column, f"{text} is negative; WTE is zero or more")
        return None
    if wte > MAX_WTE:
        problems.add(
            row, column, f"{text} WTE of one role is more than any PCN employs; check the figure"
        )
        return None
    return wte.quantize(WTE_PLACES)


def _has_figures(row: PlanRow) -> bool:
    return row.in_post is not None or any(wte is not None for wte in row.intended.values())
