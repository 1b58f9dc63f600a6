from django.urls import path

from metrics import views

app_name = "metrics"
urlpatterns = [
    path("", views.imports, name="imports"),
    path("upload/", views.upload, name="upload"),
    path("<int:pk>/", views.batch, name="batch"),
    path("<int:pk>/status.json", views.batch_status, name="batch_status"),
]
