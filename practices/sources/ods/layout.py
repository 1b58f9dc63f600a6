"""What the ODS reports share: CSVs whose columns are known by position, and rows that may
instead come from a spreadsheet (the older ePCN.xlsx).

The reports are published without a header row, but the same report downloaded from the ODS
Data Search and Export with headers ticked has one; such a row is recognised and read past.
The legacy downloads came as a zip holding the CSV beside a PDF describing it; the CSV is read
from inside the zip.

Every row becomes ``Cells``: values by field name, and for each field the column to name
in a problem ("11 (open date)" for a CSV, "PCN Core Partner Details!E" for a sheet).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from imports.sources.base import Parsed, ProblemLog, WrongKindOfFile
from imports.sources.limits import csv_rows, zip_check, zip_member_open
from imports.sources.readers import (
    check_code,
    clean_text,
    display_name,
    ods_code,
    parse_date_logged,
)
from imports.sources.tables import cell_text
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


@dataclass(frozen=True)
class Layout:
    """An ODS report: its width, the columns read, and what column 1 holds.

    ``key_like`` is loose on purpose: it tells one report from another, while a malformed
    code in a file of the right kind is reported against its row. ``header_words`` are
    patterns every header row of this report matches somewhere (a downloaded header names
    the columns in its own words, so only a few telling words are checked).
    """

    report: str
    width: int
    fields: Mapping[str, tuple[int, str]]  # field -> (column number from 1, its name)
    key_like: re.Pattern[str]
    key_what: str
    header_words: tuple[str, ...] = ()

    def cells(self, number: int, fields: list[str]) -> Cells:
        values = {field: fields[position - 1] for field, (position, _) in self.fields.items()}
        columns = {field: f"{position} ({name})" for field, (position, name) in self.fields.items()}
        return Cells(number, values, columns)


def headerless_rows(
    path: Path, layout: Layout, parsed: Parsed, problems: ProblemLog
) -> Iterator[Cells]:
    """Every data row of the right width, counted in ``parsed``; other widths are problems.

    A header row, where the file has one, is noted and not counted as a row read.
    """
    with _report_text(path, layout, parsed) as handle:
        rows = _numbered_rows(handle)
        number, fields = _next_row(rows, "The file is empty.")
        if is_header_row(fields, layout):
            parsed.notes.append(
                f"Row {number} is a header row ({_preview(fields)}), as in a report downloaded "
                "with headers; it was not loaded, and the columns were read by position."
            )
            number, fields = _next_row(rows, "The file has a header row and no other rows.")
        refuse_unless_headerless(fields, layout)
        yield from _data_rows(number, fields, rows, layout, parsed, problems)


def _data_rows(
    number: int,
    fields: list[str],
    rows: Iterator[tuple[int, list[str]]],
    layout: Layout,
    parsed: Parsed,
    problems: ProblemLog,
) -> Iterator[Cells]:
    while True:
        parsed.rows_read += 1
        if len(fields) == layout.width:
            yield layout.cells(number, fields)
        else:
            message = f"has {len(fields)} columns; {layout.report} rows have {layout.width}"
            problems.add(number, None, message)
        following = next(rows, None)
        if following is None:
            return
        number, fields = following


def _next_row(rows: Iterator[tuple[int, list[str]]], empty: str) -> tuple[int, list[str]]:
    following = next(rows, None)
    if following is None:
        raise WrongKindOfFile(empty)
    return following


def _numbered_rows(handle: TextIO) -> Iterator[tuple[int, list[str]]]:
    """(row number, fields) for every non-blank line; a file that is not UTF-8 text, or not
    CSV, is refused."""
    try:
        for number, fields in csv_rows(handle):  # a line past the limit refuses the file
            if any(f.strip() for f in fields):
                yield number, fields
    except UnicodeDecodeError:
        raise WrongKindOfFile("The file is not a text (CSV) file.") from None
    except csv.Error as error:
        raise WrongKindOfFile(f"The file could not be read as CSV: {error}.") from None


@contextmanager
def _report_text(path: Path, layout: Layout, parsed: Parsed) -> Iterator[TextIO]:
    """The report as text: the file itself, or the report's CSV inside a zip."""
    if not zipfile.is_zipfile(path):
        with open(path, encoding="utf-8-sig", newline="") as handle:
            yield handle
        return
    with zipfile.ZipFile(path) as archive:
        zip_check(archive)
        member, others = _report_member(archive, layout)
        if others:
            parsed.notes.append(
                f"Read {member} from the zip; {', '.join(others)} "
                f"{'was' if len(others) == 1 else 'were'} left aside."
            )
        with zip_member_open(archive, archive.getinfo(member)) as raw:
            yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def _report_member(archive: zipfile.ZipFile, layout: Layout) -> tuple[str, list[str]]:
    """The one CSV in the zip (or the one named after the report), and the other files."""
    names = [info.filename for info in archive.infolist() if not info.is_dir()]
    if "xl/workbook.xml" in names:
        raise WrongKindOfFile(f"This is an Excel workbook; {layout.report} is a CSV file.")
    csvs = [name for name in names if name.lower().endswith(".csv")]
    if len(csvs) > 1:
        named = [n for n in csvs if Path(n).name.lower().startswith(layout.report.lower())]
        csvs = named if len(named) == 1 else csvs
    if len(csvs) != 1:
        held = ", ".join(names[:6]) or "nothing"
        raise WrongKindOfFile(
            f"This zip should hold one {layout.report} CSV; it holds {held}."
            if csvs
            else f"This zip holds no CSV file (it holds {held}); {layout.report} is a CSV."
        )
    return csvs[0], [name for name in names if name != csvs[0]]


def is_header_row(fields: list[str], layout: Layout) -> bool:
    """A header row of this report: its width, words where the codes would be, the key
    column named as a code, and the report's telling words somewhere in the row."""
    if len(fields) != layout.width or layout.key_like.fullmatch(ods_code(fields[0])):
        return False
    words = " ".join(clean_text(f) for f in fields).casefold()
    key_named = "code" in clean_text(fields[0]).casefold()
    return key_named and all(re.search(pattern, words) for pattern in layout.header_words)


def refuse_unless_headerless(first: list[str], layout: Layout) -> None:
    """Say what the file looks like when it is not this report."""
    key_ok = bool(layout.key_like.fullmatch(ods_code(first[0])))
    if not key_ok and _looks_like_header(first[0]):
        raise WrongKindOfFile(
            f"This file starts with a header row ({_preview(first)}) that is not "
            f"{layout.report}'s: {layout.report} has {layout.width} columns, the first "
            f"a {layout.key_what} code."
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
