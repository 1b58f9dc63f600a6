"""What ICB managers keep: plan rounds, allocations, maximum reimbursable amounts (everyone
reads them) and the NWRS staff role mapping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from arrs.access import can_keep_workforce_records
from arrs.forms import AREAS, RoundForm, amount_field_name, parse_day, parse_pounds
from arrs.models import (
    FIRST_YEAR,
    ArrsRole,
    NwrsRoleMapping,
    NwrsStaffCount,
    PlanRound,
    PlanStatus,
    RateArea,
    ReimbursementRate,
)
from arrs.selectors import allocations_for, rate_book, rounds_of
from arrs.services import (
    allocation_set,
    nwrs_role_mapping_set,
    plan_round_create,
    plan_round_set_open,
    reimbursement_amounts_add,
)
from arrs.services.records import RecordError
from arrs.views.common import icb_or_404, require, workforce_crumbs
from arrs.years import fy_label, fy_of
from core.access import Scope, scope_for
from core.pages import portal_page, render_page
from imports.sources.readers import label_key
from practices.models import OrgKind
from practices.selectors import members_as_at

ICB_ONLY = "Only ICB managers keep workforce records."


def _keeper(request: HttpRequest) -> Scope:
    scope = scope_for(request)
    require(can_keep_workforce_records(scope), ICB_ONLY)
    return scope


def _managed_icb(request: HttpRequest, scope: Scope):
    icb = icb_or_404(scope, request.GET.get("icb") or request.POST.get("icb"))
    require(icb.pk in scope.managed_icb_ids, ICB_ONLY)
    return icb


@portal_page
def rounds(request: HttpRequest) -> HttpResponse:
    """ICB managers: the rounds PCNs submit plans for, and a form to start one."""
    scope = _keeper(request)
    icb = _managed_icb(request, scope)
    today = timezone.localdate()
    form = RoundForm(
        request.POST or None, years=round_years(today), initial={"financial_year": fy_of(today)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = plan_round_create(icb=icb, user=request.user, **_round_fields(form))
        except RecordError as error:
            form.add_error("label", str(error))
        else:
            messages.success(
                request, f"Round {created.name} started: PCNs can submit plans for it."
            )
            return redirect("arrs:rounds")
    counts = {
        status: Count("plans", filter=Q(plans__status=status))
        for status in (PlanStatus.SUBMITTED, PlanStatus.ACCEPTED, PlanStatus.RETURNED)
    }
    found = rounds_of([icb.pk]).annotate(**counts)
    context = {"icb": icb, "rounds": found, "form": form, "breadcrumbs": workforce_crumbs(icb)}
    return render_page(request, "arrs/rounds.jinja", context, status=400 if form.errors else 200)


def round_years(today: dt.date) -> list[int]:
    """Every year of the scheme up to next year, newest first: a round for a past year
    records the plans PCNs made then, so the ICB's figures for that year can be read."""
    return list(range(fy_of(today) + 1, FIRST_YEAR - 1, -1))


def _round_fields(form: RoundForm) -> dict:
    data = form.cleaned_data
    return {"year": data["financial_year"], "label": data["label"], "due_on": data["due_on"]}


@require_POST
@portal_page
def round_open(request: HttpRequest, pk: int) -> HttpResponse:
    """ICB managers: open a round to plans, or close it."""
    scope = _keeper(request)
    found = get_object_or_404(PlanRound.objects.filter(icb_id__in=scope.managed_icb_ids), pk=pk)
    plan_round_set_open(plan_round=found, is_open=request.POST.get("open") == "1")
    state = "open to" if found.is_open else "closed to"
    messages.success(request, f"Round {found.name} is now {state} new plans.")
    return redirect("arrs:rounds")


