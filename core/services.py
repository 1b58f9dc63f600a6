"""Writes that belong to no single domain app: demo users and the demo ICB."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction

from core.demo.generator import ICB_CODE, demo_files_write
from core.models import Role, RoleAssignment
from metrics.measures.baseline import baseline_month_of, baseline_month_set
from metrics.measures.rollups import ENGLAND_CODE
from metrics.models import BaselineSetting, BatchStatus, ImportBatch
from metrics.services import import_file
from practices.models import Organisation, OrgKind


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    covers: str


def demo_icb_load(*, out_dir: Path, appointments: bool = True) -> list[ImportBatch]:
    """Write the demo ICB's files and load each through its real importer, in order.

    ``appointments=False`` leaves out the 27 months of GPAD (for quick register checks)."""
    manifest = demo_files_write(out_dir=out_dir, include_gpad=appointments)
    batches = []
    for source, path in manifest.files:
        batch = import_file(source=source, path=path)
        if batch.status == BatchStatus.FAILED:
            raise RuntimeError(f"The demo file {path.name} did not load: {batch.outcome}")
        batches.append(batch)
    return batches


# The demo's GPAD starts in August 2024, long after the default 2019 baseline: its ICB
# managers compare against October 2024, the first autumn in the data.
DEMO_BASELINE = dt.date(2024, 10, 1)


def demo_baseline_choose() -> dt.date | None:
    """The demo ICB's baseline month, chosen as its ICB manager would on the baseline page,
    unless one has been chosen already (a reload keeps what a user picked)."""
    icb = Organisation.objects.get(kind=OrgKind.ICB, code=ICB_CODE)
    if BaselineSetting.objects.filter(icb=icb).exists():
        return baseline_month_of(icb)
    manager = User.objects.get(username="icb.manager")
    baseline_month_set(icb=icb, month=DEMO_BASELINE, user=manager)
    return DEMO_BASELINE


def demo_workforce_load(*, out_dir: Path) -> list[ImportBatch]:
    """The demo ICB's ARRS workforce: allocations, quarterly NWRS censuses and claims through
    the importers, later years' amounts through "add a year", and two rounds of plans from
    every PCN through the plan services. Needs the demo ICB; safe to run again."""
    from arrs.services import demo as arrs_demo
    from core.demo.generator import demo_structure

    structure = demo_structure()
    demo_role_users_create()
    icb = Organisation.objects.get(kind=OrgKind.ICB, code=ICB_CODE)
    people = arrs_demo.DemoPeople(
        icb_manager=User.objects.get(username="icb.manager"),
        pcn_manager=User.objects.get(username="pcn.manager"),
        own_pcn=_first_pcn_of(icb),
    )
    batches = arrs_demo.arrs_demo_files_load(structure=structure, out_dir=out_dir / "workforce")
    arrs_demo.arrs_demo_amounts_add(user=people.icb_manager)
    arrs_demo.arrs_demo_plans_make(structure=structure, icb=icb, people=people)
    return batches


DEMO_PASSWORD = "access-portal-demo"  # noqa: S105 - a published demo login, never production


@transaction.atomic
def demo_users_create(*, known_admin_password: bool) -> list[DemoLogin]:
    """One user per role for the demo ICB, and a staff admin. Safe to run again."""
    return [*demo_role_users_create(), _demo_admin(known_password=known_admin_password)]


def demo_role_users_create() -> list[DemoLogin]:
    """The ICB manager, PCN manager and board member of the demo ICB, with the published
    demo password (they hold demo data only)."""
    icb = Organisation.objects.get(kind=OrgKind.ICB, code=ICB_CODE)
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


def _first_pcn_of(icb: Organisation) -> Organisation:
    from practices.selectors import descendant_ids

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


def api_token_replace(*, user: User) -> str:
    """A new API key for ``user``, revoking every token it had (which stop working at once).
    The key acts with the user's roles, as their sessions do."""
    from core.tokens.services import api_token_replace as replace

    return replace(user=user)
