"""The audit log page and its CSV export."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from core.access import Scope, scope_for
from core.audit.forms import AuditFilterForm
from core.audit.selectors import events_for
from core.pages import csv_response, portal_page, render_page

EVENTS_PER_PAGE = 50
CSV_HEADER = ["When", "Who", "Kind", "Action", "Record type", "Record id", "ICBs", "Summary"]


def _require_reader(scope: Scope) -> None:
    if not (scope.is_icb_manager or scope.is_staff):
        raise PermissionDenied("Only an ICB's managers and staff read the audit log.")


@portal_page
def audit_log(request: HttpRequest) -> HttpResponse:
    """ICB managers (their ICBs' changes and national ones) and staff (every change):
    changes to data, roles and API tokens, newest first, filtered by kind and day."""
    scope = scope_for(request)
    _require_reader(scope)
    form = AuditFilterForm(request.GET or None)
    events = events_for(scope, **form.filters()).select_related("user")
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    status = 400 if form.is_bound and form.errors else 200
    return render_page(request, "audit/log.jinja", context, status=status)


@portal_page
def audit_log_csv(request: HttpRequest) -> HttpResponse:
    """The same readers and filters as the page: every matching event as CSV."""
    scope = scope_for(request)
    _require_reader(scope)
    form = AuditFilterForm(request.GET or None)
    events = events_for(scope, **form.filters()).prefetch_related("icbs")
    rows = (_csv_row(event) for event in events.iterator(chunk_size=2000))
    return csv_response(f"audit-log-{timezone.localdate():%Y-%m-%d}.csv", CSV_HEADER, rows)


def _csv_row(event) -> list[str]:
    icbs = "National" if event.national else "; ".join(sorted(o.code for o in event.icbs.all()))
    return [
        timezone.localtime(event.at).isoformat(timespec="seconds"),
        event.who,
        event.get_kind_display(),
        event.action,
        event.object_type,
        event.object_id,
        icbs,
        event.summary,
    ]
