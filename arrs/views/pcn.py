"""A PCN's workforce page: plan against staff in post by role over time, spend against
allocation; and, for those who plan for the PCN, the template and the upload."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from markupsafe import Markup

from arrs.access import can_read_plans_of, can_submit_plan_for
from arrs.exports import fte_header, fte_rows
from arrs.forms import PlanUploadForm
from arrs.models import PlanStatus
from arrs.presenters import fte_body, fte_head
from arrs.selectors import (
    IN_POST,
    PLAN_IN_POST,
    PLANNED,
    Column,
    FteTable,
    PlanFigures,
    fte_table,
    in_post_dates,
    open_rounds_for,
    plan_figures,
    plan_to_show,
    plans_for,
    rounds_of,
    spend_by_pcn,
)
from arrs.selectors.staffing import claimed_by_role
from arrs.services import workforce_plan_template, workforce_plan_upload
from arrs.services.plans import roles_for_year
from arrs.views.common import icb_of, require, workforce_crumbs, xlsx_response
from arrs.years import fy_end, fy_label, fy_of, fy_start, months_of
from core.access import scope_for
from core.charts import Series, line_chart
from core.page_cache import cached_page
from core.pages import csv_response, organisation_or_404, portal_page, render_page
from practices.models import Organisation, OrgKind


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year") or fy_of(timezone.localdate()))
    except ValueError:
        return fy_of(timezone.localdate())


def _round(request: HttpRequest, pcn: Organisation, year: int) -> tuple[list, Any]:
    """The round asked for; else the newest with a plan this reader may see; else the newest."""
    icb = icb_of(pcn)
    rounds = list(rounds_of([icb.pk], year)) if icb else []
    wanted = request.GET.get("round")
    chosen = next((r for r in rounds if str(r.pk) == wanted), None)
    if chosen is None:
        scope = scope_for(request)
        chosen = next((r for r in rounds if plan_to_show(scope, pcn, r)), None)
    return rounds, chosen or (rounds[0] if rounds else None)


def _columns(pcn: Organisation, year: int, figures: PlanFigures | None) -> list[Column]:
    start = fy_start(year) - dt.timedelta(days=1)
    held = [d for d in in_post_dates([pcn.pk]) if start <= d <= fy_end(year)]
    if figures is None:
        return [Column(IN_POST, d) for d in held]
    planned = [Column(PLANNED, d) for d in figures.dates]  # its own as-at date too
    return [
        *(Column(IN_POST, d) for d in held),
        Column(PLAN_IN_POST, figures.plan.as_at),
        *planned,
    ]


def _figures(plan) -> PlanFigures | None:
    return plan_figures([plan])[plan.pk] if plan else None


@portal_page
@cached_page
def workforce(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone with a role in the PCN's ICB. Its own managers and the ICB's managers see its
    current plan whatever its status, and its plans; everyone else sees an accepted plan only."""
    scope = scope_for(request)
    pcn = organisation_or_404(scope, OrgKind.PCN, code)
    icb, year = icb_of(pcn), _year(request)
    rounds, plan_round = _round(request, pcn, year)
    plan = plan_to_show(scope, pcn, plan_round)
    figures = _figures(plan)
    plans = {pcn.pk: figures} if figures else {}
    table = fte_table(
        pcn_ids=[pcn.pk],
        columns=_columns(pcn, year, figures),
        plans=plans,
        roles=roles_for_year(year),
    )
    context = {
        "pcn": pcn,
        "icb": icb,
        "year": year,
        "rounds": rounds,
        "plan_round": plan_round,
        "plan": plan,
        "fte": table,
        "head": fte_head(table.columns),
        "body": fte_body(table)[:-1],
        "chart": _chart(table),
        "spend": spend_by_pcn(pcns=[pcn], year=year, plans=plans)[0],
        "by_role": _by_role(pcn, year, figures, table),
        "breadcrumbs": workforce_crumbs(icb),
        **_planning(scope, pcn, year),
    }
    return render_page(request, "arrs/pcn.jinja", context)


def _planning(scope, pcn: Organisation, year: int) -> dict[str, Any]:
    if not can_read_plans_of(scope, pcn):
        return {"can_plan": False, "plans": [], "returned": []}
    plans = list(plans_for(scope).filter(pcn=pcn, plan_round__financial_year=year))
    return {
        "can_plan": can_submit_plan_for(scope, pcn),
        "plans": plans,
        "returned": [p for p in plans if p.status == PlanStatus.RETURNED],
    }


