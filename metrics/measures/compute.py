"""Computing measure values in the database, in bulk: never row by row in Python.

For each month being recomputed:
1. who counts towards whom (``RollupMember``), from the memberships in force on the 1st;
2. practice values: one pass over the appointments, GROUP BY practice, with a SUM(CASE ...)
   column per distinct numerator or denominator the definitions ask for; each value is
   inserted with its percentile ranks in England and in its ICB;
3. every other level: sums of practice numerators and denominators over its members
   (a ratio of sums, never an average of practice percentages);
4. context: per working day and the changes on last year and on the default baseline are
   found as each value is inserted; then the national deciles, and the changes on a
   baseline an ICB chose.

Months are recomputed oldest first, and with each month the month a year later, whose
change on last year it gives.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction

from metrics.calendar import add_months
from metrics.measures.context import Comparisons, baseline_changes_update, deciles_record
from metrics.measures.rollups import rollup_members_rebuild
from metrics.measures.sql import MeasureSql
from metrics.models import GpadPracticeMonth, MeasureDecile, MeasureValue
from metrics.planner import NO_JIT, planned_with
from metrics.sources.base import Recompute


def gpad_months() -> list[dt.date]:
    months = GpadPracticeMonth.objects.order_by("month").values_list("month", flat=True)
    return list(months.distinct())


def months_for(recompute: Recompute) -> list[dt.date]:
    """The loaded months a recompute covers, and the months a year later (whose change on
    last year depends on them)."""
    loaded = gpad_months()
    if recompute.everything:
        return loaded
    wanted = set(recompute.months)
    if recompute.from_month:
        wanted |= {m for m in loaded if m >= recompute.from_month}
    wanted |= {add_months(m, 12) for m in wanted}
    return [m for m in loaded if m in wanted]


@transaction.atomic
def measures_recompute(*, recompute: Recompute) -> list[str]:
    months = months_for(recompute)
    if not months:
        return []
    sql = MeasureSql.build()
    with planned_with(NO_JIT):
        for month in months:
            _month_recompute(sql, month)
        baseline_changes_update(months=months)
    return [f"Measures recomputed for {_describe(months)}."]


def _month_recompute(sql: MeasureSql, month: dt.date) -> None:
    first_time = not MeasureValue.objects.filter(period=month).exists()
    MeasureValue.objects.filter(period=month).delete()
    MeasureDecile.objects.filter(period=month).delete()
    rollup_members_rebuild(month=month)
    with connection.cursor() as cursor:
        sql.month_values(cursor, month, Comparisons.for_month(month))
        if first_time:
            _statistics_refresh(cursor)
    deciles_record(month=month)


def _describe(months: list[dt.date]) -> str:
    if len(months) == 1:
        return f"{months[0]:%b %Y}"
    return f"{len(months)} months, {months[0]:%b %Y} to {months[-1]:%b %Y}"


def _statistics_refresh(cursor) -> None:
    """PostgreSQL: sample the measure values again once a month new to them has its practice
    values (ANALYZE in the transaction counts its own rows). A new month is a few per cent
    of the table, under autovacuum's threshold; unsampled, the rest of this recompute and
    every query after it planned the month as empty, and chose nested loops that took
    seconds (docs/performance.md)."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(MeasureValue._meta.db_table)
        # Only the columns queries select on: the others' statistics plan nothing.
        cursor.execute(f"ANALYZE {table} (period, measure_id, org_id)")
