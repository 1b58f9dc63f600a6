"""/api/v1/: the REST API for other ICB systems, its OpenAPI schema and its docs.

Each app's endpoints live in its ``api.py`` and are registered here, once.
"""

from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from arrs import api as arrs_api
from core.api.errors import api_not_found
from metrics import api as metrics_api
from practices import api as practices_api

# The one inline <style> of drf-spectacular's Swagger UI page (box sizing and the page
# background), allowed on that page alone by its hash: nothing else inline is.
SWAGGER_UI_STYLE = "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"

router = DefaultRouter()
router.register("regions", practices_api.RegionViewSet, basename="region")
router.register("icbs", practices_api.IcbViewSet, basename="icb")
router.register("sub-icbs", practices_api.SubIcbViewSet, basename="subicb")
router.register("pcns", practices_api.PcnViewSet, basename="pcn")
router.register("practices", practices_api.PracticeViewSet, basename="practice")
router.register("memberships", practices_api.MembershipViewSet, basename="membership")
router.register("list-sizes", practices_api.ListSizeViewSet, basename="listsize")
router.register(
    "measure-definitions", metrics_api.MeasureDefinitionViewSet, basename="measuredefinition"
)
router.register("measure-values", metrics_api.MeasureValueViewSet, basename="measurevalue")
router.register("sources", metrics_api.SourceViewSet, basename="source")
router.register("import-batches", metrics_api.ImportBatchViewSet, basename="importbatch")
router.register("arrs/roles", arrs_api.RoleViewSet, basename="arrsrole")
router.register("arrs/allocations", arrs_api.AllocationViewSet, basename="arrsallocation")
router.register("arrs/workforce-plans", arrs_api.WorkforcePlanViewSet, basename="workforceplan")
router.register("arrs/in-post", arrs_api.InPostViewSet, basename="arrsinpost")
router.register("arrs/spend", arrs_api.SpendViewSet, basename="arrsspend")
router.register("arrs/fte-table", arrs_api.FteTableViewSet, basename="arrsftetable")

app_name = "api"
urlpatterns = [
    # The schema and its docs are open: they say what exists, never any data.
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[AllowAny], throttle_classes=[]),
        name="schema",
    ),
    path(
        "docs/",
        # Swagger UI's start-up script is served as a file of its own (?script), not inline,
        # so the page keeps the portal's Content-Security-Policy but for its one <style>.
        csp_update({"style-src": [SWAGGER_UI_STYLE]})(
            SpectacularSwaggerSplitView.as_view(
                url_name="api:schema", permission_classes=[AllowAny], throttle_classes=[]
            )
        ),
        name="docs",
    ),
    path("", include(router.urls)),
    re_path(r"^.*$", api_not_found),
]
