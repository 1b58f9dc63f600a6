"""API tokens. A token acts as its user, with the user's roles at the time of each request.

Only a SHA-256 hash of each key is kept: the key itself is shown once, when the token is
made, and cannot be read back. The first characters are kept too, so people can tell their
tokens apart (docs/decisions/0014-sign-in-api-tokens-and-audit-log.md)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

# Characters of the key kept in clear to tell tokens apart (of 40, so 128 bits stay secret).
PREFIX_LENGTH = 8


def key_hash(key: str) -> str:
    """The stored form of a key. Keys are random, so an unsalted hash is enough."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def live(self) -> ApiTokenQuerySet:
        """Tokens that still work: not revoked and not expired."""
        return self.filter(revoked_at__isnull=True, expires__gt=timezone.now())


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, said by its owner.")
    prefix = models.CharField(max_length=PREFIX_LENGTH)
    key_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    last_used = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires__gt=models.F("created")), name="api_token_expires_after_made"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) for {self.user}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires <= timezone.now()

    @property
    def status(self) -> str:
        if self.is_revoked:
            return "Revoked"
        return "Expired" if self.is_expired else "Active"
