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
