"""The audit log: one row per change to data, roles or API tokens, with who made it, when,
and the ICBs it concerns, so each ICB's managers can read their own."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class EventKind(models.TextChoices):
    DATA = "data", "Data"
    IMPORT = "import", "Import"
    ROLE = "role", "Role"
    TOKEN = "token", "API token"


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who made the change; blank for the system (a queued import, a command).",
    )
    # Kept as written, so the log still names the person after their account is deleted.
    username = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    action = models.CharField(max_length=20, help_text="created, changed, deleted, revoked ...")
    object_type = models.CharField(max_length=100, help_text="app_label.model")
    object_id = models.CharField(max_length=64)
    summary = models.TextField()
    national = models.BooleanField(
        default=False, help_text="A change to what every ICB reads (national files, England)."
    )
    icbs = models.ManyToManyField(
        "practices.Organisation",
        through="AuditEventIcb",
        blank=True,
        related_name="+",
        help_text="The ICBs the change concerns; their managers read it.",
    )

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="audit_event_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or 'system'}: {self.summary}"

    @property
    def who(self) -> str:
        return self.username or "The system"


class AuditEventIcb(models.Model):
    """An event's ICB. The log outlives what it mentions: the link stays when the ICB is
    deleted (an ICB deleted with its practices is recorded after its row has gone), so it
    holds no database constraint on the organisation."""

    event = models.ForeignKey(AuditEvent, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "practices.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"], name="audit_event_icb_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Event {self.event_id} for ICB {self.organisation_id}"
