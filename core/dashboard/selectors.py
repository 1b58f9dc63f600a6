"""Reads for the dashboard and the board pack: one organisation in one month, in a fixed
number of queries whatever the size of the ICB or of the national tables.

1. the key measure definitions;  2. the organisation's own values, every month;
3. who counted towards it that month (``RollupMember``), with each member's PCN and place;
4. those organisations;  5. their values (every month for the key measures, the month for
data quality);  6. England's values that month;  7. each practice's recording that month;
8. the import the figures came from.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import CharField, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from core.dashboard import attention as needs
from core.dashboard.attention import Attention, DataQualityFlag, Ranked
from core.dashboard.measures import DashboardMeasures, dashboard_measures
from core.dashboard.trends import MeasureTrend, MonthValue, measure_trend
from metrics.models import (
    GpadPracticeMonth,
    ImportBatch,
    MeasureDefinition,
    MeasureValue,
    RollupMember,
)
from practices.models import Organisation, OrgKind
from practices.selectors import members_as_at

DASHBOARD_KINDS = (OrgKind.ICB, OrgKind.SUB_ICB, OrgKind.PCN, OrgKind.PRACTICE)
# The level whose spread is charted for each kind of organisation read.
SPREAD_LEVEL = {
    OrgKind.ICB: OrgKind.PCN,
    OrgKind.SUB_ICB: OrgKind.PCN,
    OrgKind.PCN: OrgKind.PRACTICE,
    OrgKind.PRACTICE: OrgKind.PRACTICE,
}
# The levels listed to drill down to.
CHILD_KINDS = {
    OrgKind.ICB: (OrgKind.SUB_ICB, OrgKind.PCN),
    OrgKind.SUB_ICB: (OrgKind.PCN, OrgKind.PRACTICE),
    OrgKind.PCN: (OrgKind.PRACTICE,),
    OrgKind.PRACTICE: (),
}


@dataclass(frozen=True)
class Spread:
    """One measure across the organisations one level down, ranked best first, with the
    organisation read and England marked."""

    definition: MeasureDefinition
    level: str
    rows: list[Ranked]
    own: float | None
    england: float | None
    highlight: int | None = None


@dataclass(frozen=True)
class PlaceRow:
    org: Organisation
    values: dict[str, Ranked]


@dataclass(frozen=True)
class Source:
    file_name: str
    loaded_at: dt.datetime | None


@dataclass(frozen=True)
class Dashboard:
    org: Organisation
    month: dt.date | None
    months: list[dt.date]
    rebase: dt.date | None
    trends: list[MeasureTrend] = field(default_factory=list)
    spreads: list[Spread] = field(default_factory=list)
    places: list[PlaceRow] = field(default_factory=list)
    attention: Attention | None = None
    children: dict[str, list[Organisation]] = field(default_factory=dict)
    source: Source | None = None

    @property
    def has_figures(self) -> bool:
        return self.month is not None

    def trend(self, code: str) -> MeasureTrend | None:
        return next((t for t in self.trends if t.definition.code == code), None)

    def spread(self, code: str) -> Spread | None:
        return next((s for s in self.spreads if s.definition.code == code), None)


@dataclass
class Members:
    """Who counted towards the organisation in the month, and the groups they formed."""

    practices: set[int] = field(default_factory=set)
    groups: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    kinds: dict[int, str] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[int]:
        if kind == OrgKind.PRACTICE:
            return sorted(self.practices)
        return sorted(pk for pk, k in self.kinds.items() if k == kind)

    @property
    def ids(self) -> set[int]:
        return self.practices | set(self.kinds)


def dashboard_read(
    org: Organisation, *, month: dt.date | None = None, rebase: dt.date | None = None
) -> Dashboard:
    measures = dashboard_measures()
    definitions = MeasureDefinition.objects.in_bulk(measures.all_codes)
    own = _own_values(org, measures.key_codes)
    months = sorted({row.month for rows in own.values() for row, _ in rows})
    shown = _month_shown(months, month)
    if shown is None:
        return Dashboard(org, None, months, rebase, children=_register_children(org))
    return _dashboard(org, shown, months, rebase, measures, definitions, own)


def _dashboard(org, month, months, rebase, measures, definitions, own) -> Dashboard:
    members = _members(org, month)
    orgs = {**Organisation.objects.in_bulk(list(members.ids - {org.pk})), org.pk: org}
    series, month_rows = _member_values(members.ids | {org.pk}, measures, month)
    england = _england(month, measures.all_codes)
    trends = [
        measure_trend(
            definitions[key.code],
            key,
            [row for row, _ in own.get(key.code, [])],
            until=month,
            rebase=rebase,
            england=england.get(key.code),
        )
        for key in measures.key
        if key.code in definitions
    ]
    context = _Context(org, month, rebase, measures, definitions, members, orgs, month_rows)
    return Dashboard(
        org=org,
        month=month,
        months=months,
        rebase=rebase,
        trends=trends,
        spreads=context.spreads(trends, england),
        places=context.places(),
        attention=context.attention(series, _gpad_flags(members.practices, month)),
        children=context.children(),
        source=_source(own, month),
    )


def _month_shown(months: list[dt.date], wanted: dt.date | None) -> dt.date | None:
    if not months:
        return None
    if wanted is None:
        return months[-1]
    earlier = [month for month in months if month <= wanted]
    return earlier[-1] if earlier else months[0]


OwnValues = dict[str, list[tuple[MonthValue, int | None]]]


def _own_values(org: Organisation, codes: list[str]) -> OwnValues:
    """code -> (value, batch id) for every month, oldest first."""
    rows = MeasureValue.objects.filter(org=org, measure_id__in=codes).order_by("period")
    fields = (
        "measure_id",
        "period",
        "value",
        "numerator",
        "denominator",
        "change_year",
        "batch_id",
    )
    found: OwnValues = defaultdict(list)
    for code, period, value, numerator, denominator, change, batch in rows.values_list(*fields):
        found[code].append((MonthValue(period, value, numerator, denominator, change), batch))
    return found


def _members(org: Organisation, month: dt.date) -> Members:
    """One query: every practice counted towards ``org`` in the month (for a practice, the
    practices of its PCN), with every organisation each of them counted towards."""
    in_month = RollupMember.objects.filter(month=month)
    if org.kind == OrgKind.PRACTICE:
        pcns = in_month.filter(practice=org, org__kind=OrgKind.PCN).values("org_id")
        practices = in_month.filter(org_id__in=Subquery(pcns)).values("practice_id")
    else:
        practices = in_month.filter(org=org).values("practice_id")
    links = in_month.filter(practice_id__in=Subquery(practices))
    members = Members()
    if org.kind == OrgKind.PRACTICE:
        members.practices.add(org.pk)  # even a practice in no PCN is ranked among itself
    for org_id, kind, practice_id in links.values_list("org_id", "org__kind", "practice_id"):
        members.practices.add(practice_id)
        if kind in (OrgKind.SUB_ICB, OrgKind.PCN):
            members.groups[org_id].add(practice_id)
            members.kinds[org_id] = kind
    return members


def _member_values(
    ids: set[int], measures: DashboardMeasures, month: dt.date
) -> tuple[needs.Series, dict[tuple[int, str], tuple]]:
    """The key measures every month up to ``month`` (for SPC), and data quality that month.

    The largest read of the page (a large ICB's practices and PCNs, six measures, every
    month), so months come back as ISO text and are parsed once each, not once a row.
    """
    wanted = Q(measure_id__in=measures.key_codes, period__lte=month) | Q(
        measure_id=measures.data_quality, period=month
    )
    rows = (
        MeasureValue.objects.filter(wanted, org_id__in=list(ids))
        .order_by()  # the model's default ordering joins two tables just to sort
        .annotate(month_text=Cast("period", CharField(max_length=10)))
        .values_list("org_id", "measure_id", "month_text", "value", "numerator", "denominator")
    )
    months: dict[str, dt.date] = {}
    series: needs.Series = defaultdict(list)
    in_month: dict[tuple[int, str], tuple] = {}
    for org_id, code, text, value, numerator, denominator in rows:
        period = months.get(text) or months.setdefault(text, dt.date.fromisoformat(text))
        if value is not None:
            series[(org_id, code)].append((period, value))
        if period == month:
            in_month[(org_id, code)] = (value, numerator, denominator)
    return series, in_month


def _england(month: dt.date, codes: list[str]) -> dict[str, float | None]:
    rows = MeasureValue.objects.filter(
        org__kind=OrgKind.ENGLAND, period=month, measure_id__in=codes
    ).order_by()
    return dict(rows.values_list("measure_id", "value"))


def _gpad_flags(practice_ids: set[int], month: dt.date) -> dict[int, tuple[bool, int | None, int]]:
    rows = GpadPracticeMonth.objects.filter(month=month, practice_id__in=list(practice_ids))
    rows = rows.order_by()
    return {
        pk: (incomplete, patients, appointments)
        for pk, incomplete, patients, appointments in rows.values_list(
            "practice_id", "incomplete", "patients", "appointments"
        )
    }


def _source(own: OwnValues, month: dt.date) -> Source | None:
    batch_ids = {batch for rows in own.values() for row, batch in rows if row.month == month}
    batch = (
        ImportBatch.objects.filter(pk__in=[b for b in batch_ids if b])
        .order_by("-finished_at", "-pk")
        .only("file_name", "finished_at", "created_at")
        .first()
    )
    if batch is None:
        return None
    return Source(batch.file_name, batch.finished_at or batch.created_at)


def _register_children(org: Organisation) -> dict[str, list[Organisation]]:
    """With no figures yet, the drill-down still lists today's members from the register."""
    today = timezone.localdate()
    return {
        kind: list(members_as_at(org, today, kind).order_by("name"))
        for kind in CHILD_KINDS.get(org.kind, ())
    }


