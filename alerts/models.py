"""Alerts: who asked to hear about which organisation, and every alert found for them.

An alert is found once per person and event (its ``key``), however many times detection
runs and however many of their subscriptions it concerns, so nobody is told the same thing
twice. It is sent at once to those who chose immediate messages, and in the next weekly
digest to everyone subscribed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly digest"
    IMMEDIATE = "immediate", "Straight away, and in the weekly digest"


class AlertKind(models.TextChoices):
    SPECIAL_CAUSE = "special_cause", "New special cause"
    ICON_CHANGE = "icon_change", "SPC icon changed"
    DEADLINE_PASSED = "deadline_passed", "Plan deadline passed"
    PLAN_WAITING = "plan_waiting", "Plan waiting for you"


class Subscription(models.Model):
    """One person's alerts about one organisation (their PCN, a place or the ICB)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_subscriptions"
    )
    organisation = models.ForeignKey(
        "practices.Organisation", on_delete=models.CASCADE, related_name="alert_subscriptions"
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    created = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="alert_subscription_one_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="alert_subscription_frequency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.organisation} ({self.frequency})"


class Alert(models.Model):
    """Something a subscriber is told about, kept once found so it is never sent twice."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="alerts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "practices.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    key = models.CharField(max_length=200, help_text="The event, the same however often found.")
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    link = models.CharField(max_length=500, help_text="The portal page about it (a path).")
    found_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="Sent straight away.")
    digest_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="Sent in a weekly digest."
    )

    class Meta:
        ordering = ["-found_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="alert_once_per_user_and_event"),
            models.CheckConstraint(condition=Q(kind__in=AlertKind.values), name="alert_kind_valid"),
        ]
        indexes = [models.Index(fields=["user", "-found_at"], name="alert_user_found")]

    def __str__(self) -> str:
        return self.title

    @property
    def was_sent(self) -> bool:
        return self.sent_at is not None or self.digest_sent_at is not None
