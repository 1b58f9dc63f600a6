"""The demo ICB: each app's part loaded in order, and the demo users."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from core import registry
from core.models import Role, RoleAssignment
from demo.generator import ICB_CODE
from demo.inputs import INPUTS
from demo.structure import DemoStructure, demo_structure
from metrics.measures.rollups import ENGLAND_CODE
from metrics.models import ImportBatch
from practices.models import Organisation, OrgKind
from practices.selectors import descendant_ids


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    covers: str


@dataclass
class DemoContext:
    """What each part's `load` receives: `inputs(key)` (the generators' files or objects for
    the part, see demo.inputs), the demo ICB and people, and `notes` to report back."""

    out_dir: Path
    appointments: bool = True
    structure: DemoStructure = field(default_factory=demo_structure)
    notes: list[str] = field(default_factory=list)

    def inputs(self, key: str) -> Any:
        return INPUTS[key](self)

    def icb(self) -> Organisation:
        return _demo_icb()

    def own_pcn(self) -> Organisation:
        return _first_pcn_of(_demo_icb())

    def user(self, username: str) -> User:
        return User.objects.get(username=username)


def demo_parts_load(
    *, context: DemoContext, keys: Collection[str] | None = None
) -> list[ImportBatch]:
    """Each registered part (all, or those in ``keys``) in its order; the batches loaded."""
    batches = []
    for part in registry.demo_data:
        if keys is None or part.key in keys:
            batches.extend(part.load(context))
    return batches


def demo_icb_load(*, out_dir: Path, appointments: bool = True) -> list[ImportBatch]:
    """The register's files and the GPAD months, through the real importers, in order.

    ``appointments=False`` leaves out the 27 months of GPAD (for quick register checks)."""
    context = DemoContext(out_dir=out_dir, appointments=appointments)
    return demo_parts_load(context=context, keys={"register", "gpad"})


def demo_workforce_load(*, out_dir: Path) -> list[ImportBatch]:
    """The demo ICB's ARRS workforce and the role users who put it in. Needs the demo ICB;
    safe to run again."""
    return demo_parts_load(context=DemoContext(out_dir=out_dir), keys={"users", "arrs"})


def demo_role_users_load(context: DemoContext) -> list[ImportBatch]:
    """The demo's own part: its role users, before the parts that act as them."""
    demo_role_users_create()
    return []


DEMO_PASSWORD = "access-portal-demo"  # noqa: S105 - a published demo login, never production


@transaction.atomic
def demo_users_create(*, known_admin_password: bool) -> list[DemoLogin]:
    """One user per role for the demo ICB, and a staff admin. Safe to run again."""
    return [*demo_role_users_create(), _demo_admin(known_password=known_admin_password)]


def demo_role_users_create() -> list[DemoLogin]:
    """The ICB manager, PCN manager and board member of the demo ICB, with the published
    demo password (they hold demo data only)."""
    icb = _demo_icb()
    pcn = _first_pcn_of(icb)
    logins = [
        _demo_user("icb.manager", "Alex Morgan", Role.ICB_MANAGER, icb),
        _demo_user("pcn.manager", "Priya Shah", Role.PCN_MANAGER, pcn),
        _demo_user("board.member", "Sam Okafor", Role.BOARD_MEMBER, icb),
    ]
    # The demo ICB's team also loads the national files its figures read, as many do.
    england, _ = Organisation.objects.get_or_create(
        kind=OrgKind.ENGLAND, code=ENGLAND_CODE, defaults={"name": "England"}
    )
    manager = User.objects.get(username="icb.manager")
    RoleAssignment.objects.get_or_create(
        user=manager, role=Role.NATIONAL_DATA, organisation=england
    )
    return logins


def _demo_admin(*, known_password: bool) -> DemoLogin:
    """The staff admin is a superuser, so it gets the published password only on a
    developer's machine (``known_password``: DEBUG on). Otherwise a new one gets a random
    password, shown once, and an existing one keeps the password it has."""
    admin, created = User.objects.get_or_create(username="staff.admin")
    admin.is_staff = admin.is_superuser = True
    password = "(unchanged)"  # noqa: S105 - shown to the person, not a password
    if known_password or created:
        password = DEMO_PASSWORD if known_password else secrets.token_urlsafe(12)
        admin.set_password(password)
    admin.save()
    return DemoLogin("staff.admin", password, "Staff admin", "Django admin")


def _demo_icb() -> Organisation:
    return Organisation.objects.get(kind=OrgKind.ICB, code=ICB_CODE)


def _first_pcn_of(icb: Organisation) -> Organisation:
    """The PCN the demo PCN manager edits: the first of the ICB's by name."""
    pcn_ids = descendant_ids([icb.pk], kind=OrgKind.PCN)
    return Organisation.objects.filter(pk__in=pcn_ids).order_by("name").first()


def _demo_user(username: str, name: str, role: str, organisation: Organisation) -> DemoLogin:
    user, _ = User.objects.get_or_create(username=username)
    user.set_password(DEMO_PASSWORD)
    user.first_name, user.last_name = name.split(" ", 1)
    user.save()
    RoleAssignment.objects.get_or_create(user=user, role=role, organisation=organisation)
    label = Role(role).label
    return DemoLogin(username, DEMO_PASSWORD, label, str(organisation))
