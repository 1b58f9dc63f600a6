"""Projected ARRS spend: planned WTE x maximum reimbursable amount x months in post.

Pure arithmetic on Decimals, tested without the database
(docs/decisions/0009-arrs-projected-spend.md):

- A plan gives WTE at dates. Each figure holds from the first month that starts on or after
  its date until the next figure; months before the first figure take the first figure.
  Blank figures are not figures: they neither count as zero nor stop the one before.
- Each month costs WTE x (the annual amount in force on the 1st of the month) / 12, using
  the PCN's London weighting, or the amount outside London where no London amount is held.
- A PCN's projection is rounded to whole pounds once, at the end; an ICB's is the sum of the
  rounded projections of the PCNs its total covers, so the board table always adds up.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from arrs.years import months_of

NATIONAL = "national"
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Figure:
    """A stated WTE at a date (in post on the plan's date, or intended at a later one)."""

    on: dt.date
    wte: Decimal


def first_whole_month(day: dt.date) -> dt.date:
    """The first month that starts on or after ``day``: 30 June -> 1 July, 1 July -> 1 July."""
    if day.day == 1:
        return day
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def monthly_wte(figures: Sequence[Figure], year: int) -> dict[dt.date, Decimal]:
    """WTE in each month of the financial year; empty when nothing was stated."""
    stated = sorted(figures, key=lambda figure: figure.on)
    if not stated:
        return {}
    months: dict[dt.date, Decimal] = {}
    for month in months_of(year):
        current = stated[0].wte
        for figure in stated:
            if first_whole_month(figure.on) <= month:
                current = figure.wte
        months[month] = current
    return months


def value_on(figures: Sequence[Figure], day: dt.date) -> Decimal | None:
    """The latest stated figure on or before ``day``; of two on the same date, the one given
    later (a plan's intended figure after its in-post figure), as ``monthly_wte`` does."""
    latest = None
    for figure in sorted(figures, key=lambda figure: figure.on):
        if figure.on <= day:
            latest = figure
    return latest.wte if latest else None


@dataclass(frozen=True)
class RateEntry:
    role_id: int
    area: str
    effective_from: dt.date
    published_on: dt.date
    amount: Decimal
    is_estimate: bool = False


class RateBook:
    """Maximum reimbursable amounts by role and area, looked up by date."""

    def __init__(self, entries: Iterable[RateEntry]) -> None:
        grouped: dict[tuple[int, str], list[RateEntry]] = defaultdict(list)
        for entry in entries:
            grouped[(entry.role_id, entry.area)].append(entry)
        self._entries = {
            key: sorted(found, key=lambda e: (e.effective_from, e.published_on))
            for key, found in grouped.items()
        }

    def entry(self, role_id: int, area: str, day: dt.date) -> RateEntry | None:
        """The amount in force on ``day``: the latest effective date on or before it, and of
        those the latest published. London areas without an amount use the national one."""
        entries = self._entries.get((role_id, area)) or self._entries.get((role_id, NATIONAL), [])
        in_force = [entry for entry in entries if entry.effective_from <= day]
        return in_force[-1] if in_force else None

    def annual(self, role_id: int, area: str, day: dt.date) -> Decimal | None:
        """The amount per WTE per year in force on ``day``."""
        found = self.entry(role_id, area, day)
        return found.amount if found else None


@dataclass(frozen=True)
class Projection:
    """A PCN's projected spend for a year, in pounds, with the roles it could not cost."""

    total: Decimal
    by_role: Mapping[int, Decimal]
    roles_without_amount: frozenset[int] = field(default_factory=frozenset)


def pounds(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def projected_spend(
    plan: Mapping[int, Sequence[Figure]], *, year: int, area: str, rates: RateBook
) -> Projection:
    """Planned WTE x monthly amount for every role and month of the year."""
    by_role: dict[int, Decimal] = {}
    missing: set[int] = set()
    for role_id, figures in plan.items():
        cost = Decimal(0)
        for month, wte in monthly_wte(figures, year).items():
            if not wte:
                continue
            annual = rates.annual(role_id, area, month)
            if annual is None:
                missing.add(role_id)
                continue
            cost += wte * annual / 12
        by_role[role_id] = cost
    total = pounds(sum(by_role.values(), Decimal(0)))
    return Projection(total=total, by_role=by_role, roles_without_amount=frozenset(missing))


@dataclass(frozen=True)
class Spend:
    """Money for one PCN (or a total) in one financial year. None means not known."""

    allocation: Decimal | None
    projected: Decimal | None
    claimed: Decimal | None

    @property
    def projected_percent(self) -> Decimal | None:
        return _percent(self.projected, self.allocation)

    @property
    def claimed_percent(self) -> Decimal | None:
        return _percent(self.claimed, self.allocation)

    @property
    def headroom(self) -> Decimal | None:
        """Allocation left after the projected spend; negative is a projected overspend."""
        if self.allocation is None or self.projected is None:
            return None
        return self.allocation - self.projected


def _percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return part / whole * HUNDRED


def _sum_known(values: Iterable[Decimal | None]) -> Decimal | None:
    known = [value for value in values if value is not None]
    return sum(known, Decimal(0)) if known else None


def spend_total(items: Iterable[Spend]) -> Spend:
    """The sums of the given PCNs' figures (blank where none has one). The caller chooses
    the PCNs, the same for every column (``arrs.selectors.spend.icb_spend``)."""
    items = list(items)
    return Spend(
        allocation=_sum_known(item.allocation for item in items),
        projected=_sum_known(item.projected for item in items),
        claimed=_sum_known(item.claimed for item in items),
    )
