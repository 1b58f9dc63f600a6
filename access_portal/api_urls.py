"""/api/v1/: the REST API for other ICB systems, its OpenAPI schema and its docs.

Each app's endpoints live in its ``api.py`` (or ``api/``); the app registers them in its
``AppConfig.ready`` and they are added to the one router here.
"""

from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from core import registry
from core.api.errors import api_not_found

# The one inline <style> of drf-spectacular's Swagger UI page (box sizing and the page
# background), allowed on that page alone by its hash: nothing else inline is.
SWAGGER_UI_STYLE = "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"

router = DefaultRouter()
# Each app adds its endpoints in its AppConfig.ready (core.registry.api_routes).
for entry in registry.api_routes:
    entry.register(router)

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
