"""GPAD's measures: practice figures summed from the month's appointments in one pass of
set-based SQL (``MeasureSql.sums_build``), over the practices GPAD reports that month."""

from __future__ import annotations

import datetime as dt

from metrics.measures.providers import MeasureProvider
from metrics.measures.rollups import rollup_members_rebuild
from metrics.measures.sql import MeasureSql, Members, practice_members
from metrics.models import GpadPracticeMonth
from practices.models import OrgKind


def gpad_months() -> list[dt.date]:
    months = GpadPracticeMonth.objects.order_by("month").values_list("month", flat=True)
    return list(months.distinct())


class GpadProvider(MeasureProvider):
    source = "gpad"
    title = "GP appointments"
    level = OrgKind.PRACTICE
    caption = "Appointments in General Practice (GPAD), NHS England"

    def months(self) -> list[dt.date]:
        return gpad_months()

    def month_build(self, cursor, sql: MeasureSql, month: dt.date) -> Members:
        rollup_members_rebuild(month=month)
        sql.sums_build(cursor, month)
        return practice_members(month)
