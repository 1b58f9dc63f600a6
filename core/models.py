"""People's roles. A role ties a user to the organisation it covers (an ICB or a PCN)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    ICB_MANAGER = "icb_manager", "ICB primary care manager"
    PCN_MANAGER = "pcn_manager", "PCN manager"
    BOARD_MEMBER = "board_member", "Board member"
    # Loads the national files (ODS, GPAD, list sizes, NWRS) that every ICB's figures read,
    # and edits the shared reference tables; held for England.
    NATIONAL_DATA = "national_data", "National data loader"


ROLE_ORG_KIND = {
    Role.ICB_MANAGER: "icb",
    Role.PCN_MANAGER: "pcn",
    Role.BOARD_MEMBER: "icb",
    Role.NATIONAL_DATA: "england",
}


class RoleAssignment(models.Model):
    """User U acts as ROLE for organisation O (an ICB, or a PCN for PCN managers).

    A PCN manager may hold several assignments, one per PCN they manage.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "practices.Organisation", on_delete=models.CASCADE, related_name="role_assignments"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation"], name="role_assignment_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="role_assignment_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} as {self.get_role_display()} for {self.organisation.code}"


# API tokens and the audit log live in their own modules; imported here so Django finds the
# models.
from core.audit.models import AuditEvent, AuditEventIcb, EventKind  # noqa: E402
from core.tokens.models import ApiToken  # noqa: E402

__all__ = [
    "ApiToken",
    "AuditEvent",
    "AuditEventIcb",
    "EventKind",
    "Role",
    "RoleAssignment",
    "ROLE_ORG_KIND",
]
