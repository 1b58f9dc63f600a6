"""ARRS reference data kept as versioned files in the repo: the roles (with their Agenda for
Change band and the NWRS staff roles they cover) and the maximum reimbursable amounts.

Synced after every ``migrate`` (core.registry.reference_data) with the migrated models
passed in, and safe to run again: rows are matched on their keys. Amounts an ICB manager added
through the portal are left alone.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from arrs.years import parse_fy
from imports.sources.readers import label_key

DATA = Path(__file__).resolve().parent / "data"
AREAS = ("national", "outer_london", "inner_london")


def roles_file() -> dict:
    return json.loads((DATA / "arrs_roles.json").read_text())


def rates_file() -> dict:
    return json.loads((DATA / "reimbursement_rates.json").read_text())


def arrs_roles_sync(role_model, mapping_model) -> None:
    """Upsert every role; add the NWRS staff roles the file names, leaving any mapping an ICB
    manager has already changed as they left it."""
    data = roles_file()
    roles = {}
    for order, item in enumerate(data["roles"], start=1):
        roles[item["code"]], _ = role_model.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "afc_band": item["afc_band"],
                "reimbursable_from": parse_fy(item["reimbursable_from"]),
                "sort_order": order,
                "aliases": item.get("aliases", []),
            },
        )
    for code, role in roles.items():
        item = next(i for i in data["roles"] if i["code"] == code)
        for staff_role in item.get("nwrs_roles", []):
            _mapping_add(mapping_model, staff_role, role)
    for staff_role in data.get("not_arrs_nwrs_roles", []):
        _mapping_add(mapping_model, staff_role, None)


def _mapping_add(mapping_model, staff_role: str, role) -> None:
    mapping_model.objects.get_or_create(
        staff_role_key=label_key(staff_role),
        defaults={"staff_role": staff_role, "arrs_role": role},
    )


def reference_data_sync(apps) -> None:
    """The roles, their NWRS staff roles and the amounts (after each migrate)."""
    role = apps.get_model("arrs", "ArrsRole")
    arrs_roles_sync(role, apps.get_model("arrs", "NwrsRoleMapping"))
    reimbursement_rates_sync(role, apps.get_model("arrs", "ReimbursementRate"))


def reimbursement_rates_sync(role_model, rate_model) -> None:
    """Upsert every amount in the file by (role, area, effective date, publication date)."""
    roles = {role.code: role for role in role_model.objects.all()}
    for period in rates_file()["periods"]:
        effective = dt.date.fromisoformat(period["effective_from"])
        published = dt.date.fromisoformat(period["published_on"])
        for item in period["amounts"]:
            for area in AREAS:
                if area not in item:
                    continue
                rate_model.objects.update_or_create(
                    role=roles[item["role"]],
                    area=area,
                    effective_from=effective,
                    published_on=published,
                    defaults={
                        "amount": Decimal(str(item[area])),
                        "is_estimate": area in item.get("estimated", []),
                        "source": period["source"][:500],
                    },
                )
