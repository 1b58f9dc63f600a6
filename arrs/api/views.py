"""The ARRS endpoints, with the pages' rules (``arrs.access``) and selectors:

- roles, allocations, staff in post and spend: anyone with a role, for the ICBs they read
  (the published figures of the workforce page);
- allocations are set by ICB managers, for the PCNs in their ICBs, through
  ``arrs.services.allocation_set`` as on the allocations page;
- workforce plans: only through ``plans_for`` and ``plan_for``: a PCN's own managers and its
  ICB's managers, in any state; nobody else (board members have no plan list: 403).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import cached_property
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from arrs.access import can_keep_workforce_records, can_set_allocation_for, plan_pcn_ids
from arrs.api.filters import (
    AllocationFilter,
    InPostQuerySerializer,
    PlanFilter,
    RoleQuerySerializer,
    SpendQuerySerializer,
    pcns_of_icb,
)
from arrs.api.rows import InPostQuery, in_post_rows, spend_rows
from arrs.api.serializers import (
    PLAN_FIGURE_COLUMNS,
    AllocationCreateSerializer,
    AllocationSerializer,
    AllocationUpdateSerializer,
    InPostSerializer,
    RoleSerializer,
    SpendSerializer,
    WorkforcePlanSerializer,
)
from arrs.models import Allocation, ArrsRole, RateArea, WorkforcePlan
from arrs.selectors import (
    allocations_for,
    allocations_listed,
    plan_for,
    plans_with_lines,
    published_spend,
    rate_book,
)
from arrs.services import allocation_set
from arrs.services.records import RecordError
from arrs.years import fy_of
from core.access import scope_for
from core.api.permissions import HasPortalRole
from core.api.views import PortalViewSet, RetrieveMixin
from practices.models import Organisation, OrgKind

ICB_ONLY = "Only ICB managers keep workforce records."


class CanKeepWorkforceRecords(BasePermission):
    """ICB managers: allocations, as on the allocations page."""

    message = ICB_ONLY

    def has_permission(self, request: Request, view) -> bool:
        return can_keep_workforce_records(scope_for(request))


class ReadsPlans(BasePermission):
    """PCN managers and ICB managers: the plan list page's rule."""

    message = (
        "Only PCN and ICB managers see workforce plans; the published figures (staff in "
        "post and spend) are open to every role."
    )

    def has_permission(self, request: Request, view) -> bool:
        return bool(plan_pcn_ids(scope_for(request)))


class ComputedListViewSet(PortalViewSet):
    """A list worked out from the selectors rather than read from one table: its parameters
    are checked by ``query_class``; CSV rows are made as they are written."""

    query_class: type
    filter_backends: list = []
    by_today = True

    def query(self) -> dict[str, Any]:
        given = self.query_class(data=self.request.query_params)
        given.is_valid(raise_exception=True)
        return given.validated_data

    def paginate_queryset(self, queryset):
        return super().paginate_queryset(list(queryset))

    def csv_rows(self, queryset) -> Iterator[dict[str, Any]]:
        serializer = self.get_serializer()
        return (serializer.to_representation(row) for row in queryset)


@extend_schema_view(
    list=extend_schema(
        summary="List ARRS roles",
        description="Every role in the scheme, in table order, with its maximum "
        "reimbursable amounts per WTE per year in force on a date.",
        parameters=[RoleQuerySerializer],
    ),
    retrieve=extend_schema(
        summary="One ARRS role, by code",
        parameters=[
            RoleQuerySerializer,
            OpenApiParameter("code", str, OpenApiParameter.PATH, description="Its code."),
        ],
    ),
)
class RoleViewSet(RetrieveMixin, PortalViewSet):
    query_class = RoleQuerySerializer  # the parameters ``_context`` reads
    """Anyone with a role: the roles and their amounts, as on the amounts page."""

    serializer_class = RoleSerializer
    filter_backends: list = []
    pagination_class = None
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9_-]+"
    csv_name = "arrs-roles"
    by_today = True

    def get_queryset(self) -> QuerySet[ArrsRole]:
        return ArrsRole.objects.order_by("sort_order", "name")

    def get_object(self) -> ArrsRole:
        code = self.kwargs["code"]
        found = self.get_queryset().filter(code=code.lower()).first()
        if found is None:
            raise Http404(f"There is no ARRS role with the code {code}.")
        return found

    @cached_property
    def _context(self) -> dict[str, Any]:
        given = RoleQuerySerializer(data=self.request.query_params)
        given.is_valid(raise_exception=True)
        return {"rates": rate_book(), "on": given.validated_data.get("on") or _today()}

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), **self._context}


