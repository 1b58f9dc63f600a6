"""The GPAD practice-level crosstab file: one month's rows in the published layout.

``CrosstabWriter`` streams rows to an open text handle, one practice at a time, so a national
month (about a million rows) never sits in memory. A ``CrosstabDialect`` says how a particular
file departs from the usual layout: column order, label spellings, BOM and line ending. The
usual layout is the published one: CRLF line endings, no BOM, practice and PCN names in
upper case and place names in mixed case, a practice in no PCN as ``U`` / ``UNALLOCATED``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TextIO

from demo.gpad_mix import CELLS

# How the published files write a practice in no PCN (Mapping.csv and the crosstab alike).
NO_PCN_CODE, NO_PCN_NAME = "U", "UNALLOCATED"
CROSSTAB_HEADER = (
    "APPOINTMENT_MONTH_START_DATE", "GP_CODE", "GP_NAME", "SUPPLIER", "PCN_CODE", "PCN_NAME",
    "SUB_ICB_LOCATION_CODE", "SUB_ICB_LOCATION_NAME", "HCP_TYPE", "APPT_MODE",
    "NATIONAL_CATEGORY", "TIME_BETWEEN_BOOK_AND_APPT", "COUNT_OF_APPOINTMENTS", "APPT_STATUS",
)  # fmt: skip
# The columns a cell fills, in the order of the labels in ``gpad_mix.CELLS``.
CELL_COLUMNS = (
    "HCP_TYPE", "APPT_MODE", "NATIONAL_CATEGORY", "TIME_BETWEEN_BOOK_AND_APPT", "APPT_STATUS",
)  # fmt: skip
_COUNT_COLUMN = "COUNT_OF_APPOINTMENTS"
_MONTH_ABBR = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def month_stamp(month: date) -> str:
    """APPOINTMENT_MONTH_START_DATE as published: ``01DEC2025``."""
    return f"{month.day:02d}{_MONTH_ABBR[month.month - 1]}{month.year}"


@dataclass(frozen=True)
class CrosstabPractice:
    """The identifying columns of one practice as a month's file shows them."""

    code: str
    name: str
    supplier: str
    pcn_code: str
    pcn_name: str
    sub_icb_code: str
    sub_icb_name: str

    def columns(self, month: date) -> dict[str, str]:
        return {
            "APPOINTMENT_MONTH_START_DATE": month_stamp(month), "GP_CODE": self.code,
            "GP_NAME": self.name, "SUPPLIER": self.supplier, "PCN_CODE": self.pcn_code,
            "PCN_NAME": self.pcn_name, "SUB_ICB_LOCATION_CODE": self.sub_icb_code,
            "SUB_ICB_LOCATION_NAME": self.sub_icb_name,
        }  # fmt: skip


@dataclass(frozen=True)
class CrosstabDialect:
    """How one file is written. ``relabel`` maps (column, canonical label) to the spelling this
    file uses instead, e.g. ``("APPT_STATUS", "DNA"): "Did not attend"``."""

    header: tuple[str, ...] = CROSSTAB_HEADER
    relabel: dict[tuple[str, str], str] = field(default_factory=dict)
    bom: bool = False
    newline: str = "\r\n"


PUBLISHED = CrosstabDialect()


def _csv_field(value: object) -> str:
    text = str(value)
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _braces_escaped(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _row_pattern(dialect: CrosstabDialect, month: date, practice: CrosstabPractice) -> str:
    """A ``str.format`` pattern with the practice's columns filled in, leaving ``{0}``-``{4}``
    for the cell's labels and ``{5}`` for the count, wherever the dialect puts those columns."""
    slots = {name: f"{{{index}}}" for index, name in enumerate((*CELL_COLUMNS, _COUNT_COLUMN))}
    fixed = practice.columns(month)
    parts = [slots.get(name) or _braces_escaped(_csv_field(fixed[name])) for name in dialect.header]
    return ",".join(parts) + dialect.newline


def _cell_labels(dialect: CrosstabDialect) -> list[tuple[str, ...]]:
    """Every cell's five labels as this file spells them, ready to drop into a row."""
    relabel = dialect.relabel
    return [
        tuple(
            _csv_field(relabel.get((column, label), label))
            for column, label in zip(CELL_COLUMNS, cell, strict=True)
        )
        for cell in CELLS
    ]


class CrosstabWriter:
    """Writes one month's crosstab to an open text handle, practice by practice.

    Only cells with a count above zero are written: the published file is a sparse crosstab."""

    def __init__(self, handle: TextIO, month: date, dialect: CrosstabDialect = PUBLISHED):
        self.handle = handle
        self.month = month
        self.dialect = dialect
        self.rows = 0
        self._labels = _cell_labels(dialect)
        if dialect.bom:
            handle.write("\ufeff")
        handle.write(",".join(dialect.header) + dialect.newline)

    def practice_write(self, practice: CrosstabPractice, counts: Iterable[tuple[int, int]]) -> int:
        """Write ``(cell index, count)`` pairs for one practice; returns the rows written."""
        pattern = _row_pattern(self.dialect, self.month, practice).format
        labels = self._labels
        lines = [pattern(*labels[cell], count) for cell, count in counts if count > 0]
        self.handle.write("".join(lines))
        self.rows += len(lines)
        return len(lines)
