"""Measure values for the test organisation tree, made by the recompute's own SQL from figures.

Every QSL practice has 1,000 appointments a month (100 at L85006, too few to count in
England's figures) and the same key measure values, wobbling by a point month to month, except:
- L85003's same-day share falls from about 40% to 15% in the last month (special cause);
- L85005 records 15% of its appointments in no care category.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from metrics.calendar import add_months
from metrics.measures.context import Comparisons
from metrics.measures.rollups import england, rollup_members_rebuild
from metrics.measures.sql import MeasureSql
from metrics.models import BatchStatus, GpadPracticeMonth, ImportBatch
from practices.models import ListSize
from tests.factories import list_size

FIRST = dt.date(2024, 9, 1)
MONTHS = [add_months(FIRST, i) for i in range(14)]  # Sep 2024 to Oct 2025
LAST = MONTHS[-1]
SHARES = {  # per cent of appointments, before the wobble
    "same_day_pct": 40,
    "within_14_days_pct": 85,
    "acc08_within_14_days_pct": 90,
    "over_28_days_pct": 5,
    "dna_pct": 4,
    "unmapped_pct": 1,
}


def _numerator(code: str, practice: str, index: int, appointments: int) -> int:
    share = SHARES[code] + (1 if index % 2 else -1) * (code != "unmapped_pct")
    if code == "same_day_pct" and practice == "L85003" and index == len(MONTHS) - 1:
        share = 15
    if code == "unmapped_pct" and practice == "L85005":
        share = 15
    return round(appointments * share / 100)


def _practice_figures(practice, index: int) -> dict[str, tuple[int, int]]:
    """Each measure's (numerator, denominator) for the practice in the month."""
    appointments = 100 if practice.code == "L85006" else 1000
    figures = {
        code: (_numerator(code, practice.code, index, appointments), appointments)
        for code in SHARES
    }
    figures["appointments_total"] = (appointments, None)
    return figures


def measure_months_load(tree, months: list[dt.date] = MONTHS) -> ImportBatch:
    """Each month's figures for every practice, then practice values and roll-ups as the
    measure recompute makes them from appointments."""
    england()
    batch = ImportBatch.objects.create(
        source="gpad", file_name="Practice_Level_Crosstab_Oct_25.zip", status=BatchStatus.SUCCEEDED
    )
    practices = list(tree.practices.values())
    # Each practice keeps its latest list size throughout, so its appointments per 1,000
    # patients hold steady too.
    sizes = ListSize.objects.filter(practice__in=practices).order_by("practice", "month")
    latest = {size.practice_id: size for size in sizes}
    sizes.delete()
    for practice in practices:
        size = latest.get(practice.pk)
        patients = size.all_patients if size else 6000
        list_size(practice, dt.date(2024, 1, 1), patients, size.patients_13_plus if size else 5000)
    sql = MeasureSql.build()
    for index, month in enumerate(months):
        figures = {}
        for practice in practices:
            figures[practice.pk] = _practice_figures(practice, index)
            GpadPracticeMonth.objects.create(
                practice=practice,
                month=month,
                appointments=figures[practice.pk]["appointments_total"][0],
                batch=batch,
            )
        rollup_members_rebuild(month=month)
        with connection.cursor() as cursor:
            sql.given_sums_create(cursor, figures)
            sql.month_values(cursor, month, Comparisons.for_month(month), given=True)
    return batch
