"""Links in alert emails: absolute addresses of portal pages, and the unsubscribe link,
which works without signing in because it carries a signed token naming one subscription."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from alerts.models import Subscription

SALT = "alerts.unsubscribe"


def absolute(path: str) -> str:
    """https://portal.example/path, from PORTAL_URL (where people reach the portal)."""
    return settings.PORTAL_URL.rstrip("/") + path


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps(subscription.pk, salt=SALT, compress=True)


def unsubscribe_url(subscription: Subscription) -> str:
    return absolute(reverse("alerts:unsubscribe", args=[unsubscribe_token(subscription)]))


def subscription_for_token(token: str) -> Subscription | None:
    """The subscription a token names; None for a token that was altered or made elsewhere.
    Tokens do not expire: a link in an old email still stops the alerts."""
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return Subscription.objects.select_related("organisation").filter(pk=pk).first()
