"""Cells for CSV and Excel downloads, made safe to open in a spreadsheet.

A spreadsheet reads text beginning with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return before one) as a formula, so a name such as ``=HYPERLINK("http://x","y")`` in a
download would run when opened. Every CSV and workbook the portal writes goes through here:

- in a CSV, such text gets a leading single quote (OWASP's guidance on CSV injection), which
  a spreadsheet shows as text;
- in a workbook, such text is kept as it is but stored as text, never as a formula, and
  marked with Excel's quote prefix (what typing a leading apostrophe does), so it stays text
  when someone edits the cell.

Numbers stay numbers, negative ones too: ints, floats and Decimals are never touched, nor is
text that is only a number (``"-3.5"`` as the ARRS downloads write unrounded figures,
``"-1,234.5"`` or ``"-12.5%"`` as a page shows them).
Blanks and dates are left alone.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A number a spreadsheet reads as a number, not a formula: -3.5, +12, -1,234.5, 1e-5, -12.5%.
_NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d*)?([eE][+-]?\d+)?%?|[+-]?\.\d+%?")


def formula_like(value: Any) -> bool:
    """Text a spreadsheet could take for a formula: it begins with = + - @, a tab or a
    carriage return, and is not simply a number."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return False
    return _NUMBER.fullmatch(value) is None


def safe_cell(value: Any) -> Any:
    """A CSV cell: formula-like text behind a single quote; anything else as it was."""
    return f"'{value}" if formula_like(value) else value


class SafeCsvWriter:
    """``csv.writer`` with every cell passed through ``safe_cell``; ``writerow`` returns
    what the file's ``write`` returns, as ``csv.writer``'s does."""

    def __init__(self, file: Any, **options: Any) -> None:
        self._writer = csv.writer(file, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(file: Any, **options: Any) -> SafeCsvWriter:
    """The writer every CSV download uses (options as for ``csv.writer``)."""
    return SafeCsvWriter(file, **options)


def workbook_neutralise(book: Workbook) -> None:
    """Store every formula-like text cell in the workbook as text, quote-prefixed. The
    portal's workbooks hold no formulas of their own, so any cell openpyxl took for one
    came from the data."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if formula_like(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True


def workbook_bytes(book: Workbook) -> bytes:
    """The workbook as .xlsx bytes, neutralised first: the one way the portal saves one."""
    workbook_neutralise(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
