"""Working days in England: weekdays that are not bank holidays (England and Wales)."""

from __future__ import annotations

import calendar
import datetime as dt
import json
from functools import cache

from metrics.reference import DATA


@cache
def bank_holidays() -> frozenset[dt.date]:
    data = json.loads((DATA / "bank_holidays_england.json").read_text())
    return frozenset(dt.date.fromisoformat(day) for day in data["dates"])


def covered_years() -> range:
    years = [day.year for day in bank_holidays()]
    return range(min(years), max(years) + 1)


def working_days(month: dt.date) -> int | None:
    """Weekdays in the month less bank holidays; None outside the years we hold."""
    if month.year not in covered_years():
        return None
    days = calendar.monthrange(month.year, month.month)[1]
    dates = (dt.date(month.year, month.month, d) for d in range(1, days + 1))
    return sum(1 for day in dates if day.weekday() < 5 and day not in bank_holidays())


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)