@portal_page
def allocations(request: HttpRequest) -> HttpResponse:
    """ICB managers: each PCN's ARRS allocation for a year, typed in here or uploaded."""
    scope = _keeper(request)
    icb = _managed_icb(request, scope)
    year = _int(request.GET.get("year") or request.POST.get("year")) or fy_of(timezone.localdate())
    pcns = list(members_as_at(icb, timezone.localdate(), OrgKind.PCN).order_by("name"))
    errors: dict[str, str] = {}
    if request.method == "POST":
        errors = _allocations_save(request, pcns, year)
        if not errors:
            messages.success(request, f"Allocations for {fy_label(year)} saved.")
            return redirect(f"{request.path}?year={year}")
    held = allocations_for([p.pk for p in pcns], year)
    context = {
        "icb": icb,
        "year": year,
        "years": [fy_of(timezone.localdate()) + offset for offset in (-2, -1, 0, 1)],
        "pcns": pcns,
        "held": held,
        "errors": errors,
        "posted": request.POST if errors else None,
        "areas": RateArea.choices,
        "total": sum((a.amount for a in held.values()), Decimal(0)) if held else None,
        "breadcrumbs": workforce_crumbs(icb),
    }
    return render_page(request, "arrs/allocations.jinja", context, status=400 if errors else 200)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _allocations_save(request: HttpRequest, pcns, year: int) -> dict[str, str]:
    values, errors = {}, {}
    for pcn in pcns:
        try:
            amount = parse_pounds(request.POST.get(f"amount-{pcn.code}", ""))
        except ValueError as error:
            errors[pcn.code] = f"{pcn.name}: {error}"
            continue
        area = request.POST.get(f"area-{pcn.code}", RateArea.NATIONAL)
        if amount is not None:
            values[pcn] = (amount, area if area in RateArea.values else RateArea.NATIONAL)
    if errors:
        return errors
    held = allocations_for([p.pk for p in values], year)
    for pcn, (amount, area) in values.items():
        now = held.get(pcn.pk)
        if now is None or now.amount != amount or now.rate_area != area:
            allocation_set(pcn=pcn, year=year, amount=amount, rate_area=area, user=request.user)
    return {}


def _amounts_on(day: dt.date, roles: list[ArrsRole]) -> list[dict]:
    """Per role, the entry in force on the day for each area (None where none is held)."""
    book = rate_book()
    return [
        {"role": role, **{area.value: book.entry(role.pk, area.value, day) for area in AREAS}}
        for role in roles
    ]


@portal_page
def amounts(request: HttpRequest) -> HttpResponse:
    """Anyone with a role: the ARRS roles and their maximum reimbursable amounts by date."""
    scope = scope_for(request)
    on = _date(request.GET.get("on")) or timezone.localdate()
    roles = list(ArrsRole.objects.order_by("sort_order"))
    periods = (
        ReimbursementRate.objects.values("effective_from", "published_on", "source")
        .annotate(
            roles=Count("role", distinct=True), estimates=Count("pk", filter=Q(is_estimate=True))
        )
        .order_by("-effective_from", "-published_on")
    )
    context = {
        "on": on,
        "year": fy_of(on),
        "rows": _amounts_on(on, roles),
        "periods": periods,
        "can_add": can_keep_workforce_records(scope),
    }
    return render_page(request, "arrs/amounts.jinja", context)


def _date(text: str | None) -> dt.date | None:
    try:
        return parse_day(text or "")
    except ValueError:
        return None


@portal_page
def amounts_add(request: HttpRequest) -> HttpResponse:
    """ICB managers: add the amounts for a new financial year or a mid-year uplift, starting
    from the amounts in force (optionally uplifted by a percentage)."""
    _keeper(request)
    roles = list(ArrsRole.objects.order_by("sort_order"))
    errors: dict[str, str] = {}
    if request.method == "POST":
        errors, saved = _amounts_save(request, roles)
        if not errors:
            messages.success(request, f"{saved} amounts added.")
            return redirect("arrs:amounts")
    start = _date(request.GET.get("from")) or timezone.localdate()
    uplift = _uplift(request.GET.get("uplift"))
    prefill = {
        amount_field_name(row["role"], area.value): _uplifted(row[area.value], uplift)
        for row in _amounts_on(start, roles)
        for area in AREAS
    }
    context = {
        "roles": roles,
        "areas": AREAS,
        "values": request.POST if request.method == "POST" else prefill,
        "errors": errors,
        "start": start,
        "uplift": uplift,
        "field_name": amount_field_name,
    }
    return render_page(request, "arrs/amounts_add.jinja", context, status=400 if errors else 200)


