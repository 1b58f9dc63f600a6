from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo ICB: generators of NHS-format files, `manage.py demo_load` and the demo users.
    Installed only where DJANGO_DEMO=1 asks for it (never in production); the apps below it
    contribute their parts through `core.registry.demo_data` and never import it."""

    name = "demo"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Demo ICB"

    def ready(self) -> None:
        from core import registry
        from demo.services import demo_role_users_load

        # The role users, after the register (they belong to its ICB and PCN) and before the
        # parts that act as them.
        registry.demo_data.register(
            registry.DemoData(key="users", load=demo_role_users_load, order=30)
        )
