"""What the ARRS import sources write, inside the import's one transaction.

Each write matches rows on their keys and says what it changed, so loading the same file
again reports "nothing changed". A file replaces what it covers: the dates (or months) it
gives for each PCN it names; a row no longer in the file for those goes.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from typing import Any

from django.db.models import Model, Q

from arrs.models import Allocation, Claim, InPostCount, NwrsStaffCount
from imports.sources.base import WriteContext, Written


@dataclass(frozen=True)
class AllocationRecord:
    pcn_id: int
    year: int
    amount: Decimal
    rate_area: str | None
    row: int


@dataclass(frozen=True)
class InPostRecord:
    pcn_id: int
    role_id: int
    as_at: dt.date
    fte: Decimal | None
    row: int


@dataclass(frozen=True)
class ClaimRecord:
    pcn_id: int
    role_id: int
    month: dt.date
    amount: Decimal
    row: int


@dataclass(frozen=True)
class NwrsRecord:
    pcn_id: int
    census_date: dt.date
    staff_group: str
    staff_role: str
    detailed_staff_role: str
    fte: Decimal
    headcount: int


@dataclass(frozen=True)
class _Table:
    """How one model is matched and compared: key fields, then the fields that hold data."""

    model: type[Model]
    keys: tuple[str, ...]
    values: tuple[str, ...]
    provenance: tuple[str, ...] = ("source_batch_id", "source_row")


def _pairs(field: str, period_field: str, pairs: Iterable[tuple[int, Any]]) -> Q:
    """Rows for these (PCN, period) pairs: one condition per period, so a national file's
    thousand PCNs do not make a thousand-deep query."""
    by_period: dict[Any, set[int]] = defaultdict(set)
    for pcn_id, period in pairs:
        by_period[period].add(pcn_id)
    conditions = [
        Q(**{period_field: period, f"{field}__in": sorted(ids)})
        for period, ids in by_period.items()
    ]
    return reduce(operator.or_, conditions, Q(pk__in=[]))


def _write(table: _Table, rows: Sequence[dict[str, Any]], covered: Q, delete: bool) -> Written:
    existing = {
        tuple(getattr(o, k) for k in table.keys): o for o in table.model.objects.filter(covered)
    }
    new, changed, seen, result = [], [], set(), Written()
    for row in rows:
        key = tuple(row[k] for k in table.keys)
        seen.add(key)
        found = existing.get(key)
        if found is None:
            new.append(table.model(**row))
        elif any(getattr(found, f) != row[f] for f in table.values):
            for name in (*table.values, *table.provenance):
                setattr(found, name, row[name])
            changed.append(found)
        else:
            result.unchanged += 1
    stale = [o.pk for key, o in existing.items() if key not in seen] if delete else []
    table.model.objects.filter(pk__in=stale).delete()
    table.model.objects.bulk_create(new, batch_size=1000)
    fields = [name.removesuffix("_id") for name in (*table.values, *table.provenance)]
    table.model.objects.bulk_update(changed, fields, batch_size=1000)
    result.created, result.updated = len(new), len(changed) + len(stale)
    return result


_ALLOCATIONS = _Table(Allocation, ("pcn_id", "financial_year"), ("amount", "rate_area"))


def allocations_write(*, records: Sequence[AllocationRecord], context: WriteContext) -> Written:
    """Each PCN's allocation for each year the file gives; other years are left alone. A blank
    London weighting keeps the one already held (outside London for a new allocation)."""
    held = {
        (a.pcn_id, a.financial_year): a.rate_area
        for a in Allocation.objects.filter(pcn_id__in={r.pcn_id for r in records})
    }
    rows = [
        {
            "pcn_id": r.pcn_id,
            "financial_year": r.year,
            "amount": r.amount,
            "rate_area": r.rate_area or held.get((r.pcn_id, r.year), "national"),
            "source_batch_id": context.batch_id,
            "source_row": r.row,
        }
        for r in records
    ]
    covered = _pairs("pcn_id", "financial_year", ((r.pcn_id, r.year) for r in records))
    return _write(_ALLOCATIONS, rows, covered, delete=False)


_IN_POST = _Table(InPostCount, ("pcn_id", "role_id", "as_at"), ("fte",))


def in_post_counts_write(*, records: Sequence[InPostRecord], context: WriteContext) -> Written:
    rows = [
        {
            "pcn_id": r.pcn_id,
            "role_id": r.role_id,
            "as_at": r.as_at,
            "fte": r.fte,
            "source_batch_id": context.batch_id,
            "source_row": r.row,
        }
        for r in records
    ]
    covered = _pairs("pcn_id", "as_at", ((r.pcn_id, r.as_at) for r in records))
    return _write(_IN_POST, rows, covered, delete=True)


_CLAIMS = _Table(Claim, ("pcn_id", "role_id", "month"), ("amount",))


def claims_write(*, records: Sequence[ClaimRecord], context: WriteContext) -> Written:
    rows = [
        {
            "pcn_id": r.pcn_id,
            "role_id": r.role_id,
            "month": r.month,
            "amount": r.amount,
            "source_batch_id": context.batch_id,
            "source_row": r.row,
        }
        for r in records
    ]
    covered = _pairs("pcn_id", "month", ((r.pcn_id, r.month) for r in records))
    return _write(_CLAIMS, rows, covered, delete=True)


_NWRS = _Table(
    NwrsStaffCount,
    ("pcn_id", "census_date", "staff_role", "detailed_staff_role"),
    ("staff_group", "fte", "headcount"),
    provenance=("source_batch_id",),
)


def nwrs_staff_counts_write(*, records: Sequence[NwrsRecord], context: WriteContext) -> Written:
    """Each PCN's staff at each census the file covers, replacing that census for the PCN."""
    rows = [
        {
            "pcn_id": r.pcn_id,
            "census_date": r.census_date,
            "staff_group": r.staff_group,
            "staff_role": r.staff_role,
            "detailed_staff_role": r.detailed_staff_role,
            "fte": r.fte,
            "headcount": r.headcount,
            "source_batch_id": context.batch_id,
        }
        for r in records
    ]
    covered = _pairs("pcn_id", "census_date", ((r.pcn_id, r.census_date) for r in records))
    return _write(_NWRS, rows, covered, delete=True)
