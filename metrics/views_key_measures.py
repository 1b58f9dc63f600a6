"""An ICB's key measures: the measures its board dashboard, board packs, access pages and API
lead with, in order, with the ICB's targets, and the history of changes to them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from core.access import Scope, scope_for
from core.pages import organisation_or_404, portal_page, render_page
from metrics.forms import KeyMeasuresForm, key_measure_rows
from metrics.measures.key_measures import key_measures_save
from metrics.selectors import key_measure_history, key_measures, measure_definitions
from practices.models import Organisation, OrgKind
from practices.selectors import icbs_for

ICB_ONLY = "Only the ICB's managers change its key measures."


@portal_page
def key_measures_page(request: HttpRequest) -> HttpResponse:
    """Anyone with a role in the ICB (``?icb=``, else their first): its key measures with
    their targets, and the history of changes. The ICB's own managers change them; anyone
    else who posts is refused (403), as is a reader of another ICB."""
    scope = scope_for(request)
    icb = _icb_asked(scope, request.GET.get("icb"))
    can_change = icb.pk in scope.managed_icb_ids
    form = None
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(ICB_ONLY)
        form = KeyMeasuresForm(request.POST, measure_definitions().in_bulk())
        if form.is_valid():
            key_measures_save(icb=icb, items=form.items, user=request.user)
            messages.success(request, f"{icb.name}'s key measures are saved.")
            return redirect(f"{reverse('metrics:key_measures')}?icb={icb.code}")
    context = _context(icb, form, can_change)
    return render_page(request, "metrics/key_measures.jinja", context, status=400 if form else 200)


def _icb_asked(scope: Scope, code: str | None) -> Organisation:
    """The ICB named in ``?icb=`` (403 outside the reader's ICBs), else the reader's first."""
    if code:
        return organisation_or_404(scope, OrgKind.ICB, code)
    icb = icbs_for(scope.icb_ids).first()
    if icb is None:
        raise PermissionDenied("There is no ICB in your scope.")
    return icb


def _context(icb: Organisation, form: KeyMeasuresForm | None, can_change: bool) -> dict:
    measures = key_measures(icb)
    rows = form.rows if form else key_measure_rows(measures)
    listed = {row.definition.code for row in rows}
    return {
        "icb": icb,
        "measures": measures,
        "rows": rows,
        "addable": [d for d in measure_definitions() if d.code not in listed],
        "errors": form.errors if form else {},
        "posted": form.data if form else {},
        "can_change": can_change,
        "history": key_measure_history(icb),
    }
