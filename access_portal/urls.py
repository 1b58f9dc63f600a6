from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("core.urls")),
    path("organisations/", include("practices.urls")),
    path("pcns/", include("pcns.urls")),
    path("imports/", include("metrics.urls")),
]
