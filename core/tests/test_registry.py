"""The registries apps plug into, and the system checks that verify them at start-up."""

from __future__ import annotations

import json

import pytest

from core import checks, registry
from metrics import checks as measure_checks
from metrics import reference


def test_a_key_registered_twice_is_refused():
    items = registry.Registry("Things", key=lambda item: item.key)
    items.register(registry.NavItem("home", "Home", "home"))
    with pytest.raises(ValueError, match="'home' is registered twice"):
        items.register(registry.NavItem("home", "Also home", "home"))


def test_entries_come_in_order_then_by_key():
    items = registry.Registry("Things", key=lambda i: i.key, order=lambda i: (i.order, i.key))
    for key, order in (("b", 2), ("c", 1), ("a", 2)):
        items.register(registry.NavItem(key, key, "home", order=order))
    assert items.keys() == ["c", "a", "b"]


def test_a_panel_whose_template_is_missing_fails_the_check():
    panel = registry.Panel("ghost", "practice", "nowhere/ghost.jinja", context=lambda r, o: {})
    registry.panels.register(panel)
    try:
        errors = checks.registered_templates_exist(None)
    finally:
        registry.panels.unregister("ghost")
    assert [e.id for e in errors] == ["core.E102"]
    assert checks.registered_templates_exist(None) == []


def test_a_navigation_item_with_no_url_fails_the_check():
    registry.nav.register(registry.NavItem("ghost", "Ghost", "no-such-page"))
    try:
        errors = checks.navigation_urls_exist(None)
    finally:
        registry.nav.unregister("ghost")
    assert [e.id for e in errors] == ["core.E104"]


def test_every_measure_definition_has_a_provider_and_its_governance_fields():
    assert measure_checks.measure_definitions_have_providers(None) == []


def test_a_definition_without_a_provider_or_a_reviewer_is_reported(tmp_path, monkeypatch):
    found = reference.definition_files()
    orphan = tmp_path / "orphan.json"
    orphan.write_text(json.dumps({"code": "orphan", "source": "nowhere", "title": "Orphan"}))
    monkeypatch.setattr(measure_checks, "definition_files", lambda: [*found, orphan, found[0]])
    ids = sorted(p.id for p in measure_checks.measure_definitions_have_providers(None))
    assert ids == ["metrics.E101", "metrics.E102", "metrics.W101"]


@pytest.mark.django_db
def test_changed_definitions_reach_the_database_at_the_next_migrate():
    from django.core.management import call_command

    from metrics.models import MeasureDefinition

    MeasureDefinition.objects.filter(code="dna_pct").update(title="Stale title", checked_by="")
    call_command("migrate", verbosity=0)
    fresh = MeasureDefinition.objects.get(code="dna_pct")
    assert fresh.title == "Did not attend"
    assert fresh.checked_by


@pytest.mark.django_db
def test_the_header_lists_what_the_apps_registered_that_the_reader_may_open(
    client, board_member, staff_admin, settings
):
    from tests.pages import page_as

    settings.PAGE_CACHE_SECONDS = 0
    html = page_as(client, board_member, "/").content.decode()
    header = html[html.index("nhsuk-header__navigation") :]
    shown = [
        label for label in ("Dashboard", "Organisations", "Workforce", "Access") if label in header
    ]
    assert shown == ["Dashboard", "Organisations", "Workforce", "Access"]
    assert header.index("Dashboard") < header.index("Organisations") < header.index("Access")
    assert ">Imports<" not in header  # a board member loads nothing
    staff = page_as(client, staff_admin, "/").content.decode()
    assert ">Imports<" in staff[staff.index("nhsuk-header__navigation") :]
