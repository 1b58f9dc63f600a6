"""Formatting for people: numbers, dates and periods as an NHS page shows them.

Kept out of templates and views so it can be tested without a database.
"""

from __future__ import annotations

import datetime as dt


def number(value: int | float | None, places: int = 0) -> str:
    """12,345 - or an en dash for a figure nobody reported (blank is not zero)."""
    if value is None:
        return "–"
    return f"{value:,.{places}f}"


def percent(value: float | None, places: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:.{places}f}%"


def month(value: dt.date | None) -> str:
    """Oct 2025"""
    return value.strftime("%b %Y") if value else "–"


def day(value: dt.date | dt.datetime | None) -> str:
    """1 October 2025"""
    if value is None:
        return "–"
    return f"{value.day} {value:%B %Y}"


def moment(value: dt.datetime | None) -> str:
    """1 October 2025 at 14:05, in UK time."""
    if value is None:
        return "–"
    from django.utils import timezone

    local = timezone.localtime(value)
    return f"{day(local)} at {local:%H:%M}"


def date_range(start: dt.date | None, end: dt.date | None) -> str:
    """The dates a membership covers, as people say it."""
    if start is None and end is None:
        return "Throughout our records"
    if start is None:
        return f"Until {day(end)}"
    if end is None:
        return f"Since {day(start)}"
    return f"{day(start)} to {day(end)}"


def period(start: dt.date | None, end: dt.date | None) -> str:
    if start is None:
        return "–"
    if end is None or end == start:
        return month(start)
    return f"{month(start)} to {month(end)}"


FILTERS = {
    "number": number,
    "percent": percent,
    "month": month,
    "day": day,
    "moment": moment,
    "date_range": date_range,
    "period": period,
}
