"""What the ARRS views share: finding the ICB or PCN asked for within the reader's scope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse

from core.access import Scope
from core.pages import icb_asked
from practices.models import Organisation, OrgKind
from practices.selectors import ancestor_ids

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def icb_or_404(scope: Scope, code: str | None) -> Organisation:
    """The ICB asked for (or the reader's first): 404 if unknown, 403 if not theirs or if
    they read no ICB (workforce figures are kept per ICB)."""
    found = icb_asked(scope, code)
    require(found is not None, "Workforce figures are kept for an ICB; you have none.")
    return found


def icb_of(pcn: Organisation) -> Organisation | None:
    ids = ancestor_ids([pcn.pk], OrgKind.ICB)
    return Organisation.objects.filter(pk__in=ids).order_by("code").first()


def xlsx_response(filename: str, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def workforce_crumbs(icb: Organisation | None) -> list[dict]:
    if icb is None:
        return []
    return [{"href": reverse("arrs:icb") + f"?icb={icb.code}", "text": "Workforce"}]
