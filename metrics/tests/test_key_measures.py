"""An ICB's key measures: the default list until its managers save their own, kept with
history, and read alike by the dashboard, the access pages and the API."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import IntegrityError

from board.dashboard.selectors import dashboard_read
from board.dashboard.tests.data import measure_months_load
from metrics.measures.key_measures import DEFAULT
from metrics.models import KeyMeasure
from metrics.selectors import key_measures
from tests.api import READ_STATUS, api_as, csv_rows, user_for
from tests.pages import other_icb_manager, page_as, visible_text

PAGE = "/measures/key/?icb=QSL"
API = "/api/v1/key-measures/"
DEFAULT_CODES = [m["code"] for m in json.loads(DEFAULT.read_text())["measures"]]


def posted(rows: list[tuple[str, str, str, str]], **extra: str) -> dict[str, str]:
    """The form as sent: (code, place, target, basis) for each measure listed."""
    data = {"rows": str(len(rows))}
    for index, (code, position, target, basis) in enumerate(rows):
        data |= {
            f"code-{index}": code,
            f"position-{index}": position,
            f"target-{index}": target,
            f"basis-{index}": basis,
        }
    return data | extra


def default_rows() -> list[tuple[str, str, str, str]]:
    return [(code, str(n), "", "") for n, code in enumerate(DEFAULT_CODES, start=1)]


def test_an_icb_that_has_not_set_a_list_reads_the_default(tree):
    found = key_measures(tree.icb)

    assert found.key_codes == DEFAULT_CODES
    assert not found.saved
    acc08 = found.key[DEFAULT_CODES.index("acc08_within_14_days_pct")]
    assert acc08.target == 85 and acc08.target_basis.startswith("ICB ambition")
    assert acc08.definition.title
    assert key_measures(None).key_codes == DEFAULT_CODES  # England, a region: no ICB


# Same-day first with a target, DNA moved to second, more than 28 days removed, the ACC-08
# target cleared, and GP appointments added at the end.
CHANGE = posted(
    [
        ("appointments_per_1000_patients", "3", "", ""),
        ("same_day_pct", "1", "45", "ICB ambition for 2026/27"),
        ("within_14_days_pct", "4", "", ""),
        ("acc08_within_14_days_pct", "5", "", "no longer used"),
        ("over_28_days_pct", "6", "", ""),
        ("dna_pct", "2", "3.5", "National median, 2024/25"),
    ],
    **{"remove-4": "yes", "code-add": "gp_pct", "target-add": "", "basis-add": ""},
)
EXPECTED = [
    ("same_day_pct", 45.0, "ICB ambition for 2026/27"),
    ("dna_pct", 3.5, "National median, 2024/25"),
    ("appointments_per_1000_patients", None, ""),
    ("within_14_days_pct", None, ""),
    ("acc08_within_14_days_pct", None, ""),
    ("gp_pct", None, ""),
]


def test_a_managers_change_is_kept_with_history_and_read_alike_everywhere(
    client, tree, icb_manager, board_member
):
    measure_months_load(tree)
    client.force_login(icb_manager)

    response = client.post(PAGE, CHANGE)

    assert response.status_code == 302
    rows = KeyMeasure.objects.filter(icb=tree.icb).order_by("position")
    assert [(r.measure_id, r.target, r.target_basis) for r in rows] == EXPECTED
    assert [r.position for r in rows] == [1, 2, 3, 4, 5, 6]
    assert {r.updated_by for r in rows} == {icb_manager}
    dashboard = dashboard_read(tree.icb)
    assert [(t.definition.code, t.key.target, t.key.target_basis) for t in dashboard.trends] == (
        EXPECTED
    )
    csv_header = list(csv_rows_of(client.get("/access/access.csv?icb=QSL"))[0])
    assert csv_header[8:-1] == ["appointments_total", *(code for code, _, _ in EXPECTED)]
    listed = api_as(board_member).get(API, {"icb": "qsl"}).json()["results"]
    assert [(r["code"], r["target"], r["target_basis"]) for r in listed] == EXPECTED
    assert [r["position"] for r in listed] == [1, 2, 3, 4, 5, 6]
    assert key_measures(tree.other_icb).key_codes == DEFAULT_CODES  # QOX keeps the default


def csv_rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_history_says_who_changed_what_and_when(client, tree, icb_manager, board_member):
    client.force_login(icb_manager)
    client.post(PAGE, CHANGE)
    kept = [
        (code, str(n), "" if target is None else f"{target:g}", basis)
        for n, (code, target, basis) in enumerate(EXPECTED, start=1)
    ]
    client.post(
        PAGE,
        posted(kept) | {"target-0": "50", "basis-0": "ICB ambition", "remove-5": "yes"},
    )

    text = visible_text(page_as(client, board_member, PAGE))

    assert "Changes to NHS Somerset ICB's key measures, newest first" in text
    assert "icb.manager Removed Appointments with a GP" in text
    assert "icb.manager Same-day appointments: target 50 (ICB ambition)" in text
    assert (
        "icb.manager Added Same-day appointments at position 1, target 45 "
        "(ICB ambition for 2026/27)"
    ) in text
    assert "Did not attend:" not in text  # unchanged by the second save: nothing recorded
    history = KeyMeasure.history.filter(icb_id=tree.icb.pk)
    assert [history.filter(history_type=kind).count() for kind in "+~-"] == [6, 1, 1]


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"target-1": "lots"}, "target-1", "Enter the target for Same-day appointments as a "),
        ({"target-1": "101"}, "target-1", "must be between 0 and 100, as it is a %"),
        ({"target-1": "-2"}, "target-1", "must be between 0 and 100, as it is a %"),
        ({"target-0": "-2", "basis-0": "x"}, "target-0", "cannot be below 0"),
        ({"target-1": "40"}, "basis-1", "Say where the target for Same-day appointments comes"),
        ({"position-2": "second"}, "position-2", "as a whole number, like 3"),
        ({"code-add": "dna_pct"}, "code-add", "is already a key measure"),
        ({"code-add": "no_such_measure"}, "code-add", "Choose a measure from the list"),
    ],
)
def test_a_change_that_cannot_be_kept_is_explained_and_nothing_is_saved(
    client, tree, icb_manager, change, field, message
):
    client.force_login(icb_manager)

    response = client.post(PAGE, posted(default_rows()) | change)

    assert response.status_code == 400
    text = visible_text(response)
    assert "There is a problem" in text and message in text
    assert f'href="#{field}"' in response.content.decode()
    assert not KeyMeasure.objects.exists()


def test_removing_every_measure_is_refused(client, tree, icb_manager):
    client.force_login(icb_manager)
    every = {f"remove-{n}": "yes" for n in range(len(DEFAULT_CODES))}

    response = client.post(PAGE, posted(default_rows()) | every)

    assert response.status_code == 400
    assert "Keep at least one key measure" in visible_text(response)
    assert not KeyMeasure.objects.exists()


@pytest.mark.parametrize("role", ["pcn_manager", "board_member", "other_icb"])
def test_only_the_icbs_own_managers_change_its_list(client, request, tree, role):
    client.force_login(user_for(request, role))

    assert client.post(PAGE, CHANGE).status_code == 403
    assert not KeyMeasure.objects.exists()


@pytest.mark.parametrize(
    "role, status, may_change",
    [
        ("icb_manager", 200, True),
        ("pcn_manager", 200, False),
        ("board_member", 200, False),
        ("other_icb", 403, False),
        ("no_role", 403, False),
    ],
)
def test_who_reads_the_list(client, request, tree, role, status, may_change):
    response = page_as(client, user_for(request, role), PAGE)

    assert response.status_code == status
    if status == 200:
        text = visible_text(response)
        assert "NHS Somerset ICB's key measures, in order" in text
        assert "uses the default list" in text
        assert ("Save the key measures" in text) is may_change


def test_another_icbs_manager_keeps_their_own_list(client, tree):
    manager = other_icb_manager(tree)
    client.force_login(manager)

    response = client.post("/measures/key/", CHANGE)  # their own ICB, QOX

    assert response.status_code == 302
    assert KeyMeasure.objects.filter(icb=tree.other_icb).count() == 6
    assert key_measures(tree.icb).key_codes == DEFAULT_CODES


@pytest.mark.parametrize("role", sorted(READ_STATUS))
def test_the_api_lists_the_key_measures_of_the_icbs_each_role_reads(request, tree, role):
    response = api_as(user_for(request, role)).get(API)

    assert response.status_code == READ_STATUS[role]
    if response.status_code == 200:
        icbs = {row["icb_code"] for row in response.json()["results"]}
        assert icbs == ({"QOX"} if role == "other_icb" else {"QSL"})


def test_the_api_answers_csv_and_a_not_modified_for_an_unchanged_list(client, tree, icb_manager):
    api = api_as(icb_manager)

    first = api.get(API, {"icb": "QSL"})
    again = api.get(API, {"icb": "QSL"}, HTTP_IF_NONE_MATCH=first["ETag"])
    listed = csv_rows(api.get(API, {"icb": "QSL", "format": "csv"}))

    assert again.status_code == 304
    assert [row["code"] for row in listed] == DEFAULT_CODES
    assert listed[3]["target"] == "85.0" and listed[0]["default_list"] == "true"
    client.force_login(icb_manager)
    client.post(PAGE, CHANGE)
    assert api.get(API, {"icb": "QSL"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_another_icbs_list_is_not_listed(tree, icb_manager):
    response = api_as(icb_manager).get(API, {"icb": "QOX"})

    assert response.status_code == 200 and response.json()["results"] == []


def test_a_measure_is_in_an_icbs_list_once(tree):
    KeyMeasure.objects.create(icb=tree.icb, measure_id="dna_pct", position=1)

    with pytest.raises(IntegrityError):
        KeyMeasure.objects.create(icb=tree.icb, measure_id="dna_pct", position=2)
