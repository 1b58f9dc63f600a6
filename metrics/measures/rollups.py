"""Who counts towards whom in a month: every practice with appointments that month, with
its PCN, place, ICB, region and England, by the memberships in force on the 1st.

Worked out in the database in a few statements, whatever the number of practices: the
links in force come from ``Membership.objects.in_force_on``, the one definition every
roll-up uses, and where a child has two links of one relation in force the parent with
the lowest code counts.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import F, OuterRef, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.db.models.lookups import GreaterThan

from metrics.measures.sql import Members
from metrics.models import GpadPracticeMonth, RollupMember
from metrics.models.gpad import NO_PCN
from practices.models import (
    ListSize,
    Membership,
    MembershipBasis,
    Organisation,
    OrgKind,
    Relation,
)

ENGLAND_CODE = "ENG"


def england() -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        kind=OrgKind.ENGLAND, code=ENGLAND_CODE, defaults={"name": "England"}
    )
    return org


def rollup_members_rebuild(*, month: dt.date) -> int:
    """Rebuild the month's roll-up membership; also settles each practice's list size and
    whether its recording is complete enough to count in England's figures."""
    _completeness_record(month)
    england_id = england().pk
    RollupMember.objects.filter(month=month).delete()
    with connection.cursor() as cursor:
        _chain_build(cursor, month)
        added = _members_insert(cursor, month, england_id)
        cursor.execute("DROP TABLE rollup_links")
        cursor.execute("DROP TABLE rollup_chain")
    return added


def _completeness_record(month: dt.date) -> None:
    """Each practice's registered patients (its latest list size at or before the month, and
    that list size's month) and whether it recorded under one appointment per patient a year
    (incomplete, left out of England's figures)."""
    sizes = ListSize.objects.filter(
        practice_id=OuterRef("practice_id"), month__lte=month, all_patients__isnull=False
    ).order_by("-month")
    latest = sizes.values("all_patients")[:1]
    a_year = F("appointments") * 12
    # One UPDATE. A practice with no list size yet cannot be judged, so it counts: a GPAD
    # zip loaded on its own still gives England its figures.
    GpadPracticeMonth.objects.filter(month=month).update(
        patients=Subquery(latest),
        patients_month=Subquery(sizes.values("month")[:1]),
        incomplete=GreaterThan(Coalesce(Subquery(latest), 0), a_year),
    )


def pcn_members(cursor, *, month: dt.date) -> Members:
    """Who each PCN counts towards in the month, for a source whose figures are PCNs':
    its place (sub-ICB location), ICB and region by the links in force on the 1st, and
    England. A temporary table, ``pcn_members``, read by ``MeasureSql.rollup_values``."""
    england_id = england().pk
    _links_build(cursor, month)
    orgs = connection.ops.quote_name(Organisation._meta.db_table)

    def joined(alias: str, relation: str, child: str) -> str:
        return (
            f"LEFT JOIN rollup_links {alias} ON {alias}.relation = '{relation}' "
            f"AND {alias}.child_id = {child} "
        )

    cursor.execute("DROP TABLE IF EXISTS pcn_chain")
    cursor.execute(
        "CREATE TEMPORARY TABLE pcn_chain AS SELECT p.id AS pcn_id, pcs.parent_id AS place_id, "  # noqa: S608
        f"icb.parent_id AS icb_id, region.parent_id AS region_id FROM {orgs} p "
        + joined("pcs", Relation.PCN_SUB_ICB, "p.id")
        + joined("icb", Relation.SUB_ICB_ICB, "pcs.parent_id")
        + joined("region", Relation.ICB_REGION, "icb.parent_id")
        + "WHERE p.kind = %s",
        [OrgKind.PCN],
    )
    levels = " UNION ALL ".join(
        f"SELECT {column} AS org_id, pcn_id AS practice_id FROM pcn_chain "  # noqa: S608
        f"WHERE {column} IS NOT NULL"
        for column in ("place_id", "icb_id", "region_id")
    )
    cursor.execute("DROP TABLE IF EXISTS pcn_members")
    cursor.execute(
        f"CREATE TEMPORARY TABLE pcn_members AS {levels} UNION ALL "  # noqa: S608
        "SELECT %s AS org_id, pcn_id AS practice_id FROM pcn_chain",
        [england_id],
    )
    cursor.execute("DROP TABLE pcn_chain")
    cursor.execute("DROP TABLE rollup_links")
    return Members("pcn_members")


