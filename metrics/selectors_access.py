"""Reads for the access pages: GP appointment measures for one organisation (practice and
PCN pages) and for every PCN and practice in an ICB (the access page). The data quality
page reads through metrics.selectors_quality.

Each read takes a fixed number of queries however many months, measures or practices:
values are fetched for all organisations at once and grouped in memory.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Max, QuerySet

from metrics.measures.rollups import ENGLAND_CODE
from metrics.models import (
    GpadPracticeMonth,
    ImportBatch,
    MeasureDecile,
    MeasureDefinition,
    MeasureValue,
    RollupMember,
)
from metrics.selectors import key_measures
from practices.models import Organisation, OrgKind

GPAD = "gpad"
APPOINTMENTS = "appointments_total"
PER_1000 = "appointments_per_1000_patients"
LOWEST, MEDIAN, HIGHEST = 1, 5, 9


def access_definitions() -> list[MeasureDefinition]:
    """Every GP appointment measure, in the order the definitions give."""
    return list(MeasureDefinition.objects.filter(source=GPAD).order_by("sort_order", "code"))


def is_access_measure(code: str) -> bool:
    return MeasureDefinition.objects.filter(source=GPAD, code=code).exists()


def loaded_months() -> list[dt.date]:
    """Months with appointments loaded, newest first."""
    months = GpadPracticeMonth.objects.order_by("-month").values_list("month", flat=True)
    return list(months.distinct())


def finished_at(batch_ids: Iterable[int | None]) -> dt.datetime | None:
    """When the latest of these loads finished: the as-at time of figures they produced."""
    ids = {pk for pk in batch_ids if pk is not None}
    if not ids:
        return None
    found = ImportBatch.objects.filter(pk__in=ids).aggregate(latest=Max("finished_at"))
    return found["latest"]


def england() -> Organisation | None:
    """England as the roll-ups record it (read only: nothing is created here)."""
    return Organisation.objects.filter(kind=OrgKind.ENGLAND, code=ENGLAND_CODE).first()


# --- One organisation: the practice and PCN pages -------------------------------------------


@dataclass(frozen=True)
class Trend:
    """One measure month by month: the organisation, its ICB and the national deciles."""

    definition: MeasureDefinition
    months: list[dt.date]
    org: list[float | None]
    icb: list[float | None]
    lowest: list[float | None]
    median: list[float | None]
    highest: list[float | None]
    values: list[MeasureValue]  # the organisation's, month by month

    @property
    def per_day(self) -> list[float | None]:
        """Per working day, month by month: counts only (None for a rate)."""
        return [value.per_working_day for value in self.values]

    def rows(self) -> list[tuple[dt.date, float | None, ...]]:
        """(month, organisation, ICB, 10th percentile, median, 90th percentile), latest
        month first, for the table beside the chart."""
        columns = (self.months, self.org, self.icb, self.lowest, self.median, self.highest)
        return list(zip(*columns, strict=True))[::-1]


@dataclass(frozen=True)
class OrgAccess:
    org: Organisation
    icb: Organisation | None
    definitions: list[MeasureDefinition]
    month: dt.date | None
    latest: dict[str, MeasureValue]
    trends: dict[str, Trend]
    as_at: dt.datetime | None
    key_codes: tuple[str, ...] = ()  # the ICB's key measures, which the page leads with

    @property
    def has_figures(self) -> bool:
        return bool(self.trends)

    def key_trends(self) -> list[Trend]:
        return [self.trends[code] for code in self.key_codes if code in self.trends]

    def other_definitions(self) -> list[MeasureDefinition]:
        key = set(self.key_codes)
        return [d for d in self.definitions if d.code not in key and d.code in self.trends]

    def chart_records(self, code: str) -> list[tuple]:
        """The figures behind one measure's chart, oldest month first, unrounded, in
        CHART_CSV_FIELDS order; none when the organisation has no figures for it."""
        trend = self.trends.get(code)
        if trend is None:
            return []
        icb_code = self.icb.code if self.icb else None
        columns = (trend.months, trend.values, trend.icb, trend.lowest, trend.median, trend.highest)
        return [
            (code, month, self.org.code, own.numerator, own.denominator, own.denominator_month,
             own.value, own.per_working_day, icb_code, icb, low, median, high)
            for month, own, icb, low, median, high in zip(*columns, strict=True)
        ]  # fmt: skip


# The columns of one chart's CSV (OrgAccess.chart_records).
CHART_CSV_FIELDS = (
    "measure", "period", "org_code", "numerator", "denominator", "denominator_month", "value",
    "per_working_day", "icb_code", "icb_value", "england_p10", "england_median", "england_p90",
)  # fmt: skip


def org_access(
    org: Organisation, icb: Organisation | None, *, measure: str | None = None
) -> OrgAccess:
    """Every access measure (or only ``measure``) for ``org`` over every loaded month, beside
    its ICB and the national deciles, led by the ICB's key measures (the default list with no
    ICB): at most five queries; two fewer for one measure, which leads with nothing."""
    ids = [org.pk] + ([icb.pk] if icb else [])
    values = MeasureValue.objects.filter(org_id__in=ids, measure__source=GPAD)
    if measure is not None:
        values = values.filter(measure_id=measure)
    by_org: dict[int, dict[str, dict[dt.date, MeasureValue]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    definitions: dict[str, MeasureDefinition] = {}
    for value in values.select_related("measure").order_by("period"):
        by_org[value.org_id][value.measure_id][value.period] = value
        definitions.setdefault(value.measure_id, value.measure)
    ordered = sorted(definitions.values(), key=lambda d: (d.sort_order, d.code))
    own, around = by_org[org.pk], by_org[icb.pk] if icb else {}
    month = _latest(own, around)
    return OrgAccess(
        org=org,
        icb=icb,
        definitions=ordered,
        month=month,
        latest={code: found[month] for code, found in own.items() if month in found},
        trends=_trends(
            ordered, own, around, _deciles({m for ms in own.values() for m in ms}, measure)
        ),
        as_at=finished_at(v.batch_id for months in own.values() for v in months.values()),
        key_codes=() if measure else tuple(key_measures(icb).codes_from(GPAD)),
    )


def _latest(*orgs: dict[str, dict[dt.date, MeasureValue]]) -> dt.date | None:
    """The latest month loaded for the ICB (or the organisation, when it has no ICB): a month
    the organisation has no figure for shows as blank, not as an older month."""
    months = [month for found in orgs for by_month in found.values() for month in by_month]
    return max(months, default=None)


Deciles = dict[tuple[str, dt.date], dict[int, float]]


def _deciles(months: set[dt.date], measure: str | None = None) -> Deciles:
    found: Deciles = defaultdict(dict)
    rows = MeasureDecile.objects.filter(period__in=months, decile__in=(LOWEST, MEDIAN, HIGHEST))
    if measure is not None:
        rows = rows.filter(measure_id=measure)
    for code, period, decile, value in rows.values_list("measure_id", "period", "decile", "value"):
        found[(code, period)][decile] = value
    return found


def _trends(
    definitions: list[MeasureDefinition],
    own: dict[str, dict[dt.date, MeasureValue]],
    icb: dict[str, dict[dt.date, MeasureValue]],
    deciles: Deciles,
) -> dict[str, Trend]:
    trends = {}
    for definition in definitions:
        months = sorted(own.get(definition.code, {}))
        if months:
            trends[definition.code] = _trend(definition, months, own, icb, deciles)
    return trends


def _trend(definition, months, own, icb, deciles) -> Trend:
    code = definition.code
    cuts = [deciles.get((code, month), {}) for month in months]
    icb_values = icb.get(code, {})
    return Trend(
        definition=definition,
        months=months,
        org=[own[code][month].value for month in months],
        icb=[icb_values[m].value if m in icb_values else None for m in months],
        lowest=[cut.get(LOWEST) for cut in cuts],
        median=[cut.get(MEDIAN) for cut in cuts],
        highest=[cut.get(HIGHEST) for cut in cuts],
        values=[own[code][month] for month in months],
    )


CSV_FIELDS = (
    "measure_id",
    "period",
    "numerator",
    "denominator",
    "denominator_month",
    "value",
    "per_working_day",
    "change_year",
    "change_baseline",
    "percentile_england",
    "percentile_icb",
    "batch_id",
)


def org_measure_values(org: Organisation) -> list[tuple]:
    """Every access measure value held for ``org``, unrounded, measure by measure."""
    values = MeasureValue.objects.filter(org=org, measure__source=GPAD)
    return list(values.order_by("measure__sort_order", "period").values_list(*CSV_FIELDS))


# --- The ICB access page: every PCN and practice in one month -------------------------------


@dataclass(frozen=True)
class AccessRow:
    """One organisation's figures for the month (``values`` by measure code)."""

    org: Organisation
    values: dict[str, MeasureValue]
    patients: int | None = None
    incomplete: bool = False
    pcn: Organisation | None = None
    place: Organisation | None = None

    def value(self, code: str) -> float | None:
        found = self.values.get(code)
        return found.value if found else None

    @property
    def denominator_month(self) -> dt.date | None:
        """The month of the (oldest) list size the registered patients come from."""
        found = self.values.get(PER_1000)
        return found.denominator_month if found else None

    @property
    def per_working_day(self) -> float | None:
        """Appointments per working day in England (bank holidays excluded)."""
        found = self.values.get(APPOINTMENTS)
        return found.per_working_day if found else None


