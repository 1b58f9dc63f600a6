"""API for the organisation register: regions, ICBs, sub-ICB locations, PCNs and practices,
their dated memberships and practice list sizes (read, and corrected by ICB systems).

Anyone with a role reads the organisations in and above the ICBs they read; ICB managers
correct list sizes of practices in their ICB.
"""

from practices.api.views import (
    IcbViewSet,
    ListSizeViewSet,
    MembershipViewSet,
    PcnViewSet,
    PracticeViewSet,
    RegionViewSet,
    SubIcbViewSet,
)

__all__ = [
    "IcbViewSet",
    "ListSizeViewSet",
    "MembershipViewSet",
    "PcnViewSet",
    "PracticeViewSet",
    "RegionViewSet",
    "SubIcbViewSet",
]
