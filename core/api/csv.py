"""Lists as CSV (``?format=csv`` or ``Accept: text/csv``), streamed: rows are read from the
database in chunks and written as they come, so a national list is never held in memory."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer

from core.exports import csv_writer

ROWS_PER_CHUNK = 500


class CsvRenderer(BaseRenderer):
    """Names the CSV format for content negotiation. Lists stream their own response
    (``csv_response``); what reaches ``render`` is a single record."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type=None, renderer_context=None) -> bytes:
        rows = data if isinstance(data, list) else [data]
        columns = list(rows[0]) if rows and isinstance(rows[0], dict) else []
        return "".join(csv_lines(rows, columns)).encode(self.charset)


class _Line:
    """A file-like object whose write returns what it was given, for the CSV writer."""

    def write(self, value: str) -> str:
        return value


def cell(value: Any) -> Any:
    """Blank for no value; true/false for booleans; JSON for structures; numbers unrounded,
    as Python prints them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    return value


def csv_lines(rows: Iterable[dict[str, Any]], columns: list[str]) -> Iterator[str]:
    """The header, then the rows, a few hundred lines to each piece yielded; formula-like
    text is quoted (core.exports)."""
    writer = csv_writer(_Line(), lineterminator="\r\n")
    yield writer.writerow(columns)
    chunk: list[str] = []
    for row in rows:
        chunk.append(writer.writerow([cell(row.get(column)) for column in columns]))
        if len(chunk) >= ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def csv_response(
    rows: Iterable[dict[str, Any]], columns: list[str], filename: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (piece.encode("utf-8") for piece in csv_lines(rows, columns)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