@dataclass
class IcbMonth:
    """Which practices counted towards which PCN and place in the ICB in a month."""

    practice_ids: set[int] = field(default_factory=set)
    pcn_of: dict[int, int] = field(default_factory=dict)
    place_of: dict[int, int] = field(default_factory=dict)

    def chosen(self, place_id: int | None, pcn_id: int | None) -> list[int]:
        return [
            pk
            for pk in self.practice_ids
            if (place_id is None or self.place_of.get(pk) == place_id)
            and (pcn_id is None or self.pcn_of.get(pk) == pcn_id)
        ]


def icb_month(icb: Organisation, month: dt.date) -> IcbMonth:
    """The ICB's practices in the month and their PCN and place, from the roll-up
    membership (the memberships in force on the 1st): one query."""
    in_icb = RollupMember.objects.filter(month=month, org=icb).values("practice_id")
    links = RollupMember.objects.filter(month=month, practice_id__in=in_icb).values_list(
        "practice_id", "org_id", "org__kind"
    )
    found = IcbMonth()
    for practice_id, org_id, kind in links:
        found.practice_ids.add(practice_id)
        if kind == OrgKind.PCN:
            found.pcn_of[practice_id] = org_id
        elif kind == OrgKind.SUB_ICB:
            found.place_of[practice_id] = org_id
    return found


