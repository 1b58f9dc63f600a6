"""Making and revoking API tokens. A key is returned once, by ``api_token_create``; only its
hash is kept."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from core.audit.models import EventKind
from core.audit.services import audit_record
from core.tokens.models import PREFIX_LENGTH, ApiToken, key_hash

# The longest a token may be made to last, whatever its maker asks for.
MAX_DAYS = 365


def api_token_create(
    *, user: User, name: str, days: int | None = None, by: User | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``user`` lasting ``days`` (settings.API_TOKEN_DAYS unless given), and
    its key, which is not kept and cannot be shown again."""
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"A token lasts from 1 to {MAX_DAYS} days, not {days}.")
    key = secrets.token_hex(20)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip() or "API token",
        prefix=key[:PREFIX_LENGTH],
        key_hash=key_hash(key),
        created=now,
        expires=now + dt.timedelta(days=days),
    )
    _audit(token, "created", f"expires {token.expires:%Y-%m-%d}", by)
    return token, key


def api_token_revoke(*, token: ApiToken, by: User | None) -> bool:
    """Stop ``token`` working at once. False if it was revoked already."""
    if token.revoked_at is not None:
        return False
    token.revoked_at, token.revoked_by = timezone.now(), by
    token.save(update_fields=["revoked_at", "revoked_by"])
    _audit(token, "revoked", "stops working at once", by)
    return True


@transaction.atomic
def api_token_replace(*, user: User, name: str = "API token") -> str:
    """A new key for ``user``, revoking every token it had (which stop working at once)."""
    for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
        api_token_revoke(token=token, by=None)
    return api_token_create(user=user, name=name)[1]


def api_token_used(*, token: ApiToken) -> None:
    """Note that ``token`` was used now; written at most once a minute per token, so a run of
    requests does not write on each."""
    now = timezone.now()
    if token.last_used is None or now - token.last_used >= dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now


def _audit(token: ApiToken, action: str, detail: str, by: User | None) -> None:
    """Recorded for the ICBs the token's user holds roles in."""
    orgs = [a.organisation for a in token.user.role_assignments.select_related("organisation")]
    summary = f"API token {token.name!r} ({token.prefix}…) of {token.user} {action}: {detail}"
    audit_record(
        kind=EventKind.TOKEN, action=action, obj=token, summary=summary, user=by, orgs=orgs
    )