def _today() -> dt.date:
    return timezone.localdate()


@extend_schema_view(
    list=extend_schema(
        summary="List ARRS allocations",
        description="Each PCN's allocation per financial year, for the PCNs in the ICBs you read.",
    ),
    retrieve=extend_schema(summary="One ARRS allocation"),
    create=extend_schema(
        summary="Set a PCN's allocation for a year (create or replace)",
        description="ICB managers, for the PCNs in their ICB today, as on the allocations "
        "page. 201 when the PCN had none for the year, 200 when it is replaced.",
        request=AllocationCreateSerializer,
        responses={201: AllocationSerializer, 200: AllocationSerializer},
    ),
    partial_update=extend_schema(
        summary="Correct an allocation",
        description="ICB managers, for the PCNs in their ICB today. Only the values sent change.",
        request=AllocationUpdateSerializer,
        responses={200: AllocationSerializer},
    ),
)
class AllocationViewSet(RetrieveMixin, PortalViewSet):
    """Anyone with a role reads their ICBs' allocations; ICB managers set them."""

    serializer_class = AllocationSerializer
    filterset_class = AllocationFilter
    csv_name = "arrs-allocations"
    http_method_names = ["get", "post", "patch", "head", "options"]
    by_today = True  # ?icb= means the PCNs in it today

    def get_queryset(self) -> QuerySet[Allocation]:
        return allocations_listed(self.scope.visible_org_ids).order_by(
            "financial_year", "pcn__code"
        )

    def get_permissions(self):
        if self.action in ("create", "partial_update"):
            return [HasPortalRole(), CanKeepWorkforceRecords()]
        return super().get_permissions()

    def create(self, request: Request) -> Response:
        given = AllocationCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        values = given.validated_data
        pcn = self._settable_pcn(values["pcn"])
        existed = pcn.pk in allocations_for([pcn.pk], values["financial_year"])
        allocation = self._set(pcn, values["financial_year"], values)
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(AllocationSerializer(allocation).data, status=code)

    def partial_update(self, request: Request, pk: str) -> Response:
        allocation = self.get_object()
        given = AllocationUpdateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        self._settable_pcn(allocation.pcn.code)
        values = {"amount": allocation.amount, "rate_area": allocation.rate_area}
        values.update(given.validated_data)
        allocation = self._set(allocation.pcn, allocation.financial_year, values)
        return Response(AllocationSerializer(allocation).data)

    def _settable_pcn(self, code: str) -> Organisation:
        pcn = Organisation.objects.filter(kind=OrgKind.PCN, code=code.strip().upper()).first()
        if pcn is None:
            raise ValidationError({"pcn": [f"There is no PCN with the code {code}."]})
        if not can_set_allocation_for(self.scope, pcn, _today()):
            raise PermissionDenied("Only ICB managers set allocations, for PCNs in their ICB.")
        return pcn

    def _set(self, pcn: Organisation, year: int, values: dict) -> Allocation:
        try:
            return allocation_set(
                pcn=pcn,
                year=year,
                amount=values["amount"],
                rate_area=values.get("rate_area", RateArea.NATIONAL),
                user=self.request.user,
            )
        except RecordError as error:
            raise ValidationError({"non_field_errors": [str(error)]}) from error


@extend_schema_view(
    list=extend_schema(
        summary="List workforce plans",
        description="PCN managers: every plan of their own PCNs, drafts included. ICB "
        "managers: every plan of their ICB's PCNs. Board members and others: 403 (they read "
        "the published figures). Newest year first. As CSV, a row per figure: the plan's "
        "fields, then role, role_name, figure (`in_post` on the as-at date or `intended`), "
        "on and wte; a plan with no lines has one row with those blank.",
    ),
    retrieve=extend_schema(
        summary="One workforce plan",
        description="Its PCN's managers and its ICB's managers; 403 for anyone else.",
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="Plan identifier.")
        ],
    ),
)
class WorkforcePlanViewSet(RetrieveMixin, PortalViewSet):
    """PCN managers (their PCNs) and ICB managers (their ICB's PCNs), through the selectors
    the plan pages use."""

    serializer_class = WorkforcePlanSerializer
    filterset_class = PlanFilter
    permission_classes = [HasPortalRole, ReadsPlans]
    lookup_value_regex = "[0-9]+"
    csv_name = "arrs-workforce-plans"

    def get_queryset(self) -> QuerySet[WorkforcePlan]:
        return plans_with_lines(self.scope).order_by(
            "-plan_round__financial_year", "pcn__code", "-uploaded_at", "-id"
        )

    def get_object(self) -> WorkforcePlan:
        return plan_for(self.scope, int(self.kwargs["pk"]))

    def csv_columns(self) -> list[str]:
        return [*super().csv_columns(), *PLAN_FIGURE_COLUMNS]

    def csv_rows(self, queryset) -> Iterator[dict[str, Any]]:
        serializer = self.get_serializer()
        for plan in queryset.iterator(chunk_size=200):
            yield from _figure_rows(serializer.to_representation(plan))


