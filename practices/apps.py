from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = "Organisation register"

    def ready(self) -> None:
        from core import registry
        from imports.registry import register_source
        from practices import api
        from practices.sources import list_sizes, ods

        registry.api_routes.register(registry.ApiRoutes("practices", api.routes))
        for source in (
            ods.practices.PracticesSource,
            ods.pcns.PcnsSource,
            ods.pcn_members.PcnMembersSource,
            list_sizes.ListSizesSource,
        ):
            register_source(source)
        registry.nav.register(
            registry.NavItem("organisations", "Organisations", "practices:browse", 30)
        )
        registry.data_versions.register(registry.DataVersion("register", _register_changed_at))


def _register_changed_at():
    from core.api.conditional import history_changed_at
    from practices.models import ListSize, Membership, Organisation

    return history_changed_at(Organisation, Membership, ListSize)
