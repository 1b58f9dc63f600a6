"""The alert emails: one to a person per run, their alerts grouped by the organisation they
subscribed to, each with its link and each organisation with its unsubscribe link. Plain
text with a simple HTML version."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from alerts.links import absolute, unsubscribe_url
from alerts.models import Alert, Subscription
from core.presenters import day

FOOTER = (
    "You are getting this email because you asked for alerts from {service}. "
    "Please do not reply to it: nobody reads replies."
)


@dataclass(frozen=True)
class Item:
    title: str
    detail: str
    url: str


@dataclass(frozen=True)
class Group:
    """The alerts about one subscribed organisation."""

    organisation: str
    items: list[Item]
    unsubscribe_url: str


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    greeting: str
    intro: str
    groups: list[Group]
    manage_url: str
    footer: str
    single: Subscription | None  # the one subscription it is about, for List-Unsubscribe

    def text(self) -> str:
        lines = [self.greeting, "", self.intro, ""]
        for group in self.groups:
            lines += [group.organisation, "-" * len(group.organisation), ""]
            for item in group.items:
                lines += [f"* {item.title}", f"  {item.detail}", f"  {item.url}", ""]
            lines += [f"Stop alerts about {group.organisation}: {group.unsubscribe_url}", ""]
        lines += [f"Choose what you get alerts about: {self.manage_url}", "", self.footer]
        return "\n".join(lines) + "\n"

    def html(self) -> str:
        return render_to_string("alerts/email.jinja", {"email": self})

    def message(self) -> EmailMultiAlternatives:
        headers = {}
        if self.single is not None:
            # One-click unsubscribe (RFC 8058) where the email is about one subscription.
            headers["List-Unsubscribe"] = f"<{unsubscribe_url(self.single)}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message = EmailMultiAlternatives(
            subject=self.subject, body=self.text(), to=[self.to], headers=headers
        )
        message.attach_alternative(self.html(), "text/html")
        return message


def _groups(alerts: list[Alert]) -> list[Group]:
    groups = []
    for subscription, rows in groupby(alerts, key=lambda alert: alert.subscription):
        items = [Item(a.title, a.detail, absolute(a.link)) for a in rows]
        groups.append(Group(subscription.organisation.name, items, unsubscribe_url(subscription)))
    return groups


def _greeting(user: User) -> str:
    return f"Dear {user.get_full_name() or user.get_username()},"


def alert_email(user: User, alerts: list[Alert], *, weekly: bool, today: dt.date) -> Email:
    """The weekly digest, or the immediate message, of ``alerts`` (in subscription order)."""
    service = settings.SERVICE_NAME
    count = f"{len(alerts)} alert" + ("" if len(alerts) == 1 else "s")
    if weekly:
        subject = f"{service}: your weekly summary, {count}"
        intro = f"Here is what changed for the organisations you follow, to {day(today)}."
    else:
        subject = f"{service}: {alerts[0].title}" if len(alerts) == 1 else f"{service}: {count}"
        intro = "Something changed for an organisation you follow."
    groups = _groups(alerts)
    subscriptions = {alert.subscription_id for alert in alerts}
    return Email(
        to=user.email,
        subject=subject,
        greeting=_greeting(user),
        intro=intro,
        groups=groups,
        manage_url=absolute(reverse("alerts:index")),
        footer=FOOTER.format(service=service),
        single=alerts[0].subscription if len(subscriptions) == 1 else None,
    )
