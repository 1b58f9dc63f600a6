from django.contrib.auth.views import LogoutView
from django.urls import include, path

from core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    # Django's LogoutView accepts POST only, so signing out cannot be triggered by a link.
    path("sign-out/", LogoutView.as_view(), name="logout"),
    path("data-sources/", views.data_sources, name="data_sources"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("api-tokens/", include("core.tokens.urls")),
    path("audit-log/", include("core.audit.urls")),
]
