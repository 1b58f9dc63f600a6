"""Fixtures shared by every app's tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from core.models import Role, RoleAssignment
from practices.models import Organisation, OrgKind
from tests.factories import link, list_size, org, user_with_role


@pytest.fixture(scope="session", autouse=True)
def _static_collected(tmp_path_factory):
    """Static files collected once per run, as production serves them: hashed names from a
    manifest (a page naming a file that is not collected fails as it would in production)."""
    from django.core.management import call_command
    from django.test.utils import override_settings

    with override_settings(STATIC_ROOT=tmp_path_factory.mktemp("static")):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded and imported files go to a temporary folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _cache_per_test(settings):
    """Each test starts with an empty cache of its own (import progress lives there), so
    nothing carries over from another test or another run sharing var/cache."""
    import uuid

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        }
    }


@pytest.fixture(autouse=True)
def _api_throttle_in_memory(monkeypatch):
    """API request counts start from nothing in each test, kept in memory, never in var/."""
    import uuid

    from django.core.cache.backends.locmem import LocMemCache
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "cache", LocMemCache(uuid.uuid4().hex, {}))


@pytest.fixture
def celery_eager():
    """Run queued tasks in the test's own process (the worker tests use a real worker)."""
    from access_portal.celery import app

    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = False


@dataclass
class Tree:
    """Two ICBs: QSL with two places, three PCNs and a practice in no PCN; QOX beside it.

    Practice L85004 moved from PCN U00001 to U00002 on 1 April 2025.
    """

    region: Organisation
    icb: Organisation
    other_icb: Organisation
    place: Organisation
    other_place: Organisation
    pcn_a: Organisation
    pcn_b: Organisation
    pcn_c: Organisation
    other_pcn: Organisation
    practices: dict[str, Organisation]


MOVE_DATE = dt.date(2025, 4, 1)


@pytest.fixture
def tree(db) -> Tree:
    region = org(OrgKind.REGION, "Y58", "South West")
    icb = org(OrgKind.ICB, "QSL", "NHS Somerset ICB")
    other_icb = org(OrgKind.ICB, "QOX", "NHS Bath and North East Somerset ICB")
    place = org(OrgKind.SUB_ICB, "11X", "NHS Somerset ICB - 11X")
    other_place = org(OrgKind.SUB_ICB, "92G", "NHS BSW ICB - 92G")
    for child, parent in (
        (icb, region),
        (other_icb, region),
        (place, icb),
        (other_place, other_icb),
    ):
        link(child, parent)
    pcns = {code: org(OrgKind.PCN, code, f"PCN {code}") for code in ("U00001", "U00002", "U00003")}
    other_pcn = org(OrgKind.PCN, "U99999", "Elsewhere PCN")
    for pcn in pcns.values():
        link(pcn, place)
    link(other_pcn, other_place)
    practices = {}
    plan = {
        "L85001": "U00001",
        "L85002": "U00001",
        "L85003": "U00002",
        "L85005": "U00003",
        "L85006": None,
    }
    for code, pcn_code in plan.items():
        practice = org(OrgKind.PRACTICE, code, f"Surgery {code}")
        link(practice, place)
        if pcn_code:
            link(practice, pcns[pcn_code])
        practices[code] = practice
    moved = org(OrgKind.PRACTICE, "L85004", "Moving Surgery")
    link(moved, place)
    link(moved, pcns["U00001"], dt.date(2019, 7, 1), MOVE_DATE - dt.timedelta(days=1))
    link(moved, pcns["U00002"], MOVE_DATE)
    practices["L85004"] = moved
    elsewhere = org(OrgKind.PRACTICE, "J99001", "Far Away Surgery")
    link(elsewhere, other_place)
    link(elsewhere, other_pcn)
    practices["J99001"] = elsewhere
    for i, practice in enumerate(practices.values(), start=1):
        list_size(practice, dt.date(2025, 3, 1), 5000 + 1000 * i, 4300 + 800 * i)
        list_size(practice, dt.date(2025, 4, 1), 5010 + 1000 * i, 4310 + 800 * i)
    return Tree(
        region,
        icb,
        other_icb,
        place,
        other_place,
        pcns["U00001"],
        pcns["U00002"],
        pcns["U00003"],
        other_pcn,
        practices,
    )


@pytest.fixture
def icb_manager(tree):
    return user_with_role(Role.ICB_MANAGER, tree.icb, username="icb.manager")


@pytest.fixture
def data_loader(tree):
    """A national data loader (who loads ODS, GPAD, list sizes and NWRS for every ICB) who
    also manages the ICB, as many ICB teams' analysts do."""
    england, _ = Organisation.objects.get_or_create(
        kind=OrgKind.ENGLAND, code="ENG", defaults={"name": "England"}
    )
    user = user_with_role(Role.ICB_MANAGER, tree.icb, username="data.loader")
    RoleAssignment.objects.create(user=user, role=Role.NATIONAL_DATA, organisation=england)
    return user


@pytest.fixture
def pcn_manager(tree):
    return user_with_role(Role.PCN_MANAGER, tree.pcn_a, username="pcn.manager")


@pytest.fixture
def board_member(tree):
    return user_with_role(Role.BOARD_MEMBER, tree.icb, username="board.member")


@pytest.fixture
def staff_admin(db):
    from tests.factories import UserFactory

    user = UserFactory(username="staff.admin", is_staff=True, is_superuser=True)
    return user
