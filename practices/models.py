"""The organisation register: regions, ICBs, sub-ICB locations, PCNs and practices.

One table holds every level, keyed on (kind, ODS code), and one table holds the dated
memberships between levels, so that a single selector can answer "members of X as at D"
for every roll-up (docs/decisions/0003-one-organisation-table.md).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Exists, OuterRef, Q
from simple_history.models import HistoricalRecords


class OrgKind(models.TextChoices):
    ENGLAND = "england", "England"
    REGION = "region", "Region"
    ICB = "icb", "ICB"
    SUB_ICB = "sub_icb", "Sub-ICB location"
    PCN = "pcn", "PCN"
    PRACTICE = "practice", "Practice"


class OrgStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    CLOSED = "closed", "Closed"
    DORMANT = "dormant", "Dormant"
    PROPOSED = "proposed", "Proposed"


class Relation(models.TextChoices):
    """Which level may belong to which: (child kind, parent kind)."""

    PRACTICE_PCN = "practice_pcn", "Practice in PCN"
    PRACTICE_SUB_ICB = "practice_sub_icb", "Practice in sub-ICB location"
    PCN_SUB_ICB = "pcn_sub_icb", "PCN in sub-ICB location"
    SUB_ICB_ICB = "sub_icb_icb", "Sub-ICB location in ICB"
    ICB_REGION = "icb_region", "ICB in region"


RELATION_KINDS: dict[str, tuple[str, str]] = {
    Relation.PRACTICE_PCN: (OrgKind.PRACTICE, OrgKind.PCN),
    Relation.PRACTICE_SUB_ICB: (OrgKind.PRACTICE, OrgKind.SUB_ICB),
    Relation.PCN_SUB_ICB: (OrgKind.PCN, OrgKind.SUB_ICB),
    Relation.SUB_ICB_ICB: (OrgKind.SUB_ICB, OrgKind.ICB),
    Relation.ICB_REGION: (OrgKind.ICB, OrgKind.REGION),
}


def relation_for(child_kind: str, parent_kind: str) -> str:
    for relation, kinds in RELATION_KINDS.items():
        if kinds == (child_kind, parent_kind):
            return relation
    raise ValueError(f"A {child_kind} cannot belong to a {parent_kind}.")


class OrganisationQuerySet(models.QuerySet):
    def of_kind(self, kind: str) -> OrganisationQuerySet:
        return self.filter(kind=kind)

    def open_on(self, day: dt.date) -> OrganisationQuerySet:
        opened = Q(open_date__isnull=True) | Q(open_date__lte=day)
        not_closed = Q(close_date__isnull=True) | Q(close_date__gte=day)
        return self.filter(opened & not_closed)

    def search(self, text: str) -> OrganisationQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(code__iexact=text) | Q(name__icontains=text))


class Organisation(models.Model):
    kind = models.CharField(max_length=10, choices=OrgKind.choices)
    code = models.CharField("ODS code", max_length=12)
    name = models.CharField(max_length=200)
    open_date = models.DateField(null=True, blank=True)
    close_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=OrgStatus.choices, default=OrgStatus.ACTIVE)
    postcode = models.CharField(max_length=10, blank=True)
    address = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    source_batch = models.ForeignKey(
        "metrics.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_row = models.PositiveIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="organisation_kind_code_unique"),
            models.CheckConstraint(
                condition=Q(close_date__isnull=True)
                | Q(open_date__isnull=True)
                | Q(close_date__gte=models.F("open_date")),
                name="organisation_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OrgKind.values), name="organisation_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(code=""), name="organisation_code_not_blank"),
        ]
        indexes = [models.Index(fields=["code"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_open(self) -> bool:
        return self.close_date is None


class MembershipBasis(models.TextChoices):
    """Where a link's dates come from, best first."""

    PUBLISHED = "published", "Dates published in the source"
    REPORTED = "reported", "Reported month by month in GP appointments data"
    OBSERVED = "observed", "Seen in a snapshot; in force from when first seen"


BASIS_RANK = {
    MembershipBasis.PUBLISHED: 0,
    MembershipBasis.REPORTED: 1,
    MembershipBasis.OBSERVED: 2,
}


