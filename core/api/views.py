"""The base of every API view set: the reader's scope, CSV for lists, conditional answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import cached_property
from typing import Any

from django.http import HttpResponseNotModified
from django.utils import timezone
from rest_framework import serializers, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from core.access import Scope, scope_for
from core.api.conditional import Validators, data_changed_at
from core.api.csv import CsvRenderer, csv_response
from core.api.permissions import HasPortalRole
from core.api.scoping import scope_remembered
from core.page_cache import kept_data, page_key

CSV_CHUNK = 2000


class PortalViewSet(viewsets.GenericViewSet):
    """Read access for anyone with a role (each list is scoped to what they may see);
    subclasses add stricter permissions where the pages have them.

    Lists answer as JSON pages or as one streamed CSV, and every read carries an ETag and
    Last-Modified (``conditional = False`` for what changes without a new version, such as
    a running import's progress).
    """

    permission_classes = [HasPortalRole]
    # Query parameters every view takes besides its filters (``accepted_parameters``).
    common_parameters = frozenset({"page", "page_size", "format"})
    conditional = True
    by_today = False  # True where the answer also depends on today's date
    csv_name = "records"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """After authentication and permissions: a query parameter the view does not take is
        a 400 naming those it does, never silently ignored (``?org=`` once listed every
        row)."""
        super().initial(request, *args, **kwargs)
        accepted = self.accepted_parameters()
        unknown = sorted(set(request.query_params) - accepted)
        if unknown:
            takes = f"Not a parameter of this endpoint. It takes: {', '.join(sorted(accepted))}."
            raise serializers.ValidationError({name: [takes] for name in unknown})

    def accepted_parameters(self) -> frozenset[str]:
        """The filters of the view's filter set, the fields of its ``query_class`` (views
        that read their own parameters), and the common ones."""
        names = set(self.common_parameters)
        filterset = getattr(self, "filterset_class", None)
        if filterset is not None:
            names |= set(filterset.base_filters)
        query_class = getattr(self, "query_class", None)
        if query_class is not None:
            names |= set(query_class().fields)
        return frozenset(names)

    @property
    def scope(self) -> Scope:
        return scope_remembered(scope_for(self.request), self.data_version)

    @cached_property
    def data_version(self) -> dt.datetime | None:
        return data_changed_at()

    def answer_changed_at(self) -> dt.datetime | None:
        """The version an answer's ETag and Last-Modified are built from: the data's, or for
        views whose answer also depends on today's date (``by_today``), the start of today
        if later, so yesterday's answer is never taken as today's."""
        if not self.by_today:
            return self.data_version
        midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        return max(self.data_version, midnight) if self.data_version else midnight

    def get_renderers(self):
        renderers = [JSONRenderer()]
        if getattr(self, "action", None) == "list":
            renderers.append(CsvRenderer())
        return renderers

    def wants_csv(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return isinstance(renderer, CsvRenderer)

    def list(self, request: Request, *args: Any, **kwargs: Any):
        return self._conditionally(request, lambda: self._list(request))

    def _list(self, request: Request):
        queryset = self.filter_queryset(self.get_queryset())
        if self.wants_csv():
            return csv_response(self.csv_rows(queryset), self.csv_columns(), self.csv_name)
        page = self.paginate_queryset(queryset)
        if page is None:
            return Response(self.get_serializer(queryset, many=True).data)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _conditionally(self, request: Request, answer):
        if not self.conditional:
            return answer()
        validators = Validators(request, self.answer_changed_at())
        if validators.not_modified(request):
            response = HttpResponseNotModified()
        else:
            response = self._kept(request, answer)
        validators.apply(response)
        return response

    def _kept(self, request: Request, answer):
        """A JSON answer's records are kept under the data's version (core.page_cache), like
        the pages; CSV is streamed afresh each time."""
        if request.method != "GET" or self.wants_csv():
            return answer()
        key = page_key(request, "api", getattr(request, "accepted_media_type", "") or "")
        data = kept_data(
            key,
            lambda: _data_of(answer()),
            keep=lambda found: isinstance(found, _Records),
        )
        return Response(data.data) if isinstance(data, _Records) else data

    def csv_columns(self) -> list[str]:
        """The serializer's fields, less nested records (a CSV row is flat)."""
        fields = self.get_serializer().fields
        return [
            name
            for name, field in fields.items()
            if not isinstance(field, serializers.BaseSerializer)
        ]

    def csv_rows(self, queryset) -> Iterator[dict[str, Any]]:
        serializer = self.get_serializer()
        for instance in queryset.iterator(chunk_size=CSV_CHUNK):
            yield serializer.to_representation(instance)

    def finalize_response(self, request: Request, response, *args: Any, **kwargs: Any):
        """Errors are JSON even when CSV was asked for."""
        if isinstance(response, Response) and response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class _Records:
    """A successful JSON answer's serialised records, as kept."""

    def __init__(self, data: Any) -> None:
        self.data = data


def _data_of(response):
    if isinstance(response, Response) and response.status_code == 200 and not response.exception:
        return _Records(response.data)
    return response


class RetrieveMixin:
    """One record by its identifier, with the same ETag and Last-Modified as lists."""

    def retrieve(self, request: Request, *args: Any, **kwargs: Any):
        return self._conditionally(
            request, lambda: Response(self.get_serializer(self.get_object()).data)
        )
