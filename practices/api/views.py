"""The register's endpoints. Anyone with a role reads the organisations in and above the ICBs
they read; ICB managers correct list sizes of practices in their ICB."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.views import PortalViewSet, RetrieveMixin
from practices.api.filters import (
    IcbFilter,
    ListSizeFilter,
    MembershipFilter,
    OrganisationFilter,
    PcnFilter,
    PracticeFilter,
    SubIcbFilter,
)
from practices.api.serializers import (
    IcbSerializer,
    ListSizeCorrectionSerializer,
    ListSizeSerializer,
    ListSizeUpdateSerializer,
    MembershipSerializer,
    OrganisationSerializer,
    PcnSerializer,
    PracticeDetailSerializer,
    PracticeSerializer,
    SubIcbSerializer,
)
from practices.models import ListSize, Membership, Organisation, OrgKind
from practices.selectors import (
    list_sizes_listed,
    membership_history,
    memberships_listed,
    organisations_listed,
)
from practices.services import UNSET, list_size_correct


class OrganisationViewSet(RetrieveMixin, PortalViewSet):
    """Organisations of one kind that the reader may see, by ODS code."""

    kind: str
    noun: str
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9]+"

    def get_queryset(self) -> QuerySet[Organisation]:
        return organisations_listed(self.scope.visible_org_ids, self.kind, timezone.localdate())

    def get_object(self) -> Organisation:
        """404 for a code that is not there; 403 for one outside the reader's ICBs."""
        code = self.kwargs["code"].strip().upper()
        found = organisations_listed(
            Organisation.objects.of_kind(self.kind).filter(code=code).values_list("pk", flat=True),
            self.kind,
            timezone.localdate(),
        ).first()
        if found is None:
            raise Http404(f"There is no {self.noun} with the ODS code {code}.")
        if not self.scope.can_view(found):
            raise PermissionDenied("This organisation is outside the ICBs you have access to.")
        return found


def _code_parameter(singular: str) -> OpenApiParameter:
    return OpenApiParameter(
        "code", str, OpenApiParameter.PATH, description=f"ODS code of the {singular}, any case."
    )


def _org_docs(plural: str, singular: str):
    return extend_schema_view(
        list=extend_schema(summary=f"List {plural}", description=f"The {plural} you may see."),
        retrieve=extend_schema(
            summary=f"One {singular}, by ODS code", parameters=[_code_parameter(singular)]
        ),
    )


@_org_docs("NHS England regions", "region")
class RegionViewSet(OrganisationViewSet):
    kind = OrgKind.REGION
    noun = "region"
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    csv_name = "regions"


@_org_docs("ICBs", "ICB")
class IcbViewSet(OrganisationViewSet):
    kind = OrgKind.ICB
    noun = "ICB"
    serializer_class = IcbSerializer
    filterset_class = IcbFilter
    csv_name = "icbs"


@_org_docs("sub-ICB locations", "sub-ICB location")
class SubIcbViewSet(OrganisationViewSet):
    kind = OrgKind.SUB_ICB
    noun = "sub-ICB location"
    serializer_class = SubIcbSerializer
    filterset_class = SubIcbFilter
    csv_name = "sub-icbs"


@_org_docs("PCNs", "PCN")
class PcnViewSet(OrganisationViewSet):
    kind = OrgKind.PCN
    noun = "PCN"
    serializer_class = PcnSerializer
    filterset_class = PcnFilter
    csv_name = "pcns"


@extend_schema_view(
    list=extend_schema(
        summary="List practices",
        description="The practices you may see, with their PCN and sub-ICB location today "
        "and their latest list size.",
    ),
    retrieve=extend_schema(
        summary="One practice, by ODS code",
        description="With its whole membership history and every list size loaded.",
        parameters=[_code_parameter("practice")],
    ),
)
class PracticeViewSet(OrganisationViewSet):
    kind = OrgKind.PRACTICE
    noun = "practice"
    filterset_class = PracticeFilter
    csv_name = "practices"

    def get_serializer_class(self):
        return PracticeDetailSerializer if self.action == "retrieve" else PracticeSerializer

    def get_object(self) -> Organisation:
        practice = super().get_object()
        practice.membership_history = list(membership_history(practice))
        practice.list_size_history = list(practice.list_sizes.order_by("month"))
        return practice


@extend_schema_view(
    list=extend_schema(
        summary="List memberships",
        description="Dated links between organisations you may see: which PCN and sub-ICB "
        "location a practice was in, and when. Filter by member or parent code.",
    )
)
class MembershipViewSet(PortalViewSet):
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    csv_name = "memberships"

    def get_queryset(self) -> QuerySet[Membership]:
        return memberships_listed(self.scope.visible_org_ids)


@extend_schema_view(
    list=extend_schema(summary="List practice list sizes"),
    retrieve=extend_schema(summary="One list size"),
    create=extend_schema(
        summary="Correct a list size (create or replace one month)",
        description="ICB managers, for practices in their ICB. Sets the counts given for the "
        "practice and month; 201 when the month is new, 200 when it existed. Measures that "
        "use list sizes are recomputed from that month on.",
        request=ListSizeCorrectionSerializer,
        responses={201: ListSizeSerializer, 200: ListSizeSerializer},
    ),
    partial_update=extend_schema(
        summary="Correct a list size's counts",
        description="ICB managers, for practices in their ICB. Only the counts sent change.",
        request=ListSizeUpdateSerializer,
        responses={200: ListSizeSerializer},
    ),
)
class ListSizeViewSet(RetrieveMixin, PortalViewSet):
    """Anyone with a role reads; ICB managers correct the practices in their ICB."""

    serializer_class = ListSizeSerializer
    filterset_class = ListSizeFilter
    csv_name = "list-sizes"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[ListSize]:
        return list_sizes_listed(self.scope.visible_org_ids)

    def create(self, request: Request) -> Response:
        given = ListSizeCorrectionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        practice = self._editable_practice(given.validated_data["practice"])
        correction = self._correct(practice, given.validated_data)
        code = status.HTTP_201_CREATED if correction.created else status.HTTP_200_OK
        return Response(ListSizeSerializer(correction.list_size).data, status=code)

    def partial_update(self, request: Request, pk: str) -> Response:
        size = self.get_object()
        given = ListSizeUpdateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        self._editable_practice(size.practice.code)
        correction = self._correct(size.practice, {"month": size.month, **given.validated_data})
        return Response(ListSizeSerializer(correction.list_size).data)

    def _editable_practice(self, code: str) -> Organisation:
        practice = Organisation.objects.filter(kind=OrgKind.PRACTICE, code=code.upper()).first()
        if practice is None:
            raise ValidationError({"practice": [f"There is no practice with the code {code}."]})
        if not self.scope.can_edit(practice):
            raise PermissionDenied("Only ICB managers correct list sizes, in their own ICB.")
        return practice

    def _correct(self, practice: Organisation, values: dict):
        try:
            return list_size_correct(
                practice=practice,
                month=values["month"],
                all_patients=values.get("all_patients", UNSET),
                patients_13_plus=values.get("patients_13_plus", UNSET),
            )
        except DjangoValidationError as error:
            raise ValidationError(_messages(error)) from error


def _messages(error: DjangoValidationError) -> dict[str, list[str]] | list[str]:
    if hasattr(error, "error_dict"):
        return {field: list(messages) for field, messages in error.message_dict.items()}
    return list(error.messages)
