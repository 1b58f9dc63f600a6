"""The access matrix: every route of the portal and its API, each method it may answer, as
every role (and, for the API, every role's token), checked against the one declared policy
(access_portal/access_policy.py). A route with no entry there fails."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from access_portal.access_policy import POLICY, ROLES
from core.tokens.services import api_token_replace
from tests.access.world import routes, world_build

REFUSED = {"deny", "hidden", "absent"}


def outcome(response) -> str:
    """allow; deny (401, 403, or sent to sign in); hidden (404); absent (405); error (5xx).
    A 400 counts as allowed in (the role passed the checks and its empty form was answered),
    so every API write the matrix sends is a valid one (World.bodies)."""
    code = response.status_code
    if code >= 500:
        return f"error {code}"
    if code == 405:
        return "absent"
    if code == 404:
        return "hidden"
    if code in (401, 403):
        return "deny"
    if code in (301, 302) and "next=" in response.get("Location", ""):
        return "deny"
    return "allow"


def _clients(world, api: bool, only: str | None = None) -> dict[str, Client]:
    clients = {}
    for role in [only] if only else ROLES:
        user = world.users[role]
        if api:
            clients[role] = APIClient()
            if user is not None:
                key = api_token_replace(user=user)
                clients[role].credentials(HTTP_AUTHORIZATION=f"Token {key}")
        else:
            clients[role] = Client()
            if user is not None:
                clients[role].force_login(user)
    return clients


def test_every_route_has_a_policy_and_the_policy_names_only_routes():
    names = {name for name, _ in routes()}
    assert sorted(names - set(POLICY)) == [], "routes with no access policy"
    assert sorted(set(POLICY) - names) == [], "policy entries for routes that do not exist"


def test_every_route_answers_every_role_as_the_policy_says(
    tree,
    plans,
    pcn_manager,
    icb_manager,  # noqa: F811
):
    world = world_build(tree, plans, pcn_manager, icb_manager)
    pages, api = _clients(world, api=False), _clients(world, api=True)
    wrong = []
    # Reads first, then writes: a write (a plan submitted, a token revoked) may change
    # what later requests find.
    for method, allowed_by in (("get", "read"), ("post", "write")):
        for name, _ in routes():
            rule = POLICY.get(name)
            if rule is None:
                continue
            url = reverse(name, kwargs=world.args.get(name))
            clients = api if name.startswith("api:") else pages
            body = world.bodies.get(name, {}) if method == "post" else {}
            for role in ROLES:
                client = clients[role]
                if name == "logout":  # signing out would sign the role out for what follows
                    client = _clients(world, api=False, only=role)[role]
                extra = {"format": "json"} if name.startswith("api:") and body else {}
                # An API record is changed with PATCH, a list added to with POST.
                verb = "patch" if method == "post" and name.endswith("-detail") else method
                seen = outcome(getattr(client, verb)(url, body, **extra))
                allowed = role in getattr(rule, allowed_by)
                if (allowed and seen != "allow") or (not allowed and seen not in REFUSED):
                    expected = "allow" if allowed else "refuse"
                    wrong.append(f"{method.upper()} {name} as {role}: {seen}, not {expected}")
    assert wrong == [], "\n".join(wrong)


def test_every_operation_of_the_api_schema_is_in_the_policy():
    """The OpenAPI schema lists every API operation: each must be a route in the policy, and
    each operation that changes something a route that declares who may change it."""
    from django.urls import resolve
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    missing, undeclared = [], []
    for path, operations in schema["paths"].items():
        name = resolve(re.sub(r"\{[^}]+\}", "1", path)).view_name
        rule = POLICY.get(name)
        if rule is None:
            missing.append(f"{path} ({name})")
            continue
        changes = {"post", "put", "patch", "delete"} & set(operations)
        if changes and not rule.write:
            undeclared.append(f"{', '.join(sorted(changes)).upper()} {path} ({name})")
    assert missing == [] and undeclared == [], (missing, undeclared)
