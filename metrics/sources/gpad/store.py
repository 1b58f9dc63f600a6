"""Writing GPAD: bulk-loading rows (COPY on PostgreSQL), replacing reloaded months, and
recording which PCN and place each practice reported each month."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import Q
from psycopg.copy import QueuedLibpqWriter

from metrics.models import AppointmentCount, Dimension, GpadPracticeMonth
from metrics.planner import MONTH_BY_INDEX, planned_with
from metrics.sources.base import WriteContext
from metrics.sources.gpad.chunks import Chunk, Tally
from practices.models import Membership, MembershipBasis, Organisation, OrgKind, Relation
from practices.services import OrgRecord, organisations_upsert

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


def months_replace(*, tally: Tally, batch_id: int) -> int:
    """Remove what earlier batches loaded for the practices and months this one brings.

    Only practices with a month loaded before are looked at: every loaded practice-month
    has its ``GpadPracticeMonth`` row (written beside its appointments), so a month new to
    a practice has nothing to remove, and a new national month is not scanned for none.
    """
    by_month: dict[dt.date, list[int]] = defaultdict(list)
    for practice_id, month in tally.totals:
        by_month[month].append(practice_id)
    removed = 0
    for month, practice_ids in by_month.items():
        loaded = GpadPracticeMonth.objects.filter(month=month, practice_id__in=practice_ids)
        earlier = list(loaded.values_list("practice_id", flat=True))
        if not earlier:
            continue
        old = AppointmentCount.objects.filter(month=month, practice_id__in=earlier)
        with planned_with(MONTH_BY_INDEX):
            removed += old.exclude(batch_id=batch_id).delete()[0]
    return removed


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
    _rows_write(GpadPracticeMonth, PRACTICE_MONTH_COLUMNS, rows)
    return notes


def _rows_write(model, columns: list[str], rows: list[tuple]) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"  # noqa: S608
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
        cursor.executemany(sql, rows)


def _reported(practice_id: int, month: dt.date, pairs: set[tuple[str, str]] | None):
    ordered = sorted(pairs or {("", "")})
    notes = []
    if len(ordered) > 1:
        shown = ", ".join(p or "no PCN" for p, _ in ordered)
        notes.append(
            f"Practice id {practice_id} was reported in {shown} in {month:%b %Y}; used the first."
        )
    return ordered[0][0], ordered[0][1], notes


# A reported link: (practice id, parent id, start date, end date or None).
Link = tuple[int, int, dt.date, dt.date | None]
REPORTED_RELATIONS = ((Relation.PRACTICE_PCN, OrgKind.PCN, "pcn_code"),
                      (Relation.PRACTICE_SUB_ICB, OrgKind.SUB_ICB, "sub_icb_code"))  # fmt: skip


@dataclass(frozen=True)
class LoadPractices:
    """The practices whose reported links are worked out again: those this batch wrote
    months for, named by a subquery (a national month's 6,300 ids as parameters took
    longer to send than the queries took to run), and any others listed."""

    batch_id: int
    others: frozenset[int] = frozenset()

    def q(self, field: str) -> Q:
        loaded = GpadPracticeMonth.objects.filter(batch_id=self.batch_id).values("practice_id")
        found = Q(**{f"{field}__in": loaded})
        return found | Q(**{f"{field}__in": sorted(self.others)}) if self.others else found

    def sql(self, column: str) -> tuple[str, list]:
        table = connection.ops.quote_name(GpadPracticeMonth._meta.db_table)
        sql = f"{column} IN (SELECT practice_id FROM {table} WHERE batch_id = %s)"  # noqa: S608
        if not self.others:
            return sql, [self.batch_id]
        marks = ", ".join(["%s"] * len(self.others))
        return f"({sql} OR {column} IN ({marks}))", [self.batch_id, *sorted(self.others)]


def reported_memberships_rebuild(*, context: WriteContext) -> None:
    """Turn each practice's months into links: one per run of consecutive months with the
    same PCN (and place). These count only where no published link covers the month.
    Worked out again for the practices this batch brought months for."""
    latest = GpadPracticeMonth.objects.order_by("-month").values_list("month", flat=True).first()
    practices = LoadPractices(context.batch_id)
    practices = LoadPractices(context.batch_id, frozenset(_left_open(practices, latest)))
    for relation, kind, field in REPORTED_RELATIONS:
        runs = _runs(practices, field)
        parents = _parent_ids(kind, {code for _, code, _, _ in runs}, context)
        wanted = [_reported_link(run, parents, latest) for run in runs]
        _reported_links_sync(relation, practices, wanted, context)


def _left_open(practices: LoadPractices, latest: dt.date | None) -> set[int]:
    """Practices outside this load whose reported link is still open although they are not
    in the latest month loaded: a practice that stopped appearing (closed, merged) belongs
    to its PCN only up to its last reported month, so its links are worked out again."""
    open_links = Membership.objects.filter(
        basis=MembershipBasis.REPORTED,
        end_date__isnull=True,
        relation__in=[relation for relation, _, _ in REPORTED_RELATIONS],
    ).exclude(practices.q("child_id"))
    stale = open_links.exclude(child__gpad_months__month=latest)
    return set(stale.values_list("child_id", flat=True))


def _reported_links_sync(
    relation: str, practices: LoadPractices, wanted: list[Link], context: WriteContext
) -> None:
    """Make the practices' reported links of one relation exactly ``wanted``, touching only
    what differs: a link still wanted keeps its row, and only a changed end date is written
    (with this batch, in one UPDATE per end date); links no longer wanted are deleted; new
    ones are created in bulk. A routine month changes almost nothing here: deleting and
    recreating every link cost some 12,000 statements for a national month, and rewriting
    the unchanged ones half a second."""
    existing = Membership.objects.filter(
        practices.q("child_id"), relation=relation, basis=MembershipBasis.REPORTED
    ).values_list("pk", "child_id", "parent_id", "start_date", "end_date")
    current = {(child, parent, start): (pk, end) for pk, child, parent, start, end in existing}
    moved: dict[dt.date | None, list[int]] = defaultdict(list)
    new = []
    for child, parent, start, end in wanted:
        pk, stored_end = current.pop((child, parent, start), (None, None))
        if pk is None:
            new.append(
                Membership(
                    relation=relation,
                    child_id=child,
                    parent_id=parent,
                    start_date=start,
                    end_date=end,
                    basis=MembershipBasis.REPORTED,
                    source_batch_id=context.batch_id,
                )
            )
        elif stored_end != end:
            moved[end].append(pk)
    if current:
        Membership.objects.filter(pk__in=[pk for pk, _ in current.values()]).delete()
    for end_date, pks in moved.items():
        for first in range(0, len(pks), 2000):
            Membership.objects.filter(pk__in=pks[first : first + 2000]).update(
                end_date=end_date, source_batch_id=context.batch_id
            )
    Membership.objects.bulk_create(new, batch_size=2000)


def _runs(practices: LoadPractices, field: str) -> list[tuple[int, str, dt.date, dt.date]]:
    """(practice, code, first month, last month) for each run of consecutive months in
    which a practice reported the same code (blank codes left out).

    Worked out in the database, which returns only the runs: a practice's history grows by
    a month with every load, and reading all of it into Python made each load slower than
    the last. Within one practice and code, months that follow on keep the same difference
    between their month number and their position, so that difference names the run."""
    table = connection.ops.quote_name(GpadPracticeMonth._meta.db_table)
    chosen, params = practices.sql("practice_id")
    sql = (
        f"SELECT practice_id, code, MIN(month), MAX(month) FROM (SELECT practice_id, "  # noqa: S608
        f"{field} AS code, month, {_month_number('month')} - ROW_NUMBER() OVER "
        f"(PARTITION BY practice_id, {field} ORDER BY month) AS run FROM {table} "
        f"WHERE {chosen}) months WHERE code <> '' "
        f"GROUP BY practice_id, code, run ORDER BY practice_id, MIN(month)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (practice_id, code, _date(first), _date(last))
            for practice_id, code, first, last in cursor.fetchall()
        ]


def _month_number(column: str) -> str:
    """Months since year 0, so that consecutive months are consecutive numbers."""
    if connection.vendor == "postgresql":
        year, month = (
            f"CAST(EXTRACT({part} FROM {column}) AS INTEGER)" for part in ("YEAR", "MONTH")
        )
    else:
        year, month = (f"CAST(strftime('%%{part}', {column}) AS INTEGER)" for part in ("Y", "m"))
    return f"({year} * 12 + {month})"


def _date(value: dt.date | str) -> dt.date:
    """SQLite gives an aggregate of dates back as text."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _parent_ids(kind: str, codes: set[str], context: WriteContext) -> dict[str, int]:
    codes.discard("")
    known = dict(Organisation.objects.filter(kind=kind, code__in=codes).values_list("code", "pk"))
    missing = [OrgRecord(code=code) for code in codes - set(known)]
    if missing:
        organisations_upsert(kind=kind, records=missing, context=context)
        known = dict(
            Organisation.objects.filter(kind=kind, code__in=codes).values_list("code", "pk")
        )
    return known


def _reported_link(run: tuple, parents: dict[str, int], latest: dt.date) -> Link:
    """A run that reaches the latest month loaded is still in force as far as we know."""
    practice_id, code, first, last = run
    end = None if last == latest else _next_month(last) - dt.timedelta(days=1)
    return practice_id, parents[code], first, end
