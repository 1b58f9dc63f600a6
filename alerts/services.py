"""Writes: subscribing, stopping, finding alerts and sending them.

Finding is safe to run any number of times: an alert is stored once per person and event
(its key). Sending claims the alerts it sends before the email goes, so two runs side by
side never send one twice, and gives them back if the email could not be sent.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from itertools import groupby

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from alerts.detectors import Detector, Found, Watch
from alerts.detectors.measures import icon_change_found, special_cause_found
from alerts.detectors.plans import deadline_passed_found, plan_waiting_found
from alerts.emails import alert_email
from alerts.models import Alert, Subscription
from alerts.selectors import active_subscriptions, alerts_to_send
from core.access import Scope
from practices.models import Organisation

log = logging.getLogger(__name__)

DETECTORS: tuple[Detector, ...] = (
    special_cause_found,
    icon_change_found,
    deadline_passed_found,
    plan_waiting_found,
)


def subscription_save(*, user: User, organisation: Organisation, frequency: str) -> Subscription:
    """Subscribe (again), or change how often; the caller has checked the person may read
    the organisation."""
    subscription, _ = Subscription.objects.update_or_create(
        user=user, organisation=organisation, defaults={"frequency": frequency, "active": True}
    )
    return subscription


def subscription_stop(*, subscription: Subscription) -> Subscription:
    """No more alerts about the organisation; what was sent stays listed."""
    if subscription.active:
        subscription.active = False
        subscription.save(update_fields=["active"])
    return subscription


def _watch(subscription: Subscription, today: dt.date, memo: dict) -> Watch | None:
    """None where the person may no longer read the organisation (their role changed)."""
    scope = Scope(subscription.user)
    if not scope.can_view(subscription.organisation):
        return None
    since = timezone.localtime(subscription.created).date()
    return Watch(subscription.organisation, scope, today, since, memo)


def _found(watch: Watch) -> list[Found]:
    return [found for detector in DETECTORS for found in detector(watch)]


def alerts_find(
    *, subscriptions: Iterable[Subscription] | None = None, today: dt.date | None = None
) -> int:
    """Store what every active subscription's detectors find that its person has not been
    told before; returns how many alerts are new."""
    today = today or timezone.localdate()
    memo: dict = {}
    new = 0
    for subscription in active_subscriptions() if subscriptions is None else subscriptions:
        watch = _watch(subscription, today, memo)
        if watch is not None:
            new += _store(subscription, _found(watch))
    return new


def _store(subscription: Subscription, found: list[Found]) -> int:
    keys = [f.key for f in found]
    _adopt(subscription, keys)
    known = set(
        Alert.objects.filter(user_id=subscription.user_id, key__in=keys).values_list(
            "key", flat=True
        )
    )
    fresh = {f.key: f for f in found if f.key not in known}.values()
    rows = [
        Alert(
            subscription=subscription,
            user_id=subscription.user_id,
            organisation_id=subscription.organisation_id,
            kind=f.kind,
            key=f.key,
            title=f.title[:300],
            detail=f.detail,
            link=f.link,
        )
        for f in fresh
    ]
    # Another run may have stored the same alert a moment ago: the database keeps one.
    Alert.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _adopt(subscription: Subscription, keys: list[str]) -> None:
    """An alert not yet sent, found first for a subscription since stopped, is sent under
    this one, which found it too (the person still wants to hear of it)."""
    Alert.objects.filter(
        user_id=subscription.user_id,
        key__in=keys,
        subscription__active=False,
        sent_at__isnull=True,
        digest_sent_at__isnull=True,
    ).update(subscription=subscription, organisation_id=subscription.organisation_id)


def alerts_immediate_send(*, now: dt.datetime | None = None) -> int:
    """Find, then send straight away what immediate subscriptions found; returns how many
    emails were sent."""
    alerts_find(subscriptions=active_subscriptions("immediate"))
    return _send(alerts_to_send(immediate=True), "sent_at", now or timezone.now())


def alerts_weekly_digest_send(*, now: dt.datetime | None = None) -> int:
    """Find, then send everyone their weekly digest of what they have not had in one;
    returns how many emails were sent."""
    alerts_find()
    return _send(alerts_to_send(immediate=False), "digest_sent_at", now or timezone.now())


def _send(alerts, field: str, now: dt.datetime) -> int:
    sent = 0
    for user, rows in groupby(alerts, key=lambda alert: alert.user):
        scope = Scope(user)
        readable = [a for a in rows if scope.can_view(a.organisation)]
        if user.email and readable and _send_one(user, readable, field, now):
            sent += 1
    return sent


def _send_one(user: User, alerts: list[Alert], field: str, now: dt.datetime) -> bool:
    ids = [alert.pk for alert in alerts]
    with transaction.atomic():
        claimed = Alert.objects.filter(pk__in=ids, **{f"{field}__isnull": True})
        if claimed.update(**{field: now}) != len(ids):
            # Another run is sending some of these: leave them all to it.
            Alert.objects.filter(pk__in=ids, **{field: now}).update(**{field: None})
            return False
    email = alert_email(
        user, alerts, weekly=field == "digest_sent_at", today=timezone.localdate(now)
    )
    try:
        email.message().send()
    except Exception:
        log.exception("Alert email to user %s could not be sent; it will be tried again", user.pk)
        Alert.objects.filter(pk__in=ids).update(**{field: None})
        return False
    return True
