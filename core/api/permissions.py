"""Who may call what. Each class asks the request's ``Scope`` (core.access), where every
rule lives; a token acts with its user's roles."""

from __future__ import annotations

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from core.access import scope_for


class HasPortalRole(BasePermission):
    """Signed in (or holding a token) with a role, or staff: what every portal page asks."""

    message = "Your account has no role in the Access Portal yet; ask an ICB administrator."

    def has_permission(self, request: Request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return scope_for(request).has_any_role or bool(user.is_staff)


class CanSeeImports(BasePermission):
    """Those who load data: the import log shows who loaded what and the rows that failed
    (each sees the batches core.access allows)."""

    message = "Only people who load data see imports."

    def has_permission(self, request: Request, view) -> bool:
        return scope_for(request).can_see_imports


class CanLoadData(BasePermission):
    """ICB managers (their ICB's records), national data loaders and staff (national files);
    which sources each may load is checked when the file is given."""

    message = "Only ICB managers, national data loaders and staff load data."

    def has_permission(self, request: Request, view) -> bool:
        return scope_for(request).can_load_data