def _covering(day: dt.date) -> Q:
    started = Q(start_date__isnull=True) | Q(start_date__lte=day)
    not_ended = Q(end_date__isnull=True) | Q(end_date__gte=day)
    return started & not_ended


class MembershipQuerySet(models.QuerySet):
    def covering(self, day: dt.date) -> MembershipQuerySet:
        """Every link whose dates cover ``day``, whatever its basis."""
        return self.filter(_covering(day))

    def in_force_on(self, day: dt.date) -> MembershipQuerySet:
        """The links in force on ``day``: where a child has links of several bases covering
        the day for one relation, only the best basis counts (published dates, then what
        GPAD reported for the month, then what a snapshot showed)."""
        return (
            self.filter(_covering(day))
            .exclude(
                Q(basis=MembershipBasis.OBSERVED)
                & self._better_exists(day, [MembershipBasis.PUBLISHED, MembershipBasis.REPORTED])
            )
            .exclude(
                Q(basis=MembershipBasis.REPORTED)
                & self._better_exists(day, [MembershipBasis.PUBLISHED])
            )
        )

    def without_echoes(self) -> MembershipQuerySet:
        """Leave out reported and observed links that only repeat a published one (same
        child and parent), so a history reads once per relationship."""
        published = Membership.objects.filter(
            child=OuterRef("child"),
            parent=OuterRef("parent"),
            relation=OuterRef("relation"),
            basis=MembershipBasis.PUBLISHED,
        )
        return self.exclude(
            Q(basis__in=[MembershipBasis.REPORTED, MembershipBasis.OBSERVED]) & Exists(published)
        )

    def _better_exists(self, day: dt.date, bases: list[str]) -> Exists:
        better = Membership.objects.filter(_covering(day)).filter(
            child=OuterRef("child"), relation=OuterRef("relation"), basis__in=bases
        )
        return Exists(better)


class Membership(models.Model):
    """A dated link from a child organisation to its parent.

    A blank start date means "since before our records begin"; a blank end date means
    "still in force". Links seen in snapshots (epraccur, Mapping.csv) are ``observed``;
    a source that publishes dated relationships replaces them for that child.
    """

    relation = models.CharField(max_length=20, choices=Relation.choices)
    child = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="parent_links")
    parent = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="child_links")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    basis = models.CharField(
        max_length=10, choices=MembershipBasis.choices, default=MembershipBasis.PUBLISHED
    )
    source_batch = models.ForeignKey(
        "metrics.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_row = models.PositiveIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["child", "relation", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_starting",
            ),
            models.CheckConstraint(
                condition=Q(relation__in=Relation.values), name="membership_relation_valid"
            ),
            models.CheckConstraint(
                condition=~Q(child=models.F("parent")), name="membership_not_self"
            ),
            models.UniqueConstraint(
                fields=["relation", "child", "parent", "basis", "start_date"],
                name="membership_unique_start",
            ),
            models.UniqueConstraint(
                fields=["relation", "child", "parent", "basis"],
                condition=Q(start_date__isnull=True),
                name="membership_unique_undated",
            ),
        ]
        indexes = [models.Index(fields=["parent", "relation"])]

    def __str__(self) -> str:
        start = self.start_date or "…"
        end = self.end_date or "now"
        return f"{self.child.code} in {self.parent.code} ({start} to {end})"


class ListSize(models.Model):
    """Patients registered at a practice as at the first of a month."""

    practice = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="list_sizes")
    month = models.DateField(help_text="The first day of the month the count is as at.")
    all_patients = models.PositiveIntegerField(null=True, blank=True)
    patients_13_plus = models.PositiveIntegerField(null=True, blank=True)
    source_batch = models.ForeignKey(
        "metrics.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_row = models.PositiveIntegerField(null=True, blank=True)
    age_source_batch = models.ForeignKey(
        "metrics.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["practice", "month"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "month"], name="list_size_one_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="list_size_month_is_first"),
            models.CheckConstraint(
                condition=Q(patients_13_plus__isnull=True)
                | Q(all_patients__isnull=True)
                | Q(patients_13_plus__lte=models.F("all_patients")),
                name="list_size_13_plus_within_all",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practice.code} {self.month:%b %Y}: {self.all_patients}"
