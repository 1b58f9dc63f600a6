"""Workforce plan submissions: the list, one plan (a preview to confirm, or the outcome),
confirming, and the ICB's review."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from arrs.access import can_review_plan_for, can_submit_plan_for, plan_pcn_ids
from arrs.forms import ReviewForm
from arrs.models import CURRENT_STATUSES, PlanStatus, WorkforcePlan
from arrs.presenters import wte_cell
from arrs.selectors import plan_figures, plan_for, plans_for, spend_by_pcn
from arrs.services import workforce_plan_review, workforce_plan_submit
from arrs.services.plans import PlanStateError
from arrs.views.common import icb_of, require, workforce_crumbs
from core.access import scope_for
from core.pages import portal_page, render_page

PLANS_SHOWN = 200


@portal_page
def plan_list(request: HttpRequest) -> HttpResponse:
    """ICB managers: every plan from the ICB's PCNs. PCN managers: their own PCNs' plans.
    Board members have no plans to see (they read the published tables)."""
    scope = scope_for(request)
    require(bool(plan_pcn_ids(scope)), "Only PCN and ICB managers see workforce plans.")
    plans = plans_for(scope).order_by("-plan_round__financial_year", "pcn__name", "-uploaded_at")
    status = request.GET.get("status")
    if status in PlanStatus.values:
        plans = plans.filter(status=status)
    context = {
        "plans": list(plans[:PLANS_SHOWN]),
        "status": status,
        "statuses": PlanStatus.choices,
        "awaiting": plans_for(scope).filter(status=PlanStatus.SUBMITTED).count(),
        "reviews": scope.is_icb_manager,
    }
    return render_page(request, "arrs/plans.jinja", context)


def _current_other(plan: WorkforcePlan) -> WorkforcePlan | None:
    """The plan this one would replace if confirmed."""
    return (
        WorkforcePlan.objects.filter(
            pcn_id=plan.pcn_id, plan_round_id=plan.plan_round_id, status__in=CURRENT_STATUSES
        )
        .exclude(pk=plan.pk)
        .first()
    )


def _plan_table(plan: WorkforcePlan):
    """The plan as uploaded: each role's in-post figure and intended WTE, blanks blank."""
    figures = plan_figures([plan])[plan.pk]
    lines = plan.lines.select_related("role").order_by("role__sort_order")
    rows = []
    for line in lines:
        intended = figures.intended.get(line.role_id, {})
        cells = [wte_cell(line.in_post), *(wte_cell(intended.get(d)) for d in figures.dates)]
        rows.append([line.role.name, *cells])
    return figures, rows


def _detail_context(scope, plan: WorkforcePlan, form: ReviewForm) -> dict:
    figures, rows = _plan_table(plan)
    year = plan.plan_round.financial_year
    return {
        "plan": plan,
        "dates": figures.dates,
        "rows": rows,
        "spend": spend_by_pcn(pcns=[plan.pcn], year=year, plans={plan.pcn_id: figures})[0],
        "year": year,
        "replaces": _current_other(plan) if plan.status == PlanStatus.DRAFT else None,
        "can_submit": can_submit_plan_for(scope, plan.pcn) and plan.status == PlanStatus.DRAFT,
        "can_review": can_review_plan_for(scope, plan.pcn) and plan.status == PlanStatus.SUBMITTED,
        "form": form,
        "breadcrumbs": workforce_crumbs(icb_of(plan.pcn)),
    }


@portal_page
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The PCN's managers and the ICB's managers: a draft to check and confirm, or a submitted
    plan with its outcome; ICB managers accept or return it here. Nobody else (403)."""
    scope = scope_for(request)
    plan = plan_for(scope, pk)
    return render_page(request, "arrs/plan.jinja", _detail_context(scope, plan, ReviewForm()))


@require_POST
@portal_page
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The PCN's managers and the ICB's managers: confirm a draft for its round."""
    scope = scope_for(request)
    plan = plan_for(scope, pk)
    require(can_submit_plan_for(scope, plan.pcn), "Only this PCN's managers and the ICB do this.")
    try:
        workforce_plan_submit(plan=plan, user=request.user)
    except PlanStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"Plan submitted for {plan.plan_round.name}. The ICB will review it."
        )
    return redirect("arrs:plan", plan.pk)


@require_POST
@portal_page
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """ICB managers of the PCN's ICB: accept a plan, or return it saying why."""
    scope = scope_for(request)
    plan = plan_for(scope, pk)
    require(can_review_plan_for(scope, plan.pcn), "Only the ICB's managers review plans.")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        context = _detail_context(scope, plan, form)
        return render_page(request, "arrs/plan.jinja", context, status=400)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        workforce_plan_review(
            plan=plan, user=request.user, accept=accept, comment=form.cleaned_data["comment"]
        )
    except PlanStateError as error:
        messages.error(request, str(error))
    else:
        outcome = "accepted" if accept else "returned to the PCN"
        messages.success(request, f"{plan.pcn.name}'s plan for {plan.plan_round.name} {outcome}.")
    return redirect("arrs:plan", plan.pk)
