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

__all__ = [
    "AllocationViewSet",
    "FteTableViewSet",
    "InPostViewSet",
    "RoleViewSet",
    "SpendViewSet",
    "WorkforcePlanViewSet",
]
