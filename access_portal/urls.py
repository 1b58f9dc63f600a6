from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("core.urls")),
    path("organisations/", include("practices.urls")),
    path("pcns/", include("pcns.urls")),
    path("workforce/", include("arrs.urls")),
    path("api/v1/", include("access_portal.api_urls")),
    # Imports (/imports/) and the access pages (/access/).
    path("", include("metrics.urls")),
]

# Error pages use the NHS layout (Jinja templates 403.jinja and 404.jinja).
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
