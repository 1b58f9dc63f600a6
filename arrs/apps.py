from django.apps import AppConfig


class ArrsConfig(AppConfig):
    name = "arrs"
    verbose_name = "ARRS workforce"

    def ready(self) -> None:
        from arrs import api, panels, presenters, reference
        from arrs.board import WORKFORCE_SECTION
        from arrs.demo import DEMO_PARTS
        from arrs.measures.provider import ArrsProvider
        from arrs.sources import arrs_tables, nwrs_pcn
        from core import registry
        from imports.registry import register_source

        registry.measure_providers.register(ArrsProvider())
        for source in (
            arrs_tables.ArrsAllocationsSource,
            arrs_tables.ArrsInPostSource,
            arrs_tables.ArrsClaimsSource,
            nwrs_pcn.NwrsPcnSource,
        ):
            register_source(source)
        registry.reference_data.register(
            registry.ReferenceData("arrs", reference.reference_data_sync, order=20)
        )
        registry.api_routes.register(registry.ApiRoutes("arrs", api.routes))
        registry.data_versions.register(registry.DataVersion("arrs", _arrs_changed_at))
        registry.jinja_filters.register(registry.JinjaFilters("arrs", presenters.FILTERS))
        registry.board_sections.register(WORKFORCE_SECTION)
        for panel in panels.PANELS:
            registry.panels.register(panel)
        registry.nav.register(
            registry.NavItem("workforce", "Workforce", "arrs:icb", 40, visible=_reads_an_icb)
        )
        for part in DEMO_PARTS:  # loaded by the demo app, where it is installed
            registry.demo_data.register(part)


def _reads_an_icb(scope) -> bool:
    """Workforce figures are kept per ICB: the link is for readers of one."""
    return bool(scope.icb_ids)


def _arrs_changed_at():
    """The latest saved change to an ARRS record, or amounts added in bulk (no history)."""
    from django.db.models import Max

    from arrs import models
    from core.api.conditional import history_changed_at, latest

    audited = history_changed_at(
        models.Allocation,
        models.PlanRound,
        models.WorkforcePlan,
        models.ArrsRole,
        models.NwrsRoleMapping,
        models.ReimbursementRate,
        models.RoleAlias,
        models.IcbInPostCount,
    )
    added = models.ReimbursementRate.objects.aggregate(at=Max("created_at"))["at"]
    return latest([audited, added])
