"""Writes to the organisation register. Importers call these inside their transaction.

All writes are bulk (one query per kind of change, not per row) and say what they
changed, so a re-run of the same file reports "nothing changed".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from core.bulk import rows_insert
from imports.sources.base import WriteContext, Written
from practices.models import (
    RELATION_KINDS,
    ListSize,
    Membership,
    MembershipBasis,
    Organisation,
    OrgKind,
)

ORG_FIELDS = ("name", "open_date", "close_date", "status", "postcode", "address", "phone")
PLACEHOLDER_NAMES = {
    "region": "Region {code}",
    "icb": "ICB {code}",
    "sub_icb": "Sub-ICB location {code}",
    "pcn": "PCN {code}",
    "practice": "Practice {code}",
}


@dataclass(frozen=True)
class OrgRecord:
    """An organisation as a source describes it. ``None`` means "this source does not say"."""

    code: str
    name: str | None = None
    open_date: dt.date | None = None
    close_date: dt.date | None = None
    status: str | None = None
    postcode: str | None = None
    address: str | None = None
    phone: str | None = None
    row: int | None = None
    # Sources that publish a close date say "not closed" with a blank; others say nothing.
    close_date_known: bool = False


def organisations_upsert(
    *, kind: str, records: Sequence[OrgRecord], context: WriteContext
) -> Written:
    """Create or update organisations of one kind by ODS code."""
    existing = {o.code: o for o in Organisation.objects.filter(kind=kind)}
    new, changed, result = [], [], Written()
    for record in _last_per_code(records):
        org = existing.get(record.code)
        if org is None:
            new.append(_new_org(kind, record, context))
        elif _apply(org, record, context):
            changed.append(org)
        else:
            result.unchanged += 1
    rows_insert(Organisation, NEW_ORG_COLUMNS, new)
    update_fields = [*ORG_FIELDS, "source_batch", "source_row"]
    Organisation.objects.bulk_update(changed, update_fields, batch_size=1000)
    result.created, result.updated = len(new), len(changed)
    return result


def _last_per_code(records: Iterable[OrgRecord]) -> list[OrgRecord]:
    return list({record.code: record for record in records}.values())


NEW_ORG_COLUMNS = ("kind", "code", *ORG_FIELDS, "source_batch_id", "source_row")
_ORG_DEFAULTS = {name: Organisation._meta.get_field(name).get_default() for name in ORG_FIELDS}


def _new_org(kind: str, record: OrgRecord, context: WriteContext) -> tuple:
    """A new organisation's row (``NEW_ORG_COLUMNS``): what the record says, else the
    field's default, and a placeholder name until a source names it."""
    values = []
    for field in ORG_FIELDS:
        value = getattr(record, field)
        if value is None and field == "name":
            value = PLACEHOLDER_NAMES[kind].format(code=record.code)
        values.append(_ORG_DEFAULTS[field] if value is None else value)
    return (kind, record.code, *values, context.batch_id, record.row)


def _apply(org: Organisation, record: OrgRecord, context: WriteContext) -> bool:
    changed = False
    for field in ORG_FIELDS:
        value = getattr(record, field)
        if value is None and not (field == "close_date" and record.close_date_known):
            continue
        if getattr(org, field) != value:
            setattr(org, field, value)
            changed = True
    if changed:
        org.source_batch_id, org.source_row = context.batch_id, record.row
    return changed


def org_ids_by_code(kind: str, codes: Iterable[str]) -> dict[str, int]:
    wanted = set(codes)
    rows = Organisation.objects.filter(kind=kind).values_list("code", "pk")
    return {code: pk for code, pk in rows if code in wanted}


@dataclass(frozen=True)
class ObservedLink:
    """``child`` belonged to ``parent`` (or to none, when parent is None) when the snapshot
    was taken."""

    child: str
    parent: str | None
    row: int | None = None


