"""Reads of the audit log, held to what the reader may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from core.access import Scope
from core.audit.models import AuditEvent


def events_for(
    scope: Scope,
    *,
    kind: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Newest first. Staff read every event; an ICB's managers read its events and the
    national ones (changes to what every ICB reads); anyone else none."""
    events = AuditEvent.objects.all()
    if not scope.is_staff:
        if not scope.managed_icb_ids:
            return AuditEvent.objects.none()
        mine = AuditEvent.objects.filter(icbs__in=scope.managed_icb_ids).values("pk")
        events = events.filter(Q(pk__in=mine) | Q(national=True))
    if kind:
        events = events.filter(kind=kind)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events.order_by("-at", "-id")
