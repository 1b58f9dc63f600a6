"""Test data for alerts: monthly values of a key measure, and subscriptions started long ago."""

from __future__ import annotations

import datetime as dt

from alerts.detectors import Watch
from alerts.models import Frequency, Subscription
from core.access import Scope
from metrics.calendar import add_months
from metrics.models import MeasureValue

FIRST_MONTH = dt.date(2025, 1, 1)
TODAY = dt.date(2026, 9, 7)

# Twelve steady months around 50: common cause throughout.
STEADY = [50, 51, 49, 50, 51, 49, 50, 51, 49, 50, 51, 49]


def monthly(org, code: str, series: list[float], start: dt.date = FIRST_MONTH) -> dt.date:
    """Store ``series`` as the measure's value for ``org`` month by month from ``start``;
    returns the last month."""
    months = [add_months(start, i) for i in range(len(series))]
    MeasureValue.objects.bulk_create(
        MeasureValue(
            measure_id=code, org=org, period=month, value=value, numerator=round(value * 10),
            denominator=1000,
        )
        for month, value in zip(months, series, strict=True)
    )  # fmt: skip
    return months[-1]


def subscribe(user, org, frequency=Frequency.WEEKLY, *, since: dt.date = dt.date(2026, 1, 1)):
    """A subscription made on ``since`` (deadlines before it are not news to it)."""
    subscription = Subscription.objects.create(user=user, organisation=org, frequency=frequency)
    created = dt.datetime.combine(since, dt.time(9), tzinfo=dt.UTC)
    Subscription.objects.filter(pk=subscription.pk).update(created=created)
    subscription.refresh_from_db()
    return subscription


def watch(user, org, *, since: dt.date = dt.date(2026, 1, 1), today: dt.date = TODAY) -> Watch:
    return Watch(org, Scope(user), today, since)
