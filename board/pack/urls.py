from django.urls import path

from board.pack import views

app_name = "boardpack"
urlpatterns = [
    path("", views.pack_list, name="list"),
    path("new/<str:kind>/<str:code>/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status.json", views.status, name="status"),
    path("<int:pk>/<str:kind>/", views.download, name="download"),
]
