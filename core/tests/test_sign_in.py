"""Sign-in throttling (django-axes): too many failed sign-ins for an account, or from an
address, refuse further sign-ins for a while with a message saying so."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "a-long-test-password"
LOCKED_OUT = (
    "Too many failed sign-in attempts for this account or address. Try again in 15 minutes, "
    "or ask your ICB administrator to unlock it."
)


def sign_in(client, username: str, password: str, address: str = "192.0.2.10"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail_five_times(client, username: str, address: str = "192.0.2.10") -> None:
    for _ in range(5):
        sign_in(client, username, "wrong", address)


def test_five_wrong_passwords_then_the_right_one_is_refused_with_the_message(client, icb_manager):
    fail_five_times(client, "icb.manager")

    response = sign_in(client, "icb.manager", PASSWORD)

    text = response.content.decode()
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert LOCKED_OUT in text and "nhsuk-error-summary" in text
    assert "<title>Error: Sign in – Access Portal – NHS</title>" in text


def test_four_wrong_passwords_still_let_the_right_one_in(client, icb_manager):
    for _ in range(4):
        sign_in(client, "icb.manager", "wrong")

    response = sign_in(client, "icb.manager", PASSWORD)

    assert response.status_code == 302 and response["Location"] == "/"


def test_the_account_is_locked_from_another_address_too(client, icb_manager):
    fail_five_times(client, "icb.manager", address="192.0.2.10")

    response = sign_in(client, "icb.manager", PASSWORD, address="198.51.100.7")

    assert response.status_code == 429 and LOCKED_OUT in response.content.decode()


def test_the_address_is_locked_for_other_accounts_too(client, icb_manager, board_member):
    fail_five_times(client, "icb.manager", address="192.0.2.10")

    response = sign_in(client, board_member.username, PASSWORD, address="192.0.2.10")

    assert response.status_code == 429


def test_another_account_from_another_address_still_signs_in(client, icb_manager, board_member):
    fail_five_times(client, "icb.manager", address="192.0.2.10")

    response = sign_in(client, board_member.username, PASSWORD, address="198.51.100.7")

    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_guessing_unknown_usernames_locks_the_address(client, db):
    UserFactory(username="real.person")
    for number in range(5):
        sign_in(client, f"guess{number}", "wrong")

    response = sign_in(client, "real.person", PASSWORD)

    assert response.status_code == 429


def test_the_limit_is_a_setting(client, icb_manager, settings):
    settings.AXES_FAILURE_LIMIT = 2
    sign_in(client, "icb.manager", "wrong")
    sign_in(client, "icb.manager", "wrong")

    response = sign_in(client, "icb.manager", PASSWORD)

    assert response.status_code == 429


@pytest.mark.parametrize("minutes", [15, 30])
def test_the_message_gives_the_cool_off_in_minutes(client, icb_manager, settings, minutes):
    import datetime as dt

    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=minutes)
    fail_five_times(client, "icb.manager")

    response = sign_in(client, "icb.manager", PASSWORD)

    assert f"Try again in {minutes} minutes" in response.content.decode()


def test_force_login_is_not_counted_or_refused(client, icb_manager):
    fail_five_times(client, "icb.manager")

    client.force_login(icb_manager)

    assert client.get(reverse("home")).status_code == 200