def _links_build(cursor, month: dt.date) -> None:
    """A temporary table of the links in force on the 1st: one parent per child and
    relation (of two in force, the parent with the lowest code)."""
    links = (
        Membership.objects.in_force_on(month)
        .annotate(
            pick=Window(
                RowNumber(),
                partition_by=[F("relation"), F("child_id")],
                order_by=F("parent__code").asc(),
            )
        )
        .values(
            link_relation=F("relation"),
            link_child=F("child_id"),
            link_parent=F("parent_id"),
            link_basis=F("basis"),
        )
        .annotate(link_pick=F("pick"))
    )
    sql, params = links.query.sql_with_params()
    cursor.execute("DROP TABLE IF EXISTS rollup_links")
    cursor.execute(
        "CREATE TEMPORARY TABLE rollup_links AS SELECT link_relation AS relation, "  # noqa: S608
        "link_child AS child_id, link_parent AS parent_id, link_basis AS basis "
        f"FROM ({sql}) l WHERE link_pick = 1",
        params,
    )


def _chain_build(cursor, month: dt.date) -> None:
    """Temporary tables: the links in force (one parent per child and relation), then each
    practice's PCN, place, ICB and region."""
    _links_build(cursor, month)
    cursor.execute("DROP TABLE IF EXISTS rollup_chain")
    months = connection.ops.quote_name(GpadPracticeMonth._meta.db_table)

    def joined(alias: str, relation: str, child: str, also: str = "") -> str:
        return (
            f"LEFT JOIN rollup_links {alias} ON {alias}.relation = '{relation}' "
            f"AND {alias}.child_id = {child} {also}"
        )

    # A month the practice was reported in no PCN outranks a PCN link only seen in a
    # snapshot, as a reported PCN does.
    no_pcn = f"AND NOT (g.pcn_code = '{NO_PCN}' AND pcn.basis = '{MembershipBasis.OBSERVED}') "

    cursor.execute(
        "CREATE TEMPORARY TABLE rollup_chain AS SELECT g.practice_id AS practice_id, "  # noqa: S608
        "pcn.parent_id AS pcn_id, COALESCE(ps.parent_id, pcs.parent_id) AS place_id, "
        "icb.parent_id AS icb_id, region.parent_id AS region_id, g.incomplete AS incomplete "
        f"FROM {months} g "
        + joined("pcn", Relation.PRACTICE_PCN, "g.practice_id", no_pcn)
        + joined("ps", Relation.PRACTICE_SUB_ICB, "g.practice_id")
        + joined("pcs", Relation.PCN_SUB_ICB, "pcn.parent_id")
        + joined("icb", Relation.SUB_ICB_ICB, "COALESCE(ps.parent_id, pcs.parent_id)")
        + joined("region", Relation.ICB_REGION, "icb.parent_id")
        + "WHERE g.month = %s",
        [month],
    )


def _members_insert(cursor, month: dt.date, england_id: int) -> int:
    table = connection.ops.quote_name(RollupMember._meta.db_table)
    levels = " UNION ALL ".join(
        f"SELECT {column} AS org_id, practice_id FROM rollup_chain "  # noqa: S608
        f"WHERE {column} IS NOT NULL"
        for column in ("pcn_id", "place_id", "icb_id", "region_id")
    )
    cursor.execute(
        f"INSERT INTO {table} (month, org_id, practice_id) "  # noqa: S608
        f"SELECT %s, org_id, practice_id FROM ({levels} UNION ALL "
        "SELECT %s AS org_id, practice_id FROM rollup_chain WHERE NOT incomplete) m",
        [month, england_id],
    )
    return cursor.rowcount
