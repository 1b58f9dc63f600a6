"""Who may do what, route by route: the one declared access policy.

Each page and API route names the roles that may read it (GET) and those that may change
something through it (POST, or PATCH on the API). The views enforce it through
``core.access.Scope``; the access matrix test (tests/access/test_matrix.py) asks every route
as every role and fails when what happens differs from this table, or when a route has no
entry here; ``manage.py access_policy`` prints it for docs/security.md. A page route that
declares no writers answers anything but GET with 405 (``MethodsMiddleware``).

The roles are those of one ICB (QSL) and the organisations in it, which the routes with
arguments are asked about (a PCN, U00001, and a practice in it):
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponseNotAllowed

ROLE_NAMES = {
    "anonymous": "Not signed in",
    "no_role": "Signed in, no role",
    "pcn_manager": "The PCN's manager",
    "other_pcn_manager": "Another PCN's manager in the ICB",
    "icb_manager": "The ICB's manager",
    "other_icb_manager": "Another ICB's manager",
    "board_member": "The ICB's board member",
    "data_loader": "National data loader",
    "staff": "Staff admin",
}
ROLES = tuple(ROLE_NAMES)

NOBODY: frozenset[str] = frozenset()
ANYONE = frozenset(ROLES)
SIGNED_IN = ANYONE - {"anonymous"}
WITH_ROLE = SIGNED_IN - {"no_role"}
# People who read ICB QSL's published figures, its PCNs' and practices'.
IN_ICB = frozenset({"pcn_manager", "other_pcn_manager", "icb_manager", "board_member"})
# An ICB-wide page: each reader sees their own ICB.
ICB_READERS = IN_ICB | {"other_icb_manager"}
MANAGERS = frozenset({"icb_manager"})
ICB_MANAGERS = frozenset({"icb_manager", "other_icb_manager"})
LOADERS = ICB_MANAGERS | {"data_loader", "staff"}
PLAN_KEEPERS = frozenset({"pcn_manager", "icb_manager"})  # the PCN's own manager, the ICB's
# The API answers every role; each list holds only what the role reads (empty for a role
# with no ICB), and a record outside the role's ICB is not found.
API_READERS = WITH_ROLE
# Staff and national data loaders hold no ICB, so ICB-wide pages show them no ICB's figures.
NO_ICB = frozenset({"data_loader", "staff"})


@dataclass(frozen=True)
class Rule:
    read: frozenset[str]
    write: frozenset[str] = NOBODY
    about: str = ""


POLICY: dict[str, Rule] = {
    # --- Signing in and pages for everyone ---
    "login": Rule(ANYONE, ANYONE, "Sign in (throttled per account and address)."),
    "logout": Rule(NOBODY, ANYONE, "Sign out (POST only)."),
    "accessibility": Rule(ANYONE, about="Accessibility statement."),
    "data_sources": Rule(SIGNED_IN, about="What each source is and when it was last loaded."),
    "home": Rule(WITH_ROLE, about="Where each role starts."),
    # --- Board dashboard and packs ---
    "dashboard:index": Rule(WITH_ROLE, about="The board dashboard of the reader's ICB."),
    "dashboard:org": Rule(IN_ICB, about="Dashboard for a PCN of the ICB."),
    "dashboard:spc_csv": Rule(IN_ICB, about="SPC chart figures as CSV."),
    "dashboard:spread_csv": Rule(IN_ICB, about="Variation figures as CSV."),
    "boardpack:list": Rule(WITH_ROLE, about="Board packs of the reader's ICB."),
    "boardpack:new": Rule(IN_ICB, IN_ICB, "Ask for a board pack."),
    "boardpack:detail": Rule(IN_ICB, about="One board pack."),
    "boardpack:status": Rule(IN_ICB, about="A board pack's progress."),
    "boardpack:download": Rule(IN_ICB, about="A board pack's PDF, slides or workbook."),
    # --- API tokens and the audit log ---
    "tokens:mine": Rule(WITH_ROLE, WITH_ROLE, "Your API tokens: list, create."),
    "tokens:revoke_mine": Rule(NOBODY, MANAGERS, "Revoke one of your own tokens."),
    "tokens:icb": Rule(ICB_MANAGERS, ICB_MANAGERS, "Tokens of people in the ICB."),
    "tokens:revoke_in_icb": Rule(NOBODY, MANAGERS, "Revoke a token of someone in the ICB."),
    "audit:log": Rule(ICB_MANAGERS | {"staff"}, about="The ICB's audit log."),
    "audit:csv": Rule(ICB_MANAGERS | {"staff"}, about="The ICB's audit log as CSV."),
    # --- Alerts ---
    "alerts:index": Rule(WITH_ROLE, WITH_ROLE, "Your alerts: subscribe, what was sent."),
    # The subscription asked about is the PCN manager's own.
    "alerts:stop": Rule(NOBODY, frozenset({"pcn_manager"}), "Stop one of your alerts."),
    "alerts:unsubscribe": Rule(ANYONE, ANYONE, "An alert email's unsubscribe link (signed)."),
    # --- The register ---
    "practices:browse": Rule(WITH_ROLE, about="Organisations of the reader's ICB."),
    "practices:practice": Rule(IN_ICB, about="A practice."),
    "practices:list_sizes_csv": Rule(IN_ICB, about="A practice's list sizes as CSV."),
    "practices:org_detail": Rule(IN_ICB, about="A place (sub-ICB location) of the ICB."),
    "pcns:detail": Rule(IN_ICB, about="A PCN."),
    "pcns:list_sizes_csv": Rule(IN_ICB, about="A PCN's list sizes as CSV."),
    # --- Workforce (ARRS) ---
    "arrs:icb": Rule(ICB_READERS, about="The ICB's ARRS workforce and spend."),
    "arrs:fte_csv": Rule(ICB_READERS, about="WTE by role as CSV."),
    "arrs:fte_xlsx": Rule(ICB_READERS, about="WTE by role as a workbook."),
    "arrs:spend_csv": Rule(ICB_READERS, about="Spend against allocation as CSV."),
    "arrs:pcn": Rule(IN_ICB, about="A PCN's workforce."),
    "arrs:pcn_fte_csv": Rule(IN_ICB, about="A PCN's WTE as CSV."),
    "arrs:template": Rule(PLAN_KEEPERS, about="A PCN's plan template."),
    "arrs:upload": Rule(PLAN_KEEPERS, PLAN_KEEPERS, "Upload a PCN's plan."),
    "arrs:plans": Rule(ICB_READERS - {"board_member"}, about="Plans the reader may see."),
    "arrs:plan": Rule(PLAN_KEEPERS, about="One plan (the PCN's and the ICB's managers)."),
    # The draft asked about is PCN U00002's: its own manager and the ICB's submit it.
    "arrs:submit": Rule(NOBODY, frozenset({"other_pcn_manager", "icb_manager"}), "Submit a draft."),
    "arrs:review": Rule(NOBODY, MANAGERS, "Accept or return a plan."),
    "arrs:rounds": Rule(ICB_MANAGERS, ICB_MANAGERS, "Plan rounds."),
    "arrs:round_open": Rule(NOBODY, MANAGERS, "Open or close a round."),
    "arrs:allocations": Rule(ICB_MANAGERS, ICB_MANAGERS, "ARRS allocations."),
    "arrs:amounts": Rule(WITH_ROLE, about="Reimbursable amounts by role and date."),
    "arrs:amounts_add": Rule(ICB_MANAGERS, ICB_MANAGERS, "Add a year's amounts."),
    "arrs:staff_roles": Rule(
        ICB_MANAGERS | {"data_loader", "staff"},
        frozenset({"data_loader", "staff"}),
        "The NWRS staff role mapping every ICB shares.",
    ),
    "arrs:role_aliases": Rule(
        ICB_MANAGERS, ICB_MANAGERS, "Names the ICB's PCNs write for roles, with their history."
    ),
    "arrs:icb_in_post": Rule(
        ICB_MANAGERS, ICB_MANAGERS, "The ICB's own in-post totals where it has no PCN split."
    ),
    # --- Imports and access measures ---
    "metrics:imports": Rule(LOADERS, about="Import log: national loads and the ICB's own."),
    "metrics:upload": Rule(LOADERS, LOADERS, "Upload a file of a source the role may load."),
    "metrics:batch": Rule(MANAGERS | {"staff"}, about="An ICB-kept import."),
    "metrics:batch_status": Rule(MANAGERS | {"staff"}, about="Its progress."),
    "metrics:access": Rule(ICB_READERS | NO_ICB, about="The ICB's access measures."),
    "metrics:access_csv": Rule(ICB_READERS, about="The access table as CSV."),
    "metrics:data_quality": Rule(
        ICB_READERS | NO_ICB, about="Which practices recorded appointments."
    ),
    "metrics:baseline": Rule(ICB_READERS, ICB_MANAGERS, "The ICB's baseline month."),
    "metrics:org_access_csv": Rule(IN_ICB, about="A practice's access figures as CSV."),
    "metrics:key_measures": Rule(
        ICB_READERS, ICB_MANAGERS, "The ICB's key measures and targets, with their history."
    ),
    # --- The REST API (a token acts with its user's roles; lists hold what the role reads) ---
    "api:schema": Rule(ANYONE, about="The OpenAPI schema (no data)."),
    "api:docs": Rule(ANYONE, about="The API's documentation (no data)."),
    "api:api-root": Rule(SIGNED_IN, about="The API's index (no data)."),
    "api:region-list": Rule(API_READERS, about="Regions."),
    "api:region-detail": Rule(ICB_READERS, about="The region of the reader's ICB."),
    "api:icb-list": Rule(API_READERS, about="ICBs the role reads."),
    "api:icb-detail": Rule(IN_ICB, about="An ICB."),
    "api:subicb-list": Rule(API_READERS, about="Places the role reads."),
    "api:subicb-detail": Rule(IN_ICB, about="A place."),
    "api:pcn-list": Rule(API_READERS, about="PCNs the role reads."),
    "api:pcn-detail": Rule(IN_ICB, about="A PCN."),
    "api:practice-list": Rule(API_READERS, about="Practices the role reads."),
    "api:practice-detail": Rule(IN_ICB, about="A practice."),
    "api:membership-list": Rule(API_READERS, about="Dated memberships."),
    "api:listsize-list": Rule(API_READERS, MANAGERS, "List sizes; correct one."),
    "api:listsize-detail": Rule(IN_ICB, MANAGERS, "A list size; correct it (PATCH)."),
    "api:measuredefinition-list": Rule(API_READERS, about="Measure definitions."),
    "api:measuredefinition-detail": Rule(API_READERS, about="A measure definition."),
    "api:measurevalue-list": Rule(API_READERS, about="Measure values the role reads."),
    "api:keymeasure-list": Rule(API_READERS, about="Key measures and targets of the ICBs read."),
    "api:source-list": Rule(API_READERS, about="Data sources."),
    "api:source-detail": Rule(API_READERS, about="A data source."),
    "api:importbatch-list": Rule(LOADERS, LOADERS, "Import log; upload a file."),
    "api:importbatch-detail": Rule(MANAGERS | {"staff"}, about="An ICB-kept import."),
    "api:arrsrole-list": Rule(API_READERS, about="ARRS roles."),
    "api:arrsrole-detail": Rule(API_READERS, about="An ARRS role."),
    "api:arrsallocation-list": Rule(API_READERS, MANAGERS, "ARRS allocations; add one."),
    "api:arrsallocation-detail": Rule(IN_ICB, MANAGERS, "An allocation; change it (PATCH)."),
    "api:workforceplan-list": Rule(
        ICB_READERS - {"board_member"}, about="Workforce plans the role may see."
    ),
    "api:workforceplan-detail": Rule(PLAN_KEEPERS, about="A workforce plan."),
    "api:arrsinpost-list": Rule(API_READERS, about="ARRS staff in post."),
    "api:arrsspend-list": Rule(API_READERS, about="ARRS spend against allocation."),
    "api:arrsftetable-list": Rule(API_READERS, about="The board's WTE by ARRS role and date."),
}


def _who(roles: frozenset[str]) -> str:
    named = {
        NOBODY: "nobody",
        ANYONE: "anyone",
        SIGNED_IN: "anyone signed in",
        WITH_ROLE: "anyone with a role, and staff",
        IN_ICB: "the ICB's PCN managers, manager and board members",
    }
    if roles in named:
        return named[roles]
    return "; ".join(ROLE_NAMES[role] for role in ROLES if role in roles)


def policy_markdown(policy: dict[str, Rule]) -> str:
    """The policy as a Markdown table: route, what it is, who reads, who changes."""
    lines = [
        "| Route | What | Who may read (GET) | Who may change (POST, PATCH) |",
        "|---|---|---|---|",
    ]
    for name, rule in policy.items():
        lines.append(f"| `{name}` | {rule.about} | {_who(rule.read)} | {_who(rule.write)} |")
    return "\n".join(lines) + "\n"


class MethodsMiddleware:
    """A page route that declares no writers answers only GET (and HEAD); one that does
    also takes POST. The API and the admin answer for their own methods."""

    SAFE = {"GET", "HEAD", "OPTIONS"}

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        name = request.resolver_match.view_name if request.resolver_match else ""
        rule = None if name.startswith("api:") else POLICY.get(name)
        if rule is None or request.method in self.SAFE:
            return None
        if request.method == "POST" and rule.write:
            return None
        return HttpResponseNotAllowed(["GET", "HEAD", *(["POST"] if rule.write else [])])
