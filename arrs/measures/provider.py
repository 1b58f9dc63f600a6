"""ARRS measures for the generic engine: each PCN's figures in each month it has staff in
post, from which the engine works out every place, ICB, region and England.

- WTE in post: the staff in post on the PCN's latest date in the month (the ICB's own
  count where it made one, otherwise the NWRS census through the staff role mapping:
  ``in_post_snapshots``), over the ARRS roles, in hundredths of a WTE so it is a whole
  number; per 10,000 of the PCN's registered patients (its practices' latest list sizes).
- Projected spend: what that staff in post would cost over the financial year at the
  maximum reimbursable amounts (``projected_spend``, the arithmetic every ARRS page uses,
  with the PCN's rate area), in whole pounds, against the PCN's allocation for the year.
  A PCN with a role in post that has no amount, or with no allocation, has no value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from arrs.models import InPostCount, NwrsStaffCount
from arrs.money import Figure, projected_spend
from arrs.selectors.spend import allocations_for, rate_book
from arrs.selectors.staffing import InPostSnapshot, in_post_snapshots
from arrs.years import fy_of
from metrics.calendar import add_months
from metrics.measures.providers import MeasureProvider
from metrics.measures.sql import OrgFigures
from practices.models import OrgKind
from practices.selectors import children_map, latest_list_sizes

WTE_IN_POST = "wte_in_post_hundredths"
PROJECTED_SPEND = "projected_spend_pounds"
ALLOCATION = "allocation_pounds"


def _month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def in_post_months() -> list[dt.date]:
    """Every month with staff in post held for any PCN, oldest first."""
    counted = InPostCount.objects.values_list("as_at", flat=True).distinct()
    census = NwrsStaffCount.objects.values_list("census_date", flat=True).distinct()
    return sorted({_month_of(day) for day in [*counted, *census]})


def latest_in_month(month: dt.date) -> dict[int, InPostSnapshot]:
    """Each PCN's snapshot on its latest date in the month."""
    counted = InPostCount.objects.filter(as_at__gte=month, as_at__lt=add_months(month, 1))
    census = NwrsStaffCount.objects.filter(
        census_date__gte=month, census_date__lt=add_months(month, 1)
    )
    pcn_ids = set(counted.values_list("pcn_id", flat=True)) | set(
        census.values_list("pcn_id", flat=True)
    )
    dates = set(counted.values_list("as_at", flat=True)) | set(
        census.values_list("census_date", flat=True)
    )
    latest: dict[int, InPostSnapshot] = {}
    for (pcn_id, _day), snapshot in sorted(in_post_snapshots(pcn_ids, dates).items()):
        latest[pcn_id] = snapshot
    return latest


def _hundredths(wte: Decimal) -> int:
    return int((wte * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _in_post(snapshot: InPostSnapshot) -> dict[int, Decimal]:
    return {role: wte for role, wte in snapshot.values.items() if wte is not None}


class ArrsProvider(MeasureProvider):
    source = "arrs"
    title = "ARRS workforce"
    level = OrgKind.PCN
    caption = (
        "ICB staff in post counts and the NWRS census (NHS England), ARRS allocations "
        "and maximum reimbursable amounts"
    )

    def months(self) -> list[dt.date]:
        return in_post_months()

    def figures(self, *, month: dt.date) -> Iterable[OrgFigures]:
        snapshots = latest_in_month(month)
        if not snapshots:
            return []
        year = fy_of(month)
        allocations = allocations_for(list(snapshots), year)
        rates = rate_book()
        patients = _patients(list(snapshots), month)
        rows = []
        for pcn_id, snapshot in snapshots.items():
            in_post = _in_post(snapshot)
            figures = {WTE_IN_POST: _hundredths(sum(in_post.values(), Decimal(0)))}
            allocation = allocations.get(pcn_id)
            if allocation is not None:
                plan = {role: [Figure(on=month, wte=wte)] for role, wte in in_post.items()}
                projection = projected_spend(
                    plan, year=year, area=allocation.rate_area, rates=rates
                )
                if not projection.roles_without_amount:
                    figures[PROJECTED_SPEND] = int(projection.total)
                    figures[ALLOCATION] = _whole_pounds(allocation.amount)
            listed, listed_month = patients.get(pcn_id, (None, None))
            rows.append(OrgFigures(pcn_id, figures, listed, listed_month))
        return rows


def _whole_pounds(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _patients(pcn_ids: list[int], month: dt.date) -> dict[int, tuple[int, dt.date]]:
    """Each PCN's registered patients in the month: its practices (by the memberships in
    force on the 1st) at their latest list size, and the oldest of those list sizes' months."""
    children = children_map(pcn_ids, month)
    practices = {pcn_id: children.get(pcn_id, set()) for pcn_id in pcn_ids}
    sizes = latest_list_sizes(set().union(*practices.values()), month)
    found = {}
    for pcn_id, practice_ids in practices.items():
        listed = [sizes[p] for p in practice_ids if p in sizes]
        if listed:
            total = sum(size.all_patients for size in listed)
            found[pcn_id] = (total, min(size.month for size in listed))
    return found
