"""Reported links: the PCN and place each practice reported, month by month, turned into
dated memberships (one per run of consecutive months with the same code)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from imports.sources.base import WriteContext
from metrics.models import GpadPracticeMonth
from metrics.models.gpad import NO_PCN
from practices.models import Membership, MembershipBasis, Organisation, OrgKind, Relation
from practices.services import OrgRecord, organisations_upsert, reported_memberships_sync

# A reported link: (practice id, parent id, start date, end date or None).
Link = tuple[int, int, dt.date, dt.date | None]
REPORTED_RELATIONS = ((Relation.PRACTICE_PCN, OrgKind.PCN, "pcn_code"),
                      (Relation.PRACTICE_SUB_ICB, OrgKind.SUB_ICB, "sub_icb_code"))  # fmt: skip


@dataclass(frozen=True)
class LoadPractices:
    """The practices whose reported links are worked out again: ``chosen`` of those this
    batch wrote months for (None: all of them, named by a subquery, since a national
    month's 6,300 ids as parameters took longer to send than the queries took to run), and
    any ``others``."""

    batch_id: int
    chosen: frozenset[int] | None = None
    others: frozenset[int] = frozenset()

    def q(self, field: str) -> Q:
        if self.chosen is not None:
            return Q(**{f"{field}__in_ids": self.chosen | self.others})
        loaded = GpadPracticeMonth.objects.filter(batch_id=self.batch_id).values("practice_id")
        found = Q(**{f"{field}__in": loaded})
        return found | Q(**{f"{field}__in": sorted(self.others)}) if self.others else found

    def sql(self, column: str) -> tuple[str, list]:
        listed = sorted(self.others if self.chosen is None else self.chosen | self.others)
        marks = ", ".join(["%s"] * len(listed)) or "NULL"
        if self.chosen is not None:
            return f"{column} IN ({marks})", listed
        table = connection.ops.quote_name(GpadPracticeMonth._meta.db_table)
        loaded = f"{column} IN (SELECT practice_id FROM {table} WHERE batch_id = %s)"  # noqa: S608
        return f"({loaded} OR {column} IN ({marks}))", [self.batch_id, *listed]


def reported_memberships_rebuild(
    *, context: WriteContext, also: frozenset[int] = frozenset()
) -> None:
    """Turn each practice's months into links: one per run of consecutive months with the
    same PCN (and place). These count only where no published link covers the month.
    Worked out again for the practices whose months this batch changed, and for those
    that stopped appearing, and ``also`` those whose months the batch removed."""
    latest = GpadPracticeMonth.objects.order_by("-month").values_list("month", flat=True).first()
    others = also | frozenset(_left_open(LoadPractices(context.batch_id), latest))
    for relation, kind, field in REPORTED_RELATIONS:
        chosen = _uncovered(context.batch_id, relation, field)
        practices = LoadPractices(context.batch_id, chosen, others)
        runs = _runs(practices, field)
        parents = _parent_ids(kind, {code for _, code, _, _ in runs}, context)
        wanted = [_reported_link(run, parents, latest) for run in runs]
        reported_memberships_sync(
            relation=relation, children=practices.q("child_id"), links=wanted, context=context
        )


def _uncovered(batch_id: int, relation: str, field: str) -> frozenset[int] | None:
    """The batch's practices with a month that the relation's open reported link does not
    already cover with the same parent (None: every one of them). A routine month leaves
    almost every practice where it was, and working out every practice's runs over its
    whole history took 1.5 s a load once 27 months were loaded. Compared here rather than
    in SQL: without statistics for the new rows PostgreSQL nested the comparison."""
    open_links = (
        Membership.objects.filter(
            relation=relation, basis=MembershipBasis.REPORTED, end_date__isnull=True
        )
        .order_by()
        .values_list("child_id", "parent__code", "start_date")
    )
    covered = {child: (code, start) for child, code, start in open_links}
    months = (
        GpadPracticeMonth.objects.filter(batch_id=batch_id)
        .order_by()
        .values_list("practice_id", "month", field)
    )
    loaded, uncovered = set(), set()
    for practice_id, month, code in months:
        loaded.add(practice_id)
        link = covered.get(practice_id)
        if link is None or link[0] != code or link[1] > month:
            uncovered.add(practice_id)
    return None if uncovered == loaded else frozenset(uncovered)


def _left_open(practices: LoadPractices, latest: dt.date | None) -> set[int]:
    """Practices outside this load whose reported link is still open although they are not
    in the latest month loaded: a practice that stopped appearing (closed, merged) belongs
    to its PCN only up to its last reported month, so its links are worked out again."""
    open_links = Membership.objects.filter(
        basis=MembershipBasis.REPORTED,
        end_date__isnull=True,
        relation__in=[relation for relation, _, _ in REPORTED_RELATIONS],
    ).exclude(practices.q("child_id"))
    stale = open_links.exclude(child__gpad_months__month=latest)
    return set(stale.values_list("child_id", flat=True))


def _runs(practices: LoadPractices, field: str) -> list[tuple[int, str, dt.date, dt.date]]:
    """(practice, code, first month, last month) for each run of consecutive months in
    which a practice reported the same code (blank codes, and months in no PCN, left out).

    Worked out in the database, which returns only the runs: a practice's history grows by
    a month with every load, and reading all of it into Python made each load slower than
    the last. Within one practice and code, months that follow on keep the same difference
    between their month number and their position, so that difference names the run."""
    table = connection.ops.quote_name(GpadPracticeMonth._meta.db_table)
    chosen, params = practices.sql("practice_id")
    sql = (
        f"SELECT practice_id, code, MIN(month), MAX(month) FROM (SELECT practice_id, "  # noqa: S608
        f"{field} AS code, month, {_month_number('month')} - ROW_NUMBER() OVER "
        f"(PARTITION BY practice_id, {field} ORDER BY month) AS run FROM {table} "
        f"WHERE {chosen}) months WHERE code NOT IN ('', %s) "
        f"GROUP BY practice_id, code, run ORDER BY practice_id, MIN(month)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, NO_PCN])
        return [
            (practice_id, code, _date(first), _date(last))
            for practice_id, code, first, last in cursor.fetchall()
        ]


def _month_number(column: str) -> str:
    """Months since year 0, so that consecutive months are consecutive numbers."""
    if connection.vendor == "postgresql":
        year, month = (
            f"CAST(EXTRACT({part} FROM {column}) AS INTEGER)" for part in ("YEAR", "MONTH")
        )
    else:
        year, month = (f"CAST(strftime('%%{part}', {column}) AS INTEGER)" for part in ("Y", "m"))
    return f"({year} * 12 + {month})"


def _date(value: dt.date | str) -> dt.date:
    """SQLite gives an aggregate of dates back as text."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _parent_ids(kind: str, codes: set[str], context: WriteContext) -> dict[str, int]:
    codes.discard("")
    known = dict(Organisation.objects.filter(kind=kind, code__in=codes).values_list("code", "pk"))
    missing = [OrgRecord(code=code) for code in codes - set(known)]
    if missing:
        organisations_upsert(kind=kind, records=missing, context=context)
        known = dict(
            Organisation.objects.filter(kind=kind, code__in=codes).values_list("code", "pk")
        )
    return known


def _reported_link(run: tuple, parents: dict[str, int], latest: dt.date) -> Link:
    """A run that reaches the latest month loaded is still in force as far as we know."""
    practice_id, code, first, last = run
    end = None if last == latest else _next_month(last) - dt.timedelta(days=1)
    return practice_id, parents[code], first, end
