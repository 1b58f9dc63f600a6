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


def routes(router) -> None:
    """The register's endpoints under /api/v1/ (core.registry.api_routes)."""
    router.register("regions", RegionViewSet, basename="region")
    router.register("icbs", IcbViewSet, basename="icb")
    router.register("sub-icbs", SubIcbViewSet, basename="subicb")
    router.register("pcns", PcnViewSet, basename="pcn")
    router.register("practices", PracticeViewSet, basename="practice")
    router.register("memberships", MembershipViewSet, basename="membership")
    router.register("list-sizes", ListSizeViewSet, basename="listsize")


__all__ = [
    "IcbViewSet",
    "ListSizeViewSet",
    "MembershipViewSet",
    "PcnViewSet",
    "PracticeViewSet",
    "RegionViewSet",
    "SubIcbViewSet",
    "routes",
]
