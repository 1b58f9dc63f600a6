"""The board dashboard pages and the figures behind their charts as CSV."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from board.dashboard.page import DashboardPage, dashboard_url, month_from_param
from board.dashboard.presenters import measure_value, rules_text, variation_icon
from board.dashboard.selectors import DASHBOARD_KINDS, Dashboard, dashboard_read
from board.sections import board_sections_read
from core.access import scope_for
from core.page_cache import cached_page
from core.pages import csv_response, organisation_or_404, portal_page, render_page
from practices.models import Organisation
from practices.selectors import icbs_for, trail


def _read(request: HttpRequest, kind: str, code: str) -> Dashboard:
    if kind not in DASHBOARD_KINDS:
        raise Http404("Dashboards are for ICBs, places, PCNs and practices.")
    org = organisation_or_404(scope_for(request), kind, code)
    month, rebase = (
        month_from_param(request.GET.get("month")),
        month_from_param(request.GET.get("rebase")),
    )
    return dashboard_read(org, month=month, rebase=rebase)


def _breadcrumbs(request: HttpRequest, org: Organisation, day: dt.date) -> list[dict]:
    scope = scope_for(request)
    above = [o for o in trail(org, day) if o.pk != org.pk and scope.can_view(o)]
    return [{"href": dashboard_url(o, month=f"{day:%Y-%m}"), "text": o.name} for o in above]


def render_dashboard(request: HttpRequest, dashboard: Dashboard) -> HttpResponse:
    page = DashboardPage(dashboard)
    day = dashboard.month or timezone.localdate()
    context = {
        "page": page,
        "dashboard": dashboard,
        "sections": board_sections_read(dashboard.org, month=dashboard.month),
        "nav": "dashboard",
        "breadcrumbs": _breadcrumbs(request, dashboard.org, day),
    }
    return render_page(request, "dashboard/dashboard.jinja", context)


@portal_page
@cached_page
def index(request: HttpRequest) -> HttpResponse:
    """Anyone with a role: the dashboard of the ICB they read (board members get it as their
    home page; PCN managers see their PCN's ICB). Someone reading several ICBs chooses."""
    icbs = list(icbs_for(scope_for(request).icb_ids))
    if len(icbs) == 1:
        return render_dashboard(request, dashboard_read(icbs[0]))
    return render_page(request, "dashboard/choose.jinja", {"icbs": icbs, "nav": "dashboard"})


@portal_page
@cached_page
def org(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    """Anyone with a role, for an ICB, place, PCN or practice in the ICBs they read."""
    return render_dashboard(request, _read(request, kind, code))


@portal_page
def spc_csv(request: HttpRequest, kind: str, code: str, measure: str) -> HttpResponse:
    """Anyone who may see the dashboard: the figures behind one SPC chart."""
    dashboard = _read(request, kind, code)
    trend = dashboard.trend(measure)
    if trend is None:
        raise Http404("That measure is not on the dashboard.")
    header = [
        "org_code", "measure", "month", "value", "numerator", "denominator", "mean",
        "lower_process_limit", "upper_process_limit", "variation", "special_cause_rules",
    ]  # fmt: skip
    rows = [
        [
            dashboard.org.code,
            measure,
            row.month.isoformat(),
            point.value,
            row.numerator,
            _blank(row.denominator),
            point.mean,
            _blank(point.lower_limit),
            _blank(point.upper_limit),
            variation_icon(kind).label,
            rules_text(point.rules),
        ]
        for row, point, kind in zip(
            trend.values, trend.chart.points, trend.point_variations(), strict=True
        )
    ]
    return csv_response(f"spc-{measure}-{dashboard.org.code}.csv", header, rows)


@portal_page
def spread_csv(request: HttpRequest, kind: str, code: str, measure: str) -> HttpResponse:
    """Anyone who may see the dashboard: the figures behind one variation chart."""
    dashboard = _read(request, kind, code)
    spread = dashboard.spread(measure)
    if spread is None:
        raise Http404("That measure is not on the dashboard.")
    header = ["month", "measure", "rank", "org_code", "org_name", "value", "numerator",
              "denominator", "display"]  # fmt: skip
    month = dashboard.month.isoformat()
    rows = [
        [
            month,
            measure,
            rank,
            row.org.code,
            row.org.name,
            _blank(row.value),
            row.numerator,
            _blank(row.denominator),
            measure_value(row.value, spread.definition.unit),
        ]
        for rank, row in enumerate(spread.rows, start=1)
    ]
    rows.append(
        [month, measure, "", dashboard.org.code, dashboard.org.name, _blank(spread.own), "", "", ""]
    )
    rows.append([month, measure, "", "ENG", "England", _blank(spread.england), "", "", ""])
    return csv_response(f"variation-{measure}-{dashboard.org.code}.csv", header, rows)


def _blank(value) -> object:
    """Blank, not zero, for a figure that does not exist."""
    return "" if value is None else value
