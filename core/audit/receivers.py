"""What writes the audit log without a service calling it: every record django-simple-history
keeps (register, list sizes, ARRS records, roles), every import that loads and the ICBs'
baseline months. Each receiver
only records; none changes data."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record

from core.audit.models import EventKind
from core.audit.services import audit_record
from practices.models import Organisation

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
# Where a record names the organisations it belongs to; a record naming none (the ARRS roles,
# reimbursement rates, the NWRS role mapping) is shared by every ICB: national.
ORG_FIELDS = ("icb", "pcn", "practice", "organisation", "child", "parent")
# Fields whose changes say nothing to a reader of the log.
QUIET_FIELDS = {"id", "source_row"}


@receiver(post_create_historical_record)
def history_recorded(sender, instance, history_instance, **kwargs) -> None:
    from core.models import RoleAssignment

    action = ACTIONS.get(history_instance.history_type, "changed")
    orgs = _orgs_of(instance)
    is_role = isinstance(instance, RoleAssignment)
    audit_record(
        kind=EventKind.ROLE if is_role else EventKind.DATA,
        action=action,
        obj=instance,
        summary=(
            _role_summary(instance, action)
            if is_role
            else _summary(instance, history_instance, action)
        ),
        user=history_instance.history_user,
        orgs=orgs,
        national=not orgs,
    )


@receiver(post_save, sender="metrics.ImportBatch")
def import_finished(sender, instance, update_fields=None, **kwargs) -> None:
    """A batch that loaded, once (a batch is saved many times while it runs)."""
    from core.audit.models import AuditEvent
    from metrics.models import BatchStatus

    if instance.status != BatchStatus.SUCCEEDED:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    label = instance._meta.label_lower
    if AuditEvent.objects.filter(object_type=label, object_id=str(instance.pk)).exists():
        return
    audit_record(
        kind=EventKind.IMPORT,
        action="loaded",
        obj=instance,
        summary=_batch_summary(instance),
        user=instance.created_by,
        orgs=[instance.icb],
        national=instance.icb_id is None,
    )


@receiver(post_save, sender="metrics.BaselineSetting")
def baseline_chosen(sender, instance, **kwargs) -> None:
    """The ICB's baseline month (kept without history): every change on the baseline in the
    ICB is worked out again from it."""
    month = f"{instance.month:%B %Y}" if instance.month else "the same month of 2019"
    audit_record(
        kind=EventKind.DATA,
        action="changed",
        obj=instance,
        summary=f"Baseline month for {instance.icb.name} set to {month}",
        user=_request_user(),
        orgs=[instance.icb],
    )


def _request_user():
    """The signed-in user of the request being served, as django-simple-history's middleware
    keeps it; None outside a request."""
    request = getattr(HistoricalRecords.context, "request", None)
    return getattr(request, "user", None)


def _orgs_of(instance) -> list[Organisation]:
    if isinstance(instance, Organisation):
        return [instance]
    found = (getattr(instance, name, None) for name in ORG_FIELDS)
    return [org for org in found if isinstance(org, Organisation)]


def _summary(instance, record, action: str) -> str:
    what = f"{instance._meta.verbose_name.capitalize()} {instance}"
    if action != "changed":
        return f"{what} {action}"
    changes = _changes(record)
    return f"{what} changed: {changes}" if changes else f"{what} saved unchanged"


def _changes(record) -> str:
    """'field: old → new' for each field that differs from the history record before."""
    previous = record.prev_record
    if previous is None:
        return ""
    delta = record.diff_against(previous)
    parts = [
        f"{change.field}: {_short(change.old)} → {_short(change.new)}"
        for change in delta.changes
        if change.field not in QUIET_FIELDS
    ]
    return "; ".join(parts)


def _short(value) -> str:
    text = "blank" if value in (None, "") else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _role_summary(assignment, action: str) -> str:
    verb = {"created": "given", "deleted": "removed", "changed": "changed"}[action]
    return (
        f"Role {verb}: {assignment.user} as {assignment.get_role_display()} for "
        f"{assignment.organisation.name} ({assignment.organisation.code})"
    )


def _batch_summary(batch) -> str:
    rows = f"{batch.rows_loaded:,} of {batch.rows_read:,} rows loaded"
    return f"Import {batch.pk}: {batch.source} file {batch.file_name} loaded ({rows})"
