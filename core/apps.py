from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Access Portal core"

    def ready(self) -> None:
        from core import (
            page_cache,
            queries,  # noqa: F401 - registers the in_ids lookup for every app
            sessions,  # noqa: F401 - marks a session refreshed when someone signs in
        )
        from core.audit import receivers  # noqa: F401 - connects the audit log's receivers

        page_cache.connect()
