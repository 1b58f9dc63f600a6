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
from collections.abc import Iterable

from django.db import connection, transaction

from imports.sources.base import Recompute
from metrics.calendar import add_months
from metrics.measures.context import Comparisons, baseline_changes_update, deciles_record
from metrics.measures.providers import MeasureProvider, providers
from metrics.measures.sql import MeasureSql
from metrics.models import MeasureDecile, MeasureValue
from metrics.planner import NO_JIT, planned_with


def months_for(recompute: Recompute, loaded: list[dt.date]) -> list[dt.date]:
    """The loaded months a recompute covers, and the months a year later (whose change on
    last year depends on them)."""
    if recompute.everything:
        return loaded
    wanted = set(recompute.months)
    if recompute.from_month:
        wanted |= {m for m in loaded if m >= recompute.from_month}
    wanted |= {add_months(m, 12) for m in wanted}
    return [m for m in loaded if m in wanted]


@transaction.atomic
def measures_recompute(*, recompute: Recompute, sources: Iterable[str] | None = None) -> list[str]:
    """Recompute the measures of every registered source (or of ``sources``, or of the
    recompute's own) for the months the recompute covers that the source has figures for."""
    notes: list[str] = []
    if sources is None and recompute.sources:
        sources = recompute.sources
    for provider in providers(sources):
        notes.extend(_provider_recompute(provider, recompute))
    return notes


def _provider_recompute(provider: MeasureProvider, recompute: Recompute) -> list[str]:
    months = months_for(recompute, provider.months())
    sql = MeasureSql.build(provider.source)
    if not months or not sql.definitions:
        return []
    with planned_with(NO_JIT):
        for month in months:
            _month_recompute(provider, sql, month)
        baseline_changes_update(months=months)
    return [f"{provider.title} measures recomputed for {_describe(months)}."]


def _month_recompute(provider: MeasureProvider, sql: MeasureSql, month: dt.date) -> None:
    month_values = MeasureValue.objects.filter(period=month, measure_id__in=sql.codes)
    first_time = not month_values.exists()
    month_values.delete()
    MeasureDecile.objects.filter(period=month, measure_id__in=sql.codes).delete()
    with connection.cursor() as cursor:
        members = provider.month_build(cursor, sql, month)
        sql.values_from_sums(cursor, month, Comparisons.for_month(month), members)
        if first_time:
            _statistics_refresh(cursor)
    deciles_record(month=month, codes=sql.codes)


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
