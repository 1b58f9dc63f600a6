"""Turning published labels and codes into ids, once per distinct value."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from imports.sources.base import WriteContext
from imports.sources.readers import (
    PCN_CODE,
    PRACTICE_CODE,
    SUB_ICB_CODE,
    clean_text,
    display_name,
    is_sentinel,
    label_key,
    ods_code,
    parse_date,
)
from metrics.models import AppointmentCategory, CategoryAlias, Dimension
from metrics.models.gpad import CLINICAL_TRIAGE, DIMENSION_COLUMNS, NO_PCN
from practices.models import Organisation, OrgKind
from practices.services import OrgRecord, organisations_upsert

COLUMN_DIMENSIONS = {column: dimension for dimension, column in DIMENSION_COLUMNS.items()}
# No practice records a million appointments of one kind in a month; a bigger count is a
# damaged file (and one past 2**31 would not fit the database column at all).
MAX_COUNT = 1_000_000
# Months outside these years are typing errors (01MAR0025), not appointments.
FIRST_YEAR, LAST_YEAR = 2000, 2099


class Categories:
    """Published label -> category id, per dimension, through the alias table."""

    def __init__(self) -> None:
        self._ids: dict[str, dict[str, int]] = {d: {} for d in Dimension.values}
        self._suppliers: dict[str, int] = {}
        for dimension, alias, category_id in CategoryAlias.objects.values_list(
            "dimension", "alias", "category_id"
        ):
            self._ids[dimension][alias] = category_id
        self.triage_id = (
            AppointmentCategory.objects.filter(
                dimension=Dimension.NATIONAL_CATEGORY, key=CLINICAL_TRIAGE
            )
            .values_list("pk", flat=True)
            .first()
        )

    def id_for(self, dimension: str, label: str) -> int | None:
        return self._ids[dimension].get(label_key(label))

    def supplier_id(self, label: str) -> int:
        """A number for each clinical system supplier named (EMIS, TPP, EMIS/EVERGREENLIFE):
        a practice that changed system during a month has a set of rows for each."""
        key = clean_text(label).upper()
        return self._suppliers.setdefault(key, len(self._suppliers))

    def ids(self) -> dict[str, set[int]]:
        """Every category id of each dimension."""
        return {dimension: set(ids.values()) for dimension, ids in self._ids.items()}

    def known(self, dimension: str) -> str:
        labels = sorted(self._ids[dimension])
        return ", ".join(labels[:20])


def month_of(raw: str) -> dt.date | None:
    """APPOINTMENT_MONTH_START_DATE (01DEC2025) as the first of its month, or None."""
    try:
        day = parse_date(raw)
    except ValueError:
        return None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    return day.replace(day=1)


@dataclass(frozen=True)
class PracticeSeen:
    """What a crosstab row says about a practice the register does not know yet."""

    code: str
    name: str
    pcn_code: str
    pcn_name: str
    sub_icb_code: str
    sub_icb_name: str


@dataclass
class Practices:
    """Practice code -> id. Practices missing from the register are added as they are met,
    from what the crosstab row says about them, and listed for the batch."""

    context: WriteContext
    ids: dict[str, int] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        rows = Organisation.objects.filter(kind=OrgKind.PRACTICE).values_list("code", "pk")
        self.ids = dict(rows)

    def id_for(self, code: str) -> int | None:
        return self.ids.get(code)

    def codes_of(self, practice_ids) -> list[str]:
        """The codes of these practices (known or added), in code order."""
        wanted = set(practice_ids)
        return sorted(code for code, pk in self.ids.items() if pk in wanted)

    def add(self, seen: list[PracticeSeen]) -> None:
        """Create the practices (and their PCNs and places, if new) in three queries."""
        fresh = [s for s in seen if s.code not in self.ids]
        if not fresh:
            return
        self._upsert(OrgKind.SUB_ICB, [(s.sub_icb_code, s.sub_icb_name) for s in fresh])
        self._upsert(OrgKind.PCN, [(s.pcn_code, s.pcn_name) for s in fresh])
        self._upsert(OrgKind.PRACTICE, [(s.code, s.name) for s in fresh])
        rows = Organisation.objects.filter(kind=OrgKind.PRACTICE, code__in=[s.code for s in fresh])
        self.ids.update(rows.values_list("code", "pk"))
        self.added.extend(s.code for s in fresh)

    def _upsert(self, kind: str, pairs: list[tuple[str, str]]) -> None:
        existing = set(
            Organisation.objects.filter(kind=kind, code__in=[c for c, _ in pairs]).values_list(
                "code", flat=True
            )
        )
        records = [
            OrgRecord(code=code, name=_name(name) or None)
            for code, name in dict(pairs).items()
            if code and code not in existing
        ]
        if records:
            organisations_upsert(kind=kind, records=records, context=self.context)


NAME_LENGTH = Organisation._meta.get_field("name").max_length


def _name(raw: str) -> str:
    """A name from a crosstab row as the register can hold it: no control characters
    (PostgreSQL refuses NUL), no longer than the column."""
    printable = "".join(ch if ch.isprintable() else " " for ch in raw)
    return display_name(printable)[:NAME_LENGTH].strip()


def practice_code(raw: str) -> str | None:
    code = ods_code(raw)
    return code if PRACTICE_CODE.fullmatch(code) else None


def reported_pcn(raw: str) -> str:
    """The PCN a month's row reports: its code, ``NO_PCN`` for a practice published in no
    PCN (Unallocated and the like), or '' when the row does not say."""
    code = ods_code(raw)
    if PCN_CODE.fullmatch(code) and not is_sentinel(code):
        return code
    return NO_PCN if code and is_sentinel(code) else ""


def pcn_code(raw: str) -> str:
    """A PCN code to register, or '' for a practice in no PCN or a row that does not say."""
    code = reported_pcn(raw)
    return "" if code == NO_PCN else code


def sub_icb_code(raw: str) -> str:
    code = ods_code(raw)
    return code if SUB_ICB_CODE.fullmatch(code) else ""


def seen(values: dict[str, str], code: str) -> PracticeSeen:
    return PracticeSeen(
        code=code,
        name=clean_text(values.get("GP_NAME", "")),
        pcn_code=pcn_code(values.get("PCN_CODE", "")),
        pcn_name=clean_text(values.get("PCN_NAME", "")),
        sub_icb_code=sub_icb_code(values.get("SUB_ICB_LOCATION_CODE", "")),
        sub_icb_name=clean_text(values.get("SUB_ICB_LOCATION_NAME", "")),
    )
