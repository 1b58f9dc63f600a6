"""Query parameters of the register's lists."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from core.api.filters import MonthFilter, UpperCharFilter
from practices.models import (
    ListSize,
    Membership,
    MembershipBasis,
    Organisation,
    OrgKind,
    OrgStatus,
    Relation,
)
from practices.selectors import descendant_ids


def _within(kind: str):
    """Filter to the members, today, of the ``kind`` with the given code."""

    def method(queryset: QuerySet, name: str, value: str) -> QuerySet:
        parent = Organisation.objects.filter(kind=kind, code=value.strip().upper()).first()
        if parent is None:
            return queryset.none()
        return queryset.filter(pk__in=descendant_ids([parent.pk], timezone.localdate()))

    return method


def _parent_filter(kind: str, label: str) -> django_filters.CharFilter:
    return django_filters.CharFilter(
        method=_within(kind), label=f"ODS code of a {label}: only its members today."
    )


class OrganisationFilter(django_filters.FilterSet):
    code = UpperCharFilter(field_name="code", label="ODS code (any case).")
    name = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label="Part of the name, any case."
    )
    status = django_filters.ChoiceFilter(choices=OrgStatus.choices, label="ODS status.")

    class Meta:
        model = Organisation
        fields = ["code", "name", "status"]


class IcbFilter(OrganisationFilter):
    region = _parent_filter(OrgKind.REGION, "region")


class SubIcbFilter(OrganisationFilter):
    icb = _parent_filter(OrgKind.ICB, "ICB")


class PcnFilter(SubIcbFilter):
    sub_icb = _parent_filter(OrgKind.SUB_ICB, "sub-ICB location")


class PracticeFilter(PcnFilter):
    pcn = _parent_filter(OrgKind.PCN, "PCN")


class MembershipFilter(django_filters.FilterSet):
    child = UpperCharFilter(field_name="child__code", label="ODS code of the member.")
    parent = UpperCharFilter(field_name="parent__code", label="ODS code it belongs to.")
    relation = django_filters.ChoiceFilter(choices=Relation.choices, label="Which levels.")
    basis = django_filters.ChoiceFilter(choices=MembershipBasis.choices, label="Basis.")
    in_force_on = django_filters.DateFilter(
        method="_in_force_on", label="Only the links in force on this date (YYYY-MM-DD)."
    )

    class Meta:
        model = Membership
        fields = ["child", "parent", "relation", "basis", "in_force_on"]

    def _in_force_on(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.in_force_on(value)


class ListSizeFilter(django_filters.FilterSet):
    practice = UpperCharFilter(field_name="practice__code", label="Practice ODS code.")
    month = MonthFilter(field_name="month", label="Month, as YYYY-MM.")
    month_from = MonthFilter(field_name="month", lookup_expr="gte", label="From month (YYYY-MM).")
    month_to = MonthFilter(field_name="month", lookup_expr="lte", label="To month (YYYY-MM).")

    class Meta:
        model = ListSize
        fields = ["practice", "month", "month_from", "month_to"]
