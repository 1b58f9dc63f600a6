"""Reads for the API token pages, each held to what the reader may see."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from core.access import Scope
from core.models import RoleAssignment
from core.tokens.models import ApiToken


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """A user's own tokens, newest first, revoked and expired ones included."""
    return ApiToken.objects.filter(user=user).select_related("revoked_by")


def tokens_in_icbs_of(scope: Scope) -> QuerySet[ApiToken]:
    """The tokens of everyone holding a role in an ICB the reader manages (for the ICB itself
    or a PCN in it); none for anyone who manages no ICB."""
    if not scope.writable_org_ids:
        return ApiToken.objects.none()
    holders = RoleAssignment.objects.filter(organisation_id__in=scope.writable_org_ids)
    return (
        ApiToken.objects.filter(user__in=holders.values("user"))
        .select_related("user", "revoked_by")
        .order_by("user__username", "-created")
    )
