"""What every page view shares: who may open it, and rendering with the layout's context."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from core import registry
from core.access import Scope, scope_for
from core.exports import csv_writer
from core.registry import Panel
from practices.models import Organisation, OrgKind

View = Callable[..., HttpResponse]
# Which page level's panels an organisation's page draws.
PANEL_LEVEL_OF = {
    OrgKind.PRACTICE: "practice",
    OrgKind.PCN: "pcn",
    OrgKind.SUB_ICB: "place",
    OrgKind.ICB: "icb",
}


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    """Render a Jinja page with the reader's scope, which the layout's navigation needs."""
    page = {"scope": scope_for(request), **(context or {})}
    return render(request, template, page, status=status)


def portal_page(view: View) -> View:
    """Signed-in people with a role (or staff) only; a signed-in user with no role is told
    they have no access yet and whom to ask."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = scope_for(request)
        if not (scope.has_any_role or request.user.is_staff):
            return render_page(request, "no_access.jinja", status=403)
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def organisation_or_404(scope: Scope, kind: str, code: str) -> Organisation:
    """The organisation with this ODS code: 404 if unknown, 403 if outside the reader's scope."""
    if kind not in OrgKind.values:
        raise Http404("No such kind of organisation.")
    org = Organisation.objects.filter(kind=kind, code=code.strip().upper()).first()
    if org is None:
        raise Http404(f"No {kind} with the code {code}.")
    if not scope.can_view(org):
        raise PermissionDenied("This organisation is outside the ICBs you have access to.")
    return org


def org_panels(request: HttpRequest, org: Organisation) -> list[tuple[Panel, dict]]:
    """The blocks other apps registered for this kind of organisation's page
    (core.registry.panels), each with what its template is given; a panel with nothing to
    show for the organisation is left out."""
    level = PANEL_LEVEL_OF.get(org.kind)
    found = []
    for panel in registry.panels_for(level) if level else []:
        data = panel.context(request, org)
        if data is not None:
            found.append((panel, data))
    return found


def icb_asked(scope: Scope, code: str | None) -> Organisation | None:
    """The ICB a page is about: the one named in ``?icb=`` (404 if unknown, 403 outside the
    reader's ICBs), else the reader's first ICB by name; None when they read no ICB."""
    if code:
        return organisation_or_404(scope, OrgKind.ICB, code)
    icbs = Organisation.objects.filter(kind=OrgKind.ICB, pk__in=scope.icb_ids)
    return icbs.order_by("name").first()


def org_breadcrumbs(scope: Scope, org: Organisation, above: list[Organisation]) -> list[dict]:
    """Organisations > ICB > place > PCN, the levels above ``org`` the reader may open."""
    from django.urls import reverse

    from core.presenters import org_url

    crumbs = [{"href": reverse("practices:browse"), "text": "Organisations"}]
    visible = (o for o in above if o.pk != org.pk and scope.can_view(o))
    return crumbs + [{"href": org_url(o), "text": o.name} for o in visible]


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> HttpResponse:
    """A CSV download of the figures a page shows, formula-like text quoted (core.exports)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv_writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
