"""Reads of the organisation register. Every roll-up goes through ``members_as_at``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery

from practices.models import BASIS_RANK, ListSize, Membership, Organisation, OrgKind, Relation

MAX_DEPTH = 5  # region > ICB > sub-ICB > PCN > practice


def _links(day: dt.date | None) -> QuerySet[Membership]:
    links = Membership.objects.all()
    return links.in_force_on(day) if day is not None else links


def _walk(start_ids: Iterable[int], day: dt.date | None, *, down: bool) -> dict[int, str]:
    """Organisations reachable from start_ids, one query per level, with their kinds."""
    near, far = ("parent_id", "child") if down else ("child_id", "parent")
    found: dict[int, str] = {}
    frontier = set(start_ids)
    for _ in range(MAX_DEPTH):
        if not frontier:
            break
        rows = _links(day).filter(**{f"{near}__in": frontier})
        rows = list(rows.values_list(f"{far}_id", f"{far}__kind"))
        frontier = {pk for pk, _ in rows if pk not in found}
        found.update(rows)
    return found


def descendant_ids(
    org_ids: Iterable[int], day: dt.date | None = None, kind: str | None = None
) -> frozenset[int]:
    """Everything below the given organisations (ever, or in force on ``day``)."""
    found = _walk(org_ids, day, down=True)
    return frozenset(pk for pk, k in found.items() if kind is None or k == kind)


def ancestor_ids(
    org_ids: Iterable[int], kind: str | None = None, day: dt.date | None = None
) -> frozenset[int]:
    """Everything above the given organisations (ever, or in force on ``day``)."""
    found = _walk(org_ids, day, down=False)
    return frozenset(pk for pk, k in found.items() if kind is None or k == kind)


@dataclass(frozen=True)
class Link:
    """A membership read into memory, for deciding membership month by month in Python."""

    child_id: int
    parent_id: int
    relation: str
    basis: str
    start: dt.date | None
    end: dt.date | None

    def covers(self, day: dt.date) -> bool:
        started = self.start is None or self.start <= day
        return started and (self.end is None or self.end >= day)


def links_of_children(child_ids: Iterable[int], relations: Iterable[str]) -> list[Link]:
    """Every link, at any date, from the given children for the given relations."""
    rows = Membership.objects.filter(child_id__in=list(child_ids), relation__in=list(relations))
    fields = ("child_id", "parent_id", "relation", "basis", "start_date", "end_date")
    return [Link(*row) for row in rows.order_by().values_list(*fields)]


def resolve_on(links: Iterable[Link], day: dt.date) -> list[Link]:
    """The links in force on ``day``, by the same rule as ``Membership.objects.in_force_on``:
    per child and relation, only the best basis covering the day counts."""
    covering = [link for link in links if link.covers(day)]
    best: dict[tuple[int, str], int] = {}
    for link in covering:
        key = (link.child_id, link.relation)
        best[key] = min(best.get(key, 9), BASIS_RANK[link.basis])
    return [
        link for link in covering if BASIS_RANK[link.basis] == best[(link.child_id, link.relation)]
    ]


def members_as_at(org: Organisation, day: dt.date, kind: str) -> QuerySet[Organisation]:
    """Members of ``org`` of the given kind, by the memberships in force on ``day``.

    A practice is a member of its PCN, its sub-ICB location, that location's ICB and region.
    This is the one definition of membership that every roll-up uses.
    """
    if org.kind == kind:
        return Organisation.objects.filter(pk=org.pk)
    return Organisation.objects.filter(pk__in=descendant_ids([org.pk], day, kind))


def parent_as_at(org: Organisation, kind: str, day: dt.date) -> Organisation | None:
    """The organisation of ``kind`` that ``org`` belonged to on ``day``, if any."""
    ids = ancestor_ids([org.pk], kind, day)
    return Organisation.objects.filter(pk__in=ids).order_by("code").first()


def children_map(root_ids: Iterable[int], day: dt.date) -> dict[int, set[int]]:
    """parent id -> child ids, for every membership in force on ``day`` under the roots."""
    below = descendant_ids(root_ids, day) | frozenset(root_ids)
    children: dict[int, set[int]] = defaultdict(set)
    links = _links(day).filter(parent_id__in=below).values_list("parent_id", "child_id")
    for parent_id, child_id in links:
        children[parent_id].add(child_id)
    return children


def latest_list_sizes(practice_ids: Iterable[int], on_or_before: dt.date) -> dict[int, ListSize]:
    """Each practice's latest list size at or before a date, in one query."""
    latest_month = (
        ListSize.objects.filter(
            practice_id=OuterRef("practice_id"),
            month__lte=on_or_before,
            all_patients__isnull=False,
        )
        .order_by("-month")
        .values("month")[:1]
    )
    rows = ListSize.objects.filter(practice_id__in=list(practice_ids)).filter(
        month=Subquery(latest_month)
    )
    return {row.practice_id: row for row in rows}


