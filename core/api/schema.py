"""The OpenAPI schema's shared parts: the error body every 4xx has, the ``format``
parameter of lists, and CSV described as what it is (text), not as the JSON page."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

FORMAT_PARAMETER = OpenApiParameter(
    name="format",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.QUERY,
    enum=["json", "csv"],
    description=(
        "`csv` for the whole list as one CSV file (not paged, streamed), with one column per "
        "field of a record; `json` (the default) for pages."
    ),
)
CSV_SCHEMA = {
    "type": "string",
    "description": "CSV with a header row; columns as the fields of one record in the JSON.",
}


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx answer."""

    status = serializers.IntegerField(help_text="The HTTP status code, repeated.")
    error = serializers.CharField(
        help_text="A stable code: not_authenticated, authentication_failed, permission_denied, "
        "not_found, invalid, parse_error, method_not_allowed, not_acceptable, "
        "unsupported_media_type or throttled."
    )
    detail = serializers.CharField(help_text="What went wrong, in words.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For `invalid`: each field sent (or non_field) with its problems.",
    )


ERRORS = {
    "400": "The request's parameters or body are not valid (error `invalid` or `parse_error`).",
    "401": "No token or session was sent, or the token is not valid.",
    "403": "The token's user may not do this.",
    "404": "Nothing with that identifier (or no such page of the list).",
    "429": "Too many requests from this token; the detail says when to try again.",
}


class PortalAutoSchema(AutoSchema):
    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method == "GET" and self._is_list_view():
            parameters.append(FORMAT_PARAMETER)
        return parameters

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        for body in bodies.values():
            content = body.get("content", {})
            if "text/csv" in content:
                content["text/csv"] = {"schema": CSV_SCHEMA}
        for code, description in ERRORS.items():
            if code not in bodies:
                bodies[code] = self._error_response(code, description)
        return bodies

    def _error_response(self, code: str, description: str):
        response = self._get_response_for_code(
            ErrorSerializer, code, media_types=["application/json"]
        )
        response["description"] = description
        return response
