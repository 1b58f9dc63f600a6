"""Reference data kept as files in the repo: GPAD category labels and measure definitions.

Synced into the database after every ``migrate`` (core.registry.reference_data), so a
changed file reaches a live database without a migration, and safe to run again: rows are
matched on their keys and updated.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.apps import apps as django_apps

from imports.sources.readers import label_key

DATA = Path(__file__).resolve().parent / "data"
# Each app keeps the definitions of the measures it supplies the numbers for here.
DEFINITIONS = Path("measures") / "definitions"
DEFINITION_FIELDS = (
    "title", "description", "why_it_matters", "numerator", "denominator", "numerator_text",
    "denominator_text", "multiplier", "unit", "higher_is_better", "source", "sort_order",
    "authored_by", "checked_by", "date_reviewed", "next_review",
)  # fmt: skip
GOVERNANCE_FIELDS = ("authored_by", "checked_by", "date_reviewed", "next_review")


def gpad_categories() -> dict[str, list[dict]]:
    return json.loads((DATA / "gpad_categories.json").read_text())


def definition_files() -> list[Path]:
    """Every installed app's measure definition files (``<app>/measures/definitions``)."""
    found = []
    for config in django_apps.get_app_configs():
        found.extend(sorted((Path(config.path) / DEFINITIONS).glob("*.json")))
    return found


def measure_definitions() -> list[dict]:
    return [json.loads(path.read_text()) for path in definition_files()]


def gpad_categories_sync(category_model, alias_model) -> None:
    """Upsert every category and its aliases (the label itself is an alias too)."""
    for dimension, items in gpad_categories().items():
        for item in items:
            category, _ = category_model.objects.update_or_create(
                dimension=dimension,
                key=item["key"],
                defaults={
                    "label": item["label"],
                    "sort_order": item["sort_order"],
                    "is_data_quality": item["is_data_quality"],
                },
            )
            for alias in {label_key(a) for a in [item["label"], *item["aliases"]]}:
                alias_model.objects.update_or_create(
                    dimension=dimension, alias=alias, defaults={"category": category}
                )


def measure_definitions_sync(definition_model) -> None:
    """Upsert every definition, with the fields the model has at this migration."""
    held = {field.name for field in definition_model._meta.get_fields()}
    for item in measure_definitions():
        defaults = {f: _definition_value(item, f) for f in DEFINITION_FIELDS if f in held}
        definition_model.objects.update_or_create(code=item["code"], defaults=defaults)


def _definition_value(item: dict, field: str):
    value = item.get(field)
    if field in GOVERNANCE_FIELDS:
        if field.startswith(("date_", "next_")):
            return dt.date.fromisoformat(value) if value else None
        return value or ""
    return value


def reference_data_sync(apps) -> None:
    """GPAD's category labels and every app's measure definitions (after each migrate)."""
    gpad_categories_sync(
        apps.get_model("metrics", "AppointmentCategory"), apps.get_model("metrics", "CategoryAlias")
    )
    measure_definitions_sync(apps.get_model("metrics", "MeasureDefinition"))
