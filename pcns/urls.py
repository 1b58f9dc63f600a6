from django.urls import path

from pcns import views

app_name = "pcns"
urlpatterns = [
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/list-sizes.csv", views.list_sizes_csv, name="list_sizes_csv"),
]
