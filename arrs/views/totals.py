"""The ICB's own in-post totals: WTE by role for the whole ICB on a date, for an ICB that
holds totals with no split by PCN."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from arrs.access import can_keep_workforce_records
from arrs.forms import parse_day, parse_wte
from arrs.models import ArrsRole
from arrs.selectors import in_post_dates, sum_known
from arrs.selectors.staffing import icb_in_post
from arrs.services import icb_in_post_set
from arrs.services.records import RecordError
from arrs.views.common import icb_or_404, require, workforce_crumbs
from core.access import scope_for
from core.pages import portal_page, render_page
from practices.models import OrgKind
from practices.selectors import members_as_at

ICB_ONLY = "Only the ICB's managers record its own in-post totals."


@portal_page
def icb_in_post_totals(request: HttpRequest) -> HttpResponse:
    """ICB managers, for their own ICB: record WTE in post by role for the whole ICB on a
    date where they hold no split by PCN, and see which dates the workforce page uses."""
    scope = scope_for(request)
    require(can_keep_workforce_records(scope), ICB_ONLY)
    icb = icb_or_404(scope, request.GET.get("icb") or request.POST.get("icb"))
    require(icb.pk in scope.managed_icb_ids, ICB_ONLY)
    roles = list(ArrsRole.objects.order_by("sort_order", "name"))
    errors: dict[str, str] = {}
    if request.method == "POST":
        errors, as_at = _save(request, icb, roles)
        if not errors:
            return redirect(f"{request.path}?icb={icb.code}&on={as_at.isoformat()}")
    on = _day(request.GET.get("on"))
    held = icb_in_post(icb.pk)
    context = {
        "icb": icb,
        "roles": roles,
        "on": on,
        "values": request.POST if errors else _prefill(roles, held.get(on, {})),
        "errors": errors,
        "dates": _dates(icb, held),
        "breadcrumbs": workforce_crumbs(icb),
    }
    return render_page(request, "arrs/icb_in_post.jinja", context, status=400 if errors else 200)


def _day(text: str | None) -> dt.date | None:
    try:
        return parse_day(text or "")
    except ValueError:
        return None


def _prefill(roles: list[ArrsRole], figures: dict[int, Decimal | None]) -> dict[str, str]:
    return {
        f"wte-{role.code}": format(figures[role.pk].normalize(), "f")
        for role in roles
        if figures.get(role.pk) is not None
    }


def _dates(icb, held: dict) -> list[dict]:
    """Each date held, newest first, with its total and whether the ICB's table uses it (only
    where no PCN has figures for that date)."""
    pcns = members_as_at(icb, timezone.localdate(), OrgKind.PCN).values_list("pk", flat=True)
    with_pcns = set(in_post_dates(list(pcns)))
    return [
        {"on": day, "total": sum_known(held[day].values()), "used": day not in with_pcns}
        for day in sorted(held, reverse=True)
    ]


def _save(request: HttpRequest, icb, roles: list[ArrsRole]) -> tuple[dict[str, str], dt.date]:
    errors: dict[str, str] = {}
    as_at = _day(request.POST.get("as_at"))
    if as_at is None:
        errors["as_at"] = "Enter the date the staff were counted on, like 31/03/2024"
    values = {}
    for role in roles:
        name = f"wte-{role.code}"
        try:
            values[role.pk] = parse_wte(request.POST.get(name, ""))
        except ValueError as error:
            errors[name] = f"{role.name}: {error}"
    if errors:
        return errors, as_at
    try:
        changed = icb_in_post_set(icb=icb, as_at=as_at, values=values, user=request.user)
    except RecordError as error:
        return {"as_at": str(error)}, as_at
    messages.success(request, f"{changed} figures changed for {as_at:%d/%m/%Y}.")
    return {}, as_at
