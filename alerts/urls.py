from django.urls import path

from alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/stop/", views.stop, name="stop"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
