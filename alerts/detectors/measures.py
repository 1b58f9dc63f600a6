"""Key measures: new special cause, and SPC icons that changed.

Each key measure of the watched organisation's ICB (metrics.selectors.key_measures) is read
for the organisation as the dashboard reads it (``measure_trend``: its XmR chart, no
re-baseline), once up to the latest month with a figure and once up to the month before.
What the card says now is compared with what it said a month ago, so special cause that was
already there last month is not news.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from alerts.detectors import Found, Watch
from alerts.models import AlertKind
from board.dashboard.presenters import assurance_icon, measure_value, rules_text, variation_icon
from board.dashboard.tables import dashboard_url
from board.dashboard.trends import MonthValue, measure_trend
from core.presenters import month
from metrics.models import MeasureDefinition, MeasureValue
from metrics.selectors import KeyMeasureItem, key_measures_of
from metrics.spc import Assurance, Rule, Variation
from practices.models import Organisation

SPECIAL_CAUSE = frozenset(
    {Variation.IMPROVING, Variation.CONCERNING, Variation.NEITHER_HIGH, Variation.NEITHER_LOW}
)


@dataclass(frozen=True)
class MeasureChange:
    """One key measure of one organisation: its latest month and the month before, and what
    the SPC icons said at each."""

    org: Organisation
    definition: MeasureDefinition
    month: dt.date
    before: dt.date
    value: float
    rules: tuple[Rule, ...]
    variation: Variation | None
    variation_before: Variation | None
    assurance: Assurance | None
    assurance_before: Assurance | None

    @property
    def is_new_special_cause(self) -> bool:
        return self.variation in SPECIAL_CAUSE and self.variation != self.variation_before

    @property
    def special_cause_ended(self) -> bool:
        return self.variation == Variation.COMMON_CAUSE and self.variation_before in SPECIAL_CAUSE

    @property
    def assurance_changed(self) -> bool:
        known = self.assurance is not None and self.assurance_before is not None
        return known and self.assurance != self.assurance_before


def measure_change(
    org: Organisation, definition: MeasureDefinition, key: KeyMeasureItem, rows: list[MonthValue]
) -> MeasureChange | None:
    """None until the measure has figures for two months."""
    months = sorted(row.month for row in rows if row.value is not None)
    if len(months) < 2:
        return None
    now = measure_trend(definition, key, rows, until=months[-1])
    before = measure_trend(definition, key, rows, until=months[-2])
    return MeasureChange(
        org=org,
        definition=definition,
        month=months[-1],
        before=months[-2],
        value=now.latest.value,
        rules=now.latest_point.rules,
        variation=now.variation,
        variation_before=before.variation,
        assurance=now.assurance,
        assurance_before=before.assurance,
    )


def _values(org: Organisation, codes: list[str]) -> dict[str, list[MonthValue]]:
    rows = MeasureValue.objects.filter(org=org, measure_id__in=codes).order_by("period")
    found: dict[str, list[MonthValue]] = defaultdict(list)
    fields = ("measure_id", "period", "value", "numerator", "denominator")
    for code, period, value, numerator, denominator in rows.values_list(*fields):
        found[code].append(MonthValue(period, value, numerator, denominator))
    return found


def measure_changes(org: Organisation) -> list[MeasureChange]:
    """Every key measure of ``org`` with two months of figures, in the dashboard's order."""
    measures = key_measures_of(org)
    values = _values(org, measures.key_codes)
    changes = (
        measure_change(org, key.definition, key, values.get(key.code, [])) for key in measures.key
    )
    return [change for change in changes if change is not None]


def _changes(watch: Watch) -> list[MeasureChange]:
    memo_key = ("measure_changes", watch.organisation.pk)
    if memo_key not in watch.memo:
        watch.memo[memo_key] = measure_changes(watch.organisation)
    return watch.memo[memo_key]


def _key(kind: str, change: MeasureChange) -> str:
    return f"{kind}:{change.org.pk}:{change.definition.code}:{change.month:%Y-%m}"


def _heading(change: MeasureChange) -> str:
    return f"{change.org.name}: {change.definition.title}"


def special_cause_found(watch: Watch) -> list[Found]:
    """Key measures whose latest month is special cause, where the month before was not (or
    was special cause the other way)."""
    return [
        Found(
            kind=AlertKind.SPECIAL_CAUSE,
            key=_key("special_cause", change),
            title=f"{_heading(change)}, {variation_icon(change.variation).label.lower()} "
            f"in {month(change.month)}",
            detail=_special_cause_detail(change),
            link=dashboard_url(change.org),
        )
        for change in _changes(watch)
        if change.is_new_special_cause
    ]


def _special_cause_detail(change: MeasureChange) -> str:
    value = measure_value(change.value, change.definition.unit)
    before = variation_icon(change.variation_before).label.lower()
    return (
        f"{value} in {month(change.month)}: {rules_text(change.rules)}. "
        f"In {month(change.before)} the chart showed {before}."
    )


def icon_change_found(watch: Watch) -> list[Found]:
    """Key measures whose assurance icon changed between the last two months, or whose
    special cause ended (new special cause is ``special_cause_found``'s)."""
    found = []
    for change in _changes(watch):
        if change.assurance_changed:
            found.append(_assurance_found(change))
        if change.special_cause_ended:
            found.append(_ended_found(change))
    return found


def _assurance_found(change: MeasureChange) -> Found:
    now, before = assurance_icon(change.assurance), assurance_icon(change.assurance_before)
    return Found(
        kind=AlertKind.ICON_CHANGE,
        key=_key("assurance", change),
        title=f"{_heading(change)}, assurance changed in {month(change.month)}",
        detail=f"Now: {now.label.lower()}. In {month(change.before)}: {before.label.lower()}.",
        link=dashboard_url(change.org),
    )


def _ended_found(change: MeasureChange) -> Found:
    before = variation_icon(change.variation_before).label.lower()
    return Found(
        kind=AlertKind.ICON_CHANGE,
        key=_key("variation", change),
        title=f"{_heading(change)}, back to common cause variation in {month(change.month)}",
        detail=f"In {month(change.before)} the chart showed {before}.",
        link=dashboard_url(change.org),
    )
