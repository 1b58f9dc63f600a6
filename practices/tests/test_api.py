"""The register through the API: who sees which organisations, filters, histories, and
list-size corrections with their checks."""

from __future__ import annotations

import datetime as dt

import pytest

from practices.models import ListSize
from tests.api import READ_STATUS, ROLES, api_as, user_for

ORG_LISTS = {
    "regions": "/api/v1/regions/",
    "icbs": "/api/v1/icbs/",
    "sub-icbs": "/api/v1/sub-icbs/",
    "pcns": "/api/v1/pcns/",
    "practices": "/api/v1/practices/",
    "memberships": "/api/v1/memberships/",
    "list-sizes": "/api/v1/list-sizes/",
}


def codes(response, field: str = "code") -> set[str]:
    return {row[field] for row in response.json()["results"]}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ORG_LISTS)
def test_who_may_list_the_register(request, tree, role, name):
    response = api_as(user_for(request, role)).get(ORG_LISTS[name])

    assert response.status_code == READ_STATUS[role]
    if response.status_code != 200:
        assert "results" not in response.json()


@pytest.mark.parametrize("role", ["icb_manager", "pcn_manager", "board_member"])
def test_readers_of_an_icb_see_its_practices_and_no_others(request, tree, role):
    response = api_as(user_for(request, role)).get("/api/v1/practices/")

    expected = {"L85001", "L85002", "L85003", "L85004", "L85005", "L85006"}
    assert codes(response) == expected


def test_a_manager_of_another_icb_sees_only_their_own(request, tree):
    client = api_as(user_for(request, "other_icb"))

    assert codes(client.get("/api/v1/practices/")) == {"J99001"}
    assert codes(client.get("/api/v1/pcns/")) == {"U99999"}
    assert codes(client.get("/api/v1/icbs/")) == {"QOX"}
    assert codes(client.get("/api/v1/regions/")) == {"Y58"}
    assert codes(client.get("/api/v1/list-sizes/"), "practice") == {"J99001"}


def test_an_organisation_outside_the_readers_icbs_is_403(request, tree):
    response = api_as(user_for(request, "other_icb")).get("/api/v1/practices/L85001/")

    assert response.status_code == 403
    assert set(response.json()) == {"status", "error", "detail"}


def test_each_level_names_its_parent_today(tree, icb_manager):
    client = api_as(icb_manager)

    icb = client.get("/api/v1/icbs/QSL/").json()
    place = client.get("/api/v1/sub-icbs/11x/").json()
    pcn = client.get("/api/v1/pcns/U00002/").json()
    moved = client.get("/api/v1/practices/L85004/").json()
    assert (icb["region_code"], place["icb_code"], pcn["sub_icb_code"]) == ("Y58", "QSL", "11X")
    assert (moved["pcn_code"], moved["sub_icb_code"]) == ("U00002", "11X")


def test_a_practice_in_no_pcn_says_so(tree, icb_manager):
    practice = api_as(icb_manager).get("/api/v1/practices/L85006/").json()

    assert practice["pcn_code"] is None


def test_a_practice_carries_its_latest_list_size(tree, icb_manager):
    practice = api_as(icb_manager).get("/api/v1/practices/L85001/").json()

    assert practice["list_size_month"] == "2025-04-01"
    assert practice["list_size_all_patients"] == 6010
    assert practice["list_size_patients_13_plus"] == 5110


def test_a_practice_carries_its_membership_history_and_list_sizes(tree, icb_manager):
    practice = api_as(icb_manager).get("/api/v1/practices/L85004/").json()

    pcn_links = [
        (m["parent_code"], m["start_date"], m["end_date"])
        for m in practice["memberships"]
        if m["relation"] == "practice_pcn"
    ]
    assert pcn_links == [
        ("U00001", "2019-07-01", "2025-03-31"),
        ("U00002", "2025-04-01", None),
    ]
    assert [s["month"] for s in practice["list_sizes"]] == ["2025-03-01", "2025-04-01"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"pcn": "U00001"}, {"L85001", "L85002"}),
        ({"pcn": "u00002"}, {"L85003", "L85004"}),
        ({"sub_icb": "11X"}, {"L85001", "L85002", "L85003", "L85004", "L85005", "L85006"}),
        ({"icb": "QSL", "pcn": "U00003"}, {"L85005"}),
        ({"code": "l85002"}, {"L85002"}),
        ({"name": "moving"}, {"L85004"}),
        ({"pcn": "U77777"}, set()),
    ],
)
def test_practices_filter_by_code_name_and_where_they_are_today(tree, icb_manager, query, expected):
    response = api_as(icb_manager).get("/api/v1/practices/", query)

    assert codes(response) == expected


def test_pcns_filter_by_place(tree, icb_manager):
    response = api_as(icb_manager).get("/api/v1/pcns/", {"sub_icb": "11X"})

    assert codes(response) == {"U00001", "U00002", "U00003"}


def test_memberships_filter_by_member_relation_and_date(tree, icb_manager):
    client = api_as(icb_manager)
    query = {"child": "L85004", "relation": "practice_pcn"}

    every = client.get("/api/v1/memberships/", query)
    before_move = client.get("/api/v1/memberships/", {**query, "in_force_on": "2025-03-15"})

    assert codes(every, "parent_code") == {"U00001", "U00002"}
    assert codes(before_move, "parent_code") == {"U00001"}


