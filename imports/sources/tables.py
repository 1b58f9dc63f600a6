"""Small headed tables that people keep as a CSV or as a spreadsheet: found by header name
either way, with the row numbers a person sees when they open the file."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from imports.sources.base import WrongKindOfFile
from imports.sources.limits import zip_check
from imports.sources.readers import Header, clean_text, headed_rows, match_header

HEADER_SEARCH_ROWS = 10

Rows = Iterator[tuple[int, list[str]]]


def cell_text(value: object) -> str:
    """A cell as text; spreadsheets hold 20200401 or a code like 123 as numbers."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value))


def is_workbook(path: Path) -> bool:
    """An Excel workbook by name, or a zip holding one (a zip holding a CSV is not)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return True
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as archive:
        return "xl/workbook.xml" in archive.namelist()


def table_rows(
    path: Path, aliases: Mapping[str, tuple[str, ...]], required: tuple[str, ...]
) -> tuple[Header, Rows]:
    """The header and data rows of a CSV, or of a workbook's first sheet (the header may sit
    under a title, within the first few rows)."""
    if is_workbook(path):
        return _sheet_table(path, aliases, required)
    return headed_rows(path, aliases, required)


def _sheet_table(
    path: Path, aliases: Mapping[str, tuple[str, ...]], required: tuple[str, ...]
) -> tuple[Header, Rows]:
    rows = _sheet_text(path)
    for number, fields in rows[:HEADER_SEARCH_ROWS]:
        header, missing = match_header(fields, aliases, required)
        if not missing:
            return header, iter([(n, f) for n, f in rows if n > number])
    names = ", ".join(required)
    raise WrongKindOfFile(f"The first sheet has no header row naming {names}.")


def _sheet_text(path: Path) -> list[tuple[int, list[str]]]:
    try:
        with zipfile.ZipFile(path) as archive:
            zip_check(archive)  # a workbook is a zip: no bomb is opened
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise WrongKindOfFile("The file could not be opened as an Excel workbook.") from None
    try:
        sheet = book.worksheets[0]
        found = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            fields = [cell_text(value) for value in values]
            if any(fields):
                found.append((number, fields))
        return found
    finally:
        book.close()
