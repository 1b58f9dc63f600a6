from django.urls import path

from practices import views

app_name = "practices"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("practice/<str:code>/", views.practice, name="practice"),
    path("practice/<str:code>/list-sizes.csv", views.list_sizes_csv, name="list_sizes_csv"),
    path("<str:kind>/<str:code>/", views.org_detail, name="org_detail"),
]
