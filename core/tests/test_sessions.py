"""Sessions end after a time without requests (SESSION_IDLE_MINUTES, 30 by default), each
request starting the time again, and when the browser closes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

PASSWORD = "a-long-test-password"


@pytest.fixture
def clock(monkeypatch):
    """Moves the time Django reads forward by a number of minutes."""
    start = timezone.now()

    def move_to(minutes: int) -> None:
        monkeypatch.setattr(timezone, "now", lambda: start + dt.timedelta(minutes=minutes))

    return move_to


def signed_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_the_default_idle_time_is_30_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_a_session_idle_for_31_minutes_has_ended(client, icb_manager, clock):
    client.force_login(icb_manager)
    assert signed_in(client)

    clock(31)
    response = client.get(reverse("home"))

    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_a_session_idle_for_29_minutes_goes_on(client, icb_manager, clock):
    client.force_login(icb_manager)

    clock(29)

    assert signed_in(client)


def test_each_request_starts_the_idle_time_again(client, icb_manager, clock):
    client.force_login(icb_manager)
    clock(20)
    assert signed_in(client)
    clock(40)
    assert signed_in(client)

    clock(71)

    assert not signed_in(client)


def test_the_idle_time_is_a_setting(client, icb_manager, clock, settings):
    settings.SESSION_COOKIE_AGE = 5 * 60
    client.post(reverse("login"), {"username": "icb.manager", "password": PASSWORD})
    assert signed_in(client)

    clock(6)

    assert not signed_in(client)


def test_the_session_cookie_ends_with_the_browser(client, icb_manager):
    response = client.post(reverse("login"), {"username": "icb.manager", "password": PASSWORD})

    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"]


def _expires(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_requests_within_a_minute_of_the_last_save_write_nothing(client, icb_manager, clock):
    client.force_login(icb_manager)
    clock(2)
    signed_in(client)
    saved = _expires(client)

    clock(2.5)
    assert signed_in(client)

    assert _expires(client) == saved


def test_a_request_a_minute_or_more_after_the_last_save_starts_the_idle_time_again(
    client, icb_manager, clock
):
    client.force_login(icb_manager)
    clock(2)
    signed_in(client)
    saved = _expires(client)

    clock(3)
    assert signed_in(client)

    assert _expires(client) == saved + dt.timedelta(minutes=1)
