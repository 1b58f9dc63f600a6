"""NHS financial years (1 April to 31 March), named by the year they start: 2026 is 2026/27."""

from __future__ import annotations

import datetime as dt
import re

_LABEL = re.compile(r"^(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})$")


def fy_of(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def fy_start(year: int) -> dt.date:
    return dt.date(year, 4, 1)


def fy_end(year: int) -> dt.date:
    return dt.date(year + 1, 3, 31)


def fy_label(year: int) -> str:
    """2026/27"""
    return f"{year}/{(year + 1) % 100:02d}"


def fy_contains(year: int, day: dt.date) -> bool:
    return fy_start(year) <= day <= fy_end(year)


def parse_fy(text: str) -> int:
    """'2026/27', '2026-27', '2026/2027' or '2026' as the year it starts; ValueError otherwise."""
    cleaned = str(text).strip()
    if re.fullmatch(r"\d{4}", cleaned):
        return int(cleaned)
    match = _LABEL.match(cleaned)
    if not match:
        raise ValueError(f"'{cleaned}' is not a financial year; write it like 2026/27")
    start, end = int(match.group(1)), int(match.group(2))
    if end % 100 != (start + 1) % 100:
        raise ValueError(f"'{cleaned}' is not a financial year; write it like 2026/27")
    return start


def months_of(year: int) -> list[dt.date]:
    """The first days of the twelve months, April to March."""
    return [dt.date(year + (month < 4), month, 1) for month in (*range(4, 13), 1, 2, 3)]


def quarter_ends(year: int) -> list[dt.date]:
    """30 June, 30 September, 31 December and 31 March."""
    return [
        dt.date(year, 6, 30),
        dt.date(year, 9, 30),
        dt.date(year, 12, 31),
        dt.date(year + 1, 3, 31),
    ]


def month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)
