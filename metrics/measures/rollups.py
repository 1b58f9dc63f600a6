"""Who counts towards whom in a month: every practice with appointments that month, with
its PCN, place, ICB, region and England, by the memberships in force on the 1st."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from metrics.models import GpadPracticeMonth, RollupMember
from practices.models import Membership, Organisation, OrgKind, Relation
from practices.selectors import latest_list_sizes

ENGLAND_CODE = "ENG"


def england() -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        kind=OrgKind.ENGLAND, code=ENGLAND_CODE, defaults={"name": "England"}
    )
    return org


def rollup_members_rebuild(*, month: dt.date) -> int:
    """Rebuild the month's roll-up membership; also settles each practice's list size and
    whether its recording is complete enough to count in England's figures."""
    rows = list(GpadPracticeMonth.objects.filter(month=month))
    _completeness_record(rows, month)
    parents = _parents_on(month)
    england_id = england().pk
    members = [m for row in rows for m in _members(row, parents, england_id)]
    RollupMember.objects.filter(month=month).delete()
    RollupMember.objects.bulk_create(members, batch_size=5000)
    return len(members)


def _completeness_record(rows: list[GpadPracticeMonth], month: dt.date) -> None:
    sizes = latest_list_sizes([row.practice_id for row in rows], month)
    for row in rows:
        size = sizes.get(row.practice_id)
        row.patients = size.all_patients if size else None
        row.incomplete = row.patients is None or row.appointments * 12 < row.patients
    _completeness_save(rows)


def _completeness_save(rows: list[GpadPracticeMonth]) -> None:
    """On PostgreSQL one UPDATE from arrays: bulk_update's CASE WHEN id = ... per row makes
    the database compare every row with every id in the batch (seconds for a national
    month)."""
    if connection.vendor != "postgresql":
        GpadPracticeMonth.objects.bulk_update(rows, ["patients", "incomplete"], batch_size=2000)
        return
    table = connection.ops.quote_name(GpadPracticeMonth._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET patients = v.patients, incomplete = v.incomplete "  # noqa: S608
            f"FROM unnest(%s::bigint[], %s::integer[], %s::boolean[]) "
            f"AS v(id, patients, incomplete) WHERE {table}.id = v.id",
            [[r.pk for r in rows], [r.patients for r in rows], [r.incomplete for r in rows]],
        )


def _parents_on(month: dt.date) -> dict[str, dict[int, int]]:
    """relation -> child id -> parent id, for the links in force on the 1st of the month."""
    parents: dict[str, dict[int, int]] = {relation: {} for relation in Relation.values}
    links = Membership.objects.in_force_on(month).order_by("parent__code")
    for relation, child_id, parent_id in links.values_list("relation", "child_id", "parent_id"):
        parents[relation].setdefault(child_id, parent_id)
    return parents


def _members(row: GpadPracticeMonth, parents: dict[str, dict[int, int]], england_id: int):
    practice = row.practice_id
    pcn = parents[Relation.PRACTICE_PCN].get(practice)
    place = parents[Relation.PRACTICE_SUB_ICB].get(practice) or parents[Relation.PCN_SUB_ICB].get(
        pcn
    )
    icb = parents[Relation.SUB_ICB_ICB].get(place)
    region = parents[Relation.ICB_REGION].get(icb)
    orgs = [pcn, place, icb, region, None if row.incomplete else england_id]
    return [RollupMember(month=row.month, org_id=org, practice_id=practice) for org in orgs if org]
