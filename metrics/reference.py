"""Reference data kept as files in the repo: GPAD category labels and measure definitions.

Synced into the database by migrations (so a fresh database has them) and safe to run
again: rows are matched on their keys and updated.
"""

from __future__ import annotations

import json
from pathlib import Path

from metrics.sources.readers import label_key

DATA = Path(__file__).resolve().parent / "data"
DEFINITIONS = Path(__file__).resolve().parent / "measures" / "definitions"
DEFINITION_FIELDS = (
    "title", "description", "why_it_matters", "numerator", "denominator", "numerator_text",
    "denominator_text", "multiplier", "unit", "higher_is_better", "source", "sort_order",
)  # fmt: skip


def gpad_categories() -> dict[str, list[dict]]:
    return json.loads((DATA / "gpad_categories.json").read_text())


def measure_definitions() -> list[dict]:
    files = sorted(DEFINITIONS.glob("*.json"))
    return [json.loads(path.read_text()) for path in files]


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
    for item in measure_definitions():
        defaults = {field: item.get(field) for field in DEFINITION_FIELDS}
        definition_model.objects.update_or_create(code=item["code"], defaults=defaults)
