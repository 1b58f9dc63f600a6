"""The careful path: a crosstab read row by row, every problem named by row and column.

Used when the fast reader meets anything unexpected. While no problem has been found it
also produces chunks to write, so a file that only looked odd (a blank line, say) still
loads; once a problem is found it only checks, and the load is rolled back at the end.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from imports.sources.base import ProblemLog
from imports.sources.limits import UnreadableRow, csv_rows
from imports.sources.readers import Header, clean_text
from metrics.models import Dimension
from metrics.models.gpad import DIMENSION_COLUMNS
from metrics.sources.gpad.chunks import Chunk
from metrics.sources.gpad.files import Member
from metrics.sources.gpad.lookups import (
    MAX_COUNT,
    Categories,
    Practices,
    month_of,
    practice_code,
    reported_pcn,
    seen,
    sub_icb_code,
)

CHUNK_ROWS = 50_000
REPLACEMENT = "\ufffd"


@dataclass
class Pending:
    """Rows read and checked, waiting to become a chunk."""

    practice_ids: list[int] = field(default_factory=list)
    months: list[int] = field(default_factory=list)
    categories: dict[str, list[int]] = field(
        default_factory=lambda: {d: [] for d in Dimension.values}
    )
    counts: list[int] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    suppliers: list[int] = field(default_factory=list)
    reported: dict = field(default_factory=dict)

    def chunk(self) -> Chunk:
        return Chunk(
            practice_ids=np.array(self.practice_ids, dtype=np.int64),
            months=np.array(self.months, dtype=np.int64),
            categories={d: np.array(v, dtype=np.int64) for d, v in self.categories.items()},
            counts=np.array(self.counts, dtype=np.int64),
            rows=np.array(self.rows, dtype=np.int64),
            practice_months=self.reported,
            suppliers=np.array(self.suppliers, dtype=np.int64),
        )


@dataclass
class CarefulReader:
    header: Header
    categories: Categories
    practices: Practices
    problems: ProblemLog
    file_name: str = ""  # named in each problem when the file is one of a zip's
    header_width: int = 0

    def chunks(self, member: Member) -> Iterator[Chunk]:
        pending = Pending()
        for number, fields in self._rows(member):
            if self._read(number, fields, pending) and len(pending.counts) >= CHUNK_ROWS:
                yield pending.chunk()
                pending = Pending()
        if pending.counts and not self.problems:
            yield pending.chunk()

    def _rows(self, member: Member) -> Iterator[tuple[int, list[str]]]:
        with member.open() as handle:
            text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="replace", newline="")
            try:
                yield from csv_rows(text)
            except UnreadableRow as stop:  # a line too long, or not CSV: reading ends there
                self._problem(stop.row, None, stop.message)

    def _read(self, number: int, fields: list[str], pending: Pending) -> bool:
        if number == 1:
            self.header_width = len(fields)
            return False
        before = self.problems.count
        values = self._values(number, fields)
        record = self._record(number, values) if values is not None else None
        if record is None or self.problems.count > before or self.problems:
            return False
        self._keep(number, values, record, pending)
        return True

    def _values(self, number: int, fields: list[str]) -> dict[str, str] | None:
        width = max(self.header_width, max(self.header.positions.values()) + 1)
        if not any(f.strip() for f in fields):
            return None  # a blank line holds no appointments
        if len(fields) != width:  # one too many (an unquoted comma) shifts every column after
            self._problem(number, None, f"has {len(fields)} fields where {width} are expected")
            return None
        if any(REPLACEMENT in f for f in fields):
            self._problem(number, None, "has characters that are not valid UTF-8 text")
            return None
        return {name: self.header.get(fields, name) for name in self.header.positions}

    def _record(self, number: int, values: dict[str, str]) -> tuple | None:
        month = self._month(number, values)
        code = self._practice(number, values)
        ids = {d: self._category(number, d, values) for d in Dimension.values}
        count = self._count(number, values)
        if month is None or code is None or None in ids.values() or count is None:
            return None
        return month, code, ids, count

    def _month(self, number: int, values: dict[str, str]):
        raw = values["APPOINTMENT_MONTH_START_DATE"]
        month = month_of(raw)
        if month is None:
            self._bad(number, "APPOINTMENT_MONTH_START_DATE", raw, "a date like 01DEC2025")
        return month

    def _practice(self, number: int, values: dict[str, str]) -> str | None:
        code = practice_code(values["GP_CODE"])
        if code is None:
            self._bad(number, "GP_CODE", values["GP_CODE"], "a practice ODS code like L85001")
        return code

    def _category(self, number: int, dimension: str, values: dict[str, str]) -> int | None:
        column = DIMENSION_COLUMNS[dimension]
        found = self.categories.id_for(dimension, values[column])
        if found is None:
            self._bad(number, column, values[column], f"one of: {self.categories.known(dimension)}")
        return found

    def _count(self, number: int, values: dict[str, str]) -> int | None:
        raw = clean_text(values["COUNT_OF_APPOINTMENTS"])
        if not (raw.isascii() and raw.isdigit()):  # isdigit alone lets "²" through to int()
            self._bad(number, "COUNT_OF_APPOINTMENTS", raw, "a whole number of zero or more")
            return None
        if int(raw) > MAX_COUNT:
            self._bad(number, "COUNT_OF_APPOINTMENTS", raw, f"a count of at most {MAX_COUNT:,}")
            return None
        return int(raw)

    def _bad(self, number: int, field_name: str, raw: str, expected: str) -> None:
        column = self.header.names.get(field_name, field_name)
        shown = clean_text(raw) or "(blank)"
        self._problem(number, column, f"'{shown[:60]}' is not {expected}")

    def _problem(self, number: int | None, column: str | None, message: str) -> None:
        self.problems.add(number, column, message, file=self.file_name or None)

    def _keep(self, number: int, values: dict[str, str], record: tuple, pending: Pending) -> None:
        month, code, ids, count = record
        if self.practices.id_for(code) is None:
            self.practices.add([seen(values, code)])
        practice_id = self.practices.id_for(code)
        pending.practice_ids.append(practice_id)
        pending.months.append(month.toordinal())
        for dimension, category_id in ids.items():
            pending.categories[dimension].append(category_id)
        pending.counts.append(count)
        pending.rows.append(number)
        pending.suppliers.append(self.categories.supplier_id(values.get("SUPPLIER", "")))
        reported = (
            reported_pcn(values.get("PCN_CODE", "")),
            sub_icb_code(values.get("SUB_ICB_LOCATION_CODE", "")),
        )
        pending.reported.setdefault((practice_id, month), set()).add(reported)