def _by_role(pcn, year, figures, table: FteTable) -> list[dict]:
    """Per role: planned WTE at the year end, projected spend and claims so far."""
    spend = spend_by_pcn(pcns=[pcn], year=year, plans={pcn.pk: figures} if figures else {})[0]
    claimed = claimed_by_role(pcn.pk, months_of(year))
    rows = []
    for row in table.rows:
        role = row.role
        at_end = figures.at(role.pk, fy_end(year)) if figures else None
        projected = spend.by_role.get(role.pk)
        if at_end is None and not projected and role.pk not in claimed:
            continue
        rows.append(
            {
                "role": role,
                "at_end": at_end,
                "projected": projected,
                "claimed": claimed.get(role.pk),
            }
        )
    return rows


def _chart(table: FteTable) -> Markup | None:
    """In post (counted, and as the plan states it) and planned as lines of their own, the
    planned one dashed: the plan's intended figures are not a continuation of a count."""
    series = []
    lines = (((IN_POST, PLAN_IN_POST), "In post", "solid"), ((PLANNED,), "Planned", "dash"))
    for kinds, name, dash in lines:
        points = sorted(
            (c.on, total)
            for c, total in zip(table.columns, table.totals, strict=True)
            if c.kind in kinds and total is not None
        )
        if points:
            days, values = [d for d, _ in points], [float(v) for _, v in points]
            series.append(Series(name, days, values, dash=dash))
    return (
        line_chart(series, y_title="WTE, all ARRS roles", chart_id="pcn-arrs") if series else None
    )


@portal_page
def fte_csv(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone with a role in the PCN's ICB: the plan-against-in-post table as CSV (the plan
    as the page shows it to them)."""
    scope = scope_for(request)
    pcn = organisation_or_404(scope, OrgKind.PCN, code)
    year = _year(request)
    _, plan_round = _round(request, pcn, year)
    figures = _figures(plan_to_show(scope, pcn, plan_round))
    table = fte_table(
        pcn_ids=[pcn.pk],
        columns=_columns(pcn, year, figures),
        plans={pcn.pk: figures} if figures else {},
        roles=roles_for_year(year),
    )
    name = f"arrs-fte-{pcn.code}-{fy_label(year).replace('/', '-')}.csv"
    return csv_response(name, fte_header(table), fte_rows(table)[:-1])


@portal_page
def template(request: HttpRequest, code: str) -> HttpResponse:
    """The PCN's managers and its ICB's managers: the plan template, pre-filled."""
    scope = scope_for(request)
    pcn = organisation_or_404(scope, OrgKind.PCN, code)
    require(can_submit_plan_for(scope, pcn), "Only this PCN's managers and the ICB plan for it.")
    year = _year(request)
    data = workforce_plan_template(pcn=pcn, year=year)
    name = f"arrs-workforce-plan-{pcn.code}-{fy_label(year).replace('/', '-')}.xlsx"
    return xlsx_response(name, data)


@portal_page
def upload(request: HttpRequest, code: str) -> HttpResponse:
    """The PCN's managers and its ICB's managers: upload a filled-in plan for an open round.
    The whole file is checked; a clean one is shown to confirm before it counts."""
    scope = scope_for(request)
    pcn = organisation_or_404(scope, OrgKind.PCN, code)
    require(can_submit_plan_for(scope, pcn), "Only this PCN's managers and the ICB plan for it.")
    rounds = open_rounds_for(pcn)
    form = PlanUploadForm(request.POST or None, request.FILES or None, rounds=rounds)
    problems = None
    if request.method == "POST" and form.is_valid():
        result = workforce_plan_upload(
            pcn=pcn,
            plan_round=form.cleaned_data["plan_round"],
            upload=form.cleaned_data["file"],
            user=request.user,
        )
        if result.plan is not None:
            return redirect("arrs:plan", result.plan.pk)
        problems = result.problems
    context = {
        "pcn": pcn,
        "form": form,
        "rounds": rounds,
        "problems": problems,
        "breadcrumbs": workforce_crumbs(icb_of(pcn)),
        "fy_label": fy_label,
    }
    status = 400 if form.is_bound and (problems or form.errors) else 200
    return render_page(request, "arrs/upload.jinja", context, status=status)
