"""GP appointments data (GPAD): counts at practice x month x the five published dimensions.

Category labels live in a lookup table with their published spelling variants as aliases
(DOMAIN 3.1), not in code, so a new spelling is a data change.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Dimension(models.TextChoices):
    STATUS = "status", "Appointment status"
    HCP_TYPE = "hcp_type", "Healthcare professional type"
    MODE = "mode", "Appointment mode"
    NATIONAL_CATEGORY = "national_category", "National category"
    BOOKING_BAND = "booking_band", "Time between booking and appointment"


# The crosstab column that holds each dimension.
DIMENSION_COLUMNS = {
    Dimension.STATUS: "APPT_STATUS",
    Dimension.HCP_TYPE: "HCP_TYPE",
    Dimension.MODE: "APPT_MODE",
    Dimension.NATIONAL_CATEGORY: "NATIONAL_CATEGORY",
    Dimension.BOOKING_BAND: "TIME_BETWEEN_BOOK_AND_APPT",
}


class AppointmentCategory(models.Model):
    """One canonical value of one dimension, e.g. booking band "Same Day"."""

    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    key = models.SlugField(max_length=60, help_text="Stable key used by measure definitions.")
    label = models.CharField(max_length=120, help_text="The label as currently published.")
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_data_quality = models.BooleanField(
        default=False, help_text="A value that says the data is incomplete (Unmapped, Unknown)."
    )

    class Meta:
        ordering = ["dimension", "sort_order"]
        verbose_name_plural = "appointment categories"
        constraints = [
            models.UniqueConstraint(fields=["dimension", "key"], name="category_key_unique"),
            models.UniqueConstraint(fields=["dimension", "label"], name="category_label_unique"),
            models.CheckConstraint(
                condition=Q(dimension__in=Dimension.values), name="category_dimension_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}: {self.label}"


class CategoryAlias(models.Model):
    """A spelling seen in published files, reduced for comparison (spaces, case)."""

    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    alias = models.CharField(max_length=120)
    category = models.ForeignKey(
        AppointmentCategory, on_delete=models.CASCADE, related_name="aliases"
    )

    class Meta:
        ordering = ["dimension", "alias"]
        verbose_name_plural = "category aliases"
        constraints = [
            models.UniqueConstraint(fields=["dimension", "alias"], name="category_alias_unique")
        ]

    def __str__(self) -> str:
        return f"{self.alias} -> {self.category.label}"


# A reference from the appointments table: kept by the ORM, not checked by the database.
UNCHECKED = {
    "on_delete": models.PROTECT,
    "related_name": "+",
    "db_index": False,
    "db_constraint": False,
}


class AppointmentCount(models.Model):
    """One crosstab row: appointments of one kind at one practice in one month.

    Its key is its month and where it came from, the file and the row of that file. On
    PostgreSQL the loader keeps that key and the table's only index is a block range
    (BRIN) index on the month (migration 0011). Deliberately no unique constraint on the
    grain: the table is bulk-loaded with COPY, and a month is replaced whole per practice
    (docs/decisions/0013).
    For the same reason there is no surrogate id (numbering a million rows one at a time
    cost a sixth of the load) and no index by practice (what is asked of a practice's month
    is in ``GpadPracticeMonth``), and its references are not database constraints: a
    national month is a million rows, and checking eight foreign keys per row at commit cost
    more than ten times the COPY itself. Every id it holds comes from the register, the
    category table or the batch and file rows created in the same transaction, and the ORM
    still refuses to delete anything a count refers to (PROTECT).
    """

    # Month first: the recompute reads a month, and a load appends to the end of the key.
    # That the month is a 1st is checked once per practice and month, by GpadPracticeMonth.
    pk = models.CompositePrimaryKey("month", "source_file_id", "source_row")
    # 8-byte columns first, then 4-byte ones: no padding between them in each stored row.
    practice = models.ForeignKey("practices.Organisation", **UNCHECKED)
    status = models.ForeignKey(AppointmentCategory, **UNCHECKED)
    hcp_type = models.ForeignKey(AppointmentCategory, **UNCHECKED)
    mode = models.ForeignKey(AppointmentCategory, **UNCHECKED)
    national_category = models.ForeignKey(AppointmentCategory, **UNCHECKED)
    booking_band = models.ForeignKey(AppointmentCategory, **UNCHECKED)
    batch = models.ForeignKey("metrics.ImportBatch", **UNCHECKED)
    source_file = models.ForeignKey("metrics.ImportFile", **UNCHECKED)
    month = models.DateField()
    count = models.PositiveIntegerField()
    source_row = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.practice_id} {self.month:%b %Y}: {self.count}"


# The national category whose absence the data quality page flags.
CLINICAL_TRIAGE = "clinical_triage"


# GpadPracticeMonth.pcn_code of a month in which the practice was reported in no PCN
# ("Unallocated"); blank means the file did not say.
NO_PCN = "-"


class GpadPracticeMonth(models.Model):
    """What a month's GPAD said about a practice: the PCN and sub-ICB it reported, and
    which batch and file its rows came from."""

    # Found through the (practice, month) unique index, so no index of its own.
    practice = models.ForeignKey(
        "practices.Organisation",
        on_delete=models.CASCADE,
        related_name="gpad_months",
        db_index=False,
    )
    month = models.DateField()
    pcn_code = models.CharField(max_length=12, blank=True)
    sub_icb_code = models.CharField(max_length=12, blank=True)
    appointments = models.PositiveIntegerField(default=0)
    clinical_triage = models.PositiveIntegerField(
        default=0, help_text="Appointments in the national category Clinical Triage."
    )
    patients = models.PositiveIntegerField(
        null=True, blank=True, help_text="Registered patients: latest list size at or before."
    )
    patients_month = models.DateField(
        null=True, blank=True, help_text="The month of the list size ``patients`` comes from."
    )
    incomplete = models.BooleanField(
        default=False,
        help_text="Under 1 appointment per registered patient a year: left out of England.",
    )
    batch = models.ForeignKey("metrics.ImportBatch", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["practice", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "month"], name="gpad_practice_month_unique"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="gpad_month_is_first"),
        ]
        indexes = [models.Index(fields=["month"], name="gpad_practice_month_month")]

    def __str__(self) -> str:
        return f"{self.practice_id} {self.month:%b %Y}"


class GpadCoverage(models.Model):
    """NHS England's own count, per sub-ICB location and month, of the practices (and their
    patients) whose appointments GPAD includes against those open: the coverage file
    published beside the appointments (APPOINTMENTS_GP_COVERAGE*.csv)."""

    sub_icb_code = models.CharField(max_length=12)
    month = models.DateField()
    icb_ons_code = models.CharField(max_length=12, blank=True)
    region_ons_code = models.CharField(max_length=12, blank=True)
    included_practices = models.PositiveIntegerField()
    open_practices = models.PositiveIntegerField()
    included_patients = models.PositiveIntegerField()
    open_patients = models.PositiveIntegerField()
    batch = models.ForeignKey("metrics.ImportBatch", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["sub_icb_code", "month"]
        constraints = [
            models.UniqueConstraint(fields=["sub_icb_code", "month"], name="gpad_coverage_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="gpad_coverage_month_is_first"),
        ]
        indexes = [models.Index(fields=["month"], name="gpad_coverage_month")]

    def __str__(self) -> str:
        return f"{self.sub_icb_code} {self.month:%b %Y}"
