"""Reads for PCN pages: members as at a day and list sizes rolled up by membership over time."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from practices.models import ListSize, Membership, Organisation, OrgKind, Relation
from practices.selectors import (
    Counts,
    Link,
    latest_list_sizes,
    links_of_children,
    members_as_at,
    resolve_on,
)


@dataclass(frozen=True)
class MemberPractice:
    practice: Organisation
    list_size: ListSize | None


def pcn_members(pcn: Organisation, day: dt.date) -> list[MemberPractice]:
    """The PCN's practices on ``day`` with each one's latest list size, in three queries."""
    practices = list(members_as_at(pcn, day, OrgKind.PRACTICE).order_by("name"))
    sizes = latest_list_sizes([p.pk for p in practices], day)
    return [MemberPractice(p, sizes.get(p.pk)) for p in practices]


def member_counts(members: list[MemberPractice]) -> Counts:
    """How many practices, and their patients where a list size is loaded."""
    known = [m.list_size.all_patients for m in members if m.list_size is not None]
    known = [patients for patients in known if patients is not None]
    return Counts(len(members), sum(known) if known else None, len(known))


@dataclass(frozen=True)
class TrendPoint:
    """Patients registered at the PCN's members as at the first of ``month``."""

    month: dt.date
    patients: int
    patients_13_plus: int | None
    members: int
    reporting: int

    @property
    def complete(self) -> bool:
        return self.reporting == self.members


def pcn_list_size_trend(pcn: Organisation) -> list[TrendPoint]:
    """List sizes summed over the practices that were members in each month.

    Loads the PCN's practice links and their list sizes once and decides membership per
    month in Python, so a practice that moved counts in its old PCN before the move and in
    its new one after. A month's list size is as at the 1st, so membership is taken on the 1st.
    """
    links = _practice_links(pcn)
    by_month = _sizes_by_month({link.child_id for link in links})
    points = [_point(pcn, month, links, by_month[month]) for month in sorted(by_month)]
    return [point for point in points if point.members]


def _practice_links(pcn: Organisation) -> list[Link]:
    """All PCN links of every practice that was ever in this PCN (precedence needs them)."""
    ever = Membership.objects.filter(parent=pcn, relation=Relation.PRACTICE_PCN)
    return links_of_children(ever.values_list("child_id", flat=True), [Relation.PRACTICE_PCN])


def _sizes_by_month(practice_ids: set[int]) -> dict[dt.date, dict[int, ListSize]]:
    by_month: dict[dt.date, dict[int, ListSize]] = defaultdict(dict)
    for size in ListSize.objects.filter(practice_id__in=practice_ids).order_by("month"):
        by_month[size.month][size.practice_id] = size
    return by_month


def _point(
    pcn: Organisation, month: dt.date, links: list[Link], sizes: dict[int, ListSize]
) -> TrendPoint:
    members = {link.child_id for link in resolve_on(links, month) if link.parent_id == pcn.pk}
    reported = [sizes[pk] for pk in members if pk in sizes and sizes[pk].all_patients is not None]
    over_13 = [s.patients_13_plus for s in reported if s.patients_13_plus is not None]
    return TrendPoint(
        month=month,
        patients=sum(s.all_patients or 0 for s in reported),
        patients_13_plus=sum(over_13) if over_13 and len(over_13) == len(reported) else None,
        members=len(members),
        reporting=len(reported),
    )
