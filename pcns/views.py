"""PCN pages: who is in the PCN, who has been, and its registered patients over time."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
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
from pcns.selectors import TrendPoint, member_counts, pcn_list_size_trend, pcn_members
from practices.models import OrgKind
from practices.selectors import members_history, trail


@portal_page
@cached_page
def detail(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone with a role, for PCNs in the ICBs they read (a PCN manager sees every PCN in
    their ICB, to compare with peers): members today, members over time, list sizes and
    access (GP appointment measures)."""
    scope = scope_for(request)
    pcn = organisation_or_404(scope, OrgKind.PCN, code)
    day = timezone.localdate()
    trend = pcn_list_size_trend(pcn)
    above = trail(pcn, day)
    members = pcn_members(pcn, day)
    context = {
        "pcn": pcn,
        "day": day,
        "place": next((o for o in above if o.kind == OrgKind.SUB_ICB), None),
        "breadcrumbs": org_breadcrumbs(scope, pcn, above),
        "members": members,
        "member_counts": member_counts(members),
        "history": members_history(pcn).filter(child__kind=OrgKind.PRACTICE),
        "trend": trend,
        "chart": _chart(trend),
        "list_size_source": LIST_SIZE_SOURCE,
        "can_edit": scope.can_edit(pcn),
        **org_access_context(request, pcn, above),
        "panels": org_panels(request, pcn),
    }
    return render_page(request, "pcns/detail.jinja", context)


def _chart(trend: list[TrendPoint]) -> Markup | None:
    if not trend:
        return None
    months = [point.month for point in trend]
    series = [
        Series("Registered patients at member practices", months, [p.patients for p in trend])
    ]
    return line_chart(series, y_title="Registered patients", chart_id="pcn-list-sizes")


@portal_page
def list_sizes_csv(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone with a role, for PCNs in the ICBs they read: the list size trend as CSV."""
    pcn = organisation_or_404(scope_for(request), OrgKind.PCN, code)
    header = [
        "pcn_code",
        "month",
        "registered_patients",
        "patients_13_plus",
        "member_practices",
        "practices_reporting",
    ]
    rows = [
        (
            pcn.code,
            p.month.isoformat(),
            p.patients,
            _blank(p.patients_13_plus),
            p.members,
            p.reporting,
        )
        for p in pcn_list_size_trend(pcn)
    ]
    return csv_response(f"list-sizes-{pcn.code}.csv", header, rows)


def _blank(value: int | None) -> int | str:
    """Blank, not zero, for a figure nobody reported."""
    return "" if value is None else value
