"""What the ODS reports share: headerless CSVs whose columns are known only by position,
and rows that may instead come from a spreadsheet (the older ePCN.xlsx).

Every row becomes ``Cells``: values by field name, and for each field the column to name
in a problem ("11 (open date)" for a CSV, "PCN Core Partner Details!E" for a sheet).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from metrics.sources.base import Parsed, ProblemLog, WrongKindOfFile
from metrics.sources.readers import (
    check_code,
    clean_text,
    display_name,
    first_row,
    ods_code,
    parse_date_logged,
    raw_rows,
)
from practices.services import OrgRecord

PRACTICE_LIKE = re.compile(r"^[A-Z][0-9A-Z]{3,7}$")
PCN_LIKE = re.compile(r"^U[0-9A-Z]{3,7}$")
ADDRESS_FIELDS = ("address1", "address2", "address3", "address4", "address5")


@dataclass(frozen=True)
class Cells:
    """One row of a file, as a person numbers it when they open the file."""

    number: int
    values: Mapping[str, object]
    columns: Mapping[str, str]

    def text(self, field: str) -> str:
        return cell_text(self.values.get(field))

    def column(self, field: str) -> str:
        return self.columns.get(field, field)


def cell_text(value: object) -> str:
    """A cell as text; spreadsheets hold 20200401 or a code like 123 as numbers."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value))


@dataclass(frozen=True)
class Layout:
    """A headerless ODS report: its width, the columns read, and what column 1 holds.

    ``key_like`` is loose on purpose: it tells one report from another, while a malformed
    code in a file of the right kind is reported against its row.
    """

    report: str
    width: int
    fields: Mapping[str, tuple[int, str]]  # field -> (column number from 1, its name)
    key_like: re.Pattern[str]
    key_what: str

    def cells(self, number: int, fields: list[str]) -> Cells:
        values = {field: fields[position - 1] for field, (position, _) in self.fields.items()}
        columns = {field: f"{position} ({name})" for field, (position, name) in self.fields.items()}
        return Cells(number, values, columns)


def headerless_rows(
    path: Path, layout: Layout, parsed: Parsed, problems: ProblemLog
) -> Iterator[Cells]:
    """Every row of the right width, counted in ``parsed``; other widths are problems."""
    refuse_unless_headerless(first_row(path), layout)
    for number, fields in raw_rows(path):
        parsed.rows_read += 1
        if len(fields) == layout.width:
            yield layout.cells(number, fields)
        else:
            message = f"has {len(fields)} columns; {layout.report} rows have {layout.width}"
            problems.add(number, None, message)


def refuse_unless_headerless(first: list[str], layout: Layout) -> None:
    """Say what the file looks like when it is not this report."""
    key_ok = bool(layout.key_like.fullmatch(ods_code(first[0])))
    if not key_ok and _looks_like_header(first[0]):
        raise WrongKindOfFile(
            f"This file starts with a header row ({_preview(first)}); "
            f"{layout.report} has no header row."
        )
    if len(first) != layout.width:
        raise WrongKindOfFile(
            f"This file has {len(first)} columns; {layout.report} has {layout.width}."
        )
    if not key_ok:
        raise WrongKindOfFile(
            f"The first column holds '{clean_text(first[0])}', not a {layout.key_what} code; "
            f"every {layout.report} row starts with one."
        )


def _looks_like_header(text: str) -> bool:
    return bool(re.search(r"[a-z_ ]", clean_text(text)))


def _preview(fields: list[str]) -> str:
    shown = ", ".join(clean_text(f) for f in fields[:4])
    return f"{shown}, ..." if len(fields) > 4 else shown


def cell_code(
    cells: Cells, field: str, pattern: re.Pattern[str], what: str, problems: ProblemLog
) -> str | None:
    column = cells.column(field)
    return check_code(cells.text(field), pattern, what, cells.number, column, problems)


def cell_date(
    cells: Cells, field: str, problems: ProblemLog, *, blank_ok: bool = True
) -> dt.date | None:
    value = cells.values.get(field)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    column = cells.column(field)
    return parse_date_logged(cell_text(value), cells.number, column, problems, blank_ok=blank_ok)


def cell_period(
    cells: Cells, start_field: str, end_field: str, problems: ProblemLog, *, start_needed: bool
) -> tuple[dt.date | None, dt.date | None]:
    """A start and an end date, the end no earlier than the start."""
    start = cell_date(cells, start_field, problems, blank_ok=not start_needed)
    end = cell_date(cells, end_field, problems)
    if start and end and end < start:
        message = (
            f"{end.isoformat()} is earlier than {start.isoformat()}, "
            f"the date in column {cells.column(start_field)}"
        )
        problems.add(cells.number, cells.column(end_field), message)
    return start, end


def address(cells: Cells) -> str:
    lines = (display_name(cells.text(field)) for field in ADDRESS_FIELDS)
    return ", ".join(line for line in lines if line)


def named_org(code: str, cells: Cells, name_field: str) -> OrgRecord:
    """An organisation known by code and, where the file gives one, its name."""
    return OrgRecord(code=code, name=display_name(cells.text(name_field)) or None, row=cells.number)
