from django.urls import path

from core.tokens import views

app_name = "tokens"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/revoke/", views.revoke_mine, name="revoke_mine"),
    path("icb/", views.icb, name="icb"),
    path("icb/<int:pk>/revoke/", views.revoke_in_icb, name="revoke_in_icb"),
]