def memberships_observe(
    *, relation: str, links: Sequence[ObservedLink], context: WriteContext
) -> Written:
    """Record what a snapshot says about who belongs to whom, on ``context.as_of``.

    A link already in force is left alone. A child that has moved has its old link ended
    the day before ``as_of`` and a new one started on it. A child seen for the first time
    gets a link with no start date ("since before our records begin").
    """
    child_kind, parent_kind = RELATION_KINDS[relation]
    child_ids = org_ids_by_code(child_kind, (link.child for link in links))
    parent_ids = org_ids_by_code(parent_kind, (link.parent for link in links if link.parent))
    current = _links_by_child(relation, child_ids.values())
    result, new = Written(), []
    for link in links:
        child_id = child_ids[link.child]
        parent_id = parent_ids[link.parent] if link.parent else None
        written, created = _observe_one(
            relation, child_id, parent_id, current[child_id], link, context
        )
        result += written
        new.extend(created)
    rows_insert(Membership, NEW_LINK_COLUMNS, new)  # traced by batch and row
    return result


def _links_by_child(relation: str, child_ids: Iterable[int]) -> dict[int, list[Membership]]:
    found: dict[int, list[Membership]] = {pk: [] for pk in child_ids}
    for link in Membership.objects.filter(relation=relation, child_id__in_ids=list(found)):
        found[link.child_id].append(link)
    return found


NEW_LINK_COLUMNS = (
    "relation", "child_id", "parent_id", "start_date", "end_date", "basis", "source_batch_id",
    "source_row",
)  # fmt: skip


def _observe_one(
    relation: str,
    child_id: int,
    parent_id: int | None,
    links: list[Membership],
    link: ObservedLink,
    context: WriteContext,
) -> tuple[Written, list[tuple]]:
    """What the snapshot changes for one child, and the link to create (if any)."""
    day = context.as_of
    in_force = [m for m in links if _covers(m, day)]
    if parent_id is not None and any(m.parent_id == parent_id for m in in_force):
        return Written(unchanged=1), []
    for old in in_force:
        _end_before(old, day)
    if parent_id is None:
        return (Written(updated=1) if in_force else Written(unchanged=1)), []
    start = day if links else None
    created = (relation, child_id, parent_id, start, None, MembershipBasis.OBSERVED.value,
               context.batch_id, link.row)  # fmt: skip
    return Written(created=1), [created]


def _covers(link: Membership, day: dt.date) -> bool:
    started = link.start_date is None or link.start_date <= day
    return started and (link.end_date is None or link.end_date >= day)


def _end_before(link: Membership, day: dt.date) -> None:
    if link.start_date is not None and link.start_date >= day:
        link.delete()
        return
    link.end_date = day - dt.timedelta(days=1)
    link.save(update_fields=["end_date"])


# A reported link: (child id, parent id, start date, end date or None).
ReportedLink = tuple[int, int, dt.date | None, dt.date | None]
UPDATE_CHUNK = 2000


def reported_memberships_sync(
    *, relation: str, children: Q, links: Sequence[ReportedLink], context: WriteContext
) -> None:
    """Make the reported links of one relation, for the children ``children`` selects (a
    condition on ``child_id``), exactly ``links``, touching only what differs: a link still
    wanted keeps its row, and only a changed end date is written (with this batch, in one
    UPDATE per end date); links no longer wanted are deleted; new ones are created in bulk.
    A routine month changes almost nothing here: deleting and recreating every link cost
    some 12,000 statements for a national month, and rewriting the unchanged ones half a
    second."""
    existing = Membership.objects.filter(
        children, relation=relation, basis=MembershipBasis.REPORTED
    ).values_list("pk", "child_id", "parent_id", "start_date", "end_date")
    current = {(child, parent, start): (pk, end) for pk, child, parent, start, end in existing}
    moved: dict[dt.date | None, list[int]] = defaultdict(list)
    new = []
    for child, parent, start, end in links:
        pk, stored_end = current.pop((child, parent, start), (None, None))
        if pk is None:
            new.append((relation, child, parent, start, end, MembershipBasis.REPORTED.value,
                        context.batch_id, None))  # fmt: skip
        elif stored_end != end:
            moved[end].append(pk)
    if current:
        Membership.objects.filter(pk__in=[pk for pk, _ in current.values()]).delete()
    _end_dates_move(moved, context)
    rows_insert(Membership, NEW_LINK_COLUMNS, new)


