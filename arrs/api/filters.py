"""Query parameters of the ARRS lists: filter sets for the stored records (allocations,
plans), and checked parameters for the lists worked out from them (staff in post, spend)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from rest_framework import serializers

from arrs.api.serializers import ORG_TYPES, SOURCES, YEAR_HELP, year_field
from arrs.models import FIRST_YEAR, LAST_YEAR, Allocation, PlanStatus, WorkforcePlan
from core.api.filters import UpperCharFilter
from practices.models import Organisation, OrgKind
from practices.selectors import descendant_ids

MAX_ID = 2**31 - 1


def pcns_of_icb(code: str) -> frozenset[int]:
    """The PCNs in the ICB with this code today (none for an unknown code)."""
    icb = Organisation.objects.filter(kind=OrgKind.ICB, code=code.strip().upper()).first()
    if icb is None:
        return frozenset()
    return descendant_ids([icb.pk], timezone.localdate(), OrgKind.PCN)


def _in_icb(queryset: QuerySet, name: str, value: str) -> QuerySet:
    return queryset.filter(pcn_id__in=pcns_of_icb(value))


class IdFilter(django_filters.NumberFilter):
    """A record's identifier: a whole number."""

    field_class = forms.IntegerField


def _year_filter(field_name: str, label: str) -> django_filters.NumberFilter:
    return IdFilter(field_name=field_name, label=label, min_value=FIRST_YEAR, max_value=LAST_YEAR)


class AllocationFilter(django_filters.FilterSet):
    pcn = UpperCharFilter(field_name="pcn__code", label="PCN ODS code (any case).")
    icb = django_filters.CharFilter(
        method=_in_icb, label="ICB ODS code: only the PCNs in that ICB today."
    )
    financial_year = _year_filter("financial_year", YEAR_HELP)

    class Meta:
        model = Allocation
        fields = ["pcn", "icb", "financial_year"]


class PlanFilter(django_filters.FilterSet):
    pcn = UpperCharFilter(field_name="pcn__code", label="PCN ODS code (any case).")
    financial_year = _year_filter("plan_round__financial_year", f"The round's year. {YEAR_HELP}")
    round = IdFilter(
        field_name="plan_round_id", label="Plan round identifier.", min_value=1, max_value=MAX_ID
    )
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label="Plan status.")

    class Meta:
        model = WorkforcePlan
        fields = ["pcn", "financial_year", "round", "status"]


class RoleQuerySerializer(serializers.Serializer):
    on = serializers.DateField(
        required=False,
        help_text="Give the maximum reimbursable amounts in force on this date "
        "(YYYY-MM-DD); today unless given.",
    )


class InPostQuerySerializer(serializers.Serializer):
    pcn = serializers.CharField(required=False, max_length=20, help_text="PCN ODS code.")
    icb = serializers.CharField(
        required=False, max_length=20, help_text="ICB ODS code: only the PCNs in it today."
    )
    role = serializers.CharField(required=False, max_length=60, help_text="ARRS role code.")
    as_at = serializers.DateField(required=False, help_text="One date (YYYY-MM-DD).")
    as_at_from = serializers.DateField(required=False, help_text="From this date (YYYY-MM-DD).")
    as_at_to = serializers.DateField(required=False, help_text="To this date (YYYY-MM-DD).")
    source = serializers.ChoiceField(
        choices=SOURCES, required=False, help_text="Only figures from this source."
    )


class SpendQuerySerializer(serializers.Serializer):
    financial_year = year_field(
        f"{YEAR_HELP} The current financial year unless given.", required=False
    )
    round = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Plan round whose accepted plans to project from, if it is one of the "
        "ICB's rounds for the year; otherwise, as on the workforce page, the newest round "
        "of the year with an accepted plan, else the newest.",
    )
    icb = serializers.CharField(required=False, max_length=20, help_text="ICB ODS code.")
    pcn = serializers.CharField(
        required=False, max_length=20, help_text="PCN ODS code: only that PCN's rows."
    )
    org_type = serializers.ChoiceField(
        choices=ORG_TYPES, required=False, help_text="Only PCN rows, or only ICB rows."
    )


class FteTableQuerySerializer(serializers.Serializer):
    """The workforce page's choices, by the API's names."""

    icb = serializers.CharField(
        required=False,
        max_length=20,
        help_text="ICB ODS code; the first ICB you read (by name) unless given.",
    )
    financial_year = year_field(
        f"{YEAR_HELP} The current financial year unless given.", required=False
    )
    round = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Plan round whose accepted plans give the planned columns: one of the ICB's "
        "rounds for the year (400 otherwise). Unless given, as on the workforce page, the "
        "newest round of the year with an accepted plan, else the newest.",
    )
    place = serializers.CharField(
        required=False,
        max_length=20,
        help_text="Sub-ICB location (place) ODS code: only its PCNs today. The ICB's own "
        "whole-ICB totals are then left out.",
    )
    pcn = serializers.CharField(
        required=False,
        max_length=20,
        help_text="PCN ODS code: only that PCN. The ICB's own whole-ICB totals are then left out.",
    )
    in_post = serializers.ListField(
        child=serializers.DateField(),
        required=False,
        max_length=8,
        help_text="In-post dates to give columns for (YYYY-MM-DD; repeat the parameter for "
        "more, at most 8): dates staff in post are held for. Giving in_post or planned "
        "chooses the columns, as the page's form does (a kind not given has none); giving "
        "neither, the page's default columns.",
    )
    planned = serializers.ListField(
        child=serializers.DateField(),
        required=False,
        max_length=8,
        help_text="Planned dates to give columns for (YYYY-MM-DD; repeat for more, at most 8): "
        "dates the round's accepted plans give intended WTE for.",
    )
