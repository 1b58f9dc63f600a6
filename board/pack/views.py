"""Board pack pages: ask for a pack, watch it being made, and download it again later."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone

from board.dashboard.page import dashboard_url, month_from_param
from board.dashboard.selectors import DASHBOARD_KINDS, months_with_figures
from board.pack.forms import BoardPackForm, initial_for
from board.pack.models import BoardPack
from board.pack.selectors import packs_for
from board.pack.services import board_pack_request
from core.access import scope_for
from core.pages import organisation_or_404, portal_page, render_page

REFRESH_SECONDS = 3
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@portal_page
def pack_list(request: HttpRequest) -> HttpResponse:
    """Anyone with a role: the packs made for organisations in the ICBs they read."""
    context = {"packs": packs_for(scope_for(request))[:100], "nav": "dashboard"}
    return render_page(request, "boardpack/list.jinja", context)


@portal_page
def new(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    """Anyone with a role, for an organisation they read (board members too: a pack changes
    no figures). Choose the month and write the cover sheet, then the pack is made."""
    if kind not in DASHBOARD_KINDS:
        raise Http404("Board packs are for ICBs, places, PCNs and practices.")
    org = organisation_or_404(scope_for(request), kind, code)
    months = months_with_figures(org)
    chosen = month_from_param(request.GET.get("month")) or (months[-1] if months else None)
    initial = initial_for(org.name, chosen, timezone.localdate())
    form = BoardPackForm(request.POST or None, initial=initial, months=months)
    if request.method == "POST" and form.is_valid():
        pack = board_pack_request(
            org=org,
            month=form.chosen_month(),
            rebase=month_from_param(request.POST.get("rebase")),
            cover=form.cover(),
            user=request.user,
        )
        return redirect("boardpack:detail", pack.pk)
    context = {
        "org": org,
        "form": form,
        "months": months,
        "rebase": request.GET.get("rebase", request.POST.get("rebase", "")),
        "dashboard_href": dashboard_url(org),
        "nav": "dashboard",
    }
    return render_page(request, "boardpack/new.jinja", context, status=400 if form.errors else 200)


def _pack_or_404(request: HttpRequest, pk: int) -> BoardPack:
    return get_object_or_404(packs_for(scope_for(request)), pk=pk)


@portal_page
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone who may see the pack's organisation: its progress, then its downloads."""
    pack = _pack_or_404(request, pk)
    context = {
        "pack": pack,
        "nav": "dashboard",
        "refresh_seconds": None if pack.is_finished else REFRESH_SECONDS,
        "dashboard_href": dashboard_url(pack.org, month=f"{pack.month:%Y-%m}"),
    }
    return render_page(request, "boardpack/detail.jinja", context)


@portal_page
def status(request: HttpRequest, pk: int) -> JsonResponse:
    """Polled by the pack page while the pack is being made."""
    pack = _pack_or_404(request, pk)
    return JsonResponse(
        {
            "status": pack.status,
            "label": pack.get_status_display(),
            "stage": pack.stage,
            "progress": pack.progress,
            "finished": pack.is_finished,
        }
    )


@portal_page
def download(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    """The pack's PDF, slides or workbook, as made (packs are kept, so this works later too)."""
    pack = _pack_or_404(request, pk)
    stored = pack.file_for(kind)
    if not stored:
        raise Http404("This pack has no such file (yet).")
    name = f"board-pack-{pack.org.code}-{pack.month:%Y-%m}.{kind}"
    return FileResponse(
        stored.open("rb"), as_attachment=True, filename=name, content_type=CONTENT_TYPES[kind]
    )
