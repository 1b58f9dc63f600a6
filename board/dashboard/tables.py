"""The dashboard's tables as the page prints them (and the pack's workbook copies): words
and formatted figures, with links to drill down. No queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from board.dashboard.presenters import measure_value, rules_text, variation_icon
from board.dashboard.selectors import Spread
from board.dashboard.trends import MeasureTrend
from core.presenters import month
from practices.models import Organisation, OrgKind

LEVEL_NAMES = {
    OrgKind.ICB: ("ICB", "ICBs"),
    OrgKind.SUB_ICB: ("place", "places"),
    OrgKind.PCN: ("PCN", "PCNs"),
    OrgKind.PRACTICE: ("practice", "practices"),
}


def dashboard_url(org: Organisation, **query: str) -> str:
    url = reverse("dashboard:org", args=[org.kind, org.code])
    chosen = {key: value for key, value in query.items() if value}
    return f"{url}?{urlencode(chosen)}" if chosen else url


def month_param(value: dt.date | None) -> str:
    return f"{value:%Y-%m}" if value else ""


def month_from_param(text: str | None) -> dt.date | None:
    """?month=2026-10 -> 1 October 2026; anything else is no month."""
    try:
        return dt.datetime.strptime((text or "").strip(), "%Y-%m").date()
    except ValueError:
        return None


@dataclass(frozen=True)
class Table:
    caption: str
    head: list[str]
    rows: list[list[str | dict]]
    numeric: set[int] = field(default_factory=set)  # columns to align as numbers


def spc_table(trend: MeasureTrend, org: Organisation) -> Table:
    unit = trend.definition.unit
    kinds = trend.point_variations()
    rows = [
        [
            month(row.month),
            measure_value(point.value, unit),
            measure_value(point.mean, unit),
            measure_value(point.lower_limit, unit),
            measure_value(point.upper_limit, unit),
            variation_icon(kind).label + (f": {rules_text(point.rules)}" if point.rules else ""),
        ]
        for row, point, kind in zip(trend.values, trend.chart.points, kinds, strict=True)
    ]
    return Table(
        caption=f"{trend.definition.title}, {org.name}, by month, latest first",
        head=[
            "Month",
            "Value",
            "Mean",
            "Lower process limit",
            "Upper process limit",
            "What SPC shows",
        ],
        rows=list(reversed(rows)),
        numeric={1, 2, 3, 4},
    )


def spread_table(spread: Spread, org: Organisation, shown: dt.date | None) -> Table:
    unit = spread.definition.unit
    query = {"month": month_param(shown)}
    rows = [
        [
            str(rank),
            {"text": row.org.name, "href": dashboard_url(row.org, **query)},
            measure_value(row.value, unit),
            f"{row.numerator:,}",
            "–" if row.denominator is None else f"{row.denominator:,}",
        ]
        for rank, row in enumerate(spread.rows, start=1)
    ]
    rows.append(["", org.name, measure_value(spread.own, unit), "", ""])
    rows.append(["", "England", measure_value(spread.england, unit), "", ""])
    return Table(
        caption=f"{spread.definition.title}, ranked best first",
        head=["Rank", "Organisation", "Value", "Numerator", "Denominator"],
        rows=rows,
        numeric={0, 2, 3, 4},
    )


@dataclass(frozen=True)
class AttentionTables:
    deteriorating: Table
    lowest: list[Table]
    data_quality: Table


def _org_cell(org: Organisation, query: dict) -> dict:
    return {"text": org.name, "href": dashboard_url(org, month=query.get("month", ""))}


def deteriorating_table(attention, query: dict) -> Table:
    rows = [
        [
            _org_cell(c.org, query),
            LEVEL_NAMES[c.org.kind][0].upper() if c.org.kind == OrgKind.PCN else "Practice",
            c.definition.title,
            measure_value(c.value, c.definition.unit),
            rules_text(c.rules).capitalize(),
        ]
        for c in attention.deteriorating
    ]
    return Table(
        caption="PCNs and practices whose latest month is special cause concerning",
        head=["Organisation", "Level", "Measure", "Value", "Why"],
        rows=rows,
        numeric={3},
    )


def lowest_table(lowest, query: dict) -> Table:
    unit = lowest.definition.unit
    rows = [
        [_org_cell(r.org, query), measure_value(r.value, unit), f"{r.denominator or 0:,}"]
        for r in lowest.rows
    ]
    return Table(
        caption=f"Lowest {lowest.definition.title.lower()}",
        head=["Practice", "Value", "Appointments"],
        rows=rows,
        numeric={1, 2},
    )


def data_quality_table(attention, query: dict) -> Table:
    rows = [
        [
            _org_cell(f.org, query),
            "Too few appointments recorded to count in England's figures"
            if f.incomplete
            else "Many appointments in no care category",
            measure_value(f.unmapped, "%"),
            f"{f.appointments:,}",
            "Not loaded" if f.patients is None else f"{f.patients:,}",
        ]
        for f in attention.data_quality
    ]
    return Table(
        caption="Practices with the weakest recording",
        head=["Practice", "Issue", "Unmapped", "Appointments", "Registered patients"],
        rows=rows,
        numeric={2, 3, 4},
    )
