"""Writing the audit log. Services call ``audit_record``; changes to models kept with
django-simple-history and finished imports reach it through core.audit.receivers."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User

from core.audit.models import AuditEvent
from practices.models import Organisation, OrgKind


def audit_record(
    *,
    kind: str,
    action: str,
    obj: object,
    summary: str,
    user: User | AnonymousUser | None,
    orgs: Iterable[Organisation | None] = (),
    national: bool = False,
) -> AuditEvent:
    """One event about ``obj`` (a model instance), for the ICBs of ``orgs``: an ICB itself,
    the ICBs above anything inside one. It is national (read by every ICB's managers) when
    ``national`` says so or an organisation is England or a region; an event for no ICB
    and not national is read by staff only."""
    icb_ids, above = icbs_of(orgs)
    national = national or above
    if user is not None and not user.is_authenticated:
        user = None
    event = AuditEvent.objects.create(
        user=user,
        username=user.get_username() if user else "",
        kind=kind,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        summary=summary[:2000],
        national=national,
    )
    if icb_ids:
        event.icbs.set(icb_ids)
    return event


def icbs_of(orgs: Iterable[Organisation | None]) -> tuple[frozenset[int], bool]:
    """The ICBs the organisations are, or are in, and whether any is above every ICB."""
    from practices.selectors import ancestor_ids

    known = [org for org in orgs if org is not None]
    icbs = {org.pk for org in known if org.kind == OrgKind.ICB}
    below = [org.pk for org in known if org.kind not in ABOVE_ICBS | {OrgKind.ICB}]
    if below:
        icbs |= ancestor_ids(below, OrgKind.ICB)
    return frozenset(icbs), any(org.kind in ABOVE_ICBS for org in known)


ABOVE_ICBS = {OrgKind.ENGLAND, OrgKind.REGION}
