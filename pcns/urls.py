
app_name = "pcns"
urlpatterns: list = []
