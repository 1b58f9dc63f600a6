"""Reads of import batches for the imports pages, of the API's lists of measures, and of each
ICB's key measures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.core.cache import cache
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from core.access import NATIONAL, Scope
from imports.registry import all_sources
from metrics.measures.key_measures import KeyMeasureItem, KeyMeasures, default_key_measures
from metrics.models import ImportBatch, KeyMeasure, MeasureDefinition, MeasureValue
from practices.models import Organisation, OrgKind
from practices.selectors import parent_as_at


def import_batches(scope: Scope) -> QuerySet[ImportBatch]:
    """The batches ``scope`` may see, newest first, with who loaded them: staff see every
    one; others the national files (which every ICB reads) and their own ICB's files."""
    batches = ImportBatch.objects.select_related("created_by").order_by("-created_at", "-id")
    if scope.is_staff:
        return batches
    national = [source.code for source in all_sources() if source.writes == NATIONAL]
    return batches.filter(Q(source__in=national) | Q(icb_id__in=scope.managed_icb_ids))


def source_titles() -> dict[str, str]:
    return {source.code: source.title for source in all_sources()}


@dataclass(frozen=True)
class BatchState:
    """What the batch page's progress script polls for."""

    status: str
    label: str
    progress: int
    outcome: str
    finished: bool

    @classmethod
    def of(cls, batch: ImportBatch) -> BatchState:
        return cls(
            status=batch.status,
            label=batch.get_status_display(),
            progress=batch_progress(batch),
            outcome=batch.outcome,
            finished=batch.is_finished,
        )


def batch_progress(batch: ImportBatch) -> int:
    """Per cent done. A running import reports through the cache, because its own rows
    are inside a transaction nobody else can see until it ends."""
    if batch.is_finished:
        return batch.progress
    return max(batch.progress, cache.get(progress_key(batch.pk), 0))


def progress_key(batch_id: int) -> str:
    return f"import-batch-progress-{batch_id}"


# When measures were last recomputed outside an import (a list-size correction, say): such
# a recompute changes figures without a new import batch, and API ETags must see it.
MEASURES_RECOMPUTED_AT = "measures-recomputed-at"


def measures_recomputed_at() -> dt.datetime | None:
    return cache.get(MEASURES_RECOMPUTED_AT)


# --- API reads ---------------------------------------------------------------------------


def measure_definitions() -> QuerySet[MeasureDefinition]:
    """Every reviewed definition (reference data: the same for every reader)."""
    return MeasureDefinition.objects.order_by("sort_order", "code")


MEASURE_VALUE_COLUMNS = {
    "measure_code": F("measure_id"),
    "org_type": F("org__kind"),
    "org_code": F("org__code"),
    "org_name": F("org__name"),
}
MEASURE_VALUE_FIELDS = (
    "period", "numerator", "denominator", "denominator_month", "value", "per_working_day",
    "change_year", "change_baseline", "percentile_england", "percentile_icb", "batch_id",
)  # fmt: skip


def measure_values_listed(org_ids: Iterable[int]) -> QuerySet[MeasureValue]:
    """Values for the given organisations (a reader's ``Scope.figure_org_ids``), as rows
    of plain values, by measure, level, ODS code and month."""
    return (
        MeasureValue.objects.filter(org__in_ids=list(org_ids))
        .order_by("measure_id", "org__kind", "org__code", "period")
        .values(*MEASURE_VALUE_FIELDS, **MEASURE_VALUE_COLUMNS)
    )


# --- Key measures ------------------------------------------------------------------------


def key_measures(icb: Organisation | None) -> KeyMeasures:
    """The ICB's key measures, in order, with their definitions and targets: the list its
    managers set, else the default (also for a reader with no ICB: England, a region).
    Measures whose definition is gone are left out. Two queries (one with no ICB)."""
    default = default_key_measures()
    rows = KeyMeasure.objects.filter(icb=icb).order_by("position") if icb else []
    saved = [KeyMeasureItem(r.measure_id, r.target, r.target_basis) for r in rows]
    items = saved or list(default.key)
    codes = {*(item.code for item in items), *default.lowest_access, default.data_quality}
    definitions = MeasureDefinition.objects.in_bulk(sorted(codes))
    return replace(
        default,
        key=tuple(
            replace(item, definition=definitions[item.code])
            for item in items
            if item.code in definitions
        ),
        saved=bool(saved),
        definitions=definitions,
    )


def key_measures_of(org: Organisation) -> KeyMeasures:
    """The key measures of the ICB ``org`` is in today (its own, for an ICB)."""
    return key_measures(_icb_today(org))


def _icb_today(org: Organisation) -> Organisation | None:
    if org.kind == OrgKind.ICB:
        return org
    if org.kind in (OrgKind.ENGLAND, OrgKind.REGION):
        return None
    return parent_as_at(org, OrgKind.ICB, timezone.localdate())


@dataclass(frozen=True)
class KeyMeasureChange:
    at: dt.datetime
    who: str
    what: str


def key_measure_history(icb: Organisation, limit: int = 100) -> list[KeyMeasureChange]:
    """Changes to the ICB's key measures, newest first: each measure added, moved, given a
    target or removed, with who and when."""
    titles = dict(MeasureDefinition.objects.values_list("code", "title"))
    rows = KeyMeasure.history.filter(icb_id=icb.pk).select_related("history_user")
    before: dict[str, object] = {}
    changes = []
    for row in rows.order_by("history_date", "history_id"):
        title = titles.get(row.measure_id, row.measure_id)
        what = _key_change(row, before.get(row.measure_id), title)
        before[row.measure_id] = None if row.history_type == "-" else row
        user = row.history_user
        changes.append(
            KeyMeasureChange(row.history_date, user.get_username() if user else "", what)
        )
    return changes[::-1][:limit]


def _key_change(row, was, title: str) -> str:
    if row.history_type == "-":
        return f"Removed {title}"
    target = _target_text(row.target, row.target_basis)
    if was is None or row.history_type == "+":
        return f"Added {title} at position {row.position}, {target}"
    moved = [f"moved from {was.position} to {row.position}"] if was.position != row.position else []
    if (was.target, was.target_basis) != (row.target, row.target_basis):
        moved.append(target)
    return f"{title}: " + ("; ".join(moved) or "saved unchanged")


def _target_text(target: float | None, basis: str) -> str:
    if target is None:
        return "no target"
    return f"target {target:g} ({basis})" if basis else f"target {target:g}"


def key_measures_listed(icbs: Iterable[Organisation]) -> list[dict[str, object]]:
    """The key measures of each ICB, as the API lists them: by ICB, then in order."""
    return [
        {
            "icb_code": icb.code,
            "position": position,
            "code": item.code,
            "title": item.definition.title,
            "unit": item.definition.unit,
            "target": item.target,
            "target_basis": item.target_basis,
            "default_list": not measures.saved,
        }
        for icb in icbs
        for measures in [key_measures(icb)]
        for position, item in enumerate(measures.key, start=1)
    ]
