"""Pages of a list: ``?page=2&page_size=500``."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import PageNumberPagination

PAGE_FIELDS = {
    "count": "Rows in the whole list, across every page.",
    "next": "URL of the next page (blank on the last).",
    "previous": "URL of the previous page (blank on the first).",
}


class PagePagination(PageNumberPagination):
    """100 rows a page by default, up to 5,000: enough for every practice in England's
    values for one measure and month in two pages. ``?format=csv`` is not paged."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 5000
    page_query_description = "Page number, from 1."
    page_size_query_description = "Rows per page: 100 unless given, at most 5,000."

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paged = super().get_paginated_response_schema(schema)
        for name, description in PAGE_FIELDS.items():
            paged["properties"][name]["description"] = description
        paged["properties"]["results"]["description"] = "This page's rows."
        return paged
