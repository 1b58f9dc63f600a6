"""A block of crosstab rows turned into ids, ready to write, whichever reader made it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from metrics.models import Dimension

# Above any date ordinal, so practice id * ORDINAL_SPAN + ordinal keys a (practice, month).
ORDINAL_SPAN = 10**7
# (practice id, month) -> the (PCN code, sub-ICB code) pairs its rows reported.
PracticeMonths = dict[tuple[int, dt.date], set[tuple[str, str]]]


@dataclass
class Chunk:
    practice_ids: np.ndarray
    months: np.ndarray  # date ordinals of the first of each month
    categories: dict[str, np.ndarray]  # dimension -> category ids
    counts: np.ndarray
    rows: np.ndarray  # the row number of each record in its file
    practice_months: PracticeMonths = field(default_factory=dict)
    suppliers: np.ndarray | None = None  # Categories.supplier_id of each row's SUPPLIER

    def __len__(self) -> int:
        return len(self.counts)

    def totals(self, triage_id: int | None = None) -> dict[tuple[int, dt.date], tuple[int, int]]:
        """(appointments, Clinical Triage appointments) per (practice, month) in this chunk."""
        keys = self.practice_ids * ORDINAL_SPAN + self.months  # one number per pair
        unique, inverse = np.unique(keys, return_inverse=True)
        sums = np.bincount(inverse, weights=self.counts, minlength=len(unique))
        triage = np.bincount(
            inverse,
            weights=np.where(
                self.categories[Dimension.NATIONAL_CATEGORY] == triage_id, self.counts, 0
            ),
            minlength=len(unique),
        )
        return {
            (int(key // ORDINAL_SPAN), dt.date.fromordinal(int(key % ORDINAL_SPAN))): (
                int(total),
                int(in_triage),
            )
            for key, total, in_triage in zip(unique, sums, triage, strict=True)
        }


@dataclass
class Tally:
    """What all chunks of a load add up to."""

    triage_id: int | None = None  # the Clinical Triage category
    rows: int = 0
    totals: dict[tuple[int, dt.date], int] = field(default_factory=dict)
    triage: dict[tuple[int, dt.date], int] = field(default_factory=dict)
    reported: PracticeMonths = field(default_factory=dict)
    keys: RowKeys | None = None  # one file's rows, to find those that repeat

    def add(self, chunk: Chunk) -> None:
        self.rows += len(chunk)
        sums = chunk.totals(self.triage_id)
        self._combine(
            {key: total for key, (total, _) in sums.items()},
            {key: triage for key, (_, triage) in sums.items()},
            chunk.practice_months,
        )

    def merge(self, other: Tally) -> None:
        self.rows += other.rows
        self._combine(other.totals, other.triage, other.reported)

    def _combine(self, totals: dict, triage: dict, reported: PracticeMonths) -> None:
        for key, total in totals.items():
            self.totals[key] = self.totals.get(key, 0) + total
        for key, total in triage.items():
            self.triage[key] = self.triage.get(key, 0) + total
        for key, pairs in reported.items():
            self.reported.setdefault(key, set()).update(pairs)

    @property
    def months(self) -> set[dt.date]:
        return {month for _, month in self.totals}


# Bits of a row's key (below the practice id) for its month and its supplier. Months are
# firsts, at least 28 days apart, so days since 2000 // 28 tells them apart in 11 bits.
_MONTH_BITS = 11
_SUPPLIER_BITS = 6
_FIRST_DAY = dt.date(2000, 1, 1).toordinal()


class RowKeys:
    """Each row of one file reduced to one number (practice, month, supplier and the five
    categories), to find rows that repeat one another: summing them would count the same
    appointments twice. The supplier is part of the key: a practice that changed clinical
    system during the month is published with a set of rows for each system.

    A category id becomes its position among its dimension's ids, so the five fit in a
    few bits and a row's key in one 64-bit integer; finding repeats is then a sort of
    plain numbers (about a tenth of a second for a national month)."""

    def __init__(self, category_ids: dict[str, set[int]]) -> None:
        self._positions: list[tuple[str, np.ndarray, int]] = []
        bits = _MONTH_BITS + _SUPPLIER_BITS
        for dimension in Dimension.values:
            ids = sorted(category_ids.get(dimension, ())) or [0]
            lookup = np.zeros(max(ids) + 1, dtype=np.int64)
            lookup[ids] = np.arange(len(ids))
            width = max(1, (len(ids) - 1).bit_length())
            self._positions.append((dimension, lookup, width))
            bits += width
        self._practice_shift = bits
        self._keys: list[np.ndarray] = []
        self._rows: list[np.ndarray] = []

    def add(self, chunk: Chunk) -> None:
        key = ((chunk.months - _FIRST_DAY) // 28).astype(np.int64) << _SUPPLIER_BITS
        if chunk.suppliers is not None:
            key |= chunk.suppliers % (1 << _SUPPLIER_BITS)
        for dimension, lookup, width in self._positions:
            key = (key << width) | lookup[chunk.categories[dimension]]
        if len(chunk) and int(chunk.practice_ids.max()) >> (63 - self._practice_shift):
            raise ValueError("Practice ids have outgrown the row key.")
        self._keys.append(key | (chunk.practice_ids.astype(np.int64) << self._practice_shift))
        self._rows.append(chunk.rows)

    def repeats(self) -> list[tuple[int, int]]:
        """(row, the earlier row it repeats) for every row whose key came before."""
        if not self._keys:
            return []
        keys = np.concatenate(self._keys)
        ordered = np.sort(keys)
        if not (ordered[1:] == ordered[:-1]).any():
            return []  # the usual case, found by a sort alone
        rows = np.concatenate(self._rows)
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        same = np.flatnonzero(ordered[1:] == ordered[:-1]) + 1
        if not len(same):
            return []
        first = {}
        found = []
        for at in same.tolist():
            start = first.setdefault(int(ordered[at]), int(rows[order[at - 1]]))
            found.append((int(rows[order[at]]), start))
        return sorted(found)
