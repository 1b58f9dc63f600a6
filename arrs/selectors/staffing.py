"""Staff in post: the ICB's own counts (CSV) and the NWRS census read through the staff role
mapping, combined per PCN and date (docs/decisions/0011-arrs-staff-in-post.md).

- Where the ICB counted a PCN on a date, its count is used for that PCN and date, and a role
  it did not list is blank (not counted), not zero.
- Otherwise the NWRS census: a PCN in the census has zero of any ARRS role nobody holds.
- A PCN with neither on a date is blank on that date.
- An ICB may also hold whole-ICB totals with no split by PCN (``icb_in_post``); the ICB's
  table uses them only on a date no PCN has figures for (``arrs.selectors.tables``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from arrs.models import Claim, IcbInPostCount, InPostCount, NwrsRoleMapping, NwrsStaffCount
from imports.sources.readers import label_key

ZERO = Decimal(0)


@dataclass
class InPostSnapshot:
    """One PCN on one date. ``complete`` means a role not listed is zero (an NWRS census)."""

    pcn_id: int
    as_at: dt.date
    source: str
    complete: bool
    values: dict[int, Decimal | None] = field(default_factory=dict)

    def value(self, role_id: int) -> Decimal | None:
        if role_id in self.values:
            return self.values[role_id]
        return ZERO if self.complete else None


def role_mapping() -> dict[str, int | None]:
    """NWRS staff role (as a label key) -> ARRS role id, or None for 'not an ARRS role'."""
    return dict(NwrsRoleMapping.objects.values_list("staff_role_key", "arrs_role_id"))


def mapped_role(mapping: dict[str, int | None], staff_role: str, detailed: str) -> int | None:
    """The detailed staff role decides where it is mapped; the staff role otherwise."""
    if label_key(detailed) in mapping:
        return mapping[label_key(detailed)]
    return mapping.get(label_key(staff_role))


def in_post_snapshots(
    pcn_ids: Iterable[int], dates: Iterable[dt.date] | None = None
) -> dict[tuple[int, dt.date], InPostSnapshot]:
    """(PCN id, date) -> snapshot, for the given dates or every date held."""
    pcn_ids = list(pcn_ids)
    counted = InPostCount.objects.filter(pcn_id__in=pcn_ids)
    census = NwrsStaffCount.objects.filter(pcn_id__in=pcn_ids)
    if dates is not None:
        dates = list(dates)
        counted, census = counted.filter(as_at__in=dates), census.filter(census_date__in=dates)
    found: dict[tuple[int, dt.date], InPostSnapshot] = {}
    for pcn_id, role_id, as_at, fte in counted.values_list("pcn_id", "role_id", "as_at", "fte"):
        snapshot = found.setdefault((pcn_id, as_at), InPostSnapshot(pcn_id, as_at, "icb", False))
        snapshot.values[role_id] = fte
    _add_census(found, census)
    return found


def _add_census(found: dict, census) -> None:
    mapping = role_mapping()
    rows = census.values_list("pcn_id", "census_date", "staff_role", "detailed_staff_role", "fte")
    for pcn_id, day, staff_role, detailed, fte in rows:
        key = (pcn_id, day)
        snapshot = found.get(key)
        if snapshot is None:
            snapshot = found[key] = InPostSnapshot(pcn_id, day, "nwrs", True)
        if snapshot.source != "nwrs":
            continue
        role_id = mapped_role(mapping, staff_role, detailed)
        if role_id is not None:
            snapshot.values[role_id] = snapshot.values.get(role_id, ZERO) + fte


def in_post_dates(pcn_ids: Iterable[int]) -> list[dt.date]:
    """Every date with staff in post held for any of the PCNs, oldest first."""
    pcn_ids = list(pcn_ids)
    counted = InPostCount.objects.filter(pcn_id__in=pcn_ids).values_list("as_at", flat=True)
    census = NwrsStaffCount.objects.filter(pcn_id__in=pcn_ids).values_list("census_date", flat=True)
    return sorted(set(counted.distinct()) | set(census.distinct()))


def claimed_by_pcn(pcn_ids: Iterable[int], months: list[dt.date]) -> dict[int, Decimal]:
    """Claims in the months, summed per PCN; a PCN with no claims is absent (not zero)."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    rows = Claim.objects.filter(pcn_id__in=list(pcn_ids), month__in=months)
    for pcn_id, amount in rows.values_list("pcn_id", "amount"):
        totals[pcn_id] += amount
    return dict(totals)


def claimed_by_role(pcn_id: int, months: list[dt.date]) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = defaultdict(Decimal)
    rows = Claim.objects.filter(pcn_id=pcn_id, month__in=months)
    for role_id, amount in rows.values_list("role_id", "amount"):
        totals[role_id] += amount
    return dict(totals)


def icb_in_post(
    icb_id: int, dates: Iterable[dt.date] | None = None
) -> dict[dt.date, dict[int, Decimal | None]]:
    """The ICB's own whole-ICB WTE in post (no split by PCN): date -> role id -> WTE."""
    rows = IcbInPostCount.objects.filter(icb_id=icb_id)
    if dates is not None:
        rows = rows.filter(as_at__in=list(dates))
    found: dict[dt.date, dict[int, Decimal | None]] = {}
    for as_at, role_id, wte in rows.values_list("as_at", "role_id", "wte"):
        found.setdefault(as_at, {})[role_id] = wte
    return found


def icb_in_post_dates(icb_id: int) -> list[dt.date]:
    """Dates the ICB holds whole-ICB figures for, oldest first."""
    rows = IcbInPostCount.objects.filter(icb_id=icb_id).order_by("as_at")
    return list(rows.values_list("as_at", flat=True).distinct())