def _end_dates_move(moved: dict[dt.date | None, list[int]], context: WriteContext) -> None:
    for end_date, pks in moved.items():
        for first in range(0, len(pks), UPDATE_CHUNK):
            Membership.objects.filter(pk__in=pks[first : first + UPDATE_CHUNK]).update(
                end_date=end_date, source_batch_id=context.batch_id
            )


@dataclass(frozen=True)
class DatedLink:
    """A relationship whose dates the source publishes."""

    child: str
    parent: str
    start_date: dt.date | None
    end_date: dt.date | None
    row: int | None = None


def memberships_record_dated(
    *, relation: str, links: Sequence[DatedLink], context: WriteContext
) -> Written:
    """Load published, dated relationships.

    For every child in the file, the published history replaces what the register held
    for it: the links only observed in snapshots, and published links this file no longer
    lists (an earlier edition's start date since corrected, or a spell withdrawn), which
    would otherwise leave the child with two parents at once. Each published link is
    matched on (child, parent, start date), so a re-run updates end dates rather than
    adding rows. Children the file does not mention are left alone.
    """
    child_kind, parent_kind = RELATION_KINDS[relation]
    child_ids = org_ids_by_code(child_kind, (link.child for link in links))
    parent_ids = org_ids_by_code(parent_kind, (link.parent for link in links))
    Membership.objects.filter(
        relation=relation, child_id__in=list(child_ids.values()), basis=MembershipBasis.OBSERVED
    ).delete()
    existing = {
        (m.child_id, m.parent_id, m.start_date): m
        for m in Membership.objects.filter(
            relation=relation,
            child_id__in=list(child_ids.values()),
            basis=MembershipBasis.PUBLISHED,
        )
    }
    new, changed, result = [], [], Written()
    for link in links:
        key = (child_ids[link.child], parent_ids[link.parent], link.start_date)
        current = existing.get(key)
        if current is None:
            new.append(_dated(relation, key, link, context))
            existing[key] = new[-1]
        elif current.end_date != link.end_date:
            current.end_date = link.end_date
            current.source_batch_id, current.source_row = context.batch_id, link.row
            changed.append(current)
        else:
            result.unchanged += 1
    listed = {(child_ids[k.child], parent_ids[k.parent], k.start_date) for k in links}
    withdrawn = [m.pk for key, m in existing.items() if m.pk and key not in listed]
    Membership.objects.filter(pk__in=withdrawn).delete()
    Membership.objects.bulk_create(new, batch_size=1000)
    Membership.objects.bulk_update(changed, ["end_date", "source_batch", "source_row"])
    result.created, result.updated = len(new), len(changed) + len(withdrawn)
    return result


def _dated(
    relation: str, key: tuple[int, int, dt.date | None], link: DatedLink, context: WriteContext
) -> Membership:
    child_id, parent_id, start = key
    return Membership(
        relation=relation,
        child_id=child_id,
        parent_id=parent_id,
        start_date=start,
        end_date=link.end_date,
        basis=MembershipBasis.PUBLISHED,
        source_batch_id=context.batch_id,
        source_row=link.row,
    )


@dataclass(frozen=True)
class ListSizeRecord:
    practice: str
    month: dt.date
    all_patients: int | None = None
    patients_13_plus: int | None = None
    row: int | None = None


