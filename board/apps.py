from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "board"
    label = "board"
    verbose_name = "Board dashboard and packs"

    def ready(self) -> None:
        from core import registry

        registry.nav.register(registry.NavItem("dashboard", "Dashboard", "dashboard:index", 20))
