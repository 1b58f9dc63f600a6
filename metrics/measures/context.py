"""The context beside each value: change on last year and on the baseline month, and
national deciles. (Percentile ranks, appointments per working day and the changes on last
year and on the default baseline are given as values are inserted: sql.py.)"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.db import connection

from metrics.calendar import add_months, working_days
from metrics.models import (
    BaselineSetting,
    MeasureDecile,
    MeasureValue,
)
from practices.selectors import descendant_ids

DEFAULT_BASELINE_YEAR = 2019


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _change_sql(column: str, org_filter: str = "") -> str:
    """Set ``column`` to the change on the month given first, for the values of the month
    given second (NULL where the earlier month has no value). Rows whose change is already
    right are not rewritten: with no earlier month loaded (the 2019 baseline, mostly) that
    is every row, and rewriting a national month's values costs seconds. The rows to update
    are matched on their month as well as their id, so PostgreSQL finds them through the
    month's index instead of reading every month's values (which grew with each load)."""
    mv = _table(MeasureValue)
    stored = f"{mv}.{column}"
    return (
        f"UPDATE {mv} SET {column} = c.change FROM (SELECT n.id AS id, n.period AS period, "  # noqa: S608
        f"n.value - p.value AS change FROM {mv} n LEFT JOIN {mv} p "
        f"ON p.measure_id = n.measure_id AND p.org_id = n.org_id AND p.period = %s "
        f"WHERE n.period = %s {org_filter}) c WHERE {mv}.id = c.id AND {mv}.period = c.period "
        f"AND ({stored} <> c.change OR ({stored} IS NULL) <> (c.change IS NULL))"
    )


@dataclass(frozen=True)
class Comparisons:
    """What a month's values are set beside as they are inserted."""

    year_ago: dt.date
    baseline: dt.date | None  # None: the month is its own default baseline (set afterwards)
    working_days: int | None

    @classmethod
    def for_month(cls, month: dt.date) -> Comparisons:
        baseline = default_baseline(month)
        return cls(
            year_ago=add_months(month, -12),
            baseline=None if baseline == month else baseline,
            working_days=working_days(month),
        )


def default_baseline(month: dt.date) -> dt.date:
    """Pre-Covid: the same calendar month of 2019."""
    return month.replace(year=DEFAULT_BASELINE_YEAR)


def baseline_changes_update(*, months: list[dt.date]) -> None:
    """Change against the baseline after a recompute of ``months``: the same month of 2019
    unless an ICB chose a month, in which case everything in that ICB is compared with its
    chosen month. The recompute gave each value its change on the default baseline as it
    was inserted; that is set again here only for every month when a month recomputed is
    some value's baseline (a month of 2019, or a month an ICB chose)."""
    chosen = list(BaselineSetting.objects.exclude(month=None).select_related("icb"))
    every_month = _touches_a_baseline(months, chosen)
    if every_month:
        months = sorted(set(MeasureValue.objects.values_list("period", flat=True).distinct()))
    with connection.cursor() as cursor:
        for month in months:
            if every_month:
                cursor.execute(_change_sql("change_baseline"), [default_baseline(month), month])
            for setting in chosen:
                _icb_baseline(cursor, setting, month)


def _touches_a_baseline(months: list[dt.date], chosen: list[BaselineSetting]) -> bool:
    baselines = {s.month for s in chosen}
    return any(m.year == DEFAULT_BASELINE_YEAR or m in baselines for m in months)


def _icb_baseline(cursor, setting: BaselineSetting, month: dt.date) -> None:
    ids = sorted(descendant_ids([setting.icb_id]) | {setting.icb_id})
    marks = ", ".join(["%s"] * len(ids))
    cursor.execute(
        _change_sql("change_baseline", f"AND n.org_id IN ({marks})"), [setting.month, month, *ids]
    )


def deciles_record(*, month: dt.date, codes: list[str]) -> None:
    """The 10th to 90th percentiles of the measures' values across England at the level the
    source's figures are for (practices for GPAD), per measure, by linear interpolation
    between the nearest values (PostgreSQL's ``percentile_cont``, numpy's default
    elsewhere: the same figures). The values are those ranked in England: practices that
    recorded completely, with a value."""
    if connection.vendor == "postgresql":
        _deciles_in_postgresql(month, codes)
        return
    values = MeasureValue.objects.filter(
        period=month, percentile_england__isnull=False, measure_id__in=codes
    ).values_list("measure_id", "value")
    by_measure: dict[str, list[float]] = defaultdict(list)
    for measure, value in values:
        by_measure[measure].append(value)
    MeasureDecile.objects.bulk_create(
        MeasureDecile(measure_id=measure, period=month, decile=d, value=float(cut))
        for measure, found in by_measure.items()
        for d, cut in enumerate(np.percentile(found, range(10, 100, 10)), start=1)
    )


def _deciles_in_postgresql(month: dt.date, codes: list[str]) -> None:
    cuts = ", ".join(f"{d / 10:.1f}" for d in range(1, 10))
    marks = ", ".join(["%s"] * len(codes))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(MeasureDecile)} (measure_id, period, decile, value) "  # noqa: S608
            f"SELECT q.measure_id, %s, c.decile, c.value FROM (SELECT mv.measure_id, "
            f"percentile_cont(ARRAY[{cuts}]) WITHIN GROUP (ORDER BY mv.value) AS cuts "
            f"FROM {_table(MeasureValue)} mv WHERE mv.period = %s "
            f"AND mv.percentile_england IS NOT NULL AND mv.measure_id IN ({marks}) "
            f"GROUP BY mv.measure_id) q "
            f"CROSS JOIN LATERAL unnest(q.cuts) WITH ORDINALITY AS c(value, decile)",
            [month, month, *codes],
        )
