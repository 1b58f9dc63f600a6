"""What needs a board's attention below the organisation it is reading: PCNs and practices
whose latest month is special-cause deterioration, the lowest access, and the weakest
recording. Plain data in and out; the selectors do the reading."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from metrics.models import MeasureDefinition
from metrics.spc import Rule, Segment, Variation, XmrPoint, point_variation, xmr_latest_of
from practices.models import Organisation, OrgKind

LIST_LENGTH = 5
KIND_ORDER = {OrgKind.SUB_ICB: 0, OrgKind.PCN: 1, OrgKind.PRACTICE: 2}


@dataclass(frozen=True)
class Ranked:
    """One organisation's value in the month, for ranking."""

    org: Organisation
    value: float | None
    numerator: int
    denominator: int | None


@dataclass(frozen=True)
class Concern:
    org: Organisation
    definition: MeasureDefinition
    value: float
    month: dt.date
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class DataQualityFlag:
    org: Organisation
    unmapped: float | None  # % of appointments in no care category
    incomplete: bool  # under 1 appointment per registered patient a year
    patients: int | None
    appointments: int


@dataclass(frozen=True)
class LowestAccess:
    definition: MeasureDefinition
    rows: list[Ranked]


@dataclass(frozen=True)
class Attention:
    deteriorating: list[Concern]
    lowest: list[LowestAccess]
    data_quality: list[DataQualityFlag]

    @property
    def deteriorating_orgs(self) -> list[Organisation]:
        found: dict[int, Organisation] = {}
        for concern in self.deteriorating:
            found.setdefault(concern.org.pk, concern.org)
        return list(found.values())


@dataclass(frozen=True)
class LatestSegment:
    """What SPC needs to judge one series' latest month: the month, the size, mean and mean
    moving range of the segment it ends, and the segment's last values, oldest first."""

    month: dt.date
    size: int
    mean: float
    mean_moving_range: float | None
    tail: tuple[float, ...]

    def latest(self) -> XmrPoint:
        segment = Segment(0, self.size, self.mean, self.mean_moving_range)
        return xmr_latest_of(self.tail, segment)


Latest = dict[tuple[int, str], LatestSegment]


def concerns(
    latest: Latest,
    orgs: dict[int, Organisation],
    definitions: Iterable[MeasureDefinition],
    *,
    until: dt.date,
) -> list[Concern]:
    """Every organisation and measure whose point for ``until`` is special cause concerning."""
    found = []
    for definition in definitions:
        if definition.higher_is_better is None:
            continue
        for org_id, org in orgs.items():
            segment = latest.get((org_id, definition.code))
            if segment is None or segment.month != until:
                continue  # no figure this month: nothing to judge
            point = segment.latest()
            variation = point_variation(point, higher_is_better=definition.higher_is_better)
            if variation == Variation.CONCERNING:
                found.append(Concern(org, definition, point.value, until, point.rules))
    return sorted(found, key=lambda c: (KIND_ORDER.get(c.org.kind, 9), c.org.name, c.org.code))


def lowest(definition: MeasureDefinition, rows: Iterable[Ranked]) -> LowestAccess:
    """The practices with the lowest values (blank values are not the lowest)."""
    known = sorted((r for r in rows if r.value is not None), key=lambda r: (r.value, r.org.name))
    return LowestAccess(definition, known[:LIST_LENGTH])


def data_quality(flags: Iterable[DataQualityFlag]) -> list[DataQualityFlag]:
    """Every practice recording too little to count, then the highest shares unmapped."""
    flags = list(flags)
    incomplete = sorted((f for f in flags if f.incomplete), key=lambda f: f.org.name)
    unmapped = sorted(
        (f for f in flags if not f.incomplete and f.unmapped),
        key=lambda f: (-(f.unmapped or 0), f.org.name),
    )
    return incomplete + unmapped[:LIST_LENGTH]
