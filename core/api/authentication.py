"""API keys sent as ``Authorization: Token <key>``, looked up by their hash
(core.tokens). An expired or revoked key is refused with a 401 saying which."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from core.presenters import day
from core.tokens.models import ApiToken, key_hash
from core.tokens.services import api_token_used

NOT_KNOWN = "This API key is not known. Check it was copied whole, or create a new one."
EXPIRED = "This API key expired on {day}. Create a new one on the Your API tokens page."
REVOKED = "This API key was revoked on {day}. Create a new one on the Your API tokens page."
INACTIVE = "The user this API key belongs to is no longer active."


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's header parsing (keyword ``Token``, so 401s name it in WWW-Authenticate), with
    keys checked against the stored hashes."""

    def authenticate_credentials(self, key: str):
        token = ApiToken.objects.select_related("user").filter(key_hash=key_hash(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(NOT_KNOWN)
        if token.is_revoked:
            raise exceptions.AuthenticationFailed(REVOKED.format(day=_day(token.revoked_at)))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(EXPIRED.format(day=_day(token.expires)))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(INACTIVE)
        api_token_used(token=token)
        return token.user, token


def _day(moment) -> str:
    return day(timezone.localtime(moment))
