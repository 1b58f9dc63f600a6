from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = "Organisation register"

    def ready(self) -> None:
        from core import registry
        from practices import api

        registry.api_routes.register(registry.ApiRoutes("practices", api.routes))
        registry.nav.register(
            registry.NavItem("organisations", "Organisations", "practices:browse", 30)
        )
        registry.data_versions.register(registry.DataVersion("register", _register_changed_at))


def _register_changed_at():
    from core.api.conditional import history_changed_at
    from practices.models import ListSize, Membership, Organisation

    return history_changed_at(Organisation, Membership, ListSize)
