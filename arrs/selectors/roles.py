"""Reads of the names ARRS roles go by: the names every ICB shares, an ICB's own aliases,
and the history of its changes to them."""

from __future__ import annotations

from dataclasses import dataclass

from arrs.models import ArrsRole, RoleAlias
from practices.models import Organisation

HISTORY_SHOWN = 50


@dataclass(frozen=True)
class RoleNames:
    role: ArrsRole
    shared: tuple[str, ...]
    own: tuple[RoleAlias, ...]


def role_names(icb: Organisation) -> list[RoleNames]:
    """Each role in table order with the names every ICB shares and the ICB's own aliases."""
    own: dict[int, list[RoleAlias]] = {}
    for alias in RoleAlias.objects.filter(icb=icb).order_by("alias"):
        own.setdefault(alias.role_id, []).append(alias)
    return [
        RoleNames(role, (role.code, *role.aliases), tuple(own.get(role.pk, ())))
        for role in ArrsRole.objects.order_by("sort_order", "name")
    ]


@dataclass(frozen=True)
class AliasChange:
    at: object
    who: str
    what: str


def role_alias_history(icb: Organisation, limit: int = HISTORY_SHOWN) -> list[AliasChange]:
    """The ICB's changes to its aliases, newest first: added, changed (to which role) and
    removed, with who and when."""
    roles = dict(ArrsRole.objects.values_list("pk", "name"))
    rows = (
        RoleAlias.history.filter(icb_id=icb.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    return [
        AliasChange(
            at=row.history_date,
            who=row.history_user.get_username() if row.history_user else "",
            what=_change(row, roles.get(row.role_id, "a role no longer held")),
        )
        for row in rows
    ]


def _change(row, role: str) -> str:
    if row.history_type == "-":
        return f"Removed '{row.alias}' (was {role})"
    if row.history_type == "~":
        return f"'{row.alias}' now means {role}"
    return f"Added '{row.alias}' for {role}"
