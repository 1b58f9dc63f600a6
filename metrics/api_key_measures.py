"""API for each ICB's key measures: the list its board leads with, in order, with targets
(the same list as the dashboard, the board pack and the access pages read)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from core.api.views import PortalViewSet
from metrics.selectors import key_measures_listed
from practices.models import Organisation, OrgKind


class KeyMeasureSerializer(serializers.Serializer):
    icb_code = serializers.CharField(help_text="ODS code of the ICB.")
    position = serializers.IntegerField(help_text="Place in the ICB's list: 1 comes first.")
    code = serializers.CharField(help_text="Measure code, as in measure-definitions.")
    title = serializers.CharField(help_text="The measure's title.")
    unit = serializers.CharField(help_text="Unit of the measure's values and of the target.")
    target = serializers.FloatField(
        allow_null=True, help_text="The ICB's target for the measure (blank: none)."
    )
    target_basis = serializers.CharField(help_text="Where the target comes from.")
    default_list = serializers.BooleanField(
        help_text="True while the ICB uses the default list (its managers have not set one)."
    )


class KeyMeasureQuerySerializer(serializers.Serializer):
    icb = serializers.CharField(required=False, help_text="ODS code of one ICB (any case).")


@extend_schema_view(
    list=extend_schema(
        summary="List key measures",
        description="For each ICB you read (by code), the measures its board dashboard, board "
        "packs and access pages lead with, in order, with the ICB's targets.",
        parameters=[KeyMeasureQuerySerializer],
    )
)
class KeyMeasureViewSet(PortalViewSet):
    """Anyone with a role: the key measures of the ICBs they read."""

    serializer_class = KeyMeasureSerializer
    query_class = KeyMeasureQuerySerializer
    filter_backends: list = []
    csv_name = "key-measures"

    def get_queryset(self) -> list[dict[str, Any]]:
        given = self.query_class(data=self.request.query_params)
        given.is_valid(raise_exception=True)
        icbs = Organisation.objects.filter(kind=OrgKind.ICB, pk__in=self.scope.icb_ids)
        if "icb" in given.validated_data:
            icbs = icbs.filter(code=given.validated_data["icb"].strip().upper())
        return key_measures_listed(icbs.order_by("code"))

    def csv_rows(self, queryset) -> Iterator[dict[str, Any]]:
        serializer = self.get_serializer()
        return (serializer.to_representation(row) for row in queryset)
