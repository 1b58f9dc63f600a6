"""API tokens: kept hashed, shown once, expiring, listed and revoked by their owner and by
the managers of an ICB their owner holds a role in."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import Role
from core.tokens.models import ApiToken, key_hash
from core.tokens.services import api_token_create, api_token_revoke
from tests.pages import no_role_user, other_icb_manager, page_as, visible_text

PRACTICES = "/api/v1/practices/"


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


# --- The key and how it is kept ------------------------------------------------------------


def test_only_the_hash_and_prefix_of_a_key_are_stored(icb_manager):
    token, key = api_token_create(user=icb_manager, name="Warehouse")

    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in {str(value) for value in stored.values()}
    assert stored["key_hash"] == key_hash(key) and stored["prefix"] == key[:8]


def test_a_token_lasts_90_days_by_default(icb_manager, settings):
    token, _ = api_token_create(user=icb_manager, name="Warehouse")

    assert settings.API_TOKEN_DAYS == 90
    assert token.expires - token.created == dt.timedelta(days=90)


def test_the_default_lifetime_is_a_setting(icb_manager, settings):
    settings.API_TOKEN_DAYS = 30

    token, _ = api_token_create(user=icb_manager, name="Warehouse")

    assert token.expires - token.created == dt.timedelta(days=30)


def test_a_token_cannot_outlive_a_year(icb_manager):
    with pytest.raises(ValueError, match="1 to 365"):
        api_token_create(user=icb_manager, name="Forever", days=3650)


# --- Authentication ------------------------------------------------------------------------


def test_a_live_key_reads_and_notes_when_it_was_used(tree, icb_manager):
    token, key = api_token_create(user=icb_manager, name="Warehouse")

    response = client_with(key).get(PRACTICES)

    token.refresh_from_db()
    assert response.status_code == 200
    assert token.last_used is not None


def test_an_expired_key_gets_401_saying_it_expired(tree, icb_manager, monkeypatch):
    _, key = api_token_create(user=icb_manager, name="Warehouse", days=1)
    later = timezone.now() + dt.timedelta(days=1, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    response = client_with(key).get(PRACTICES)

    assert response.status_code == 401
    assert response.json()["error"] == "authentication_failed"
    assert "expired on" in response.json()["detail"]


def test_a_revoked_key_gets_401_saying_it_was_revoked(tree, icb_manager):
    token, key = api_token_create(user=icb_manager, name="Warehouse")
    api_token_revoke(token=token, by=icb_manager)

    response = client_with(key).get(PRACTICES)

    assert response.status_code == 401
    assert "revoked on" in response.json()["detail"]


def test_an_unknown_key_gets_401_and_a_401_names_the_token_scheme(tree):
    response = client_with("0" * 40).get(PRACTICES)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "not known" in response.json()["detail"]


def test_a_key_of_an_inactive_user_gets_401(tree, icb_manager):
    _, key = api_token_create(user=icb_manager, name="Warehouse")
    icb_manager.is_active = False
    icb_manager.save()

    assert client_with(key).get(PRACTICES).status_code == 401


def test_a_user_may_hold_several_keys_at_once(tree, icb_manager):
    _, first = api_token_create(user=icb_manager, name="Warehouse")
    _, second = api_token_create(user=icb_manager, name="Dashboard")

    assert client_with(first).get(PRACTICES).status_code == 200
    assert client_with(second).get(PRACTICES).status_code == 200


# --- Your API tokens page ------------------------------------------------------------------


MINE = "/api-tokens/"


@pytest.mark.parametrize("role", ["icb_manager", "pcn_manager", "board_member"])
def test_anyone_with_a_role_opens_their_tokens_page(client, request, role):
    response = page_as(client, request.getfixturevalue(role), MINE)

    assert response.status_code == 200
    assert "Your API tokens" in visible_text(response)


def test_a_user_with_no_role_is_turned_away(client, db):
    assert page_as(client, no_role_user(), MINE).status_code == 403


def test_creating_a_token_shows_its_key_once(client, tree, pcn_manager):
    client.force_login(pcn_manager)

    response = client.post(MINE, {"name": "Warehouse", "days": "30"})

    token = ApiToken.objects.get(user=pcn_manager)
    key = re.search(r'id="new-key"[^>]*>([0-9a-f]{40})<', response.content.decode()).group(1)
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    assert "no-store" in response["Cache-Control"]
    assert key in response.content.decode() and token.key_hash == key_hash(key)
    assert key not in client.get(MINE).content.decode()
    assert client_with(key).get(PRACTICES).status_code == 200


def test_the_list_shows_name_prefix_dates_and_status(client, icb_manager):
    token, _ = api_token_create(user=icb_manager, name="Warehouse")

    text = visible_text(page_as(client, icb_manager, MINE))

    assert "Warehouse" in text and f"{token.prefix}…" in text
    assert "Never" in text and "Active" in text


def test_a_token_without_a_name_or_with_too_many_days_is_refused(client, icb_manager):
    client.force_login(icb_manager)

    response = client.post(MINE, {"name": "", "days": "400"})

    text = visible_text(response)
    assert response.status_code == 400 and not ApiToken.objects.exists()
    assert "Enter what the token is for" in text and "from 1 to 365" in text


def test_the_owner_revokes_their_token(client, tree, icb_manager):
    token, key = api_token_create(user=icb_manager, name="Warehouse")
    client.force_login(icb_manager)

    response = client.post(reverse("tokens:revoke_mine", args=[token.pk]), follow=True)

    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == icb_manager
    assert "was revoked" in visible_text(response)
    assert client_with(key).get(PRACTICES).status_code == 401


def test_no_one_revokes_another_users_token_from_their_own_page(client, icb_manager, board_member):
    token, _ = api_token_create(user=icb_manager, name="Warehouse")
    client.force_login(board_member)

    response = client.post(reverse("tokens:revoke_mine", args=[token.pk]))

    token.refresh_from_db()
    assert response.status_code == 404 and token.revoked_at is None


# --- An ICB manager's page -----------------------------------------------------------------


ICB_PAGE = "/api-tokens/icb/"


def test_an_icb_manager_sees_the_tokens_of_people_in_their_icb_only(
    client, tree, icb_manager, pcn_manager, board_member
):
    api_token_create(user=pcn_manager, name="PCN dashboard")
    api_token_create(user=board_member, name="Board reader")
    outsider = other_icb_manager(tree)
    api_token_create(user=outsider, name="Other ICB warehouse")

    text = visible_text(page_as(client, icb_manager, ICB_PAGE))

    assert "PCN dashboard" in text and "Board reader" in text
    assert "Other ICB warehouse" not in text


@pytest.mark.parametrize("role", ["pcn_manager", "board_member"])
def test_only_icb_managers_open_the_icb_tokens_page(client, request, tree, role):
    assert page_as(client, request.getfixturevalue(role), ICB_PAGE).status_code == 403


def test_an_icb_manager_revokes_a_token_in_their_icb(client, tree, icb_manager, pcn_manager):
    token, key = api_token_create(user=pcn_manager, name="PCN dashboard")
    client.force_login(icb_manager)

    response = client.post(reverse("tokens:revoke_in_icb", args=[token.pk]))

    token.refresh_from_db()
    assert response.status_code == 302 and token.revoked_by == icb_manager
    assert client_with(key).get(PRACTICES).status_code == 401


def test_an_icb_manager_cannot_revoke_a_token_outside_their_icb(client, tree, icb_manager):
    outsider = other_icb_manager(tree)
    token, _ = api_token_create(user=outsider, name="Other ICB warehouse")
    client.force_login(icb_manager)

    response = client.post(reverse("tokens:revoke_in_icb", args=[token.pk]))

    token.refresh_from_db()
    assert response.status_code == 404 and token.revoked_at is None


def test_a_pcn_manager_cannot_revoke_through_the_icb_page(client, tree, pcn_manager, icb_manager):
    token, _ = api_token_create(user=icb_manager, name="Warehouse")
    client.force_login(pcn_manager)

    response = client.post(reverse("tokens:revoke_in_icb", args=[token.pk]))

    token.refresh_from_db()
    assert response.status_code == 403 and token.revoked_at is None


def test_a_pcn_managers_token_in_two_icbs_is_seen_by_both_icbs_managers(
    client, tree, icb_manager, pcn_manager
):
    pcn_manager.role_assignments.create(role=Role.BOARD_MEMBER, organisation=tree.other_icb)
    api_token_create(user=pcn_manager, name="PCN dashboard")

    text = visible_text(page_as(client, other_icb_manager(tree), ICB_PAGE))

    assert "PCN dashboard" in text
