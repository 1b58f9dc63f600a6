"""One shape for every 4xx answer: ``{"status": 404, "error": "not_found", "detail": "..."}``,
with ``fields`` beside it when a request's values were not valid."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

INVALID_DETAIL = "Some of the values sent are not valid; see fields."


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler (which also turns Django's Http404 and PermissionDenied into API
    errors), reshaped into the one error body."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = exception_handler(exc, context)
    if response is None:
        return None  # a 5xx: left to Django, which logs it
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(
            response.status_code, "invalid", INVALID_DETAIL, fields=_fields(response.data)
        )
        return response
    code = getattr(exc, "default_code", None) or "error"
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else code
    response.data = error_body(response.status_code, code, _detail(response.data))
    return response


def error_body(status_code: int, error: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {"status": status_code, "error": error, "detail": detail, **extra}


def _detail(data: Any) -> str:
    if isinstance(data, dict) and "detail" in data:
        return str(data["detail"])
    return str(data)


def _fields(data: Any) -> dict[str, list[str]]:
    """Field name -> messages; errors about the request as a whole under ``non_field``."""
    if isinstance(data, list):
        return {"non_field": [str(item) for item in data]}
    fields: dict[str, list[str]] = {}
    for name, messages in data.items():
        key = "non_field" if name == "non_field_errors" else name
        items = messages if isinstance(messages, list) else [messages]
        fields[key] = [str(item) for item in items]
    return fields


@csrf_exempt
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any path under /api/v1/ that names no endpoint: the JSON 404, not the HTML page, for
    every method (it changes nothing, so a PATCH from a token client with no CSRF cookie
    gets the same 404, not Django's HTML CSRF refusal)."""
    body = error_body(
        status.HTTP_404_NOT_FOUND, "not_found", f"There is no API endpoint at {request.path}."
    )
    return JsonResponse(body, status=status.HTTP_404_NOT_FOUND)
