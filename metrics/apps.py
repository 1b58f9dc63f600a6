from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = "Measures and imports"

    def ready(self) -> None:
        from core import registry
        from metrics import checks, reference  # noqa: F401 - checks: the definitions' checks
        from metrics.measures.gpad import GpadProvider

        registry.measure_providers.register(GpadProvider())
        registry.reference_data.register(
            registry.ReferenceData("metrics", reference.reference_data_sync, order=10)
        )
