"""ARRS on the PCN and ICB pages: a short summary of the workforce section (WTE in post and
planned, projected spend against allocation) with a link to the workforce page. The same
read as the board's section (``workforce_section_read``), so the figures agree."""

from __future__ import annotations

from arrs.access import can_read_icb_workforce
from arrs.board import workforce_section_read
from core.access import scope_for
from core.registry import Panel
from practices.models import OrgKind

TEMPLATE = "arrs/panel.jinja"


def _summary(request, org) -> dict | None:
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
