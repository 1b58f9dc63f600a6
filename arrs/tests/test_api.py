"""ARRS through the API: who reads which lists, that plans are seen only as on the pages
(never another PCN's draft), allocations set with the pages' checks, staff in post and spend
worked out as the pages do, CSV, and conditional answers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from arrs.models import Allocation, ArrsRole, PlanStatus
from arrs.services import workforce_plan_review, workforce_plan_upload
from arrs.tests.conftest import submitted
from arrs.tests.plans import plan_file
from tests.api import READ_STATUS, ROLES, api_as, csv_rows, user_for

pytestmark = pytest.mark.django_db

ROLES_URL = "/api/v1/arrs/roles/"
ALLOCATIONS = "/api/v1/arrs/allocations/"
PLANS = "/api/v1/arrs/workforce-plans/"
IN_POST = "/api/v1/arrs/in-post/"
SPEND = "/api/v1/arrs/spend/"
PUBLISHED = [ROLES_URL, ALLOCATIONS, IN_POST, SPEND]

# The plan list page's rule: PCN and ICB managers only.
PLAN_STATUS = {**READ_STATUS, "board_member": 403}


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


def plan_ids(response) -> set[int]:
    return {row["id"] for row in results(response)}


def refused_without_data(response, status: int) -> None:
    assert response.status_code == status
    assert set(response.json()) == {"status", "error", "detail"}


# --- who reads what --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("url", PUBLISHED)
def test_who_may_read_the_published_lists(request, plans, who, url):
    response = api_as(user_for(request, who)).get(url)

    assert response.status_code == READ_STATUS[who]
    if response.status_code != 200:
        refused_without_data(response, READ_STATUS[who])


@pytest.mark.parametrize("who", ROLES)
def test_who_may_list_workforce_plans(request, plans, who):
    response = api_as(user_for(request, who)).get(PLANS)

    assert response.status_code == PLAN_STATUS[who]
    if response.status_code != 200:
        refused_without_data(response, PLAN_STATUS[who])


@pytest.mark.parametrize(
    "who, status",
    [
        ("anonymous", 401),
        ("icb_manager", 200),
        ("pcn_manager", 200),
        ("board_member", 403),
        ("no_role", 403),
        ("other_icb", 403),
    ],
)
def test_who_may_open_a_pcns_own_plan(request, plans, who, status):
    response = api_as(user_for(request, who)).get(f"{PLANS}{plans.accepted.pk}/")

    assert response.status_code == status
    if status != 200:
        refused_without_data(response, status)


def test_an_icb_manager_sees_every_plan_of_the_icbs_pcns(plans, icb_manager):
    response = api_as(icb_manager).get(PLANS)

    expected = {plans.accepted.pk, plans.awaiting.pk, plans.returned.pk, plans.draft.pk}
    assert plan_ids(response) == expected


def test_a_manager_of_another_icb_sees_none_of_its_plans(request, plans):
    response = api_as(user_for(request, "other_icb")).get(PLANS)

    assert plan_ids(response) == set()


def test_a_pcn_manager_sees_their_own_pcns_plans_drafts_included(tree, plans, pcn_manager):
    upload = plan_file(tree.pcn_a, {"Paramedic": (1,)})
    own_draft = workforce_plan_upload(
        pcn=tree.pcn_a, plan_round=plans.round, upload=upload, user=pcn_manager
    ).plan

    response = api_as(pcn_manager).get(PLANS)

    assert plan_ids(response) == {plans.accepted.pk, own_draft.pk}


def test_a_pcn_manager_cannot_see_another_pcns_draft_in_the_list(plans, pcn_manager):
    client = api_as(pcn_manager)

    assert plans.draft.pk not in plan_ids(client.get(PLANS))
    assert plan_ids(client.get(PLANS, {"pcn": "U00002"})) == set()
    assert plan_ids(client.get(PLANS, {"status": "draft"})) == set()


def test_a_pcn_manager_cannot_open_another_pcns_plans(plans, pcn_manager):
    client = api_as(pcn_manager)

    for plan in (plans.draft, plans.awaiting, plans.returned):
        refused_without_data(client.get(f"{PLANS}{plan.pk}/"), 403)


def test_a_pcn_manager_cannot_see_another_pcns_draft_in_the_csv(plans, pcn_manager):
    rows = csv_rows(api_as(pcn_manager).get(PLANS, {"format": "csv"}))

    assert rows
    assert {row["pcn"] for row in rows} == {"U00001"}
    assert {row["id"] for row in rows} == {str(plans.accepted.pk)}


def test_an_unknown_plan_is_404(plans, icb_manager):
    refused_without_data(api_as(icb_manager).get(f"{PLANS}999999/"), 404)


# --- plans: what they say ----------------------------------------------------------------------


def test_a_plan_gives_its_round_people_and_lines_with_blanks_kept(plans, icb_manager):
    plan = api_as(icb_manager).get(f"{PLANS}{plans.accepted.pk}/").json()

    assert (plan["pcn"], plan["round_name"], plan["financial_year"]) == (
        "U00001",
        "2026/27 August",
        2026,
    )
    assert (plan["status"], plan["as_at"]) == ("accepted", "2026-07-31")
    assert (plan["uploaded_by"], plan["submitted_by"], plan["reviewed_by"]) == (
        "pcn.manager",
        "pcn.manager",
        "icb.manager",
    )
    pharmacists = next(line for line in plan["lines"] if line["role"] == "clinical_pharmacist")
    assert pharmacists["in_post"] == "2.0000"
    assert [(f["on"], f["wte"]) for f in pharmacists["intended"]] == [
        ("2026-09-30", "2.5000"),
        ("2026-12-31", None),
        ("2027-03-31", "3.0000"),
    ]


def test_a_returned_plan_says_why_and_a_replaced_plan_names_its_successor(
    tree, plans, icb_manager, pcn_manager
):
    client = api_as(icb_manager)
    returned = client.get(f"{PLANS}{plans.returned.pk}/").json()
    newer = submitted(tree.pcn_a, plans.round, pcn_manager, {"Clinical Pharmacist": (3,)})

    replaced = client.get(f"{PLANS}{plans.accepted.pk}/").json()

    assert returned["review_comment"] == "Seven dietitians is surely a typing slip"
    assert (replaced["status"], replaced["superseded_by"]) == ("superseded", newer.pk)


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"status": "draft"}, {"draft"}),
        ({"status": "returned"}, {"returned"}),
        ({"pcn": "u00002"}, {"awaiting", "draft"}),
        ({"financial_year": "2026"}, {"accepted", "awaiting", "returned", "draft"}),
        ({"financial_year": "2025"}, set()),
        ({"round": "999999"}, set()),
    ],
)
def test_plans_filter_by_status_pcn_year_and_round(plans, icb_manager, query, expected):
    names = {getattr(plans, n).pk: n for n in ("accepted", "awaiting", "returned", "draft")}

    response = api_as(icb_manager).get(PLANS, query)

    assert {names[pk] for pk in plan_ids(response)} == expected


def test_plans_filter_by_their_round(plans, icb_manager):
    response = api_as(icb_manager).get(PLANS, {"round": plans.round.pk, "status": "submitted"})

    assert plan_ids(response) == {plans.awaiting.pk}


@pytest.mark.parametrize(
    "query, field", [({"status": "lost"}, "status"), ({"financial_year": "next"}, "financial_year")]
)
def test_a_bad_plan_filter_is_400_naming_it(plans, icb_manager, query, field):
    response = api_as(icb_manager).get(PLANS, query)

    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_plans_as_csv_have_a_row_per_figure(plans, icb_manager):
    response = api_as(icb_manager).get(PLANS, {"format": "csv", "pcn": "U00001"})

    assert response.streaming
    rows = csv_rows(response)
    pharmacists = [r for r in rows if r["role"] == "clinical_pharmacist"]
    assert [(r["figure"], r["on"], r["wte"]) for r in pharmacists] == [
        ("in_post", "2026-07-31", "2.0000"),
        ("intended", "2026-09-30", "2.5000"),
        ("intended", "2026-12-31", ""),
        ("intended", "2027-03-31", "3.0000"),
    ]
    assert {(r["status"], r["round_name"]) for r in rows} == {("accepted", "2026/27 August")}
    assert "lines" not in rows[0]


# --- allocations -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["icb_manager", "pcn_manager", "board_member"])
def test_readers_of_the_icb_see_its_allocations(request, plans, who):
    rows = results(api_as(user_for(request, who)).get(ALLOCATIONS))

    assert {(r["pcn"], r["financial_year"], r["amount"]) for r in rows} == {
        ("U00001", 2026, "250000.00"),
        ("U00002", 2026, "300000.00"),
    }


def test_a_manager_of_another_icb_sees_only_their_own_allocations(request, tree, plans):
    Allocation.objects.create(pcn=tree.other_pcn, financial_year=2026, amount=Decimal(99))

    rows = results(api_as(user_for(request, "other_icb")).get(ALLOCATIONS))

    assert [r["pcn"] for r in rows] == ["U99999"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"pcn": "u00002"}, {"U00002"}),
        ({"icb": "QSL"}, {"U00001", "U00002"}),
        ({"icb": "QOX"}, set()),
        ({"financial_year": "2026"}, {"U00001", "U00002"}),
        ({"financial_year": "2025"}, set()),
    ],
)
def test_allocations_filter_by_pcn_icb_and_year(plans, icb_manager, query, expected):
    rows = results(api_as(icb_manager).get(ALLOCATIONS, query))

    assert {r["pcn"] for r in rows} == expected


def test_allocations_as_csv(plans, board_member):
    rows = csv_rows(api_as(board_member).get(ALLOCATIONS, {"format": "csv"}))

    assert [(r["pcn"], r["financial_year_label"], r["amount"]) for r in rows] == [
        ("U00001", "2026/27", "250000.00"),
        ("U00002", "2026/27", "300000.00"),
    ]
    assert rows[0]["rate_area"] == "national" and rows[0]["source_batch"] == ""


def test_an_icb_manager_sets_a_new_allocation_then_replaces_it(plans, icb_manager):
    client = api_as(icb_manager)
    body = {"pcn": "u00003", "financial_year": 2026, "amount": "123456.78"}

    created = client.post(ALLOCATIONS, body, format="json")
    replaced = client.post(
        ALLOCATIONS, {**body, "amount": "200000", "rate_area": "outer_london"}, format="json"
    )

    assert created.status_code == 201
    assert (created.json()["amount"], created.json()["updated_by"]) == ("123456.78", "icb.manager")
    assert replaced.status_code == 200
    assert replaced.json()["id"] == created.json()["id"]
    held = Allocation.objects.get(pcn__code="U00003", financial_year=2026)
    assert (held.amount, held.rate_area) == (Decimal("200000.00"), "outer_london")
    assert held.history.count() == 2


def test_an_icb_manager_corrects_an_allocation_and_only_what_is_sent_changes(plans, icb_manager):
    held = Allocation.objects.get(pcn__code="U00001", financial_year=2026)

    response = api_as(icb_manager).patch(
        f"{ALLOCATIONS}{held.pk}/", {"rate_area": "inner_london"}, format="json"
    )

    assert response.status_code == 200
    held.refresh_from_db()
    assert (held.amount, held.rate_area) == (Decimal("250000.00"), "inner_london")
    assert held.updated_by.username == "icb.manager"


@pytest.mark.parametrize(
    "who, status",
    [
        ("anonymous", 401),
        ("pcn_manager", 403),
        ("board_member", 403),
        ("no_role", 403),
        ("other_icb", 403),
    ],
)
def test_who_may_not_set_an_allocation(request, plans, who, status):
    body = {"pcn": "U00003", "financial_year": 2026, "amount": "1000"}

    response = api_as(user_for(request, who)).post(ALLOCATIONS, body, format="json")

    refused_without_data(response, status)
    assert not Allocation.objects.filter(pcn__code="U00003").exists()


@pytest.mark.parametrize(
    "who, status",
    [
        ("anonymous", 401),
        ("pcn_manager", 403),
        ("board_member", 403),
        ("other_icb", 404),  # another ICB's allocation is not even visible
    ],
)
def test_who_may_not_correct_an_allocation(request, plans, who, status):
    held = Allocation.objects.get(pcn__code="U00001", financial_year=2026)

    response = api_as(user_for(request, who)).patch(
        f"{ALLOCATIONS}{held.pk}/", {"amount": "1"}, format="json"
    )

    refused_without_data(response, status)
    held.refresh_from_db()
    assert held.amount == Decimal("250000.00")


def test_an_icb_manager_cannot_set_another_icbs_pcn(request, tree, plans):
    body = {"pcn": "U00001", "financial_year": 2026, "amount": "1"}

    response = api_as(user_for(request, "other_icb")).post(ALLOCATIONS, body, format="json")

    refused_without_data(response, 403)
    assert Allocation.objects.get(pcn=tree.pcn_a, financial_year=2026).amount == 250000


@pytest.mark.parametrize(
    "body, field",
    [
        ({"pcn": "U00003", "financial_year": 2026, "amount": "-5"}, "amount"),
        ({"pcn": "U00003", "financial_year": 2026, "amount": "12.345"}, "amount"),
        ({"pcn": "U00003", "financial_year": 2026, "amount": "lots"}, "amount"),
        ({"pcn": "U00003", "financial_year": 2026}, "amount"),
        ({"pcn": "U00003", "financial_year": 1999, "amount": "5"}, "financial_year"),
        ({"pcn": "U00003", "amount": "5"}, "financial_year"),
        ({"pcn": "L85001", "financial_year": 2026, "amount": "5"}, "pcn"),
        ({"pcn": "U55555", "financial_year": 2026, "amount": "5"}, "pcn"),
        (
            {"pcn": "U00003", "financial_year": 2026, "amount": "5", "rate_area": "mars"},
            "rate_area",
        ),
    ],
)
def test_an_invalid_allocation_is_400_naming_the_field(plans, icb_manager, body, field):
    response = api_as(icb_manager).post(ALLOCATIONS, body, format="json")

    assert response.status_code == 400
    assert response.json()["error"] == "invalid"
    assert field in response.json()["fields"]
    assert not Allocation.objects.filter(pcn__code="U00003").exists()


# --- staff in post ---------------------------------------------------------------------------


def fte_of(rows, pcn: str, role_code: str):
    return next((r["fte"], r["source"]) for r in rows if (r["pcn"], r["role"]) == (pcn, role_code))


def test_staff_in_post_come_from_the_icbs_count_where_made_else_the_census(in_post, board_member):
    rows = results(api_as(board_member).get(IN_POST, {"page_size": 500}))

    assert fte_of(rows, "U00001", "clinical_pharmacist") == ("2.5000", "icb")
    assert fte_of(rows, "U00001", "paramedic") == (None, "icb")  # not reported
    assert fte_of(rows, "U00001", "dietitian") == (None, "icb")  # not in the count
    assert fte_of(rows, "U00002", "clinical_pharmacist") == ("1.2000", "nwrs")  # 0.7 + 0.5
    assert fte_of(rows, "U00002", "paramedic") == ("0.0000", "nwrs")  # the census: nobody
    assert {r["pcn"] for r in rows} == {"U00001", "U00002"}
    assert {r["as_at"] for r in rows} == {"2026-06-30"}


def test_each_snapshot_has_a_row_for_every_role_in_the_scheme_that_year(in_post, icb_manager):
    rows = results(api_as(icb_manager).get(IN_POST, {"pcn": "U00002", "page_size": 500}))

    in_scheme = ArrsRole.objects.exclude(reimbursable_from__gt=2026)
    assert sorted(r["role"] for r in rows) == sorted(in_scheme.values_list("code", flat=True))


def test_a_manager_of_another_icb_sees_only_their_own_staff(request, in_post):
    rows = results(
        api_as(user_for(request, "other_icb")).get(IN_POST, {"role": "clinical_pharmacist"})
    )

    assert [(r["pcn"], r["fte"]) for r in rows] == [("U99999", "4.0000")]


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"pcn": "u00001", "role": "clinical_pharmacist"}, [("U00001", "2.5000")]),
        ({"role": "clinical_pharmacist", "source": "nwrs"}, [("U00002", "1.2000")]),
        (
            {"role": "clinical_pharmacist", "icb": "QSL"},
            [("U00001", "2.5000"), ("U00002", "1.2000")],
        ),
        ({"role": "clinical_pharmacist", "icb": "QOX"}, []),
        (
            {"role": "clinical_pharmacist", "as_at": "2026-06-30", "pcn": "U00001"},
            [("U00001", "2.5000")],
        ),
        ({"role": "clinical_pharmacist", "as_at": "2026-07-01"}, []),
        ({"role": "clinical_pharmacist", "as_at_from": "2026-07-01"}, []),
        ({"role": "clinical_pharmacist", "as_at_to": "2026-06-29"}, []),
        (
            {"role": "paramedic", "as_at_from": "2026-06-01", "as_at_to": "2026-06-30"},
            [("U00001", None), ("U00002", "0.0000")],
        ),
    ],
)
def test_staff_in_post_filter_by_pcn_role_source_icb_and_date(
    in_post, icb_manager, query, expected
):
    rows = results(api_as(icb_manager).get(IN_POST, query))

    assert [(r["pcn"], r["fte"]) for r in rows] == expected


@pytest.mark.parametrize(
    "query, field", [({"as_at": "30/06/2026"}, "as_at"), ({"source": "guess"}, "source")]
)
def test_a_bad_in_post_parameter_is_400_naming_it(in_post, icb_manager, query, field):
    for extra in ({}, {"format": "csv"}):
        response = api_as(icb_manager).get(IN_POST, {**query, **extra})

        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert field in response.json()["fields"]


def test_staff_in_post_as_csv(in_post, pcn_manager):
    response = api_as(pcn_manager).get(IN_POST, {"format": "csv", "role": "clinical_pharmacist"})

    assert response.streaming
    assert [(r["pcn"], r["as_at"], r["fte"], r["source"]) for r in csv_rows(response)] == [
        ("U00001", "2026-06-30", "2.5000", "icb"),
        ("U00002", "2026-06-30", "1.2000", "nwrs"),
    ]


# --- spend -----------------------------------------------------------------------------------

# Worked by hand from the fixture. U00001's accepted plan: 2 clinical pharmacists in post on
# 31 July 2026, 2.5 intended from 30 September, 3 from 31 March 2027. Each figure holds from
# the first month starting on or after its date, and months before the first take the first:
# April to September at 2 WTE, October to March at 2.5 (31 March 2027 starts April 2027,
# outside the year): 6 x 2 + 6 x 2.5 = 27 WTE-months. The amount in force all year (from
# 1 October 2024) is 65,838 a year: 27 / 12 x 65,838 = 148,135.50, rounded to 148,136.
U00001_PROJECTED = "148136.00"


def by_code(rows) -> dict[str, dict]:
    return {row["org_code"]: row for row in rows}


def test_spend_figures_are_those_worked_by_hand(plans, claims, board_member):
    rows = by_code(results(api_as(board_member).get(SPEND, {"financial_year": 2026})))

    assert list(rows) == ["U00001", "U00002", "U00003", "QSL"]
    first = rows["U00001"]
    assert (first["allocation"], first["projected_spend"]) == ("250000.00", U00001_PROJECTED)
    assert first["headroom"] == "101864.00"  # 250,000 - 148,136
    assert first["projected_percent"] == "59.25"  # 148,136 / 250,000
    assert (first["claimed"], first["claimed_percent"]) == ("10000.50", "4.00")
    assert first["plan"] == plans.accepted.pk
    # U00002's plan awaits review and U00003's was returned: neither is projected.
    second = rows["U00002"]
    assert (second["allocation"], second["projected_spend"], second["headroom"]) == (
        "300000.00",
        None,
        None,
    )
    assert (rows["U00003"]["allocation"], rows["U00003"]["claimed"]) == (None, None)
    icb = rows["QSL"]
    # The ICB's row adds up U00001 alone, the one PCN with an accepted plan.
    assert (icb["org_type"], icb["allocation"], icb["projected_spend"]) == (
        "icb",
        "250000.00",
        U00001_PROJECTED,
    )
    assert (icb["claimed"], icb["pcn_count"], icb["projected_pcn_count"]) == ("10000.50", 3, 1)
    assert (icb["pcns_included"], icb["pcns_total"]) == (1, 3)
    assert icb["pcns_not_included"] == ["U00002", "U00003"]
    assert icb["plan_round_name"] == "2026/27 August"


def test_spend_gives_the_workforce_pages_figures(client, plans, claims, board_member):
    client.force_login(board_member)
    page = client.get(reverse("arrs:spend_csv") + "?year=2026").content.decode()
    on_page = list(csv.DictReader(io.StringIO(page)))

    rows = results(api_as(board_member).get(SPEND, {"financial_year": 2026}))

    for row, shown in zip(rows, on_page, strict=True):
        assert row["org_code"] == (shown["pcn_code"] or "QSL")
        for ours, theirs in (
            ("allocation", "allocation"),
            ("projected_spend", "projected_spend"),
            ("headroom", "headroom"),
            ("claimed", "claimed"),
        ):
            assert _amount(row[ours]) == _amount(shown[theirs]), (row["org_code"], ours)


def _amount(text: str | None) -> Decimal | None:
    return Decimal(text) if text else None


def test_spend_is_for_the_current_financial_year_unless_asked(plans, icb_manager):
    today = timezone.localdate()
    current = today.year if today.month >= 4 else today.year - 1

    rows = results(api_as(icb_manager).get(SPEND))

    assert {row["financial_year"] for row in rows} == {current}


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"pcn": "u00001"}, ["U00001"]),
        ({"org_type": "icb"}, ["QSL"]),
        ({"org_type": "pcn"}, ["U00001", "U00002", "U00003"]),
        ({"icb": "qsl", "org_type": "icb"}, ["QSL"]),
        ({"icb": "QOX"}, []),
    ],
)
def test_spend_filters_by_pcn_icb_and_level(plans, icb_manager, query, expected):
    rows = results(api_as(icb_manager).get(SPEND, {"financial_year": 2026, **query}))

    assert [row["org_code"] for row in rows] == expected


def test_a_manager_of_another_icb_sees_only_their_own_spend(request, plans):
    rows = results(api_as(user_for(request, "other_icb")).get(SPEND, {"financial_year": 2026}))

    assert [row["org_code"] for row in rows] == ["U99999", "QOX"]


@pytest.mark.parametrize(
    "query, field", [({"financial_year": "2018"}, "financial_year"), ({"round": "x"}, "round")]
)
def test_a_bad_spend_parameter_is_400_naming_it(plans, icb_manager, query, field):
    response = api_as(icb_manager).get(SPEND, query)

    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_spend_as_csv(plans, pcn_manager):
    response = api_as(pcn_manager).get(SPEND, {"format": "csv", "financial_year": 2026})

    rows = csv_rows(response)
    assert [(r["org_code"], r["allocation"], r["projected_spend"]) for r in rows] == [
        ("U00001", "250000.00", U00001_PROJECTED),
        ("U00002", "300000.00", ""),
        ("U00003", "", ""),
        ("QSL", "250000.00", U00001_PROJECTED),
    ]
    assert rows[0]["roles_without_amount"] == "[]"


# --- roles -----------------------------------------------------------------------------------


def test_roles_give_the_amounts_in_force_on_a_date(db, icb_manager):
    client = api_as(icb_manager)

    now = client.get(f"{ROLES_URL}clinical_pharmacist/", {"on": "2026-06-01"}).json()
    before = client.get(ROLES_URL, {"on": "2024-09-30"}).json()

    assert (now["amount_national"], now["amount_outer_london"]) == ("65838.00", "73189.00")
    assert (now["reimbursable_from"], now["amounts_on"]) == (2019, "2026-06-01")
    pharmacists = next(r for r in before if r["code"] == "clinical_pharmacist")
    assert pharmacists["amount_national"] == "62340.00"


def test_roles_before_any_amount_are_blank_and_an_unknown_role_is_404(db, icb_manager):
    client = api_as(icb_manager)

    early = client.get(f"{ROLES_URL}clinical_pharmacist/", {"on": "2020-01-01"}).json()

    assert early["amount_national"] is None
    refused_without_data(client.get(f"{ROLES_URL}astronaut/"), 404)
    assert "on" in client.get(ROLES_URL, {"on": "soon"}).json()["fields"]


def test_roles_as_csv(db, board_member):
    rows = csv_rows(api_as(board_member).get(ROLES_URL, {"format": "csv", "on": "2026-06-01"}))

    assert rows[0]["code"] == "clinical_pharmacist"
    assert rows[0]["amount_national"] == "65838.00"


# --- conditional answers ---------------------------------------------------------------------


@pytest.mark.parametrize("url", [*PUBLISHED, PLANS])
def test_unchanged_arrs_data_gets_304(plans, icb_manager, url):
    client = api_as(icb_manager)
    first = client.get(url)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""


def test_an_allocation_change_gives_a_fresh_etag(plans, icb_manager):
    client = api_as(icb_manager)
    before = {url: client.get(url)["ETag"] for url in (ALLOCATIONS, SPEND)}
    held = Allocation.objects.get(pcn__code="U00002")

    assert (
        client.patch(f"{ALLOCATIONS}{held.pk}/", {"amount": "1"}, format="json").status_code == 200
    )

    for url, etag in before.items():
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 200
        assert again["ETag"] != etag


def test_a_plan_review_gives_a_fresh_etag(plans, icb_manager):
    client = api_as(icb_manager)
    etag = client.get(PLANS)["ETag"]

    workforce_plan_review(plan=plans.awaiting, user=icb_manager, accept=True)
    again = client.get(PLANS, HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 200
    statuses = {row["id"]: row["status"] for row in results(again)}
    assert statuses[plans.awaiting.pk] == PlanStatus.ACCEPTED


# --- the schema ------------------------------------------------------------------------------


def test_the_schema_documents_every_arrs_endpoint_parameter_and_field(client, db):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    arrs_paths = {path: ops for path, ops in schema["paths"].items() if "/arrs/" in path}
    assert {p.split("/arrs/")[1].split("/")[0] for p in arrs_paths} == {
        "roles",
        "allocations",
        "workforce-plans",
        "in-post",
        "spend",
        "fte-table",
    }
    used: set[str] = set()
    for operations in arrs_paths.values():
        for operation in operations.values():
            assert operation.get("summary")
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), parameter["name"]
            used |= _refs(operation)
    components = schema["components"]["schemas"]
    while (more := set().union(*(_refs(components[n]) for n in used)) - used) != set():
        used |= more
    for name in used - {"Error"}:
        for field, spec in components[name].get("properties", {}).items():
            assert spec.get("description") or "allOf" in spec, f"{name}.{field}"


def _refs(node) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[1]} if "$ref" in node else set()
        for value in node.values():
            found |= _refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(_refs(item) for item in node)) if node else set()
    return set()
