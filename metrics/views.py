"""Import pages: the list of files loaded, the upload form and each batch's progress."""

from __future__ import annotations

from dataclasses import asdict

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect

from core.access import Scope, scope_for
from core.pages import portal_page, render_page
from metrics.forms import UploadForm
from metrics.models import ImportBatch
from metrics.selectors import BatchState, import_batches, source_titles
from metrics.services import import_batch_create_from_upload, import_batch_enqueue

BATCHES_PER_PAGE = 25
REFRESH_SECONDS = 3


def _require_imports(scope: Scope) -> None:
    if not scope.can_see_imports:
        raise PermissionDenied("Only ICB managers and staff see imports.")


@portal_page
def imports(request: HttpRequest) -> HttpResponse:
    """ICB managers and staff: every file loaded, newest first, and what came of it."""
    scope = scope_for(request)
    _require_imports(scope)
    page = Paginator(import_batches(), BATCHES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "titles": source_titles()}
    return render_page(request, "metrics/imports.jinja", context)


@portal_page
def upload(request: HttpRequest) -> HttpResponse:
    """ICB managers only (they load data): choose a source and a file, then watch it load."""
    if not scope_for(request).can_load_data:
        raise PermissionDenied("Only ICB managers load data.")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = import_batch_create_from_upload(
            source=form.cleaned_data["source"], upload=form.cleaned_data["file"], user=request.user
        )
        import_batch_enqueue(batch=batch)
        return redirect("metrics:batch", batch.pk)
    status = 400 if form.is_bound else 200
    return render_page(request, "metrics/upload.jinja", {"form": form}, status=status)


@portal_page
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    """ICB managers and staff: one import's status, counts and problems."""
    _require_imports(scope_for(request))
    found = get_object_or_404(import_batches().select_related("duplicate_of"), pk=pk)
    context = {
        "batch": found,
        "titles": source_titles(),
        "refresh_seconds": None if found.is_finished else REFRESH_SECONDS,
    }
    return render_page(request, "metrics/batch.jinja", context)


@portal_page
def batch_status(request: HttpRequest, pk: int) -> JsonResponse:
    """ICB managers and staff: the batch's state, polled by the batch page while it runs."""
    _require_imports(scope_for(request))
    found = get_object_or_404(ImportBatch.objects.all(), pk=pk)
    return JsonResponse(asdict(BatchState.of(found)))
