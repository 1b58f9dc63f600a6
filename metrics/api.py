"""API for measures and imports: definitions, values, data sources, and import batches
(uploaded and polled by ICB systems).

Anyone with a role reads definitions, sources and the values of the organisations they may
see (and England's); ICB managers and staff read the import log; ICB managers upload.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.filters import MonthFilter, UpperCharFilter
from core.api.permissions import CanLoadData, CanSeeImports, HasPortalRole
from core.api.throttles import TokenRateThrottle, UploadRateThrottle
from core.api.views import PortalViewSet, RetrieveMixin
from imports.registry import all_sources
from metrics.models import BatchStatus, ImportBatch, MeasureDefinition, MeasureValue
from metrics.selectors import (
    batch_progress,
    import_batches,
    measure_definitions,
    measure_values_listed,
)
from metrics.services import import_batch_create_from_upload, import_batch_enqueue
from metrics.uploads import max_upload_bytes, too_large_message, upload_refusal
from practices.models import OrgKind

# --- serializers -------------------------------------------------------------------------


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2025-03"})
class MonthStringField(serializers.Field):
    """A first-of-month date shown as YYYY-MM."""

    def to_representation(self, value) -> str:
        return f"{value:%Y-%m}"


class MeasureDefinitionSerializer(serializers.ModelSerializer):
    code = serializers.CharField(help_text="Stable code, as used in measure-values?measure=.")
    title = serializers.CharField(help_text="Short title.")
    description = serializers.CharField(help_text="What it measures.")
    why_it_matters = serializers.CharField(help_text="Why a board looks at it.")
    numerator_text = serializers.CharField(help_text="What is counted, in words.")
    denominator_text = serializers.CharField(help_text="What it is divided by (blank: a count).")
    multiplier = serializers.IntegerField(help_text="100 for a percentage, 1000 per 1,000.")
    unit = serializers.CharField(help_text="Unit of the value, such as % or appointments.")
    higher_is_better = serializers.BooleanField(
        allow_null=True, help_text="Whether a higher value is better (blank: neither)."
    )
    source = serializers.CharField(help_text="Code of the data source it is computed from.")
    numerator = serializers.JSONField(
        help_text="The numerator as data: GPAD category filters, or a figure the source gives."
    )
    denominator = serializers.JSONField(
        allow_null=True, help_text="The denominator as data (blank: the value is a count)."
    )
    authored_by = serializers.CharField(help_text="Who wrote the definition.")
    checked_by = serializers.CharField(help_text="Who checked it.")
    date_reviewed = serializers.DateField(allow_null=True, help_text="When it was last reviewed.")
    next_review = serializers.DateField(allow_null=True, help_text="When it is next reviewed.")

    class Meta:
        model = MeasureDefinition
        fields = [
            "code",
            "title",
            "description",
            "why_it_matters",
            "numerator_text",
            "denominator_text",
            "multiplier",
            "unit",
            "higher_is_better",
            "source",
            "numerator",
            "denominator",
            "authored_by",
            "checked_by",
            "date_reviewed",
            "next_review",
        ]


class MeasureValueSerializer(serializers.Serializer):
    """One measure for one organisation in one month."""

    measure = serializers.CharField(source="measure_code", help_text="Measure code.")
    org_type = serializers.ChoiceField(
        choices=OrgKind.choices, help_text="Level of the organisation."
    )
    org_code = serializers.CharField(help_text="ODS code (ENG for England).")
    org_name = serializers.CharField(help_text="Organisation name.")
    period = MonthStringField(help_text="The month, as YYYY-MM.")
    value = serializers.FloatField(
        allow_null=True,
        help_text="Unrounded: numerator x multiplier / denominator for a rate, else the count. "
        "Blank when the denominator is 0.",
    )
    numerator = serializers.IntegerField(help_text="Sum of member practices' numerators.")
    denominator = serializers.IntegerField(
        allow_null=True, help_text="Sum of member practices' denominators (blank: a count)."
    )
    denominator_month = MonthStringField(
        allow_null=True,
        help_text="Per registered patients: the month of the list size used, as YYYY-MM (for "
        "a PCN or larger, the oldest among its practices); blank for other measures. More than "
        "three months before the period means the list size is out of date.",
    )
    per_working_day = serializers.FloatField(
        allow_null=True, help_text="For counts: per working day in England that month."
    )
    change_year = serializers.FloatField(
        allow_null=True, help_text="Value minus the same month a year before."
    )
    change_baseline = serializers.FloatField(
        allow_null=True, help_text="Value minus the baseline month (2019 unless the ICB chose)."
    )
    percentile_england = serializers.FloatField(
        allow_null=True, help_text="Practices: percentile rank (0-100) in England."
    )
    percentile_icb = serializers.FloatField(
        allow_null=True, help_text="Practices: percentile rank (0-100) in their ICB."
    )
    import_batch = serializers.IntegerField(
        source="batch_id", allow_null=True, help_text="The import batch the figures came from."
    )


class SourceSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code to give as `source` when uploading.")
    title = serializers.CharField(help_text="What the data is.")
    publisher = serializers.CharField(help_text="Who publishes it.")
    cadence = serializers.CharField(help_text="How often it is published.")
    expects = serializers.CharField(help_text="The file the source reads.")


class ImportBatchSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="Batch identifier.")
    source = serializers.CharField(help_text="Source code the file was loaded as.")
    file_name = serializers.CharField(help_text="Name of the file loaded.")
    file_size = serializers.IntegerField(help_text="Size in bytes.")
    checksum = serializers.CharField(help_text="SHA-256 of the file.")
    status = serializers.ChoiceField(choices=BatchStatus.choices, help_text="Where it has got to.")
    finished = serializers.BooleanField(
        source="is_finished", help_text="True once it succeeded, was unchanged or failed."
    )
    progress = serializers.SerializerMethodField(help_text="Per cent done.")
    outcome = serializers.CharField(help_text="What happened, in words.")
    period_start = serializers.DateField(allow_null=True, help_text="First month in the file.")
    period_end = serializers.DateField(allow_null=True, help_text="Last month in the file.")
    rows_read = serializers.IntegerField(help_text="Rows read.")
    rows_loaded = serializers.IntegerField(help_text="Rows loaded.")
    rows_rejected = serializers.IntegerField(help_text="Rows with problems (nothing loads then).")
    rows_skipped = serializers.IntegerField(help_text="Rows read but not for this portal.")
    error_count = serializers.IntegerField(help_text="Problems found.")
    created_by = serializers.CharField(
        source="created_by.username", allow_null=True, help_text="Who loaded it."
    )
    created_at = serializers.DateTimeField(help_text="When it was given.")
    started_at = serializers.DateTimeField(allow_null=True, help_text="When it started.")
    finished_at = serializers.DateTimeField(allow_null=True, help_text="When it finished.")
    duplicate_of = serializers.IntegerField(
        source="duplicate_of_id",
        allow_null=True,
        help_text="For an unchanged file: the batch that loaded it before.",
    )

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "source",
            "file_name",
            "file_size",
            "checksum",
            "status",
            "finished",
            "progress",
            "outcome",
            "period_start",
            "period_end",
            "rows_read",
            "rows_loaded",
            "rows_rejected",
            "rows_skipped",
            "error_count",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
            "duplicate_of",
        ]

    def get_progress(self, batch: ImportBatch) -> int:
        return batch_progress(batch)


class ProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="Row in the file (1 = header).")
    column = serializers.CharField(allow_null=True, help_text="Column, where known.")
    message = serializers.CharField(help_text="What is wrong.")


class ImportBatchDetailSerializer(ImportBatchSerializer):
    errors = ProblemSerializer(
        many=True, read_only=True, help_text="The first problems found (up to 500)."
    )
    notes = serializers.ListField(
        child=serializers.CharField(), help_text="Warnings that did not stop the load."
    )

    class Meta(ImportBatchSerializer.Meta):
        fields = [*ImportBatchSerializer.Meta.fields, "errors", "notes"]


class UploadSerializer(serializers.Serializer):
    source = serializers.ChoiceField(
        choices=[], help_text="Which kind of file this is: a code from /api/v1/sources/."
    )
    file = serializers.FileField(
        help_text="The file, as published (CSV, zip or xlsx), up to IMPORT_MAX_UPLOAD_MB "
        "(1,024 MB unless the portal sets otherwise)."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(s.code, s.title) for s in all_sources()]

    def validate_file(self, upload):
        if upload.size > max_upload_bytes():
            raise serializers.ValidationError(too_large_message())
        return upload


# --- filters -----------------------------------------------------------------------------


class MeasureValueFilter(django_filters.FilterSet):
    measure = django_filters.CharFilter(field_name="measure_id", label="Measure code.")
    org_type = django_filters.ChoiceFilter(
        field_name="org__kind", choices=OrgKind.choices, label="Level of organisation."
    )
    org_code = UpperCharFilter(field_name="org__code", label="ODS code (any case; ENG: England).")
    period = MonthFilter(field_name="period", label="One month, as YYYY-MM.")
    period_from = MonthFilter(field_name="period", lookup_expr="gte", label="From (YYYY-MM).")
    period_to = MonthFilter(field_name="period", lookup_expr="lte", label="To (YYYY-MM).")

    class Meta:
        model = MeasureValue
        fields = ["measure", "org_type", "org_code", "period", "period_from", "period_to"]


class ImportBatchFilter(django_filters.FilterSet):
    source = django_filters.CharFilter(field_name="source", label="Source code.")
    status = django_filters.ChoiceFilter(choices=BatchStatus.choices, label="Status.")

    class Meta:
        model = ImportBatch
        fields = ["source", "status"]


class MeasureDefinitionFilter(django_filters.FilterSet):
    source = django_filters.CharFilter(field_name="source", label="Source code.")

    class Meta:
        model = MeasureDefinition
        fields = ["source"]


# --- views -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List measure definitions"),
    retrieve=extend_schema(
        summary="One measure definition, by code",
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description="Its code.")],
    ),
)
class MeasureDefinitionViewSet(RetrieveMixin, PortalViewSet):
    """Anyone with a role: the reviewed definitions behind every value."""

    serializer_class = MeasureDefinitionSerializer
    filterset_class = MeasureDefinitionFilter
    lookup_field = "code"
    lookup_value_regex = "[a-z0-9_-]+"
    csv_name = "measure-definitions"

    def get_queryset(self) -> QuerySet[MeasureDefinition]:
        return measure_definitions()


@extend_schema_view(
    list=extend_schema(
        summary="List measure values",
        description="Values of the organisations you may see, and England's. Rates are "
        "ratios of sums over member practices, by the memberships in force that month.",
    )
)
class MeasureValueViewSet(PortalViewSet):
    """Anyone with a role: values for the organisations in and above their ICBs."""

    serializer_class = MeasureValueSerializer
    filterset_class = MeasureValueFilter
    queryset = MeasureValue.objects.none()  # for the schema's parameter types
    csv_name = "measure-values"

    def get_queryset(self):
        return measure_values_listed(self.scope.figure_org_ids)

    def csv_rows(self, queryset):
        serializer = self.get_serializer()
        for row in queryset.iterator(chunk_size=5000):
            yield serializer.to_representation(row)


@extend_schema_view(
    list=extend_schema(summary="List data sources"),
    retrieve=extend_schema(
        summary="One data source, by code",
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description="Its code.")],
    ),
)
class SourceViewSet(RetrieveMixin, PortalViewSet):
    """Anyone with a role: the sources a file can be uploaded as."""

    serializer_class = SourceSerializer
    pagination_class = None
    filter_backends: list = []
    lookup_field = "code"
    lookup_value_regex = "[a-z0-9_-]+"
    csv_name = "sources"

    def get_queryset(self):
        return all_sources()

    def get_object(self):
        code = self.kwargs["code"]
        for source in all_sources():
            if source.code == code:
                return source
        raise Http404(f"There is no source called {code}.")

    def csv_rows(self, queryset):
        serializer = self.get_serializer()
        return (serializer.to_representation(source) for source in queryset)


@extend_schema_view(
    list=extend_schema(summary="List import batches", description="Newest first."),
    retrieve=extend_schema(
        summary="One import batch",
        description="Poll this until `finished` is true; `status` then says how it ended.",
    ),
    create=extend_schema(
        summary="Upload a file to import",
        description="ICB managers only. The file is stored and queued; the answer (202) is "
        "the batch, whose URL is in the Location header.",
        request={"multipart/form-data": UploadSerializer},
        responses={202: ImportBatchDetailSerializer},
    ),
)
class ImportBatchViewSet(RetrieveMixin, PortalViewSet):
    """ICB managers and staff read the import log; ICB managers upload."""

    filterset_class = ImportBatchFilter
    conditional = False  # a running import changes without a new data version
    csv_name = "import-batches"
    http_method_names = ["get", "post", "head", "options"]
    throttle_scope = "uploads"  # counted by UploadRateThrottle, on uploads only

    def get_queryset(self) -> QuerySet[ImportBatch]:
        return import_batches(self.scope)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ImportBatchDetailSerializer
        if self.action == "create":
            return UploadSerializer
        return ImportBatchSerializer

    def get_permissions(self):
        extra = CanLoadData() if self.action == "create" else CanSeeImports()
        return [HasPortalRole(), extra]

    def get_throttles(self):
        if self.action == "create":
            return [TokenRateThrottle(), UploadRateThrottle()]
        return super().get_throttles()

    def create(self, request: Request) -> Response:
        given = UploadSerializer(data=request.data)
        refused = upload_refusal(request)
        if refused:  # stopped as it streamed in, past IMPORT_MAX_UPLOAD_MB
            raise serializers.ValidationError({"file": [refused]})
        given.is_valid(raise_exception=True)
        batch = import_batch_create_from_upload(
            source=given.validated_data["source"],
            upload=given.validated_data["file"],
            user=request.user,
        )
        import_batch_enqueue(batch=batch)
        location = reverse("api:importbatch-detail", args=[batch.pk])
        return Response(
            ImportBatchDetailSerializer(batch).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": request.build_absolute_uri(location)},
        )


def routes(router) -> None:
    """Measures, sources and imports under /api/v1/ (core.registry.api_routes)."""
    from metrics.api_key_measures import KeyMeasureViewSet  # it reads this module's bases

    router.register("measure-definitions", MeasureDefinitionViewSet, basename="measuredefinition")
    router.register("measure-values", MeasureValueViewSet, basename="measurevalue")
    router.register("sources", SourceViewSet, basename="source")
    router.register("key-measures", KeyMeasureViewSet, basename="keymeasure")
    router.register("import-batches", ImportBatchViewSet, basename="importbatch")
