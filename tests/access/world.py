"""One ICB's worth of everything a route can be asked about, and a user for every role,
for the access matrix (tests/access/test_matrix.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver

from alerts.links import unsubscribe_token
from alerts.models import Subscription
from core.models import Role, RoleAssignment
from tests.factories import UserFactory, user_with_role
from tests.gpad_files import MARCH_2025, Row, gpad_month_load
from tests.pages import other_icb_manager

# The roles the matrix tries. "other_pcn_manager" manages a second PCN of the same ICB;
# "other_icb_manager" manages the ICB next door.
ROLES = (
    "anonymous",
    "no_role",
    "pcn_manager",
    "other_pcn_manager",
    "icb_manager",
    "other_icb_manager",
    "board_member",
    "data_loader",
    "staff",
)


@dataclass
class World:
    users: dict[str, object]
    args: dict[str, dict[str, object]] = field(default_factory=dict)
    # What a write through the API sends: a change a permitted role may make.
    bodies: dict[str, dict[str, object]] = field(default_factory=dict)


def world_build(tree, plans, pcn_manager, icb_manager) -> World:
    """Users for every role, and for each route with arguments, objects of the ICB QSL (or
    of PCN U00001) to ask it about."""
    from board.pack.models import BoardPack
    from metrics.models import ImportBatch
    from practices.models import Organisation, OrgKind

    england, _ = Organisation.objects.get_or_create(
        kind=OrgKind.ENGLAND, code="ENG", defaults={"name": "England"}
    )
    loader = UserFactory(username="data.loader")
    RoleAssignment.objects.create(user=loader, role=Role.NATIONAL_DATA, organisation=england)
    users = {
        "anonymous": None,
        "no_role": UserFactory(username="no.role"),
        "pcn_manager": pcn_manager,
        "other_pcn_manager": user_with_role(Role.PCN_MANAGER, tree.pcn_b, username="pcn.b"),
        "icb_manager": icb_manager,
        "other_icb_manager": other_icb_manager(tree),
        "board_member": user_with_role(Role.BOARD_MEMBER, tree.icb, username="board.member"),
        "data_loader": loader,
        "staff": UserFactory(username="staff.admin", is_staff=True, is_superuser=True),
    }
    batch = ImportBatch.objects.create(
        source="arrs-allocations", file_name="allocations.csv", icb=tree.icb,
        created_by=users["icb_manager"], status="succeeded",
    )  # fmt: skip
    pack = BoardPack.objects.create(
        org=tree.icb, month=dt.date(2025, 3, 1), title="Access", meeting="Board",
        meeting_date=dt.date(2025, 5, 1), executive_lead="Lead", purpose="Note", ask="Note",
        requested_by=users["icb_manager"], status="ready",
    )  # fmt: skip
    pack.pdf.save("pack.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    with TemporaryDirectory() as folder:
        gpad_month_load(Path(folder), [Row("L85001", 900, pcn_code="U00001")], MARCH_2025)
    from arrs.models import Allocation
    from practices.models import ListSize

    allocation = Allocation.objects.filter(pcn=tree.pcn_a).first()
    list_size = ListSize.objects.filter(practice__code="L85001").first()
    pcn = {"code": tree.pcn_a.code}
    from core.tokens.models import ApiToken
    from core.tokens.services import api_token_replace

    api_token_replace(user=users["icb_manager"], name="ICB manager's token")
    api_token_replace(user=users["pcn_manager"], name="PCN manager's token")
    own_token = ApiToken.objects.get(user=users["icb_manager"])
    pcn_token = ApiToken.objects.get(user=users["pcn_manager"])
    own_alerts = Subscription.objects.create(user=users["pcn_manager"], organisation=tree.pcn_a)
    icb_alerts = Subscription.objects.create(user=users["icb_manager"], organisation=tree.icb)
    args = {
        "alerts:stop": {"pk": own_alerts.pk},
        "alerts:unsubscribe": {"token": unsubscribe_token(icb_alerts)},
        "dashboard:org": {"kind": "pcn", "code": tree.pcn_a.code},
        "dashboard:spc_csv": {"kind": "icb", "code": tree.icb.code, "measure": "same_day_pct"},
        "dashboard:spread_csv": {"kind": "icb", "code": tree.icb.code, "measure": "same_day_pct"},
        "boardpack:new": {"kind": "icb", "code": tree.icb.code},
        "boardpack:detail": {"pk": pack.pk},
        "boardpack:status": {"pk": pack.pk},
        "boardpack:download": {"pk": pack.pk, "kind": "pdf"},
        "practices:practice": {"code": "L85001"},
        "practices:list_sizes_csv": {"code": "L85001"},
        "practices:org_detail": {"kind": "sub_icb", "code": tree.place.code},
        "pcns:detail": pcn,
        "pcns:list_sizes_csv": pcn,
        "arrs:pcn": pcn,
        "arrs:pcn_fte_csv": pcn,
        "arrs:template": pcn,
        "arrs:upload": pcn,
        "arrs:plan": {"pk": plans.accepted.pk},
        "arrs:submit": {"pk": plans.draft.pk},
        "arrs:review": {"pk": plans.awaiting.pk},
        "arrs:round_open": {"pk": plans.round.pk},
        "metrics:batch": {"pk": batch.pk},
        "metrics:batch_status": {"pk": batch.pk},
        "metrics:org_access_csv": {"kind": "practice", "code": "L85001"},
        # The ICB manager's own token, and a token of someone with a role in the ICB.
        "tokens:revoke_mine": {"pk": own_token.pk},
        "tokens:revoke_in_icb": {"pk": pcn_token.pk},
        # The API's detail routes, about the same organisations and records.
        "api:region-detail": {"code": "Y58"},
        "api:icb-detail": {"code": tree.icb.code},
        "api:subicb-detail": {"code": tree.place.code},
        "api:pcn-detail": pcn,
        "api:practice-detail": {"code": "L85001"},
        "api:listsize-detail": {"pk": list_size.pk if list_size else 0},
        "api:measuredefinition-detail": {"code": "same_day_pct"},
        "api:source-detail": {"code": "gpad"},
        "api:importbatch-detail": {"pk": batch.pk},
        "api:arrsrole-detail": {"code": "clinical_pharmacist"},
        "api:arrsallocation-detail": {"pk": allocation.pk if allocation else 0},
        "api:workforceplan-detail": {"pk": plans.accepted.pk},
    }
    bodies = {
        "api:listsize-list": {"practice": "L85001", "month": "2025-03-01", "all_patients": 7000},
        "api:listsize-detail": {"all_patients": 7001},
        "api:arrsallocation-detail": {"amount": "2000"},
        "api:arrsallocation-list": {
            "pcn": tree.pcn_a.code, "financial_year": 2026, "amount": "1000",
        },
    }  # fmt: skip
    return World(users=users, args=args, bodies=bodies)


def routes() -> list[tuple[str, str]]:
    """(name, pattern) of every named route of the portal and its API (the Django admin and
    the API's format-suffix twins aside)."""
    found = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                found.append(
                    (
                        f"{namespace}{pattern.name}" if pattern.name else "",
                        prefix + str(pattern.pattern),
                    )
                )

    walk(get_resolver().url_patterns, "", "")
    return [
        (name, route)
        for name, route in found
        if name
        and not route.startswith(("admin/", "^assets/"))
        and "(?P<format>" not in route
        and "<drf_format_suffix" not in route
    ]
