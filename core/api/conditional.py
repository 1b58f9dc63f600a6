"""ETag and Last-Modified for API reads, so a client polling unchanged data gets a 304.

The figures change only when something is loaded or edited: a finished import, a saved
change to a record that keeps an audit history (the register, roles, ARRS records), amounts
added in bulk, or a recompute of measures outside an import. Each app registers when its
own data last changed (``core.registry.data_versions``); the latest of those times is the
data's version. The ETag adds what else decides the answer: the URL with its query, the
format, and the reader's roles (two readers may see different rows).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db.models import Max
from django.utils.http import http_date, parse_etags, parse_http_date_safe, quote_etag
from rest_framework.request import Request

from core import registry
from core.access import scope_for
from core.page_cache import generation, kept_data, release


def history_changed_at(*models) -> dt.datetime | None:
    """The latest saved change to any of these models (each keeps an audit history)."""
    return latest(model.history.aggregate(at=Max("history_date"))["at"] for model in models)


def latest(times) -> dt.datetime | None:
    found = [t for t in times if t is not None]
    return max(found) if found else None


def data_changed_at() -> dt.datetime | None:
    """When the data behind the API last changed: the latest of every app's registered
    data version. Worked out once per generation of the data (core.page_cache), which each
    of those changes moves on."""
    return kept_data(
        f"page-cache:data-changed-at:{release()}:{generation()}", _data_changed_at, keep=bool
    )


def _data_changed_at() -> dt.datetime | None:
    return latest(entry.changed_at() for entry in registry.data_versions)


class Validators:
    """The ETag and Last-Modified of one request's answer."""

    def __init__(self, request: Request, changed_at: dt.datetime | None) -> None:
        self.last_modified = changed_at
        self.etag = quote_etag(self._tag(request, changed_at))

    @staticmethod
    def _tag(request: Request, changed_at: dt.datetime | None) -> str:
        roles = sorted((a.role, a.organisation_id) for a in scope_for(request).assignments)
        renderer = getattr(request, "accepted_media_type", "") or ""
        parts = [
            changed_at.isoformat() if changed_at else "-",
            request.get_full_path(),
            renderer,
            str(request.user.pk),
            repr(roles),
        ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]

    def not_modified(self, request: Request) -> bool:
        """If-None-Match wins when sent; otherwise If-Modified-Since, to the second."""
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = parse_etags(if_none_match)
            return "*" in tags or self.etag in tags or self.etag.strip('"') in tags
        if_modified_since = request.headers.get("If-Modified-Since")
        if if_modified_since and self.last_modified is not None:
            since = parse_http_date_safe(if_modified_since)
            return since is not None and int(self.last_modified.timestamp()) <= since
        return False

    def apply(self, response) -> None:
        response["ETag"] = self.etag
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified.timestamp())
        # Answers depend on the token or session: caches may keep them only for that reader,
        # and must ask again each time (which the ETag makes cheap).
        response["Cache-Control"] = "private, no-cache"
        response["Vary"] = "Accept, Authorization, Cookie"