def _uplift(text: str | None) -> Decimal:
    try:
        value = Decimal((text or "0").strip().rstrip("%"))
    except InvalidOperation:
        return Decimal(0)
    return value if value.is_finite() and -50 < value < 100 else Decimal(0)


def _uplifted(entry, uplift: Decimal) -> str:
    if entry is None:
        return ""
    return str((entry.amount * (1 + uplift / 100)).quantize(Decimal(1)))


def _amounts_save(request: HttpRequest, roles: list[ArrsRole]) -> tuple[dict[str, str], int]:
    errors: dict[str, str] = {}
    effective = _date(request.POST.get("effective_from"))
    published = _date(request.POST.get("published_on")) or effective
    source = request.POST.get("source", "").strip()
    if effective is None:
        errors["effective_from"] = "Enter the date the amounts take effect, like 01/04/2027"
    if not source:
        errors["source"] = "Say where the amounts come from, for example the DES and its date"
    found = {}
    for role in roles:
        for area in AREAS:
            name = amount_field_name(role, area.value)
            try:
                amount = parse_pounds(request.POST.get(name, ""))
            except ValueError as error:
                errors[name] = f"{role.name}, {area.label}: {error}"
                continue
            if amount:
                found[(role.pk, area.value)] = amount
    if errors:
        return errors, 0
    try:
        saved = reimbursement_amounts_add(
            effective_from=effective,
            published_on=published,
            source=source,
            amounts=found,
            user=request.user,
            is_estimate=request.POST.get("is_estimate") == "1",
        )
    except RecordError as error:
        return {"effective_from": str(error)}, 0
    return {}, saved


@portal_page
def staff_roles(request: HttpRequest) -> HttpResponse:
    """ICB managers read which NWRS staff roles count as which ARRS role; the mapping is
    shared by every ICB, so only staff and national data loaders change it. Staff in post
    figures read the mapping, so a change shows on every page at once."""
    scope = scope_for(request)
    can_change = scope.may_edit_reference_data
    require(can_change or can_keep_workforce_records(scope), ICB_ONLY)
    roles = list(ArrsRole.objects.order_by("sort_order"))
    names = _staff_role_names()
    if request.method == "POST":
        require(can_change, "Only staff and national data loaders change the shared mapping.")
        changed = _mapping_save(request, {str(r.pk): r for r in roles})
        messages.success(request, f"{changed} staff role mappings changed.")
        return redirect("arrs:staff_roles")
    mapping = {m.staff_role_key: m for m in NwrsRoleMapping.objects.select_related("arrs_role")}
    rows = [{"name": name, "mapping": mapping.get(label_key(name))} for name in names]
    context = {"rows": rows, "roles": roles, "can_change": can_change}
    return render_page(request, "arrs/staff_roles.jinja", context)


def _staff_role_names() -> list[str]:
    """Every staff role the mapping holds or an NWRS file has brought, by name."""
    held = dict(NwrsRoleMapping.objects.values_list("staff_role_key", "staff_role"))
    for detailed, staff_role in NwrsStaffCount.objects.values_list(
        "detailed_staff_role", "staff_role"
    ).distinct():
        name = detailed or staff_role
        held.setdefault(label_key(name), name)
    return sorted(held.values(), key=str.casefold)


def _mapping_save(request: HttpRequest, roles: dict) -> int:
    """Each posted staff role (``name-N``) with its choice (``role-N``): an ARRS role's id,
    "none" for not an ARRS role, or "unmapped" to leave it."""
    mapping = dict(NwrsRoleMapping.objects.values_list("staff_role_key", "arrs_role_id"))
    changed, index = 0, 0
    while f"name-{index}" in request.POST:
        name, choice = request.POST[f"name-{index}"], request.POST.get(f"role-{index}", "unmapped")
        index += 1
        if choice == "unmapped" or (choice != "none" and choice not in roles):
            continue
        role = roles.get(choice)
        if mapping.get(label_key(name), "unset") != (role.pk if role else None):
            nwrs_role_mapping_set(staff_role=name, arrs_role=role, user=request.user)
            changed += 1
    return changed
