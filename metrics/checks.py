"""System checks of the measure definitions every app keeps in its
``measures/definitions/``: each has a registered provider for its source, the governance
fields, and a code no other definition uses."""

from __future__ import annotations

import json

from django.core.checks import Error, Warning, register

from core import registry
from metrics.reference import GOVERNANCE_FIELDS, definition_files

REQUIRED = ("code", "title", "numerator", "multiplier", "unit", "source", *GOVERNANCE_FIELDS)


@register()
def measure_definitions_have_providers(app_configs, **kwargs) -> list:
    problems = []
    seen: dict[str, str] = {}
    for path in definition_files():
        item = json.loads(path.read_text())
        where = f"{path.parent.parent.parent.name}/{path.name}"
        missing = [field for field in REQUIRED if item.get(field) in (None, "")]
        if missing:
            problems.append(
                Error(f"Measure definition {where} lacks {', '.join(missing)}.", id="metrics.E101")
            )
        code = item.get("code", "")
        if code in seen:
            problems.append(
                Error(f"Measure {code} is defined twice: {seen[code]}, {where}.", id="metrics.E102")
            )
        seen[code] = where
        if item.get("source") not in registry.measure_providers:
            problems.append(
                Warning(
                    f"Measure definition {where}: no provider is registered for source "
                    f"'{item.get('source')}', so it has no values.",
                    id="metrics.W101",
                )
            )
    return problems