@dataclass(frozen=True)
class OrgSummary:
    org: Organisation
    practices: int
    patients: int


def member_summaries(parent: Organisation, child_kind: str, day: dt.date) -> list[OrgSummary]:
    """For each member of ``parent`` of ``child_kind``: its open practices and patients.

    Used by the home page and the organisation browser; a fixed number of queries.
    """
    tree = children_map([parent.pk], day)
    children = Organisation.objects.filter(
        pk__in=descendant_ids([parent.pk], day, child_kind)
    ).order_by("name")
    practice_sets = {child.pk: _practices_under(child.pk, tree) for child in children}
    all_practices = set().union(*practice_sets.values()) if practice_sets else set()
    open_ids = set(
        Organisation.objects.filter(pk__in=all_practices).open_on(day).values_list("pk", flat=True)
    )
    sizes = latest_list_sizes(open_ids, day)
    return [_summary(child, practice_sets[child.pk] & open_ids, sizes) for child in children]


def _practices_under(org_id: int, tree: dict[int, set[int]]) -> set[int]:
    found: set[int] = set()
    frontier = {org_id}
    while frontier:
        next_frontier: set[int] = set()
        for pk in frontier:
            next_frontier |= tree.get(pk, set())
        found |= next_frontier
        frontier = next_frontier
    return found


def _summary(child: Organisation, practice_ids: set[int], sizes: dict[int, ListSize]) -> OrgSummary:
    if child.kind == OrgKind.PRACTICE:
        practice_ids = {child.pk}
    patients = sum(sizes[pk].all_patients or 0 for pk in practice_ids if pk in sizes)
    return OrgSummary(org=child, practices=len(practice_ids), patients=patients)


def membership_history(org: Organisation) -> QuerySet[Membership]:
    """Every link up from ``org``, oldest first, with the parents joined."""
    return (
        Membership.objects.filter(child=org)
        .without_echoes()
        .select_related("parent", "source_batch")
        .order_by("relation", "start_date")
    )


def members_history(org: Organisation) -> QuerySet[Membership]:
    """Every link down to ``org`` (for example the practices a PCN has had)."""
    return (
        Membership.objects.filter(parent=org)
        .without_echoes()
        .select_related("child")
        .order_by("-end_date", "child__name")
    )


def list_size_trend(practice_ids: Iterable[int]) -> list[tuple[dt.date, int, int | None]]:
    """(month, all patients, patients 13+) summed over the practices, oldest first."""
    from django.db.models import Sum

    rows = (
        ListSize.objects.filter(practice_id__in=list(practice_ids))
        .values("month")
        .annotate(all_patients=Sum("all_patients"), over_13=Sum("patients_13_plus"))
        .order_by("month")
    )
    return [(r["month"], r["all_patients"] or 0, r["over_13"]) for r in rows]


def icbs_for(org_ids: Iterable[int]) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=list(org_ids), kind=OrgKind.ICB).order_by("name")


# --- Pages: the register as at one day, loaded once and read in memory ---------------------


def _open_on(org: Organisation, day: dt.date) -> bool:
    opened = org.open_date is None or org.open_date <= day
    return opened and (org.close_date is None or org.close_date >= day)


@dataclass(frozen=True)
class Counts:
    """Open practices and their registered patients. ``reporting`` practices had a list size;
    ``patients`` is None when none did (not loaded is not zero)."""

    practices: int
    patients: int | None
    reporting: int


@dataclass(frozen=True)
class OrgCounts(Counts):
    org: Organisation | None = None


