from django.urls import path

from metrics import views, views_key_measures

app_name = "metrics"
urlpatterns = [
    path("imports/", views.imports, name="imports"),
    path("imports/upload/", views.upload, name="upload"),
    path("imports/<int:pk>/", views.batch, name="batch"),
    path("imports/<int:pk>/status.json", views.batch_status, name="batch_status"),
    path("access/", views.access, name="access"),
    path("access/access.csv", views.access_csv, name="access_csv"),
    path("access/data-quality/", views.data_quality_page, name="data_quality"),
    path("access/baseline/", views.baseline, name="baseline"),
    path("measures/key/", views_key_measures.key_measures_page, name="key_measures"),
    path("access/<str:kind>/<str:code>.csv", views.org_access_csv, name="org_access_csv"),
]
