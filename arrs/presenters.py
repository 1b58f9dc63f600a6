"""Formatting ARRS figures for pages and downloads, tested without the database.

Money says its financial year where it is shown; WTE is shown to two places; a blank figure
(nobody reported it) is shown blank, never as 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup

from arrs.years import fy_label

NOT_REPORTED = Markup('<span class="nhsuk-u-visually-hidden">Not reported</span>')
NOT_PLANNED = Markup(
    '<span aria-hidden="true">–</span> <span class="nhsuk-u-visually-hidden">Not planned</span>'
)
TWO_PLACES = Decimal("0.01")


def money(value: Decimal | None) -> str:
    """£1,234,568 (whole pounds); a projected overspend is -£12,345; en dash when not known."""
    if value is None:
        return "–"
    pounds = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    sign = "-" if pounds < 0 else ""
    return f"{sign}£{abs(pounds):,}"


def wte(value: Decimal | None) -> str:
    """2.50; blank (empty) when not reported."""
    if value is None:
        return ""
    return f"{value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP):,}"


def wte_cell(value: Decimal | None, bold: bool = False, planned: bool = False) -> dict:
    """An NHS table cell for a WTE figure: blank cells say "Not reported" to screen readers;
    a planned cell no plan gives a figure for shows a dash read as "Not planned"."""
    cell = {"format": "numeric"}
    if value is None:
        cell["html"] = NOT_PLANNED if planned else NOT_REPORTED
    else:
        cell["text"] = wte(value)
    if bold:
        cell["classes"] = "nhsuk-u-font-weight-bold"
    return cell


def money_cell(value: Decimal | None, bold: bool = False) -> dict:
    cell = {"text": money(value), "format": "numeric"}
    if bold:
        cell["classes"] = "nhsuk-u-font-weight-bold"
    return cell


def percent(value: Decimal | None) -> str:
    if value is None:
        return "–"
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def headroom(value: Decimal | None) -> str:
    """What is left of the allocation, or the projected overspend said as such."""
    if value is None:
        return "–"
    if value < 0:
        return f"{money(-value)} over"
    return money(value)


def short_date(value: dt.date) -> str:
    """30 Sep 2026"""
    return f"{value.day} {value:%b %Y}"


COLUMN_WORDS = {"in_post": "In post", "planned": "Planned", "plan_in_post": "In post (plan)"}


def column_heading(kind: str, on: dt.date) -> str:
    """In post 30 Sep 2026 / Planned 31 Mar 2027 / In post (plan) 31 Jul 2026"""
    return f"{COLUMN_WORDS.get(kind, 'Planned')} {short_date(on)}"


def rate_amount(entry) -> str:
    """£65,838, or £60,590 (estimate); en dash when no amount is held."""
    if entry is None:
        return "–"
    return money(entry.amount) + (" (estimate)" if entry.is_estimate else "")


def _pcns(count: int) -> str:
    return "PCN" if count == 1 else "PCNs"


def spend_coverage(total) -> str:
    """What an ICB's money total covers: "10 of 13 PCNs have an accepted plan; not included:
    A, B, C." A PCN with a plan but no allocation is named with its reason."""
    included, of = total.pcns_included, total.pcns_total
    verb = "has" if included == 1 else "have"
    what = "an accepted plan and an allocation" if total.no_allocation else "an accepted plan"
    text = f"{included} of {of} {_pcns(of)} {verb} {what}"
    if not total.not_included:
        return text + "."
    if total.no_allocation:
        left_out = [f"{p.name} (no accepted plan)" for p in total.no_plan] + [
            f"{p.name} (no allocation)" for p in total.no_allocation
        ]
    else:
        left_out = [p.name for p in total.not_included]
    return f"{text}; not included: {', '.join(left_out)}."


def spend_total_label(name: str, total) -> str:
    """NHS Somerset ICB (10 of 13 PCNs): the total row says how many PCNs it adds up."""
    return f"{name} ({total.pcns_included} of {total.pcns_total} {_pcns(total.pcns_total)})"


