"""Reads for the dashboard and the board pack: one organisation in one month, in a fixed
number of queries whatever the size of the ICB or of the national tables.

1. the ICB's key measures and their definitions (two, and the walk up to the ICB for
anything below one);  2. the organisation's own values, every month;
3. who counted towards it that month (``RollupMember``), with each member's PCN and place;
4. those organisations;  5. their values that month;  6. England's values that month;
7. each practice's recording that month;  8. the import the figures came from;
9. the data version; and, unless the cache already holds the answer for that version,
10. for each PCN and practice below, the mean and moving range of each key measure's
current SPC segment and its last seven months (for "needs attention").
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Subquery
from django.utils import timezone

from board.dashboard import attention as needs
from board.dashboard.attention import Attention, DataQualityFlag, Ranked
from board.dashboard.measures import DashboardMeasures, dashboard_measures
from board.dashboard.trends import MeasureTrend, MonthValue, measure_trend
from metrics.models import (
    GpadPracticeMonth,
    ImportBatch,
    MeasureDefinition,
    MeasureValue,
    RollupMember,
)
from metrics.spc.rules import RUN_LENGTH
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
    measures = dashboard_measures(org)
    definitions = measures.definitions
    own = _own_values(org, measures.key_codes)
    months = sorted({row.month for rows in own.values() for row, _ in rows})
    shown = _month_shown(months, month)
    if shown is None:
        return Dashboard(org, None, months, rebase, children=_register_children(org))
    return _dashboard(org, shown, months, rebase, measures, definitions, own)


def _dashboard(org, month, months, rebase, measures, definitions, own) -> Dashboard:
    members = _members(org, month)
    orgs = {**Organisation.objects.in_bulk(list(members.ids - {org.pk})), org.pk: org}
    month_rows = _month_values(members.ids | {org.pk}, measures.all_codes, month)
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
        attention=context.attention(_gpad_flags(members.practices, month)),
        children=context.children(),
        source=_source(own, month),
    )


CONCERNS_CACHE_SECONDS = 7 * 24 * 3600


def _data_version() -> str:
    """Changes whenever any measure value is written (a recompute deletes and inserts a
    month's rows, so the highest id moves) or an import finishes."""
    values = connection.ops.quote_name(MeasureValue._meta.db_table)
    batches = connection.ops.quote_name(ImportBatch._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {values}), "  # noqa: S608 - table names only
            f"(SELECT MAX(finished_at) FROM {batches})"
        )
        return "|".join(str(part) for part in cursor.fetchone())


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


def _month_values(ids: set[int], codes: list[str], month: dt.date) -> dict[tuple[int, str], tuple]:
    """(org, measure) -> (value, numerator, denominator) in the month, for ranking."""
    rows = MeasureValue.objects.filter(org_id__in=list(ids), measure_id__in=codes, period=month)
    fields = ("org_id", "measure_id", "value", "numerator", "denominator")
    return {(o, c): (v, n, d) for o, c, v, n, d in rows.order_by().values_list(*fields)}


# One row per series for each of its last RUN_LENGTH months, with the mean and the mean
# moving range of the segment it ends: the database does the arithmetic over every month, and
# only the tails travel (docs/decisions/0012-dashboard-and-board-pack.md).
LATEST_SEGMENTS_SQL = """
SELECT org_id, measure_id, period, value, size, mean, mean_moving_range FROM (
  SELECT org_id, measure_id, period, value,
         ROW_NUMBER() OVER in_order AS position,
         COUNT(*) OVER whole AS size, AVG(value) OVER whole AS mean,
         AVG(moving_range) OVER whole AS mean_moving_range
  FROM (
    SELECT org_id, measure_id, period, value,
           ABS(value - LAG(value) OVER (PARTITION BY org_id, measure_id ORDER BY period))
             AS moving_range
    FROM {table}
    WHERE org_id IN ({orgs}) AND measure_id IN ({codes}) AND value IS NOT NULL
      AND period <= %s AND period >= %s
  ) months
  WINDOW whole AS (PARTITION BY org_id, measure_id),
         in_order AS (PARTITION BY org_id, measure_id ORDER BY period)
) series
WHERE position > size - %s
ORDER BY org_id, measure_id, period
"""


def _latest_segments(
    ids: set[int], codes: list[str], month: dt.date, rebase: dt.date | None
) -> needs.Latest:
    """For every organisation and key measure, the current segment up to ``month``."""
    if not ids:
        return {}
    start = rebase if rebase is not None and rebase <= month else dt.date.min
    sql = LATEST_SEGMENTS_SQL.format(
        table=connection.ops.quote_name(MeasureValue._meta.db_table),
        orgs=", ".join(["%s"] * len(ids)),
        codes=", ".join(["%s"] * len(codes)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*sorted(ids), *codes, month, start, RUN_LENGTH])
        rows = cursor.fetchall()
    tails: dict[tuple[int, str], list] = defaultdict(list)
    for org_id, code, period, value, size, mean, mean_range in rows:
        tails[(org_id, code)].append((period, value, size, mean, mean_range))
    return {key: _segment(tail) for key, tail in tails.items()}


def _segment(tail: list[tuple]) -> needs.LatestSegment:
    period, _, size, mean, mean_range = tail[-1]
    if isinstance(period, str):  # SQLite returns raw SQL dates as text
        period = dt.date.fromisoformat(period)
    values = tuple(row[1] for row in tail)
    return needs.LatestSegment(period, size, mean, mean_range, values)


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

    def attention(self, gpad: dict) -> Attention | None:
        if self.org.kind == OrgKind.PRACTICE:
            return None
        below = (OrgKind.PCN, OrgKind.PRACTICE)
        kinds = (OrgKind.PRACTICE,) if self.org.kind == OrgKind.PCN else below
        watched = {pk: self.orgs[pk] for kind in kinds for pk in self.level_ids(kind)}
        practices = self.level_ids(OrgKind.PRACTICE)
        return Attention(
            deteriorating=self.deteriorating(watched),
            lowest=[
                needs.lowest(self.definitions[c], [self.ranked(pk, c) for pk in practices])
                for c in self.measures.lowest_access
                if c in self.definitions
            ],
            data_quality=needs.data_quality(self._quality(pk, gpad) for pk in practices),
        )

    def deteriorating(self, watched: dict[int, Organisation]) -> list[needs.Concern]:
        """Judging every PCN's and practice's latest month is the costliest part of the page
        (a large ICB has over 2,000 series), and its answer changes only when the figures do,
        so it is kept in the cache under the data version (docs/decisions/0012)."""
        codes = [c for c in self.measures.key_codes if c in self.definitions]
        parts = [_data_version(), str(self.org.pk), f"{self.month}", f"{self.rebase}", *codes]
        key = "dashboard-concerns:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
        found = cache.get(key)
        if found is None:
            latest = _latest_segments(set(watched), codes, self.month, self.rebase)
            definitions = [self.definitions[c] for c in codes]
            concerns = needs.concerns(latest, watched, definitions, until=self.month)
            found = [(c.org.pk, c.definition.code, c.value, c.rules) for c in concerns]
            cache.set(key, found, CONCERNS_CACHE_SECONDS)
        return [
            needs.Concern(self.orgs[org], self.definitions[code], value, self.month, rules)
            for org, code, value, rules in found
            if org in self.orgs
        ]

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
    codes = dashboard_measures(org).key_codes
    rows = MeasureValue.objects.filter(org=org, measure_id__in=codes).order_by("period")
    return list(rows.values_list("period", flat=True).distinct())
