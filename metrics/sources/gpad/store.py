"""Writing GPAD: bulk-loading rows (COPY on PostgreSQL), replacing reloaded months, and
recording each practice-month with the PCN and place it reported (reported.py turns those
into links)."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from psycopg.copy import QueuedLibpqWriter

from core.bulk import rows_insert
from imports.sources.base import WriteContext
from metrics.models import AppointmentCount, Dimension, GpadPracticeMonth
from metrics.models.gpad import NO_PCN
from metrics.planner import MONTH_BY_INDEX, NO_JIT, planned_with
from metrics.sources.gpad.chunks import Chunk, Tally

DAYS_BEFORE_2000 = dt.date(2000, 1, 1).toordinal()  # PostgreSQL counts dates from 2000
BINARY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, no flags, no extension
BINARY_TRAILER = b"\xff\xff"
CATEGORY_FIELDS = {
    Dimension.STATUS: "status_id",
    Dimension.HCP_TYPE: "hcp_type_id",
    Dimension.MODE: "mode_id",
    Dimension.NATIONAL_CATEGORY: "national_category_id",
    Dimension.BOOKING_BAND: "booking_band_id",
}
COLUMNS = [
    "practice_id", "month", *CATEGORY_FIELDS.values(), "count", "batch_id", "source_file_id",
    "source_row",
]  # fmt: skip


class FactsWriter:
    """Appends one file's rows to the appointments table as its chunks arrive.

    On PostgreSQL the rows go through one open COPY, so the database takes in one block
    while the next is being read (a COPY per block made each side wait for the other).
    Any other query on the connection meanwhile (a practice added from the rows) first
    ends the COPY; the next block starts another. Elsewhere each block is one
    executemany. Leaving the ``with`` block on an error abandons the open COPY.
    """

    def __init__(self, *, batch_id: int, file_id: int) -> None:
        self.batch_id, self.file_id = batch_id, file_id
        self._outer = ExitStack()
        self._copying: ExitStack | None = None
        self._copy = None

    def __enter__(self) -> FactsWriter:
        if connection.vendor == "postgresql":
            self._outer.enter_context(connection.execute_wrapper(self._copy_ended_first))
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            self._copy_end(*exc_info)
        finally:
            self._outer.close()

    def write(self, chunk: Chunk) -> None:
        if len(chunk) == 0:
            return
        if connection.vendor != "postgresql":
            _insert(chunk, self.batch_id, self.file_id)
            return
        if self._copy is None:
            self._copy_start()
        self._copy.write(_binary(chunk, self.batch_id, self.file_id))

    def _copy_start(self) -> None:
        """Binary COPY, handed to a thread that sends it while the next block is read (its
        queue holds at most 1,024 blocks of 128 KiB, so memory stays bounded)."""
        self._copying = ExitStack()
        cursor = self._copying.enter_context(connection.cursor()).cursor
        sql = f"COPY {_table()} ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT binary)"  # noqa: S608
        self._copy = self._copying.enter_context(cursor.copy(sql, writer=QueuedLibpqWriter(cursor)))
        self._copy.write(BINARY_HEADER)

    def _copy_end(self, *exc_info) -> None:
        copying, copy = self._copying, self._copy
        self._copying, self._copy = None, None
        if copying is None:
            return
        if not exc_info or exc_info[0] is None:
            copy.write(BINARY_TRAILER)
        copying.__exit__(*(exc_info or (None, None, None)))

    def _copy_ended_first(self, execute, sql, params, many, context):
        self._copy_end()
        return execute(sql, params, many, context)


def _arrays(chunk: Chunk, batch_id: int, file_id: int) -> list[np.ndarray]:
    constant = np.full(len(chunk), 0, dtype=np.int64)
    return [
        chunk.practice_ids,
        chunk.months,
        *(chunk.categories[dimension] for dimension in CATEGORY_FIELDS),
        chunk.counts,
        constant + batch_id,
        constant + file_id,
        chunk.rows,
    ]


def _binary(chunk: Chunk, batch_id: int, file_id: int) -> bytes:
    """The chunk's rows in PostgreSQL's binary COPY format, built by numpy in one go:
    per row a field count, then each field's length and big-endian value."""
    rows = np.empty(len(chunk), dtype=_row_dtype())
    rows["fields"] = len(COLUMNS)
    for index, (column, values) in enumerate(
        zip(COLUMNS, _arrays(chunk, batch_id, file_id), strict=True)
    ):
        rows[f"length{index}"] = rows.dtype[f"value{index}"].itemsize
        rows[f"value{index}"] = values - DAYS_BEFORE_2000 if column == "month" else values
    return rows.tobytes()


@functools.cache
def _row_dtype() -> np.dtype:
    """Each column's binary width from the model: 8 bytes for bigint (every id), 4 for
    integer and date (days since 1 January 2000)."""
    fields = [("fields", ">i2")]
    for index, column in enumerate(COLUMNS):
        field = AppointmentCount._meta.get_field(column.removesuffix("_id"))
        kind = (
            field.target_field.get_internal_type()
            if field.is_relation
            else field.get_internal_type()
        )
        width = ">i8" if kind in ("BigAutoField", "BigIntegerField") else ">i4"
        fields += [(f"length{index}", ">i4"), (f"value{index}", width)]
    return np.dtype(fields)