def _figure_rows(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A plan as CSV rows: one for each line's in-post figure and each intended figure."""
    lines = plan.pop("lines")
    if not lines:
        yield plan
    for line in lines:
        role = {"role": line["role"], "role_name": line["role_name"]}
        yield {**plan, **role, "figure": "in_post", "on": plan["as_at"], "wte": line["in_post"]}
        for figure in line["intended"]:
            yield {**plan, **role, "figure": "intended", **figure}


@extend_schema_view(
    list=extend_schema(
        summary="List staff in post (ARRS roles)",
        description="WTE (whole-time equivalent) in post by PCN, date and role (field `fte`), "
        "for the PCNs in the ICBs you read, as the workforce pages count it: the ICB's own "
        "count where it made one for the PCN and date, otherwise the NWRS census through the "
        "staff role mapping. Each date has a row for every role in the scheme that year. By "
        "PCN code, then date, then role.",
        parameters=[InPostQuerySerializer],
    )
)
class InPostViewSet(ComputedListViewSet):
    """Anyone with a role: staff in post in the ICBs they read (published figures)."""

    serializer_class = InPostSerializer
    query_class = InPostQuerySerializer
    csv_name = "arrs-in-post"

    def get_queryset(self) -> Iterator[dict[str, Any]]:
        given = self.query()
        pcns = self.scope.visible(Organisation.objects.filter(kind=OrgKind.PCN))
        if "pcn" in given:
            pcns = pcns.filter(code=given["pcn"].strip().upper())
        if "icb" in given:
            pcns = pcns.filter(pk__in=pcns_of_icb(given["icb"]))
        roles = ArrsRole.objects.order_by("sort_order", "name")
        if "role" in given:
            roles = roles.filter(code=given["role"].strip().lower())
        return in_post_rows(
            InPostQuery(
                pcns=list(pcns.order_by("code")),
                roles=list(roles),
                on=given.get("as_at"),
                start=given.get("as_at_from"),
                end=given.get("as_at_to"),
                source=given.get("source"),
            )
        )


@extend_schema_view(
    list=extend_schema(
        summary="List ARRS spend against allocation",
        description="For each ICB you read (by code), a row per PCN in it today (by name) and "
        "then the ICB's row: allocation, projected spend from the PCN's accepted plan in the "
        "round, headroom and claims in the year, as on the workforce page. The ICB's row adds "
        "up the PCNs with an accepted plan and an allocation, the same PCNs for every figure; "
        "pcns_included, pcns_total and pcns_not_included say which. The year is the current "
        "financial year unless given.",
        parameters=[SpendQuerySerializer],
    )
)
class SpendViewSet(ComputedListViewSet):
    """Anyone with a role: spend in the ICBs they read (published figures)."""

    serializer_class = SpendSerializer
    query_class = SpendQuerySerializer
    csv_name = "arrs-spend"

    def get_queryset(self) -> Iterator[dict[str, Any]]:
        given = self.query()  # checked now, not once a CSV has started
        icbs = Organisation.objects.filter(kind=OrgKind.ICB, pk__in=self.scope.icb_ids)
        if "icb" in given:
            icbs = icbs.filter(code=given["icb"].strip().upper())
        return self._rows(list(icbs.order_by("code")), given)

    def _rows(self, icbs: list[Organisation], given: dict[str, Any]) -> Iterator[dict[str, Any]]:
        year = given.get("financial_year") or fy_of(_today())
        codes = dict(ArrsRole.objects.values_list("pk", "code"))
        for icb in icbs:
            found = published_spend(icb=icb, year=year, round_id=given.get("round"), today=_today())
            yield from (row for row in spend_rows(found, codes) if _wanted(row, given))


def _wanted(row: dict[str, Any], given: dict[str, Any]) -> bool:
    if "org_type" in given and row["org_type"] != given["org_type"]:
        return False
    if "pcn" in given:
        return row["org_type"] == "pcn" and row["org_code"] == given["pcn"].strip().upper()
    return True
