"""Writes that belong to no single domain app."""

from __future__ import annotations

from django.contrib.auth.models import User


def api_token_replace(*, user: User) -> str:
    """A new API key for ``user``, revoking every token it had (which stop working at once).
    The key acts with the user's roles, as their sessions do."""
    from core.tokens.services import api_token_replace as replace

    return replace(user=user)
