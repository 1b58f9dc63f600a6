from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = "Measures and imports"

    def ready(self) -> None:
        from core import registry
        from imports.registry import register_source
        from metrics import checks, reference  # noqa: F401 - checks: the definitions' checks
        from metrics.demo import DEMO_PARTS
        from metrics.measures.gpad import GpadProvider
        from metrics.sources import gpad, gpad_coverage, gpad_mapping

        registry.measure_providers.register(GpadProvider())
        registry.reference_data.register(
            registry.ReferenceData("metrics", reference.reference_data_sync, order=10)
        )
        registry.api_routes.register(registry.ApiRoutes("metrics", _routes))
        registry.nav.register(registry.NavItem("access", "Access", "metrics:access", 50))
        registry.nav.register(
            registry.NavItem("imports", "Imports", "metrics:imports", 60, visible=_sees_imports)
        )
        registry.data_versions.register(registry.DataVersion("imports", _imports_changed_at))
        registry.data_versions.register(registry.DataVersion("key-measures", _keys_changed_at))
        for source in (
            gpad.GpadSource,
            gpad_coverage.GpadCoverageSource,
            gpad_mapping.GpadMappingSource,
        ):
            register_source(source)
        for part in DEMO_PARTS:  # loaded by the demo app, where it is installed
            registry.demo_data.register(part)


def _sees_imports(scope) -> bool:
    return scope.can_see_imports


def _routes(router) -> None:
    from metrics import api

    api.routes(router)


def _keys_changed_at():
    """The latest change an ICB made to its key measures and their targets."""
    from core.api.conditional import history_changed_at
    from metrics.models import KeyMeasure

    return history_changed_at(KeyMeasure)


def _imports_changed_at():
    """The latest finished import, or recompute of measures outside an import."""
    from django.db.models import Max

    from core.api.conditional import latest
    from metrics.models import ImportBatch
    from metrics.selectors import measures_recomputed_at

    finished = ImportBatch.objects.aggregate(at=Max("finished_at"))["at"]
    return latest([finished, measures_recomputed_at()])
