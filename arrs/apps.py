from django.apps import AppConfig


class ArrsConfig(AppConfig):
    name = "arrs"
    verbose_name = "ARRS workforce"

    def ready(self) -> None:
        from arrs import reference
        from arrs.measures.provider import ArrsProvider
        from core import registry

        registry.measure_providers.register(ArrsProvider())
        registry.reference_data.register(
            registry.ReferenceData("arrs", reference.reference_data_sync, order=20)
        )