def series_coverage(counts: Sequence[int], total: int) -> str:
    """How many PCNs a line on a chart has figures from: "10 of 13 PCNs", or "9 to 10 of 13
    PCNs" when its points differ."""
    low, high = min(counts), max(counts)
    some = str(low) if low == high else f"{low} to {high}"
    return f"{some} of {total} {_pcns(total)}"


def spend_heading(what: str, year: int) -> str:
    """Projected spend 2026/27: money always says its financial year."""
    return f"{what} {fy_label(year)}"


PLAN_TAG_CLASSES = {
    "draft": "nhsuk-tag--grey",
    "submitted": "nhsuk-tag--blue",
    "accepted": "nhsuk-tag--green",
    "returned": "nhsuk-tag--red",
    "superseded": "nhsuk-tag--white",
}


def plan_tag(status: str, label: str) -> dict[str, str]:
    return {"text": label, "classes": PLAN_TAG_CLASSES.get(status, "nhsuk-tag--grey")}


def csv_decimal(value: Decimal | None) -> str:
    """Unrounded in downloads, so totals can be checked; blank stays blank."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


def reporting_note(reporting: Sequence[int], total: int) -> str:
    """Says when a column is not from every PCN."""
    short = [count for count in reporting if count < total]
    if not short:
        return f"Every column has figures from all {total} PCNs."
    return (
        "Some columns have figures from fewer than all "
        f"{total} PCNs (see the 'PCNs with figures' row); their totals are lower for that."
    )


FILTERS = {
    "money": money,
    "wte": wte,
    "fy": fy_label,
    "arrs_percent": percent,
    "headroom": headroom,
    "plan_tag": plan_tag,
    "short_date": short_date,
    "rate_amount": rate_amount,
    "spend_coverage": spend_coverage,
}


def fte_head(columns) -> list[dict]:
    return [
        {"text": "Role"},
        *({"text": column_heading(c.kind, c.on), "format": "numeric"} for c in columns),
    ]


def fte_body(table) -> list[list]:
    """One row per role, the total (added before rounding) and how many PCNs each column has."""
    planned = [column.kind == "planned" for column in table.columns]
    rows = [
        [row.role.name, *(wte_cell(v, planned=p) for v, p in zip(row.values, planned, strict=True))]
        for row in table.rows
    ]
    totals = zip(table.totals, planned, strict=True)
    rows.append(
        [
            {"text": "Total", "classes": "nhsuk-u-font-weight-bold"},
            *(wte_cell(v, bold=True, planned=p) for v, p in totals),
        ]
    )
    rows.append(
        [
            "PCNs with figures",
            *(
                {"text": ICB_TOTAL if table.is_icb_level(i) else str(n), "format": "numeric"}
                for i, n in enumerate(table.reporting)
            ),
        ]
    )
    return rows


ICB_TOTAL = "ICB total (no PCN split)"


def _days(days: Sequence[dt.date]) -> str:
    return ", ".join(short_date(day) for day in days)


def icb_level_notes(table, *, whole_icb: bool, held: Sequence[dt.date]) -> list[str]:
    """What the ICB's own whole-ICB totals (no PCN split) add to a table, and where they are
    not used: they fill a date no PCN has figures for and are never added to PCN figures."""
    notes = []
    used = [c.on for i, c in enumerate(table.columns) if table.is_icb_level(i)]
    if used:
        notes.append(
            f"In post on {_days(used)}: the ICB's own total for the whole ICB, as no PCN has "
            "figures for that date. It is not split by place or PCN, and never added to PCN "
            "figures."
        )
    if table.icb_level_unused:
        notes.append(
            f"The ICB's own totals for {_days(table.icb_level_unused)} are not used: PCN "
            "figures are held for that date, and the two are never added together."
        )
    if held and not whole_icb:
        notes.append(
            "The ICB's own totals (no PCN split) show only when all the ICB's PCNs are shown."
        )
    return notes