def _insert(chunk: Chunk, batch_id: int, file_id: int) -> None:
    arrays = [a.tolist() for a in _arrays(chunk, batch_id, file_id)]
    months = {o: dt.date.fromordinal(o).isoformat() for o in set(arrays[1])}
    arrays[1] = [months[o] for o in arrays[1]]
    marks = ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO {_table()} ({', '.join(COLUMNS)}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(zip(*arrays, strict=True)))


def _table() -> str:
    return connection.ops.quote_name(AppointmentCount._meta.db_table)


MONTH_BRIN = "appointment_month_brin"  # migration 0011


def appended_pages_summarise() -> None:
    """PostgreSQL: record the months of the pages this load appended in the appointments'
    BRIN index, so that finding a month (to replace it, or for the recompute's GROUP BY)
    passes over them. Pages not yet summarised are read by every search, and autovacuum,
    which would summarise them, may be slow to come or switched off: left to it, each load
    made the next month's GROUP BY read every month loaded since it last ran."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT brin_summarize_new_values(%s::regclass)", [MONTH_BRIN])


@dataclass
class Replaced:
    """What a load took away: the rows earlier loads had for its months, and for each
    month the practices it no longer holds."""

    rows: int = 0
    dropped: dict[dt.date, list[int]] = field(default_factory=dict)

    @property
    def dropped_ids(self) -> frozenset[int]:
        return frozenset(p for practice_ids in self.dropped.values() for p in practice_ids)


def months_replace(*, tally: Tally, batch_id: int) -> Replaced:
    """Remove what earlier batches loaded for the months this one brings.

    A month is replaced for every practice the load holds, and for the practices an
    earlier load placed in a sub-ICB the load reports that month: a revised month that no
    longer has a practice (closed, merged, withdrawn) stops counting it, while a file of
    one region, loaded on its own, leaves the other regions' practices as they were.
    Only practices with a month loaded before are looked at: every loaded practice-month
    has its ``GpadPracticeMonth`` row (written beside its appointments), so a month new to
    a practice has nothing to remove, and a new national month is not scanned for none.
    """
    by_month: dict[dt.date, list[int]] = defaultdict(list)
    places: dict[dt.date, set[str]] = defaultdict(set)
    for practice_id, month in tally.totals:
        by_month[month].append(practice_id)
    for (_, month), pairs in tally.reported.items():
        places[month].update(place for _, place in pairs if place)
    replaced = Replaced()
    for month, practice_ids in by_month.items():
        loaded = GpadPracticeMonth.objects.filter(month=month).exclude(batch_id=batch_id)
        earlier = loaded.filter(practice_id__in=practice_ids).values_list("practice_id", flat=True)
        in_places = loaded.filter(sub_icb_code__in=sorted(places[month]))
        gone = sorted(set(in_places.values_list("practice_id", flat=True)) - set(practice_ids))
        removed = sorted({*earlier, *gone})
        if not removed:
            continue
        old = AppointmentCount.objects.filter(month=month, practice_id__in=removed)
        with planned_with(MONTH_BY_INDEX | NO_JIT):
            replaced.rows += old.exclude(batch_id=batch_id).delete()[0]
        if gone:
            GpadPracticeMonth.objects.filter(month=month, practice_id__in=gone).delete()
            replaced.dropped[month] = gone
    return replaced


PRACTICE_MONTH_COLUMNS = [
    "practice_id", "month", "pcn_code", "sub_icb_code", "appointments", "clinical_triage",
    "batch_id", "incomplete",
]  # fmt: skip


def practice_months_record(*, tally: Tally, context: WriteContext) -> list[str]:
    """One row per practice and month: its total and the PCN and place it reported.

    Written as plain rows (COPY on PostgreSQL): building 6,300 model instances for a
    national month and inserting them through the ORM took a quarter of a second."""
    notes = []
    rows = []
    for (practice_id, month), total in tally.totals.items():
        pcn, place, note = _reported(practice_id, month, tally.reported.get((practice_id, month)))
        notes.extend(note)
        triage = tally.triage.get((practice_id, month), 0)
        rows.append((practice_id, month, pcn, place, total, triage, context.batch_id, False))
    for month in tally.months:
        ids = [p for p, m in tally.totals if m == month]
        GpadPracticeMonth.objects.filter(month=month, practice_id__in=ids).delete()
    rows_insert(GpadPracticeMonth, PRACTICE_MONTH_COLUMNS, rows)
    return notes


def _reported(practice_id: int, month: dt.date, pairs: set[tuple[str, str]] | None):
    ordered = sorted(pairs or {("", "")})
    notes = []
    if len(ordered) > 1:
        shown = ", ".join(p if p not in ("", NO_PCN) else "no PCN" for p, _ in ordered)
        notes.append(
            f"Practice id {practice_id} was reported in {shown} in {month:%b %Y}; used the first."
        )
    return ordered[0][0], ordered[0][1], notes
