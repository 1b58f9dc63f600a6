from django.apps import AppConfig


class PcnsConfig(AppConfig):
    name = "pcns"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "PCNs"
