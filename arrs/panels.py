"""ARRS on the PCN and ICB pages: a short summary of the workforce section (WTE in post and
planned, projected spend against allocation) with a link to the workforce page. The same
read as the board's section (``workforce_section_read``), so the figures agree."""

from __future__ import annotations

from django.db.models import Q

from arrs.access import can_read_icb_workforce
from arrs.board import workforce_section_read
from core.access import scope_for
from core.registry import Panel
from practices.models import Organisation, OrgKind
from practices.selectors import descendant_ids

TEMPLATE = "arrs/panel.jinja"


def _holds_records(pcn_ids) -> bool:
    """Whether any of these PCNs has an ARRS record: one query, so a page of a PCN (or ICB)
    with none pays for no more."""
    held = (
        Q(arrs_in_post__isnull=False)
        | Q(nwrs_staff_counts__isnull=False)
        | Q(arrs_allocations__isnull=False)
        | Q(arrs_plans__isnull=False)
    )
    return Organisation.objects.filter(pk__in=pcn_ids).filter(held).exists()


def _summary(request, org) -> dict | None:
    pcn_ids = [org.pk] if org.kind == OrgKind.PCN else descendant_ids([org.pk], kind=OrgKind.PCN)
    if not _holds_records(pcn_ids):
        return None
    section = workforce_section_read(org)
    if section is None:
        return None
    icb = org if org.kind == OrgKind.ICB else None
    if icb is not None and not can_read_icb_workforce(scope_for(request), icb):
        return None
    return {"section": section}


PANELS = (
    Panel("arrs-pcn", "pcn", TEMPLATE, _summary, order=40),
    Panel("arrs-icb", "icb", TEMPLATE, _summary, order=40),
)
