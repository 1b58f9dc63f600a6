"""Which measures the board reads first, and the ICB's targets for them.

Kept as data (key_measures.json) beside the code that reads it, like the measure
definitions themselves: changing a target is a reviewed one-line change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CONFIG = Path(__file__).with_name("key_measures.json")


@dataclass(frozen=True)
class KeyMeasure:
    code: str
    target: float | None = None
    target_basis: str = ""


@dataclass(frozen=True)
class DashboardMeasures:
    key: tuple[KeyMeasure, ...]
    lowest_access: tuple[str, ...]  # the measures whose lowest practices need attention
    data_quality: str  # the measure whose highest practices need attention

    @property
    def key_codes(self) -> list[str]:
        return [measure.code for measure in self.key]

    @property
    def all_codes(self) -> list[str]:
        return [*self.key_codes, self.data_quality]


@cache
def dashboard_measures() -> DashboardMeasures:
    data = json.loads(CONFIG.read_text())
    return DashboardMeasures(
        key=tuple(KeyMeasure(**measure) for measure in data["measures"]),
        lowest_access=tuple(data["lowest_access"]),
        data_quality=data["data_quality"],
    )
