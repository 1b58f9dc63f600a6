"""ARRS workforce: roles and their maximum reimbursable amounts, allocations, workforce plans
submitted in rounds, staff in post, and claims.

Amounts are pounds and WTE are decimals, never floats. A blank WTE is ``NULL`` ("not
reported") and is kept apart from zero everywhere, from the plan file to the board table.
Financial years are stored as the year they start: 2026 is 2026/27 (1 April 2026 to
31 March 2027).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

WTE_DIGITS = {"max_digits": 9, "decimal_places": 4}
MONEY_DIGITS = {"max_digits": 14, "decimal_places": 2}
FIRST_YEAR, LAST_YEAR = 2019, 2100  # ARRS began in 2019/20


def _year_in_range(field: str) -> Q:
    return Q(**{f"{field}__gte": FIRST_YEAR, f"{field}__lte": LAST_YEAR})


class RateArea(models.TextChoices):
    """Which maximum reimbursable amount applies: London amounts include the high cost area
    supplement."""

    NATIONAL = "national", "Outside London"
    OUTER_LONDON = "outer_london", "Outer London"
    INNER_LONDON = "inner_london", "Inner London"


class ArrsRole(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120, unique=True)
    afc_band = models.CharField("Agenda for Change band", max_length=40)
    reimbursable_from = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The financial year the role joined the scheme."
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    aliases = models.JSONField(default=list, blank=True, help_text="Other names people write.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="arrs_role_code_not_blank"),
            models.CheckConstraint(condition=~Q(name=""), name="arrs_role_name_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name


class RoleAlias(models.Model):
    """A name an ICB's PCNs write for an ARRS role ("Home/RR Paramedic"), accepted in that
    ICB's plans and files besides the names every ICB shares (``ArrsRole.aliases``). Kept by
    the ICB's managers, with history."""

    icb = models.ForeignKey(
        "practices.Organisation", on_delete=models.CASCADE, related_name="arrs_role_aliases"
    )
    role = models.ForeignKey(ArrsRole, on_delete=models.PROTECT, related_name="icb_aliases")
    alias = models.CharField(max_length=120)
    alias_key = models.CharField(max_length=120, help_text="The alias as compared: case folded.")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role__sort_order", "alias"]
        verbose_name_plural = "role aliases"
        constraints = [
            models.UniqueConstraint(fields=["icb", "alias_key"], name="role_alias_one_per_icb"),
            models.CheckConstraint(condition=~Q(alias_key=""), name="role_alias_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.alias} -> {self.role}"


class ReimbursementRate(models.Model):
    """The most a PCN can claim per WTE per year for a role, from ``effective_from``.

    An uplift published later for the same effective date (a backdated one) replaces the
    earlier amount: the latest publication wins."""

    role = models.ForeignKey(ArrsRole, on_delete=models.PROTECT, related_name="rates")
    area = models.CharField(max_length=20, choices=RateArea.choices, default=RateArea.NATIONAL)
    effective_from = models.DateField()
    published_on = models.DateField()
    amount = models.DecimalField(**MONEY_DIGITS)
    is_estimate = models.BooleanField(
        default=False, help_text="Not checked against the published Network Contract DES."
    )
    source = models.CharField(max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role__sort_order", "area", "effective_from", "published_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "area", "effective_from", "published_on"],
                name="reimbursement_rate_unique",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="reimbursement_rate_positive"),
            models.CheckConstraint(
                condition=Q(area__in=RateArea.values), name="reimbursement_rate_area_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} ({self.get_area_display()}) from {self.effective_from}: {self.amount}"


class Allocation(models.Model):
    """A PCN's Additional Roles Reimbursement Sum for one financial year."""

    pcn = models.ForeignKey(
        "practices.Organisation", on_delete=models.CASCADE, related_name="arrs_allocations"
    )
    financial_year = models.PositiveSmallIntegerField()
    amount = models.DecimalField(**MONEY_DIGITS)
    rate_area = models.CharField(
        max_length=20,
        choices=RateArea.choices,
        default=RateArea.NATIONAL,
        help_text="Which maximum reimbursable amounts apply to this PCN's staff.",
    )
    source_batch = models.ForeignKey(
        "metrics.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_row = models.PositiveIntegerField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["financial_year", "pcn__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["pcn", "financial_year"], name="allocation_one_per_pcn_year"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="allocation_not_negative"),
            models.CheckConstraint(
                condition=_year_in_range("financial_year"), name="allocation_year_in_range"
            ),
            models.CheckConstraint(
                condition=Q(rate_area__in=RateArea.values), name="allocation_rate_area_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pcn.code} {self.financial_year}: {self.amount}"


class PlanRound(models.Model):
    """A named collection of workforce plans the ICB asks its PCNs for (2026/27 August)."""

    icb = models.ForeignKey(
        "practices.Organisation", on_delete=models.CASCADE, related_name="arrs_plan_rounds"
    )
    financial_year = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=40, help_text="For example August or October.")
    due_on = models.DateField(null=True, blank=True)
    is_open = models.BooleanField(default=True, help_text="PCNs may submit plans for it.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-financial_year", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["icb", "financial_year", "label"], name="plan_round_unique_label"
            ),
            models.CheckConstraint(condition=~Q(label=""), name="plan_round_label_not_blank"),
            models.CheckConstraint(
                condition=_year_in_range("financial_year"), name="plan_round_year_in_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from arrs.years import fy_label

        return f"{fy_label(self.financial_year)} {self.label}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Not submitted"
    SUBMITTED = "submitted", "Awaiting review"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned"
    SUPERSEDED = "superseded", "Superseded"


# The one plan per PCN and round that counts: submitted, then accepted or returned.
CURRENT_STATUSES = (PlanStatus.SUBMITTED, PlanStatus.ACCEPTED, PlanStatus.RETURNED)


class WorkforcePlan(models.Model):
    """One upload of a PCN's workforce plan for a round. Every upload is kept: a draft until
    someone confirms it, then the round's current plan until a newer one is confirmed."""

    pcn = models.ForeignKey(
        "practices.Organisation", on_delete=models.CASCADE, related_name="arrs_plans"
    )
    plan_round = models.ForeignKey(PlanRound, on_delete=models.PROTECT, related_name="plans")
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    as_at = models.DateField(help_text="The day the WTE in post figures are for.")
    file_name = models.CharField(max_length=255)
    file_path = models.CharField(max_length=500, blank=True)
    checksum = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pcn", "plan_round"],
                condition=Q(status__in=CURRENT_STATUSES),
                name="workforce_plan_one_current_per_round",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values), name="workforce_plan_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=PlanStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="workforce_plan_submitted_when_confirmed",
            ),
            models.CheckConstraint(
                condition=~Q(status=PlanStatus.RETURNED) | ~Q(review_comment=""),
                name="workforce_plan_returned_with_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pcn.code} plan for {self.plan_round} ({self.get_status_display()})"

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES


class PlanLine(models.Model):
    """One role in a plan: WTE in post on the plan's as-at date (blank when not given)."""

    plan = models.ForeignKey(WorkforcePlan, on_delete=models.CASCADE, related_name="lines")
    role = models.ForeignKey(ArrsRole, on_delete=models.PROTECT, related_name="+")
    in_post = models.DecimalField(**WTE_DIGITS, null=True, blank=True)
    row = models.PositiveIntegerField(help_text="The row of the file it came from.")

    class Meta:
        ordering = ["plan", "role__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "role"], name="plan_line_one_per_role"),
            models.CheckConstraint(
                condition=Q(in_post__isnull=True) | Q(in_post__gte=0),
                name="plan_line_in_post_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} in post {self.in_post}"


class PlanFigure(models.Model):
    """Intended WTE of a role at a date the PCN chose; blank when the cell was left empty."""

    line = models.ForeignKey(PlanLine, on_delete=models.CASCADE, related_name="intended")
    on = models.DateField()
    wte = models.DecimalField(**WTE_DIGITS, null=True, blank=True)

    class Meta:
        ordering = ["line", "on"]
        constraints = [
            models.UniqueConstraint(fields=["line", "on"], name="plan_figure_one_per_date"),
            models.CheckConstraint(
                condition=Q(wte__isnull=True) | Q(wte__gte=0), name="plan_figure_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wte} WTE on {self.on}"


class InPostCount(models.Model):
    """WTE in post for a role in a PCN on a date, as the ICB counted it (a CSV upload). The
    column is called ``fte``, as the API's field is."""

    pcn = models.ForeignKey(
        "practices.Organisation", on_delete=models.CASCADE, related_name="arrs_in_post"
    )
    role = models.ForeignKey(ArrsRole, on_delete=models.PROTECT, related_name="+")
    as_at = models.DateField()
    fte = models.DecimalField(**WTE_DIGITS, null=True, blank=True)
    source_batch = models.ForeignKey(
        "metrics.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_row = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["as_at", "pcn", "role__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["pcn", "role", "as_at"], name="in_post_one_per_date"),
            models.CheckConstraint(
                condition=Q(fte__isnull=True) | Q(fte__gte=0), name="in_post_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pcn_id} {self.role} on {self.as_at}: {self.fte}"


class IcbInPostCount(models.Model):
    """WTE in post for a role across a whole ICB on a date, for an ICB that holds totals with
    no split by PCN. Used for the ICB's total only on a date no PCN has figures for, so an
    ICB total and its PCNs' figures are never added together (``arrs.selectors.tables``)."""

    icb = models.ForeignKey(
        "practices.Organisation", on_delete=models.CASCADE, related_name="arrs_icb_in_post"
    )
    role = models.ForeignKey(ArrsRole, on_delete=models.PROTECT, related_name="+")
    as_at = models.DateField()
    wte = models.DecimalField(**WTE_DIGITS, null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["as_at", "role__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["icb", "role", "as_at"], name="icb_in_post_one_per_date"
            ),
            models.CheckConstraint(
                condition=Q(wte__isnull=True) | Q(wte__gte=0), name="icb_in_post_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.icb_id} {self.role} on {self.as_at}: {self.wte}"


class NwrsStaffCount(models.Model):
    """Staff in a PCN at an NWRS census, by staff role: FTE summed, headcount of distinct
    people. Kept as published, so a change to the role mapping applies at once: a negative
    FTE (an adjustment NWRS publishes) is kept, and the headcount is unknown (blank) where
    some of the FTE is contracted services, whose people the file does not identify."""

    pcn = models.ForeignKey(
        "practices.Organisation", on_delete=models.CASCADE, related_name="nwrs_staff_counts"
    )
    census_date = models.DateField(help_text="The last day of the census month.")
    staff_group = models.CharField(max_length=120, blank=True)
    staff_role = models.CharField(max_length=120, blank=True)
    detailed_staff_role = models.CharField(max_length=120, blank=True)
    fte = models.DecimalField(**WTE_DIGITS)
    headcount = models.PositiveIntegerField(null=True, blank=True)
    source_batch = models.ForeignKey(
        "metrics.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["census_date", "pcn", "staff_role", "detailed_staff_role"]
        constraints = [
            models.UniqueConstraint(
                fields=["pcn", "census_date", "staff_role", "detailed_staff_role"],
                name="nwrs_staff_count_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pcn_id} {self.detailed_staff_role} on {self.census_date}: {self.fte}"


class NwrsRoleMapping(models.Model):
    """Which ARRS role an NWRS staff role counts as; no ARRS role means it is not one."""

    staff_role_key = models.CharField(max_length=120, unique=True)
    staff_role = models.CharField(max_length=120)
    arrs_role = models.ForeignKey(
        ArrsRole, null=True, blank=True, on_delete=models.PROTECT, related_name="nwrs_mappings"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["staff_role"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(staff_role_key=""), name="nwrs_role_mapping_key_not_blank"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff_role} -> {self.arrs_role or 'not ARRS'}"


class Claim(models.Model):
    """What a PCN claimed for a role in a month."""

    pcn = models.ForeignKey(
        "practices.Organisation", on_delete=models.CASCADE, related_name="arrs_claims"
    )
    role = models.ForeignKey(ArrsRole, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="The first day of the month claimed for.")
    amount = models.DecimalField(**MONEY_DIGITS)
    source_batch = models.ForeignKey(
        "metrics.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_row = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["month", "pcn", "role__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["pcn", "role", "month"], name="claim_one_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="claim_month_is_first"),
        ]

    def __str__(self) -> str:
        return f"{self.pcn_id} {self.role} {self.month:%b %Y}: {self.amount}"
