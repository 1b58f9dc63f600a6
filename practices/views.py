"""The organisation browser: search, region/ICB/place pages and practice pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from markupsafe import Markup

from core.access import scope_for
from core.charts import Series, line_chart
from core.page_cache import cached_page
from core.pages import (
    csv_response,
    org_breadcrumbs,
    org_panels,
    organisation_or_404,
    portal_page,
    render_page,
)
from core.presenters import LIST_SIZE_SOURCE
from metrics.views import org_access_context
from practices.models import Organisation, OrgKind
from practices.selectors import (
    SEARCH_LIMIT,
    icb_overview,
    icbs_for,
    list_size_trend,
    membership_history,
    organisation_search,
    place_detail,
    region_members,
    trail,
)


@portal_page
def browse(request: HttpRequest) -> HttpResponse:
    """Anyone with a role: search the organisations in the ICBs they read, by name or ODS code."""
    scope = scope_for(request)
    query = request.GET.get("q", "").strip()
    results = organisation_search(scope.visible(Organisation.objects.all()), query) if query else []
    context = {
        "query": query,
        "results": results[:SEARCH_LIMIT],
        "more_results": len(results) > SEARCH_LIMIT,
        "icbs": icbs_for(scope.icb_ids),
    }
    return render_page(request, "practices/browse.jinja", context)


@portal_page
@cached_page
def org_detail(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    """Anyone with a role, for organisations in the ICBs they read: a region, ICB or place and
    its members with counts. PCNs and practices have their own pages."""
    scope = scope_for(request)
    org = organisation_or_404(scope, kind, code)
    if org.kind == OrgKind.PCN:
        return redirect("pcns:detail", org.code)
    if org.kind == OrgKind.PRACTICE:
        return _practice_page(request, org)
    day = timezone.localdate()
    context = {
        "org": org,
        "day": day,
        "list_size_source": LIST_SIZE_SOURCE,
        "breadcrumbs": org_breadcrumbs(scope, org, trail(org, day)),
        **_members(org, day, scope.visible_org_ids),
        "panels": org_panels(request, org),
    }
    return render_page(request, "practices/org_detail.jinja", context)


def _members(org: Organisation, day: dt.date, visible: frozenset[int]) -> dict[str, Any]:
    if org.kind == OrgKind.REGION:
        members = region_members(org, day, visible)
        return {"icbs": members.members, "list_sizes_month": members.list_sizes_month}
    if org.kind == OrgKind.ICB:
        overview = icb_overview(org, day)
        return {"places": overview.places, "list_sizes_month": overview.list_sizes_month}
    place, month = place_detail(org, day)
    return {"place": place, "list_sizes_month": month}


@portal_page
@cached_page
def practice(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone with a role, for practices in the ICBs they read: details, memberships over time,
    registered patients and access (GP appointment measures)."""
    org = organisation_or_404(scope_for(request), OrgKind.PRACTICE, code)
    return _practice_page(request, org)


def _practice_page(request: HttpRequest, org: Organisation) -> HttpResponse:
    scope = scope_for(request)
    day = timezone.localdate()
    trend = list_size_trend([org.pk])
    above = trail(org, day)
    context = {
        "org": org,
        "day": day,
        "breadcrumbs": org_breadcrumbs(scope, org, above),
        "history": membership_history(org),
        "trend": trend,
        "chart": _list_size_chart(trend),
        "list_size_source": LIST_SIZE_SOURCE,
        **org_access_context(request, org, above),
        "panels": org_panels(request, org),
    }
    return render_page(request, "practices/practice.jinja", context)


def _list_size_chart(trend: list[tuple[dt.date, int, int | None]]) -> Markup | None:
    if not trend:
        return None
    months = [month for month, _, _ in trend]
    return line_chart(
        [
            Series("All registered patients", months, [patients for _, patients, _ in trend]),
            Series("Patients aged 13 and over", months, [over_13 for _, _, over_13 in trend]),
        ],
        y_title="Registered patients",
        chart_id="list-sizes",
    )


@portal_page
def list_sizes_csv(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone with a role, for practices in the ICBs they read: the list size figures as CSV."""
    org = organisation_or_404(scope_for(request), OrgKind.PRACTICE, code)
    rows = [
        (org.code, month.isoformat(), patients, "" if over_13 is None else over_13)
        for month, patients, over_13 in list_size_trend([org.pk])
    ]
    header = ["practice_code", "month", "registered_patients", "patients_13_plus"]
    return csv_response(f"list-sizes-{org.code}.csv", header, rows)
