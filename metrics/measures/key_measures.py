"""The measures a board leads with, in order, and the ICB's targets for them: one list per
ICB, read alike by the dashboard, the board pack, the alerts, the access pages and the API.

An ICB whose managers have not set a list reads the default (key_measures.json, reviewed
like the measure definitions). Their first save writes the whole list as they submitted it;
every later save changes only what they changed, so the history says what moved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction

from metrics.models import KeyMeasure, MeasureDefinition
from practices.models import Organisation, OrgKind

DEFAULT = Path(__file__).with_name("key_measures.json")


@dataclass(frozen=True)
class KeyMeasureItem:
    """One key measure: its code, the target (None: the ICB has none) and where the target
    comes from; ``definition`` once read from the database."""

    code: str
    target: float | None = None
    target_basis: str = ""
    definition: MeasureDefinition | None = field(default=None, compare=False)


@dataclass(frozen=True)
class KeyMeasures:
    key: tuple[KeyMeasureItem, ...]
    lowest_access: tuple[str, ...]  # the measures whose lowest practices need attention
    data_quality: str  # the measure whose highest practices need attention
    saved: bool = False  # the ICB's own list (else the default)
    definitions: dict[str, MeasureDefinition] = field(default_factory=dict, compare=False)

    @property
    def key_codes(self) -> list[str]:
        return [measure.code for measure in self.key]

    @property
    def all_codes(self) -> list[str]:
        return [*self.key_codes, self.data_quality]

    def codes_from(self, source: str) -> list[str]:
        """The key measures computed from one source, in order (the access pages show the
        GP appointment ones)."""
        return [m.code for m in self.key if m.definition and m.definition.source == source]


@cache
def default_key_measures() -> KeyMeasures:
    """The default list, without definitions."""
    data = json.loads(DEFAULT.read_text())
    return KeyMeasures(
        key=tuple(KeyMeasureItem(**measure) for measure in data["measures"]),
        lowest_access=tuple(data["lowest_access"]),
        data_quality=data["data_quality"],
    )


class KeyMeasuresError(ValueError):
    """A list that cannot be saved, said in plain English."""


@transaction.atomic
def key_measures_save(
    *, icb: Organisation, items: list[KeyMeasureItem], user: User
) -> list[KeyMeasure]:
    """Make ``items`` the ICB's key measures, in that order: measures left out are removed,
    new ones added, and only rows that changed are saved (each save is kept in history)."""
    if icb.kind != OrgKind.ICB:
        raise KeyMeasuresError(f"{icb} is not an ICB.")
    if not items:
        raise KeyMeasuresError("Keep at least one key measure.")
    existing = {row.measure_id: row for row in KeyMeasure.objects.filter(icb=icb)}
    wanted = {item.code for item in items}
    for code, row in existing.items():
        if code not in wanted:
            row._history_user = user
            row.delete()
    return [
        _row_save(
            existing.get(item.code) or KeyMeasure(icb=icb, measure_id=item.code), item, n, user
        )
        for n, item in enumerate(items, start=1)
    ]


def _row_save(row: KeyMeasure, item: KeyMeasureItem, position: int, user: User) -> KeyMeasure:
    basis = item.target_basis.strip() if item.target is not None else ""
    given = (position, item.target, basis)
    if row.pk and (row.position, row.target, row.target_basis) == given:
        return row  # as it was: nothing to record
    row.position, row.target, row.target_basis = given
    row.updated_by = row._history_user = user
    row.save()
    return row