@dataclass(frozen=True)
class _Context:
    """What the parts of one dashboard share once read."""

    org: Organisation
    month: dt.date
    rebase: dt.date | None
    measures: DashboardMeasures
    definitions: dict[str, MeasureDefinition]
    members: Members
    orgs: dict[int, Organisation]
    month_rows: dict[tuple[int, str], tuple]

    def ranked(self, org_id: int, code: str) -> Ranked:
        value, numerator, denominator = self.month_rows.get((org_id, code), (None, 0, None))
        return Ranked(self.orgs[org_id], value, numerator, denominator)

    def level_ids(self, kind: str) -> list[int]:
        return [pk for pk in self.members.of_kind(kind) if pk in self.orgs]

    def spreads(self, trends: list[MeasureTrend], england: dict) -> list[Spread]:
        level = SPREAD_LEVEL[self.org.kind]
        ids = self.level_ids(level)
        highlight = self.org.pk if self.org.kind == OrgKind.PRACTICE else None
        return [
            Spread(
                definition=trend.definition,
                level=level,
                rows=_best_first(
                    [self.ranked(pk, trend.definition.code) for pk in ids], trend.definition
                ),
                own=trend.latest.value if trend.latest else None,
                england=england.get(trend.definition.code),
                highlight=highlight,
            )
            for trend in trends
        ]

    def places(self) -> list[PlaceRow]:
        if self.org.kind != OrgKind.ICB:
            return []
        rows = [
            PlaceRow(self.orgs[pk], {c: self.ranked(pk, c) for c in self.measures.key_codes})
            for pk in self.level_ids(OrgKind.SUB_ICB)
        ]
        return sorted(rows, key=lambda row: row.org.name)

    def attention(self, series: needs.Series, gpad: dict) -> Attention | None:
        if self.org.kind == OrgKind.PRACTICE:
            return None
        below = (OrgKind.PCN, OrgKind.PRACTICE)
        kinds = (OrgKind.PRACTICE,) if self.org.kind == OrgKind.PCN else below
        watched = {pk: self.orgs[pk] for kind in kinds for pk in self.level_ids(kind)}
        key = [self.definitions[c] for c in self.measures.key_codes if c in self.definitions]
        practices = self.level_ids(OrgKind.PRACTICE)
        return Attention(
            deteriorating=needs.concerns(
                series, watched, key, until=self.month, rebase=self.rebase
            ),
            lowest=[
                needs.lowest(self.definitions[c], [self.ranked(pk, c) for pk in practices])
                for c in self.measures.lowest_access
                if c in self.definitions
            ],
            data_quality=needs.data_quality(self._quality(pk, gpad) for pk in practices),
        )

    def _quality(self, pk: int, gpad: dict) -> DataQualityFlag:
        incomplete, patients, appointments = gpad.get(pk, (False, None, 0))
        unmapped = self.ranked(pk, self.measures.data_quality).value
        return DataQualityFlag(self.orgs[pk], unmapped, incomplete, patients, appointments)

    def children(self) -> dict[str, list[Organisation]]:
        found = {}
        for kind in CHILD_KINDS[self.org.kind]:
            ids = self.level_ids(kind)
            if kind == OrgKind.PRACTICE and self.org.kind == OrgKind.SUB_ICB:
                in_a_pcn = set().union(*(self.members.groups[p] for p in self.level_ids("pcn")))
                ids = [pk for pk in ids if pk not in in_a_pcn]
            found[kind] = sorted((self.orgs[pk] for pk in ids), key=lambda o: o.name)
        return found


def _best_first(rows: list[Ranked], definition: MeasureDefinition) -> list[Ranked]:
    """Best first; blanks last. Where neither way is better, highest first."""
    known = [r for r in rows if r.value is not None]
    blank = sorted((r for r in rows if r.value is None), key=lambda r: r.org.name)
    lower_first = definition.higher_is_better is False
    known.sort(key=lambda r: (r.value if lower_first else -r.value, r.org.name))
    return known + blank


def months_with_figures(org: Organisation) -> list[dt.date]:
    """The months the organisation has key-measure figures for, oldest first."""
    codes = dashboard_measures().key_codes
    rows = MeasureValue.objects.filter(org=org, measure_id__in=codes).order_by("period")
    return list(rows.values_list("period", flat=True).distinct())
