from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Access Portal core"

    def ready(self) -> None:
        from core import (
            checks,  # noqa: F401 - the registries' system checks
            page_cache,
            queries,  # noqa: F401 - registers the in_ids lookup for every app
            registry,
            sessions,  # noqa: F401 - marks a session refreshed when someone signs in
        )
        from core.audit import receivers  # noqa: F401 - connects the audit log's receivers

        page_cache.connect()
        post_migrate.connect(_reference_data_sync, sender=self)
        registry.data_versions.register(registry.DataVersion("roles", _roles_changed_at))


def _roles_changed_at():
    from core.api.conditional import history_changed_at
    from core.models import RoleAssignment

    return history_changed_at(RoleAssignment)


def _reference_data_sync(sender, apps=None, **kwargs) -> None:
    """After every migrate (core's signal: sent once per migrate, after all apps), and after
    a flush empties the tables (which sends the signal without the migrated models)."""
    from django.apps import apps as installed

    from core.registry import reference_data_sync

    reference_data_sync(apps or installed)
