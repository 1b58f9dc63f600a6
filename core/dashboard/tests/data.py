"""Measure values for the test organisation tree, rolled up by the real roll-up code.

Every QSL practice has 1,000 appointments a month (100 at L85006, too few to count in
England's figures) and the same key measure values, wobbling by a point month to month, except:
- L85003's same-day share falls from about 40% to 15% in the last month (special cause);
- L85005 records 15% of its appointments in no care category.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from metrics.calendar import add_months
from metrics.measures.context import year_changes_update
from metrics.measures.rollups import england, rollup_members_rebuild
from metrics.measures.sql import MeasureSql
from metrics.models import BatchStatus, GpadPracticeMonth, ImportBatch, MeasureValue
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


def _practice_values(practice, index: int, month: dt.date, batch, patients: int) -> list:
    appointments = 100 if practice.code == "L85006" else 1000
    rows = [
        MeasureValue(
            measure_id=code,
            org=practice,
            period=month,
            batch=batch,
            denominator=appointments,
            numerator=(n := _numerator(code, practice.code, index, appointments)),
            value=n * 100 / appointments,
        )  # fmt: skip
        for code in SHARES
    ]
    rows.append(
        MeasureValue(
            measure_id="appointments_per_1000_patients",
            org=practice,
            period=month,
            batch=batch,
            numerator=appointments,
            denominator=patients,
            value=appointments * 1000 / patients,
        )  # fmt: skip
    )
    return rows


def measure_months_load(tree, months: list[dt.date] = MONTHS) -> ImportBatch:
    """Practice values for every month, then roll-ups as the measure recompute makes them."""
    england()
    batch = ImportBatch.objects.create(
        source="gpad", file_name="Practice_Level_Crosstab_Oct_25.zip", status=BatchStatus.SUCCEEDED
    )
    practices = list(tree.practices.values())
    for practice in practices:
        list_size(practice, dt.date(2024, 1, 1), 6000, 5000)
    sql = MeasureSql.build()
    for index, month in enumerate(months):
        values = []
        for practice in practices:
            appointments = 100 if practice.code == "L85006" else 1000
            GpadPracticeMonth.objects.create(
                practice=practice, month=month, appointments=appointments, batch=batch
            )
            values += _practice_values(practice, index, month, batch, 6000)
        MeasureValue.objects.bulk_create(values)
        rollup_members_rebuild(month=month)
        with connection.cursor() as cursor:
            sql.rollup_values(cursor, month)
        year_changes_update(month=month)
    return batch
