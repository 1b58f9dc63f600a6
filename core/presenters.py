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


def page_title(title: str | None, service: str = "Access Portal") -> str:
    """Page – Access Portal – NHS, the pattern every page title follows."""
    parts = [title] if title else []
    return " – ".join([*parts, service, "NHS"])


def count_of(value: int, singular: str, plural: str | None = None) -> str:
    """1 practice, 12 practices."""
    word = singular if value == 1 else (plural or f"{singular}s")
    return f"{number(value)} {word}"


# The NHS England publication every list size (registered patients) figure comes from.
LIST_SIZE_SOURCE = "Patients Registered at a GP Practice"


def source_note(what: str, source: str, as_at: dt.date | None) -> str:
    """List sizes: Patients Registered at a GP Practice, 1 Nov 2026"""
    when = f"{as_at.day} {as_at:%b %Y}" if as_at else "no figures loaded yet"
    return f"{what}: {source}, {when}"


def patients(counts) -> str:
    """Registered patients over some practices, saying when not every practice has a figure."""
    if counts.patients is None:
        return "Not loaded"
    if counts.reporting < counts.practices:
        return f"{number(counts.patients)} ({counts.reporting} of {counts.practices} practices)"
    return number(counts.patients)


def file_size(size: int | None) -> str:
    """2.4 MB"""
    if size is None:
        return "–"
    if size < 1024:
        return f"{size:,} bytes"
    scaled = size / 1024
    for unit in ("KB", "MB"):
        if scaled < 1024:
            return f"{scaled:,.1f} {unit}"
        scaled /= 1024
    return f"{scaled:,.1f} GB"


# Batch status -> NHS tag colour. The tag always carries the status in words too.
STATUS_TAG_CLASSES = {
    "queued": "nhsuk-tag--grey",
    "running": "nhsuk-tag--blue",
    "succeeded": "nhsuk-tag--green",
    "unchanged": "nhsuk-tag--white",
    "failed": "nhsuk-tag--red",
}


def status_tag(status: str, label: str) -> dict[str, str]:
    """Parameters for the NHS tag macro for an import batch status."""
    return {"text": label, "classes": STATUS_TAG_CLASSES.get(status, "nhsuk-tag--grey")}


def problem(error: dict) -> str:
    """Row 12, column CODE: the message - how an import problem is listed; a file inside a
    zip is named first (Mapping.csv, row 12, column CODE: ...)."""
    where = [error["file"]] if error.get("file") else []
    if error.get("row") is not None:
        where.append(f"{'row' if where else 'Row'} {error['row']}")
    if error.get("column"):
        where.append(f"column {error['column']}")
    message = error.get("message", "")
    return f"{', '.join(where)}: {message}" if where else message


def problems_shown(shown: int, total: int) -> str:
    """Says whether the list is every problem or only the first few."""
    if total <= shown:
        return f"{count_of(total, 'problem')} found."
    return f"{count_of(total, 'problem')} found. The first {number(shown)} are listed."


def chart_source(source: str, months: list[dt.date]) -> str:
    """The caption line under a monthly chart: source, period and as-at date."""
    if not months:
        return f"Source: {source}. No figures have been loaded yet."
    first, last = min(months), max(months)
    return (
        f"Source: {source}. Period: {period(first, last)}. "
        f"Figures are as at the 1st of each month; the latest is as at {day(last)}."
    )


# --- Access measures ----------------------------------------------------------------------

PERCENT = "%"
COUNT_UNITS = {"appointments"}
MINUS = "\u2212"
ORDINAL_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}


def measure_value(value: float | None, unit: str) -> str:
    """A measure's value as its unit reads: 12.3%, 1,234 appointments as 1,234, 512.7 per
    1,000 patients as 512.7."""
    if value is None:
        return "–"
    if unit == PERCENT:
        return percent(value)
    return number(value, 0 if unit in COUNT_UNITS else 1)


def measure_change(value: float | None, unit: str) -> str:
    """A change with its sign: +1.2 pp for a percentage (percentage points), −52 for a
    count; an en dash when there is nothing to compare with (blank is never 0)."""
    if value is None:
        return "–"
    places = 0 if unit in COUNT_UNITS else 1
    if round(value, places) == 0:
        text = number(0, places)
    else:
        sign = "+" if value > 0 else MINUS
        text = sign + number(abs(value), places)
    return f"{text} pp" if unit == PERCENT else text


def ordinal(value: int) -> str:
    """1st, 2nd, 3rd, 11th, 22nd"""
    suffix = "th" if 10 <= value % 100 <= 20 else ORDINAL_SUFFIXES.get(value % 10, "th")
    return f"{value}{suffix}"


def percentile(value: float | None) -> str:
    """A percentile rank (0-100) as an ordinal: 72nd. 0 reads as lowest, not "0th"."""
    if value is None:
        return "–"
    rank = round(value)
    return "Lowest" if rank == 0 else ordinal(rank)


def month_param(value: dt.date) -> str:
    """2025-03, how a month travels in a page address."""
    return f"{value:%Y-%m}"


def figures_source(source: str, months: list[dt.date], as_at: dt.datetime | None) -> str:
    """The caption line under loaded figures: source, period and when they were loaded."""
    if not months:
        return f"Source: {source}. No figures have been loaded yet."
    loaded = f" As at {day(_local(as_at))}, when the latest figures were loaded." if as_at else ""
    return f"Source: {source}. Period: {period(min(months), max(months))}.{loaded}"


def _local(value: dt.datetime) -> dt.date:
    from django.utils import timezone

    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def per_patient_year(appointments: int | None, patients: int | None) -> str:
    """A month's appointments per registered patient, scaled to a year: 0.84."""
    if appointments is None or not patients:
        return "No list size loaded" if appointments is not None else "–"
    return f"{appointments * 12 / patients:.2f}"


def org_url(org) -> str:
    """The page for any organisation in the register."""
    from django.urls import reverse

    if org.kind == "pcn":
        return reverse("pcns:detail", args=[org.code])
    if org.kind == "practice":
        return reverse("practices:practice", args=[org.code])
    return reverse("practices:org_detail", args=[org.kind, org.code])


FILTERS = {
    "number": number,
    "percent": percent,
    "month": month,
    "day": day,
    "moment": moment,
    "date_range": date_range,
    "period": period,
    "count_of": count_of,
    "patients": patients,
    "file_size": file_size,
    "problem": problem,
    "org_url": org_url,
    "page_title": page_title,
    "status_tag": status_tag,
    "problems_shown": problems_shown,
    "source_note": source_note,
    "chart_source": chart_source,
    "measure_value": measure_value,
    "measure_change": measure_change,
    "percentile": percentile,
    "month_param": month_param,
    "figures_source": figures_source,
    "per_patient_year": per_patient_year,
}
