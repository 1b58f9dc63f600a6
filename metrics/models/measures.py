"""Measures: reviewed definitions, and their values for every organisation and month.

Definitions are data (each app's ``measures/definitions/*.json``), synced into
``MeasureDefinition`` after every migrate. Values are rows of (measure, organisation,
period, numerator, denominator, value) under a unique constraint, with the context a board
reads beside them.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from metrics.calendar import add_months

# A registered patients denominator from a list size more than this many months older than
# the month is flagged wherever the value is shown.
DENOMINATOR_MONTHS_ALLOWED = 3


def denominator_out_of_date(period: dt.date, denominator_month: dt.date | None) -> bool:
    """Whether the list size under a value is more than three months older than its month."""
    if denominator_month is None:
        return False
    return add_months(denominator_month, DENOMINATOR_MONTHS_ALLOWED) < period


class MeasureDefinition(models.Model):
    code = models.SlugField(max_length=60, primary_key=True)
    title = models.CharField(max_length=200)
    description = models.TextField()
    why_it_matters = models.TextField()
    numerator = models.JSONField(help_text="What is counted: category filters, or a total.")
    denominator = models.JSONField(null=True, blank=True, help_text="What it is divided by.")
    numerator_text = models.CharField(max_length=300)
    denominator_text = models.CharField(max_length=300, blank=True)
    multiplier = models.PositiveIntegerField(default=1, help_text="100 for a %, 1000 per 1,000.")
    unit = models.CharField(max_length=40)
    higher_is_better = models.BooleanField(null=True, help_text="Blank: neither is better.")
    source = models.CharField(max_length=40)
    sort_order = models.PositiveSmallIntegerField(default=0)
    # Governance: a definition is reviewed data (its file says who wrote and checked it).
    authored_by = models.CharField(max_length=120, blank=True)
    checked_by = models.CharField(max_length=120, blank=True)
    date_reviewed = models.DateField(null=True, blank=True)
    next_review = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None


# A reference from a table the measure recompute rewrites in bulk: kept by the ORM (its
# on_delete still applies), not checked by the database row by row at commit, and not
# indexed on its own where a wider index starts with it.
DERIVED = {"related_name": "+", "db_index": False, "db_constraint": False}


class MeasureValue(models.Model):
    """One measure for one organisation in one month. ``value`` is unrounded.

    Derived data: every row is written by the recompute's INSERT ... SELECT from rows that
    exist in the same transaction (docs/decisions/0013), so its references are not
    database constraints; for a national month those checks cost as much as the INSERT.
    """

    measure = models.ForeignKey(MeasureDefinition, on_delete=models.CASCADE, **DERIVED)
    org = models.ForeignKey("practices.Organisation", on_delete=models.CASCADE, **DERIVED)
    period = models.DateField(help_text="First day of the month.")
    numerator = models.BigIntegerField()
    denominator = models.BigIntegerField(null=True, blank=True)
    denominator_month = models.DateField(
        null=True,
        blank=True,
        help_text="A registered patients denominator: the month of the oldest list size in it.",
    )
    value = models.FloatField(null=True, blank=True, help_text="Blank when the denominator is 0.")
    per_working_day = models.FloatField(null=True, blank=True)
    change_year = models.FloatField(
        null=True, blank=True, help_text="value minus the same month last year's value"
    )
    change_baseline = models.FloatField(
        null=True, blank=True, help_text="value minus the baseline month's value"
    )
    percentile_england = models.FloatField(null=True, blank=True, help_text="0-100, practices")
    percentile_icb = models.FloatField(null=True, blank=True, help_text="0-100, practices")
    batch = models.ForeignKey(
        "metrics.ImportBatch", null=True, on_delete=models.SET_NULL, **DERIVED
    )

    class Meta:
        ordering = ["measure", "org", "period"]
        constraints = [
            # Month first: a recompute deletes and inserts a month at a time, and a new
            # month's rows go in at the end of this index rather than all through it.
            models.UniqueConstraint(
                fields=["period", "measure", "org"], name="measure_value_month_unique"
            ),
            models.CheckConstraint(condition=Q(period__day=1), name="measure_value_month"),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gte=0),
                name="measure_value_denominator_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["org", "measure", "period"], name="measure_value_org")]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.org_id} {self.period:%b %Y}: {self.value}"

    @property
    def denominator_out_of_date(self) -> bool:
        return denominator_out_of_date(self.period, self.denominator_month)


class MeasureDecile(models.Model):
    """National deciles of practice values: the 10th, 20th ... 90th percentile."""

    measure = models.ForeignKey(MeasureDefinition, on_delete=models.CASCADE, related_name="+")
    period = models.DateField()
    decile = models.PositiveSmallIntegerField()
    value = models.FloatField()

    class Meta:
        ordering = ["measure", "period", "decile"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period", "decile"], name="measure_decile_unique"
            ),
            models.CheckConstraint(
                condition=Q(decile__gte=1, decile__lte=9), name="measure_decile_1_to_9"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.period:%b %Y} D{self.decile}: {self.value}"


class RollupMember(models.Model):
    """Practice P counts towards organisation O in month M: the memberships in force on
    the first of the month, worked out once per month for every roll-up.

    Derived data, like ``MeasureValue``: rebuilt a month at a time by one INSERT ... SELECT
    from the memberships and the month's practices, so its references are not database
    constraints and it keeps only the indexes its readers use (all by month)."""

    month = models.DateField()
    org = models.ForeignKey("practices.Organisation", on_delete=models.CASCADE, **DERIVED)
    practice = models.ForeignKey("practices.Organisation", on_delete=models.CASCADE, **DERIVED)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "org", "practice"], name="rollup_member_unique"
            ),
        ]
        indexes = [models.Index(fields=["month", "practice"], name="rollup_member_practice")]

    def __str__(self) -> str:
        return f"{self.practice_id} in {self.org_id} {self.month:%b %Y}"


class BaselineSetting(models.Model):
    """The month an ICB compares against. Blank: the same calendar month of 2019."""

    icb = models.OneToOneField(
        "practices.Organisation", on_delete=models.CASCADE, related_name="baseline_setting"
    )
    month = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__day=1), name="baseline_is_a_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.icb_id}: {self.month or 'same month of 2019'}"