@dataclass(frozen=True)
class AccessTable:
    icb: Organisation
    month: dt.date
    places: list[Organisation]
    pcns: list[Organisation]
    pcn_rows: list[AccessRow]
    practice_rows: list[AccessRow]
    reference_rows: list[AccessRow]
    as_at: dt.datetime | None


def icb_access_table(
    icb: Organisation,
    month: dt.date,
    codes: Iterable[str],
    *,
    place: Organisation | None = None,
    pcn: Organisation | None = None,
) -> AccessTable:
    """The measures ``codes`` for every PCN and practice in the ICB in ``month`` (narrowed
    to a place or PCN), with the ICB and England for reference. Rows are unsorted."""
    members = icb_month(icb, month)
    practice_ids = members.chosen(place and place.pk, pcn and pcn.pk)
    pcn_ids = {members.pcn_of[pk] for pk in practice_ids if pk in members.pcn_of}
    orgs = Organisation.objects.in_bulk(
        members.practice_ids | set(members.pcn_of.values()) | set(members.place_of.values())
    )
    national = england()
    reference = [o for o in (place, icb, national) if o is not None]
    values = _month_values(month, codes, [*practice_ids, *pcn_ids, *(o.pk for o in reference)])
    gpad = {row.practice_id: row for row in practice_months(month, practice_ids)}
    return AccessTable(
        icb=icb,
        month=month,
        places=_named(orgs, members.place_of.values()),
        pcns=_named(orgs, members.pcn_of.values()),
        pcn_rows=[_rollup_row(orgs[pk], values) for pk in pcn_ids],
        practice_rows=[_practice_row(orgs, pk, members, values, gpad) for pk in practice_ids],
        reference_rows=[_rollup_row(o, values) for o in reference],
        as_at=finished_at(v.batch_id for found in values.values() for v in found.values()),
    )


def _month_values(
    month: dt.date, codes: Iterable[str], org_ids: list[int]
) -> dict[int, dict[str, MeasureValue]]:
    rows = MeasureValue.objects.filter(period=month, measure_id__in=list(codes), org_id__in=org_ids)
    found: dict[int, dict[str, MeasureValue]] = defaultdict(dict)
    for value in rows:
        found[value.org_id][value.measure_id] = value
    return found


def practice_months(month: dt.date, practice_ids: Iterable[int]) -> QuerySet[GpadPracticeMonth]:
    """What the month's GPAD said about each of these practices."""
    return GpadPracticeMonth.objects.filter(month=month, practice_id__in=list(practice_ids))


def _named(orgs: dict[int, Organisation], ids: Iterable[int]) -> list[Organisation]:
    return sorted({orgs[pk] for pk in ids}, key=lambda o: (o.name.lower(), o.code))


def _rollup_row(org: Organisation, values: dict[int, dict[str, MeasureValue]]) -> AccessRow:
    """A PCN, place, ICB or England: its patients are the per-1,000 denominator."""
    found = values.get(org.pk, {})
    per_1000 = found.get(PER_1000)
    return AccessRow(org=org, values=found, patients=per_1000.denominator if per_1000 else None)


def _practice_row(orgs, pk, members: IcbMonth, values, gpad) -> AccessRow:
    month = gpad.get(pk)
    return AccessRow(
        org=orgs[pk],
        values=values.get(pk, {}),
        patients=month.patients if month else None,
        incomplete=bool(month and month.incomplete),
        pcn=orgs.get(members.pcn_of.get(pk)),
        place=orgs.get(members.place_of.get(pk)),
    )


NAME, PATIENTS, PER_WORKING_DAY = "name", "patients", "per_working_day"


def rows_sorted(rows: list[AccessRow], sort: str, *, descending: bool) -> list[AccessRow]:
    """Rows by name, patients, appointments per working day or a measure's value; blanks
    always last, ties by name."""
    by_name = sorted(rows, key=lambda r: (r.org.name.lower(), r.org.code))
    if sort == NAME:
        return by_name[::-1] if descending else by_name
    known = [r for r in by_name if _sort_value(r, sort) is not None]
    blank = [r for r in by_name if _sort_value(r, sort) is None]
    return sorted(known, key=lambda r: _sort_value(r, sort), reverse=descending) + blank


def _sort_value(row: AccessRow, sort: str) -> float | None:
    if sort == PATIENTS:
        return row.patients
    if sort == PER_WORKING_DAY:
        return row.per_working_day
    return row.value(sort)