@dataclass
class RegisterSnapshot:
    """Everything under some organisations on one day, in a fixed number of queries.

    Pages that list members with counts read this instead of querying per member.
    """

    day: dt.date
    children: dict[int, set[int]]
    orgs: dict[int, Organisation]
    sizes: dict[int, ListSize]

    def members(self, org_id: int, kind: str) -> list[Organisation]:
        found = (self.orgs[pk] for pk in _practices_under(org_id, self.children) | {org_id})
        return sorted((o for o in found if o.kind == kind and o.pk != org_id), key=_by_name)

    def open_practices_under(self, org_id: int) -> set[int]:
        below = _practices_under(org_id, self.children)
        return {pk for pk in below if self._is_open_practice(pk)}

    def _is_open_practice(self, pk: int) -> bool:
        org = self.orgs.get(pk)
        return org is not None and org.kind == OrgKind.PRACTICE and _open_on(org, self.day)

    def counts(self, practice_ids: set[int]) -> Counts:
        found = [self.sizes[pk].all_patients for pk in practice_ids if pk in self.sizes]
        known = [patients for patients in found if patients is not None]
        total = sum(known) if known else None
        return Counts(practices=len(practice_ids), patients=total, reporting=len(known))

    def summary(self, org: Organisation) -> OrgCounts:
        if org.kind == OrgKind.PRACTICE:
            counts = self.counts({org.pk} if self._is_open_practice(org.pk) else set())
        else:
            counts = self.counts(self.open_practices_under(org.pk))
        return OrgCounts(counts.practices, counts.patients, counts.reporting, org=org)

    @property
    def list_sizes_month(self) -> dt.date | None:
        """The latest month of the list sizes counted (the as-at date of patient figures)."""
        return max((size.month for size in self.sizes.values()), default=None)


def _by_name(org: Organisation) -> tuple[str, str]:
    return (org.name.lower(), org.code)


def register_snapshot(root_ids: Iterable[int], day: dt.date) -> RegisterSnapshot:
    """Load the memberships, organisations and latest list sizes under the roots."""
    roots = set(root_ids)
    tree = children_map(roots, day)
    ids = roots | set().union(*tree.values()) if tree else roots
    orgs = Organisation.objects.in_bulk(list(ids))
    open_practices = [
        pk for pk, o in orgs.items() if o.kind == OrgKind.PRACTICE and _open_on(o, day)
    ]
    sizes = latest_list_sizes(open_practices, day)
    return RegisterSnapshot(day=day, children=tree, orgs=orgs, sizes=sizes)


@dataclass(frozen=True)
class PlaceOverview:
    """A sub-ICB location: its PCNs with counts, and the practices that are in no PCN."""

    place: Organisation
    pcns: list[OrgCounts]
    no_pcn: Counts
    no_pcn_practices: list[OrgCounts]
    totals: Counts


def place_overview(snapshot: RegisterSnapshot, place: Organisation) -> PlaceOverview:
    pcns = [snapshot.summary(pcn) for pcn in snapshot.members(place.pk, OrgKind.PCN)]
    in_place = snapshot.open_practices_under(place.pk)
    in_a_pcn: set[int] = set()
    for pcn in pcns:
        in_a_pcn |= snapshot.open_practices_under(pcn.org.pk)
    outside = in_place - in_a_pcn
    return PlaceOverview(
        place=place,
        pcns=pcns,
        no_pcn=snapshot.counts(outside),
        no_pcn_practices=sorted(
            (snapshot.summary(snapshot.orgs[pk]) for pk in outside), key=lambda s: _by_name(s.org)
        ),
        totals=snapshot.counts(in_place),
    )


@dataclass(frozen=True)
class IcbOverview:
    """The ICB at a glance: totals, and each place's PCNs with practice and patient counts."""

    icb: Organisation
    day: dt.date
    places: list[PlaceOverview]
    totals: Counts
    pcn_count: int
    list_sizes_month: dt.date | None


def icb_overview(icb: Organisation, day: dt.date) -> IcbOverview:
    """One ICB as at ``day``, in a fixed number of queries whatever its size."""
    snapshot = register_snapshot([icb.pk], day)
    places = [place_overview(snapshot, p) for p in snapshot.members(icb.pk, OrgKind.SUB_ICB)]
    return IcbOverview(
        icb=icb,
        day=day,
        places=places,
        totals=snapshot.counts(snapshot.open_practices_under(icb.pk)),
        pcn_count=len(snapshot.members(icb.pk, OrgKind.PCN)),
        list_sizes_month=snapshot.list_sizes_month,
    )


def icb_overviews(icb_ids: Iterable[int], day: dt.date) -> list[IcbOverview]:
    return [icb_overview(icb, day) for icb in icbs_for(icb_ids)]


