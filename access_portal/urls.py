from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("core.urls")),
    path("dashboard/", include("board.dashboard.urls")),
    path("board-packs/", include("board.pack.urls")),
    path("organisations/", include("practices.urls")),
    path("pcns/", include("pcns.urls")),
    path("workforce/", include("arrs.urls")),
    path("alerts/", include("alerts.urls")),
    path("api/v1/", include("access_portal.api_urls")),
    # Imports (/imports/) and the access pages (/access/).
    path("", include("metrics.urls")),
    # The NHS.UK frontend CSS asks for its icons at /assets/: send it to the static copy.
    re_path(
        r"^assets/(?P<path>[\w./-]+)$",
        RedirectView.as_view(url=f"{settings.STATIC_URL}nhsuk/assets/%(path)s", permanent=True),
    ),
]

# Error pages use the NHS layout (Jinja templates 403.jinja and 404.jinja).
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
