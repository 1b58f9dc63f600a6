"""Reads for the alerts page and the senders."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from alerts.models import Alert, Frequency, Subscription
from core.access import Scope
from practices.models import Organisation, OrgKind

# What a person may subscribe to, in the order the form lists them.
SUBSCRIBABLE_KINDS = (OrgKind.ICB, OrgKind.SUB_ICB, OrgKind.PCN)
SENT_SHOWN = 200


def subscribable_organisations(scope: Scope) -> list[Organisation]:
    """The ICBs the person reads, and the places and PCNs in them: their PCN first for a PCN
    manager, then the ICB, its places and the other PCNs."""
    found = scope.visible(Organisation.objects.filter(kind__in=SUBSCRIBABLE_KINDS))

    def order(org: Organisation) -> tuple:
        own = org.pk in scope.managed_pcn_ids
        return (not own, SUBSCRIBABLE_KINDS.index(org.kind), org.name, org.code)

    return sorted(found, key=order)


def subscriptions_of(user: User) -> QuerySet[Subscription]:
    """A person's active subscriptions."""
    rows = Subscription.objects.filter(user=user, active=True).select_related("organisation")
    return rows.order_by("organisation__name", "pk")


def alerts_sent_to(user: User) -> QuerySet[Alert]:
    """What was sent to a person, newest first (the latest SENT_SHOWN)."""
    sent = Q(sent_at__isnull=False) | Q(digest_sent_at__isnull=False)
    rows = Alert.objects.filter(sent, user=user).select_related("organisation")
    return rows.order_by("-found_at", "-pk")[:SENT_SHOWN]


def active_subscriptions(frequency: str | None = None) -> QuerySet[Subscription]:
    """Every active subscription (of one frequency, if given), with its person and
    organisation."""
    rows = Subscription.objects.filter(active=True).select_related("user", "organisation")
    if frequency is not None:
        rows = rows.filter(frequency=frequency)
    return rows.order_by("pk")


def alerts_to_send(*, immediate: bool) -> QuerySet[Alert]:
    """Alerts of active subscriptions not yet sent this way: straight away (for immediate
    subscriptions only), or in the weekly digest (for everyone)."""
    rows = Alert.objects.filter(subscription__active=True).select_related(
        "user", "organisation", "subscription__organisation"
    )
    if immediate:
        rows = rows.filter(sent_at__isnull=True, subscription__frequency=Frequency.IMMEDIATE)
    else:
        rows = rows.filter(digest_sent_at__isnull=True)
    return rows.order_by(
        "user_id", "subscription__organisation__name", "subscription_id", "found_at", "pk"
    )
