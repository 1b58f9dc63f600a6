"""What the ARRS API reads and writes: roles and their amounts, allocations, workforce plans
with their lines, staff in post and spend. Money is pounds and WTE is whole-time
equivalents, both as decimal strings (never floats); a blank is "not reported", not zero."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from arrs.models import (
    FIRST_YEAR,
    LAST_YEAR,
    Allocation,
    ArrsRole,
    PlanStatus,
    RateArea,
    WorkforcePlan,
)
from arrs.years import fy_label

SOURCES = [("icb", "The ICB's own count"), ("nwrs", "NWRS census, through the role mapping")]
ORG_TYPES = [("pcn", "A PCN"), ("icb", "The ICB: sums of its PCNs' figures")]


def money(help_text: str, **extra: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, help_text=help_text, **extra)


def wte(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=9, decimal_places=4, allow_null=True, help_text=help_text
    )


def percent(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=None, decimal_places=2, allow_null=True, help_text=help_text
    )


def year_field(help_text: str, **extra: Any) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=FIRST_YEAR, max_value=LAST_YEAR, help_text=help_text, **extra
    )


@extend_schema_field({"type": "string", "pattern": r"^\d{4}/\d{2}$", "example": "2026/27"})
class YearLabelField(serializers.Field):
    """A financial year stored as the year it starts, shown as 2026/27."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: int) -> str:
        return fy_label(value)


YEAR_HELP = "Financial year, as the year it starts: 2026 is 2026/27 (April to March)."
USER_HELP = "Username of who {what} (blank: nobody yet, or an import)."


def username(source: str, what: str) -> serializers.CharField:
    return serializers.CharField(
        source=f"{source}.username", allow_null=True, help_text=USER_HELP.format(what=what)
    )


# --- roles ---------------------------------------------------------------------------------


class AmountOnField(serializers.DecimalField):
    """A role's maximum reimbursable amount per WTE per year in one rate area, on the date
    the request asked for (the view puts the amounts and the date in the context)."""

    def __init__(self, area: str, **kwargs: Any) -> None:
        self.area = area
        super().__init__(
            max_digits=14, decimal_places=2, source="*", read_only=True, allow_null=True, **kwargs
        )

    def to_representation(self, role: ArrsRole) -> str | None:
        entry = self.context["rates"].entry(role.pk, self.area, self.context["on"])
        return None if entry is None else super().to_representation(entry.amount)


class RoleSerializer(serializers.ModelSerializer):
    code = serializers.CharField(help_text="Stable code, as used in `role=` and plan lines.")
    name = serializers.CharField(help_text="Name of the role.")
    afc_band = serializers.CharField(help_text="Agenda for Change band, as the scheme gives it.")
    reimbursable_from = serializers.IntegerField(
        allow_null=True,
        help_text="Financial year (as the year it starts) the role joined the scheme; blank: "
        "since the scheme began in 2019/20.",
    )
    amounts_on = serializers.SerializerMethodField(
        help_text="The date the amounts are in force on: `on` if given, else today."
    )
    amount_national = AmountOnField(
        RateArea.NATIONAL,
        help_text="Maximum reimbursable amount per WTE per year outside London, in pounds "
        "(blank: none held for that date).",
    )
    amount_outer_london = AmountOnField(
        RateArea.OUTER_LONDON,
        help_text="The same in outer London (the amount outside London where no London "
        "amount is held).",
    )
    amount_inner_london = AmountOnField(
        RateArea.INNER_LONDON,
        help_text="The same in inner London (the amount outside London where no London "
        "amount is held).",
    )
    amounts_estimated = serializers.SerializerMethodField(
        help_text="True when any of the amounts is an estimate, not yet checked against the "
        "published Network Contract DES."
    )

    class Meta:
        model = ArrsRole
        fields = [
            "code",
            "name",
            "afc_band",
            "reimbursable_from",
            "amounts_on",
            "amount_national",
            "amount_outer_london",
            "amount_inner_london",
            "amounts_estimated",
        ]

    @extend_schema_field(serializers.DateField())
    def get_amounts_on(self, role: ArrsRole):
        return self.context["on"]

    @extend_schema_field(serializers.BooleanField())
    def get_amounts_estimated(self, role: ArrsRole) -> bool:
        rates, on = self.context["rates"], self.context["on"]
        entries = (rates.entry(role.pk, area, on) for area in RateArea.values)
        return any(entry.is_estimate for entry in entries if entry is not None)


# --- allocations ---------------------------------------------------------------------------


class AllocationSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="Identifier, for corrections.")
    pcn = serializers.CharField(source="pcn.code", help_text="PCN ODS code.")
    pcn_name = serializers.CharField(source="pcn.name", help_text="PCN name.")
    financial_year = serializers.IntegerField(help_text=YEAR_HELP)
    financial_year_label = YearLabelField(source="financial_year", help_text="As 2026/27.")
    amount = money("The PCN's Additional Roles Reimbursement Sum for the year, in pounds.")
    rate_area = serializers.ChoiceField(
        choices=RateArea.choices,
        help_text="Which maximum reimbursable amounts apply to the PCN's staff.",
    )
    source_batch = serializers.IntegerField(
        source="source_batch_id",
        allow_null=True,
        help_text="Import batch it was loaded from (blank: typed in on the allocations page "
        "or sent through the API).",
    )
    source_row = serializers.IntegerField(
        allow_null=True, help_text="Row of that batch's file (blank: not imported)."
    )
    updated_by = username("updated_by", "last set it by hand")
    updated_at = serializers.DateTimeField(help_text="When it last changed.")

    class Meta:
        model = Allocation
        fields = [
            "id",
            "pcn",
            "pcn_name",
            "financial_year",
            "financial_year_label",
            "amount",
            "rate_area",
            "source_batch",
            "source_row",
            "updated_by",
            "updated_at",
        ]


AMOUNT_WRITE_HELP = "In pounds, zero or more, at most two decimal places."
AREA_WRITE_HELP = "Which maximum reimbursable amounts apply to the PCN's staff."


class AllocationCreateSerializer(serializers.Serializer):
    pcn = serializers.CharField(max_length=20, help_text="PCN ODS code (any case).")
    financial_year = year_field(YEAR_HELP)
    amount = money(AMOUNT_WRITE_HELP, min_value=0)
    rate_area = serializers.ChoiceField(
        choices=RateArea.choices,
        default=RateArea.NATIONAL,
        help_text=f"{AREA_WRITE_HELP} Outside London unless given.",
    )


class AllocationUpdateSerializer(serializers.Serializer):
    amount = money(f"{AMOUNT_WRITE_HELP} Unchanged if not sent.", min_value=0, required=False)
    rate_area = serializers.ChoiceField(
        choices=RateArea.choices,
        required=False,
        help_text=f"{AREA_WRITE_HELP} Unchanged if not sent.",
    )


# --- plans ---------------------------------------------------------------------------------


class PlanFigureSerializer(serializers.Serializer):
    on = serializers.DateField(help_text="The date the PCN intends the WTE for.")
    wte = wte("Intended WTE on that date (blank: the cell was left empty).")


class PlanLineSerializer(serializers.Serializer):
    role = serializers.CharField(source="role.code", help_text="ARRS role code.")
    role_name = serializers.CharField(source="role.name", help_text="ARRS role name.")
    in_post = wte("WTE in post on the plan's as-at date (blank: not given).")
    row = serializers.IntegerField(help_text="Row of the uploaded file it came from.")
    intended = PlanFigureSerializer(
        many=True, read_only=True, help_text="Intended WTE at each date the plan gives."
    )


class WorkforcePlanSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="Plan identifier.")
    pcn = serializers.CharField(source="pcn.code", help_text="PCN ODS code.")
    pcn_name = serializers.CharField(source="pcn.name", help_text="PCN name.")
    round = serializers.IntegerField(source="plan_round_id", help_text="Plan round identifier.")
    round_label = serializers.CharField(
        source="plan_round.label", help_text="The round's name within its year, such as August."
    )
    round_name = serializers.CharField(
        source="plan_round.name", help_text="Year and label, such as 2026/27 August."
    )
    financial_year = serializers.IntegerField(
        source="plan_round.financial_year", help_text=f"The round's year. {YEAR_HELP}"
    )
    status = serializers.ChoiceField(
        choices=PlanStatus.choices,
        help_text="draft: uploaded, not confirmed; submitted: awaiting the ICB's review; "
        "accepted or returned by the ICB; superseded by a later confirmed plan.",
    )
    as_at = serializers.DateField(help_text="The day the WTE in post figures are for.")
    file_name = serializers.CharField(help_text="Name of the file uploaded.")
    uploaded_by = username("uploaded_by", "uploaded it")
    uploaded_at = serializers.DateTimeField(help_text="When it was uploaded.")
    submitted_by = username("submitted_by", "confirmed it for the round")
    submitted_at = serializers.DateTimeField(
        allow_null=True, help_text="When it was confirmed (blank: a draft)."
    )
    reviewed_by = username("reviewed_by", "accepted or returned it")
    reviewed_at = serializers.DateTimeField(
        allow_null=True, help_text="When the ICB accepted or returned it (blank: not yet)."
    )
    review_comment = serializers.CharField(
        help_text="What the ICB said when reviewing it (always given when returned)."
    )
    superseded_by = serializers.IntegerField(
        source="superseded_by_id",
        allow_null=True,
        help_text="The plan that replaced it in its round (blank: not replaced).",
    )
    lines = PlanLineSerializer(
        many=True, read_only=True, help_text="One per role the plan gives, in table order."
    )

    class Meta:
        model = WorkforcePlan
        fields = [
            "id",
            "pcn",
            "pcn_name",
            "round",
            "round_label",
            "round_name",
            "financial_year",
            "status",
            "as_at",
            "file_name",
            "uploaded_by",
            "uploaded_at",
            "submitted_by",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
            "superseded_by",
            "lines",
        ]


