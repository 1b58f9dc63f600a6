"""The names ARRS roles go by in an ICB: the names every ICB shares, and aliases the ICB's
managers add so their PCNs' plans and files are read as written."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from arrs.access import can_keep_workforce_records
from arrs.models import ArrsRole, RoleAlias
from arrs.selectors.roles import role_alias_history, role_names
from arrs.services import role_alias_remove, role_alias_set
from arrs.services.records import RecordError
from arrs.views.common import icb_or_404, require, workforce_crumbs
from core.access import scope_for
from core.pages import portal_page, render_page

ICB_ONLY = "Only the ICB's managers keep the names its PCNs use for roles."


@portal_page
def role_aliases(request: HttpRequest) -> HttpResponse:
    """ICB managers, for their own ICB: every role's names, the aliases the ICB accepts
    besides them (add, change the role, remove), and the history of those changes."""
    scope = scope_for(request)
    require(can_keep_workforce_records(scope), ICB_ONLY)
    icb = icb_or_404(scope, request.GET.get("icb") or request.POST.get("icb"))
    require(icb.pk in scope.managed_icb_ids, ICB_ONLY)
    errors: dict[str, str] = {}
    if request.method == "POST":
        errors = _save(request, icb)
        if not errors:
            return redirect(f"{request.path}?icb={icb.code}")
    context = {
        "icb": icb,
        "rows": role_names(icb),
        "roles": list(ArrsRole.objects.order_by("sort_order", "name")),
        "history": role_alias_history(icb),
        "errors": errors,
        "posted": request.POST if errors else {},
        "breadcrumbs": workforce_crumbs(icb),
    }
    return render_page(request, "arrs/role_aliases.jinja", context, status=400 if errors else 200)


def _save(request: HttpRequest, icb) -> dict[str, str]:
    """Remove the alias named by ``remove``, or add (or re-point) ``alias`` to ``role``."""
    if "remove" in request.POST:
        found = RoleAlias.objects.filter(icb=icb, pk=_int(request.POST["remove"])).first()
        if found is not None:
            role_alias_remove(alias=found)
            messages.success(request, f"'{found.alias}' is no longer accepted for {found.role}.")
        return {}
    role = ArrsRole.objects.filter(pk=_int(request.POST.get("role"))).first()
    if role is None:
        return {"role": "Select the role the name means"}
    try:
        saved = role_alias_set(
            icb=icb, alias=request.POST.get("alias", ""), role=role, user=request.user
        )
    except RecordError as error:
        return {"alias": str(error)}
    messages.success(request, f"'{saved.alias}' is now read as {role.name} in {icb.name}.")
    return {}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
