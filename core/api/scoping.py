"""The reader's organisation ids, worked out once per data version rather than per request.

Walking the register for a reader of many ICBs takes a few hundred milliseconds nationally.
The answer changes only when the register or the reader's roles do, and every such change
moves the data version (``core.api.conditional.data_changed_at``), so it is kept in this
process's memory under the user, their roles and that version.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.cache.backends.locmem import LocMemCache

from core.access import Scope

SCOPE_IDS = ("visible_org_ids", "figure_org_ids")
_remembered = LocMemCache("access-portal-api-scopes", {"TIMEOUT": 3600, "OPTIONS": {}})


def scope_remembered(scope: Scope, version: dt.datetime | None) -> Scope:
    """Fill the scope's organisation ids from memory, or work them out and remember them."""
    if all(name in scope.__dict__ for name in SCOPE_IDS):
        return scope
    key = _key(scope, version)
    found = _remembered.get(key)
    if found is None:
        found = {name: getattr(scope, name) for name in SCOPE_IDS}
        _remembered.set(key, found)
    scope.__dict__.update(found)  # where cached_property keeps its values
    return scope


def _key(scope: Scope, version: dt.datetime | None) -> str:
    roles = sorted((a.role, a.organisation_id) for a in scope.assignments)
    stamp = version.isoformat() if version else "-"
    return hashlib.sha256(repr((scope.user.pk, roles, stamp)).encode()).hexdigest()
