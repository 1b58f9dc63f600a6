"""Reads of board packs, scoped to the organisations the reader may see."""

from __future__ import annotations

from django.db.models import QuerySet

from board.pack.models import BoardPack
from core.access import Scope


def packs_for(scope: Scope) -> QuerySet[BoardPack]:
    """Every pack made for an organisation the reader may see, newest first."""
    return (
        BoardPack.objects.filter(org_id__in=scope.visible_org_ids)
        .select_related("org", "requested_by")
        .order_by("-created_at", "-id")
    )
