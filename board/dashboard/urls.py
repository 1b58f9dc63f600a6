from django.urls import path

from board.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:kind>/<str:code>/", views.org, name="org"),
    path("<str:kind>/<str:code>/spc/<slug:measure>.csv", views.spc_csv, name="spc_csv"),
    path(
        "<str:kind>/<str:code>/variation/<slug:measure>.csv",
        views.spread_csv,
        name="spread_csv",
    ),
]