# The CSV of plans has a row per figure: the plan's fields, then these.
PLAN_FIGURE_COLUMNS = ["role", "role_name", "figure", "on", "wte"]


# --- staff in post and spend (computed rows) -----------------------------------------------


class InPostSerializer(serializers.Serializer):
    """One ARRS role in one PCN on one date."""

    pcn = serializers.CharField(help_text="PCN ODS code.")
    pcn_name = serializers.CharField(help_text="PCN name.")
    as_at = serializers.DateField(help_text="The date the staff were counted on.")
    role = serializers.CharField(help_text="ARRS role code.")
    role_name = serializers.CharField(help_text="ARRS role name.")
    fte = wte(
        "WTE (whole-time equivalent) in post; the field keeps the name fte. Blank: not "
        "reported (the ICB's count did not list the role). Zero from an NWRS census: nobody "
        "in a role the census maps to it."
    )
    source = serializers.ChoiceField(
        choices=SOURCES,
        help_text="icb: the ICB's own count for the PCN and date, used wherever one was made; "
        "nwrs: the NWRS census read through the staff role mapping.",
    )


class SpendSerializer(serializers.Serializer):
    """One PCN's money for a year, or its ICB's: the sums over the PCNs with an accepted plan
    and an allocation, so headroom is allocation less projected spend over the same PCNs."""

    org_type = serializers.ChoiceField(choices=ORG_TYPES, help_text="pcn or icb.")
    org_code = serializers.CharField(help_text="ODS code of the PCN or ICB.")
    org_name = serializers.CharField(help_text="Its name.")
    icb = serializers.CharField(help_text="ODS code of the ICB the figures are kept for.")
    financial_year = serializers.IntegerField(help_text=YEAR_HELP)
    financial_year_label = YearLabelField(source="financial_year", help_text="As 2026/27.")
    plan_round = serializers.IntegerField(
        allow_null=True,
        help_text="The round whose accepted plans the projection uses (blank: no round).",
    )
    plan_round_name = serializers.CharField(
        allow_null=True, help_text="Its year and label, such as 2026/27 August."
    )
    plan = serializers.IntegerField(
        allow_null=True,
        help_text="PCN rows: the accepted plan projected from (blank: none accepted).",
    )
    rate_area = serializers.ChoiceField(
        choices=RateArea.choices,
        allow_null=True,
        help_text="PCN rows: which maximum reimbursable amounts were used (blank on ICB rows).",
    )
    allocation = money("Allocation for the year (blank: none held).", allow_null=True)
    projected_spend = money(
        "Planned WTE x maximum reimbursable amount x months, from the accepted plan, in "
        "whole pounds (blank: no accepted plan).",
        allow_null=True,
    )
    projected_percent = percent("Projected spend as a percentage of the allocation.")
    headroom = money(
        "Allocation less projected spend; negative is a projected overspend.", allow_null=True
    )
    claimed = money("Claimed in the year's months so far (blank: no claims).", allow_null=True)
    claimed_percent = percent("Claimed as a percentage of the allocation.")
    roles_without_amount = serializers.ListField(
        child=serializers.CharField(),
        help_text="Codes of planned roles with no maximum reimbursable amount held for some "
        "month, so left out of the projection.",
    )
    pcn_count = serializers.IntegerField(
        allow_null=True, help_text="ICB rows: PCNs in the ICB today (blank on PCN rows)."
    )
    projected_pcn_count = serializers.IntegerField(
        allow_null=True,
        help_text="ICB rows: PCNs with a projection, an accepted plan (blank on PCN rows).",
    )
    included_in_icb_total = serializers.BooleanField(
        allow_null=True,
        help_text="PCN rows: whether the PCN counts in its ICB's row, which needs an accepted "
        "plan and an allocation (blank on ICB rows).",
    )
    pcns_included = serializers.IntegerField(
        allow_null=True,
        help_text="ICB rows: how many PCNs the ICB's allocation, projected spend, headroom and "
        "claims add up (blank on PCN rows).",
    )
    pcns_total = serializers.IntegerField(
        allow_null=True, help_text="ICB rows: PCNs in the ICB today (blank on PCN rows)."
    )
    pcns_not_included = serializers.ListField(
        child=serializers.CharField(),
        help_text="ICB rows: codes of the PCNs left out of the ICB's row, for want of an "
        "accepted plan or an allocation (empty on PCN rows).",
    )
