"""ETag and Last-Modified for API reads, so a client polling unchanged data gets a 304.

The figures change only when something is loaded or edited: a finished import, a saved
change to a register or ARRS workforce record (each keeps an audit history: allocations,
plans and their reviews, rounds, roles, the ICB's role names and in-post totals, the staff
role mapping), maximum reimbursable amounts added, or the recompute of measures that a
list-size correction queues. The latest of those times is the data's version. The ETag adds
what else decides the answer: the URL with its query, the format, and the reader's roles
(two readers may see different rows).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db.models import Max
from django.utils.http import http_date, parse_etags, parse_http_date_safe, quote_etag
from rest_framework.request import Request

from arrs.models import (
    Allocation,
    ArrsRole,
    IcbInPostCount,
    NwrsRoleMapping,
    PlanRound,
    ReimbursementRate,
    RoleAlias,
    WorkforcePlan,
)
from core.access import scope_for
from core.models import RoleAssignment
from core.page_cache import generation, kept_data, release
from metrics.models import ImportBatch
from metrics.selectors import measures_recomputed_at
from practices.models import ListSize, Membership, Organisation

# Models whose every saved change leaves an audit history row.
AUDITED = (
    Organisation,
    Membership,
    ListSize,
    RoleAssignment,
    Allocation,
    PlanRound,
    WorkforcePlan,
    ArrsRole,
    NwrsRoleMapping,
    ReimbursementRate,
    RoleAlias,
    IcbInPostCount,
)


def data_changed_at() -> dt.datetime | None:
    """When the data behind the API last changed: the latest finished import, recompute of
    measures outside an import, saved change to an audited record, or maximum reimbursable
    amounts added (they are added in bulk, which leaves no history row). Worked out once per
    generation of the data (core.page_cache), which each of those changes moves on."""
    return kept_data(
        f"page-cache:data-changed-at:{release()}:{generation()}", _data_changed_at, keep=bool
    )


def _data_changed_at() -> dt.datetime | None:
    times = [
        ImportBatch.objects.aggregate(at=Max("finished_at"))["at"],
        measures_recomputed_at(),
        ReimbursementRate.objects.aggregate(at=Max("created_at"))["at"],
    ]
    for model in AUDITED:
        times.append(model.history.aggregate(at=Max("history_date"))["at"])
    found = [t for t in times if t is not None]
    return max(found) if found else None


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