@dataclass(frozen=True)
class MemberList:
    """Members of a region (its ICBs) with counts, for the organisation browser."""

    members: list[OrgCounts]
    list_sizes_month: dt.date | None


def region_members(region: Organisation, day: dt.date, visible: frozenset[int]) -> MemberList:
    """The ICBs of a region that the reader may see, with practice and patient counts."""
    snapshot = register_snapshot([region.pk], day)
    icbs = [icb for icb in snapshot.members(region.pk, OrgKind.ICB) if icb.pk in visible]
    return MemberList([snapshot.summary(icb) for icb in icbs], snapshot.list_sizes_month)


def place_detail(place: Organisation, day: dt.date) -> tuple[PlaceOverview, dt.date | None]:
    snapshot = register_snapshot([place.pk], day)
    return place_overview(snapshot, place), snapshot.list_sizes_month


TRAIL_KINDS = (OrgKind.ICB, OrgKind.SUB_ICB, OrgKind.PCN)


def trail(org: Organisation, day: dt.date) -> list[Organisation]:
    """The ICB, place and PCN above ``org`` on ``day``, top down (for breadcrumbs)."""
    above = Organisation.objects.filter(pk__in=ancestor_ids([org.pk], day=day))
    first: dict[str, Organisation] = {}
    for parent in above.order_by("code"):
        first.setdefault(parent.kind, parent)
    return [first[kind] for kind in TRAIL_KINDS if kind in first]


SEARCH_LIMIT = 100
KIND_ORDER = [OrgKind.REGION, OrgKind.ICB, OrgKind.SUB_ICB, OrgKind.PCN, OrgKind.PRACTICE]


def organisation_search(visible: QuerySet[Organisation], text: str) -> list[Organisation]:
    """Organisations whose name or ODS code matches, higher levels first."""
    found = list(visible.search(text).order_by("name")[: SEARCH_LIMIT + 1])
    return sorted(found, key=lambda o: KIND_ORDER.index(o.kind))


# --- API reads: each takes the ids the reader may see (core.access.Scope) ---------------

PARENT_COLUMNS: dict[str, dict[str, str]] = {
    OrgKind.ICB: {"region_code": Relation.ICB_REGION},
    OrgKind.SUB_ICB: {"icb_code": Relation.SUB_ICB_ICB},
    OrgKind.PCN: {"sub_icb_code": Relation.PCN_SUB_ICB},
    OrgKind.PRACTICE: {
        "pcn_code": Relation.PRACTICE_PCN,
        "sub_icb_code": Relation.PRACTICE_SUB_ICB,
    },
}


def organisations_listed(visible: Iterable[int], kind: str, day: dt.date) -> QuerySet[Organisation]:
    """Organisations of one kind among ``visible``, by code, with the code of each parent in
    force on ``day`` and, for practices, the latest list size at or before it."""
    found = Organisation.objects.of_kind(kind).filter(pk__in=list(visible)).order_by("code")
    for column, relation in PARENT_COLUMNS.get(kind, {}).items():
        parents = Membership.objects.in_force_on(day).filter(
            child=OuterRef("pk"), relation=relation
        )
        found = found.annotate(
            **{column: Subquery(parents.order_by("parent__code").values("parent__code")[:1])}
        )
    if kind == OrgKind.PRACTICE:
        latest = ListSize.objects.filter(
            practice=OuterRef("pk"), month__lte=day, all_patients__isnull=False
        ).order_by("-month")
        found = found.annotate(
            **{
                f"list_size_{f}": Subquery(latest.values(f)[:1])
                for f in ("month", "all_patients", "patients_13_plus")
            }
        )
    return found


def memberships_listed(visible: Iterable[int]) -> QuerySet[Membership]:
    """Links from organisations among ``visible``, each relationship once (no echoes)."""
    return (
        Membership.objects.filter(child_id__in=list(visible))
        .without_echoes()
        .select_related("child", "parent")
        .order_by("child__kind", "child__code", "relation", "start_date", "pk")
    )


def list_sizes_listed(visible: Iterable[int]) -> QuerySet[ListSize]:
    """List sizes of practices among ``visible``, by practice code then month."""
    return (
        ListSize.objects.filter(practice_id__in=list(visible))
        .select_related("practice")
        .order_by("practice__code", "month")
    )