def test_members_of_a_pcn_by_parent_filter(tree, icb_manager):
    response = api_as(icb_manager).get(
        "/api/v1/memberships/", {"parent": "U00001", "in_force_on": "2025-06-01"}
    )

    assert codes(response, "child_code") == {"L85001", "L85002"}


def test_list_sizes_filter_by_practice_and_months(tree, icb_manager):
    client = api_as(icb_manager)

    one = client.get("/api/v1/list-sizes/", {"practice": "L85001", "month": "2025-04"})
    span = client.get(
        "/api/v1/list-sizes/",
        {"practice": "L85001", "month_from": "2025-01", "month_to": "2025-03"},
    )

    assert [(r["month"], r["all_patients"]) for r in one.json()["results"]] == [
        ("2025-04-01", 6010)
    ]
    assert [r["month"] for r in span.json()["results"]] == ["2025-03-01"]


# --- list-size corrections ----------------------------------------------------------------


NEW_MONTH = {"practice": "L85001", "month": "2025-05-01", "all_patients": 6100}
CORRECT_STATUS = {
    "anonymous": 401,
    "icb_manager": 201,
    "pcn_manager": 403,
    "board_member": 403,
    "no_role": 403,
    "other_icb": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_only_the_practices_icb_managers_correct_its_list_size(request, tree, role):
    response = api_as(user_for(request, role)).post("/api/v1/list-sizes/", NEW_MONTH, format="json")

    assert response.status_code == CORRECT_STATUS[role]
    saved = ListSize.objects.filter(practice__code="L85001", month=dt.date(2025, 5, 1))
    assert saved.exists() == (role == "icb_manager")


def test_a_correction_to_an_existing_month_replaces_its_counts(tree, icb_manager):
    response = api_as(icb_manager).post(
        "/api/v1/list-sizes/",
        {"practice": "l85001", "month": "2025-04-01", "all_patients": 6020},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["all_patients"] == 6020
    size = ListSize.objects.get(practice__code="L85001", month=dt.date(2025, 4, 1))
    assert (size.all_patients, size.patients_13_plus, size.source_batch) == (6020, 5110, None)


def test_patch_changes_only_the_counts_sent(tree, icb_manager):
    size = ListSize.objects.get(practice__code="L85002", month=dt.date(2025, 3, 1))

    response = api_as(icb_manager).patch(
        f"/api/v1/list-sizes/{size.pk}/", {"patients_13_plus": 5000}, format="json"
    )

    assert response.status_code == 200
    size.refresh_from_db()
    assert (size.all_patients, size.patients_13_plus) == (7000, 5000)


def test_patch_by_a_board_member_is_refused(tree, board_member):
    size = ListSize.objects.get(practice__code="L85002", month=dt.date(2025, 3, 1))

    response = api_as(board_member).patch(
        f"/api/v1/list-sizes/{size.pk}/", {"all_patients": 1}, format="json"
    )

    assert response.status_code == 403
    size.refresh_from_db()
    assert size.all_patients == 7000


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({**NEW_MONTH, "month": "2025-05-15"}, "month", "first of a month"),
        ({**NEW_MONTH, "patients_13_plus": 6101}, "patients_13_plus", "cannot be more than"),
        ({**NEW_MONTH, "all_patients": -1}, "all_patients", "greater than or equal to 0"),
        ({**NEW_MONTH, "practice": "Z99999"}, "practice", "no practice"),
        ({**NEW_MONTH, "practice": "U00001"}, "practice", "no practice"),
        ({"practice": "L85001"}, "month", "required"),
    ],
)
def test_a_correction_that_breaks_a_rule_is_400_and_changes_nothing(
    tree, icb_manager, body, field, words
):
    response = api_as(icb_manager).post("/api/v1/list-sizes/", body, format="json")

    assert response.status_code == 400
    assert words in " ".join(response.json()["fields"][field])
    assert not ListSize.objects.filter(month=dt.date(2025, 5, 1)).exists()


def test_patients_aged_13_and_over_are_checked_against_the_count_kept(tree, icb_manager):
    size = ListSize.objects.get(practice__code="L85002", month=dt.date(2025, 3, 1))

    response = api_as(icb_manager).patch(
        f"/api/v1/list-sizes/{size.pk}/", {"patients_13_plus": 7001}, format="json"
    )

    assert response.status_code == 400
    assert "patients_13_plus" in response.json()["fields"]


def test_a_pcn_token_of_another_icb_sees_nothing_of_this_one(tree):
    from core.models import Role
    from tests.factories import user_with_role

    client = api_as(user_with_role(Role.PCN_MANAGER, tree.other_pcn, username="u99999.manager"))

    assert codes(client.get("/api/v1/practices/")) == {"J99001"}
    assert client.get("/api/v1/practices/L85001/").status_code == 403
    assert client.get("/api/v1/pcns/U00001/").status_code == 403
    assert client.get("/api/v1/list-sizes/", {"practice": "L85001"}).json()["results"] == []
    assert client.get("/api/v1/measure-values/", {"org_code": "U00001"}).json()["results"] == []
    correction = {"practice": "J99001", "month": "2025-05-01", "all_patients": 1}
    assert client.post("/api/v1/list-sizes/", correction, format="json").status_code == 403