def list_sizes_upsert(*, records: Sequence[ListSizeRecord], context: WriteContext) -> Written:
    """Set list sizes by practice and month. Only the counts a record carries are set, so
    the all-patients file and the single-year-of-age file fill the same rows."""
    practice_ids = org_ids_by_code("practice", (r.practice for r in records))
    months = {r.month for r in records}
    existing = {
        (s.practice_id, s.month): s
        for s in ListSize.objects.filter(month__in=months, practice_id__in=practice_ids.values())
    }
    new, changed, result = [], {}, Written()
    for record in records:
        key = (practice_ids[record.practice], record.month)
        size = existing.get(key)
        if size is None:
            size = ListSize(practice_id=key[0], month=record.month)
            existing[key] = size
            new.append(size)
            _set_counts(size, record, context)
        elif _set_counts(size, record, context):
            changed[id(size)] = size
        else:
            result.unchanged += 1
    ListSize.objects.bulk_create(new, batch_size=1000)
    ListSize.objects.bulk_update(list(changed.values()), LIST_SIZE_FIELDS, batch_size=1000)
    result.created, result.updated = len(new), len(changed)
    return result


LIST_SIZE_FIELDS = [
    "all_patients",
    "patients_13_plus",
    "source_batch",
    "source_row",
    "age_source_batch",
]


def _set_counts(size: ListSize, record: ListSizeRecord, context: WriteContext) -> bool:
    changed = False
    if record.all_patients is not None and size.all_patients != record.all_patients:
        size.all_patients = record.all_patients
        size.source_batch_id, size.source_row = context.batch_id, record.row
        changed = True
    if record.patients_13_plus is not None and size.patients_13_plus != record.patients_13_plus:
        size.patients_13_plus = record.patients_13_plus
        size.age_source_batch_id = context.batch_id
        changed = True
    return changed


@dataclass(frozen=True)
class ListSizeCorrection:
    list_size: ListSize
    created: bool
    changed: bool


UNSET = object()


def list_size_correct(
    *,
    practice: Organisation,
    month: dt.date,
    all_patients: int | None | object = UNSET,
    patients_13_plus: int | None | object = UNSET,
) -> ListSizeCorrection:
    """Create or correct a practice's list size for one month, as an ICB system keeps it.

    Only the counts given change (``UNSET`` leaves one as it is). Raises ValidationError
    when the practice is not a practice, the month is not a first of the month, or the
    patients aged 13 and over would exceed all patients. Once committed, the measures that
    use list sizes are recomputed from that month on by the worker.
    """
    _correction_check(practice, month)
    with transaction.atomic():
        size = ListSize.objects.select_for_update().filter(practice=practice, month=month).first()
        created = size is None
        size = size or ListSize(practice=practice, month=month)
        before = (size.all_patients, size.patients_13_plus)
        if all_patients is not UNSET:
            size.all_patients = all_patients
        if patients_13_plus is not UNSET:
            size.patients_13_plus = patients_13_plus
        _counts_check(size)
        changed = created or before != (size.all_patients, size.patients_13_plus)
        if changed:
            size.source_batch, size.source_row = None, None
            size.save()
            _measures_recompute_from(month)
    return ListSizeCorrection(list_size=size, created=created, changed=changed)


def _correction_check(practice: Organisation, month: dt.date) -> None:
    if practice.kind != OrgKind.PRACTICE:
        raise ValidationError({"practice": f"{practice.code} is not a GP practice."})
    if month.day != 1:
        raise ValidationError(
            {"month": "List sizes are as at the first of a month: give a date like 2025-04-01."}
        )


def _counts_check(size: ListSize) -> None:
    counts = (size.all_patients, size.patients_13_plus)
    if any(count is not None and count < 0 for count in counts):
        raise ValidationError("Patient counts cannot be negative.")
    if None not in counts and size.patients_13_plus > size.all_patients:
        raise ValidationError(
            {
                "patients_13_plus": (
                    f"Patients aged 13 and over ({size.patients_13_plus:,}) cannot be more than "
                    f"all patients ({size.all_patients:,})."
                )
            }
        )


def _measures_recompute_from(month: dt.date) -> None:
    """Patients per 1,000 and the completeness rule use the latest list size at or before
    each month, so every month from this one on may change. Nationally each month is a pass
    over a million appointment rows, so the worker does it once the correction is committed."""
    from metrics.tasks import measures_recompute_from_task

    transaction.on_commit(lambda: measures_recompute_from_task.delay(month.isoformat()))
