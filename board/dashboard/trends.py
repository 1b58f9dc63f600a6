"""One measure for one organisation month by month, read as an XmR chart.

Plain data in, plain data out (no queries), so the dashboard, the board pack and the tests
all build trends the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from board.dashboard.measures import KeyMeasure
from metrics.models import MeasureDefinition
from metrics.spc import (
    Assurance,
    Variation,
    XmrChart,
    XmrPoint,
    assurance_of,
    point_variation,
    variation_of,
    xmr_chart,
)


@dataclass(frozen=True)
class MonthValue:
    month: dt.date
    value: float | None
    numerator: int
    denominator: int | None
    change_year: float | None = None


@dataclass(frozen=True)
class MeasureTrend:
    """A measure's months with a value, up to the month shown, and what SPC makes of them."""

    definition: MeasureDefinition
    key: KeyMeasure
    values: tuple[MonthValue, ...]
    chart: XmrChart
    rebase_month: dt.date | None
    england: float | None

    @property
    def months(self) -> list[dt.date]:
        return [row.month for row in self.values]

    @property
    def latest(self) -> MonthValue | None:
        return self.values[-1] if self.values else None

    @property
    def latest_point(self) -> XmrPoint | None:
        return self.chart.latest

    @property
    def variation(self) -> Variation | None:
        return variation_of(self.chart, higher_is_better=self.definition.higher_is_better)

    @property
    def assurance(self) -> Assurance | None:
        return assurance_of(
            self.chart, target=self.key.target, higher_is_better=self.definition.higher_is_better
        )

    def point_variations(self) -> list[Variation]:
        better = self.definition.higher_is_better
        return [point_variation(p, higher_is_better=better) for p in self.chart.points]


def rebase_index(months: list[dt.date], rebase: dt.date | None) -> list[int]:
    """The first month on or after the chosen one starts a new segment."""
    if rebase is None:
        return []
    return [next((i for i, month in enumerate(months) if month >= rebase), len(months))]


def measure_trend(
    definition: MeasureDefinition,
    key: KeyMeasure,
    rows: Iterable[MonthValue],
    *,
    until: dt.date,
    rebase: dt.date | None = None,
    england: float | None = None,
) -> MeasureTrend:
    """Months with no value (a denominator of 0) are left out of the chart, never zero."""
    shown = tuple(sorted((r for r in rows if r.month <= until and r.value is not None), key=_month))
    months = [row.month for row in shown]
    chart = xmr_chart([row.value for row in shown], rebase_at=rebase_index(months, rebase))
    return MeasureTrend(definition, key, shown, chart, rebase, england)


def _month(row: MonthValue) -> dt.date:
    return row.month
