"""API for ARRS workforce records: roles and their maximum reimbursable amounts,
allocations (read, and set by ICB systems), workforce plans, staff in post, spend, and the
board's WTE table by role and date.

Who may do what is the pages' rules (``arrs.access``), read through the pages' selectors.
"""

from arrs.api.tables import FteTableViewSet
from arrs.api.views import (
    AllocationViewSet,
    InPostViewSet,
    RoleViewSet,
    SpendViewSet,
    WorkforcePlanViewSet,
)


def routes(router) -> None:
    """ARRS endpoints under /api/v1/arrs/ (core.registry.api_routes)."""
    router.register("arrs/roles", RoleViewSet, basename="arrsrole")
    router.register("arrs/allocations", AllocationViewSet, basename="arrsallocation")
    router.register("arrs/workforce-plans", WorkforcePlanViewSet, basename="workforceplan")
    router.register("arrs/in-post", InPostViewSet, basename="arrsinpost")
    router.register("arrs/spend", SpendViewSet, basename="arrsspend")
    router.register("arrs/fte-table", FteTableViewSet, basename="arrsftetable")


__all__ = [
    "AllocationViewSet",
    "FteTableViewSet",
    "InPostViewSet",
    "RoleViewSet",
    "SpendViewSet",
    "WorkforcePlanViewSet",
    "routes",
]
