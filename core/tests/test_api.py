"""The API as a whole: tokens, errors, throttling, CSV, conditional answers and the docs."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils.http import http_date
from rest_framework.test import APIClient

from core.api.throttles import TokenRateThrottle
from core.tokens.models import ApiToken
from practices.services import list_size_correct
from tests.api import api_as, csv_rows
from tests.factories import UserFactory

PRACTICES = "/api/v1/practices/"
LISTS = [
    "/api/v1/regions/",
    "/api/v1/icbs/",
    "/api/v1/sub-icbs/",
    "/api/v1/pcns/",
    "/api/v1/practices/",
    "/api/v1/memberships/",
    "/api/v1/list-sizes/",
    "/api/v1/measure-definitions/",
    "/api/v1/measure-values/",
    "/api/v1/sources/",
    "/api/v1/import-batches/",
]


def test_create_api_token_prints_a_working_key_alone_and_its_expiry_beside(tree, icb_manager):
    out, err = StringIO(), StringIO()

    call_command("create_api_token", "icb.manager", stdout=out, stderr=err)

    key = out.getvalue().strip()
    assert len(key) == 40 and "\n" not in key
    assert "expires on" in err.getvalue() and "shown only this once" in err.getvalue()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(PRACTICES).status_code == 200


def test_create_api_token_keeps_only_a_hash_of_the_key(icb_manager):
    out = StringIO()

    call_command("create_api_token", "icb.manager", "--days", "7", stdout=out, stderr=StringIO())

    key = out.getvalue().strip()
    token = ApiToken.objects.get(user=icb_manager)
    assert key not in {token.key_hash, token.prefix} and token.prefix == key[:8]
    assert (token.expires - token.created).days == 7


def test_create_api_token_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="no user called nobody"):
        call_command("create_api_token", "nobody")


def test_a_token_reads_what_its_user_may_see(tree, icb_manager):
    response = api_as(icb_manager).get(PRACTICES)

    assert response.status_code == 200
    codes = {row["code"] for row in response.json()["results"]}
    assert "L85001" in codes and "J99001" not in codes


def test_a_signed_in_browser_user_reads_through_the_session(client, tree, board_member):
    client.force_login(board_member)

    response = client.get(PRACTICES)

    assert response.status_code == 200


def test_no_credentials_get_401_with_the_error_body_and_no_data(tree):
    response = APIClient().get(PRACTICES)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "status": 401,
        "error": "not_authenticated",
        "detail": "Authentication credentials were not provided.",
    }


def test_a_wrong_token_gets_401(tree):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")

    response = client.get(PRACTICES)

    assert response.status_code == 401
    assert response.json()["error"] == "authentication_failed"


def test_a_user_with_no_role_gets_403_and_no_data(tree):
    response = api_as(UserFactory(username="no.role")).get(PRACTICES)

    assert response.status_code == 403
    body = response.json()
    assert body["error"] == "permission_denied" and "results" not in body


def test_an_unknown_api_path_gets_a_json_404(icb_manager):
    response = api_as(icb_manager).get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_an_unknown_code_gets_a_json_404(icb_manager):
    response = api_as(icb_manager).get("/api/v1/practices/Z99999/")

    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "error": "not_found",
        "detail": "There is no practice with the ODS code Z99999.",
    }


def test_invalid_parameters_get_400_naming_the_field(icb_manager):
    response = api_as(icb_manager).get("/api/v1/measure-values/?period=March")

    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid"
    assert "YYYY-MM" in body["fields"]["period"][0]


def test_a_method_not_allowed_gets_the_error_body(icb_manager):
    response = api_as(icb_manager).delete("/api/v1/practices/L85001/")

    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"


def test_a_token_over_its_rate_gets_429(monkeypatch, icb_manager):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "2/minute"})
    client = api_as(icb_manager)

    answers = [client.get("/api/v1/sources/").status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    body = client.get("/api/v1/sources/").json()
    assert body["error"] == "throttled" and body["status"] == 429


def test_tokens_are_throttled_separately(monkeypatch, icb_manager, board_member):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "1/minute"})
    manager, board = api_as(icb_manager), api_as(board_member)

    assert manager.get("/api/v1/sources/").status_code == 200
    assert manager.get("/api/v1/sources/").status_code == 429
    assert board.get("/api/v1/sources/").status_code == 200


@pytest.mark.parametrize("url", LISTS)
def test_every_list_answers_as_a_streamed_csv(tree, icb_manager, url):
    response = api_as(icb_manager).get(url, {"format": "csv"})

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert csv_rows(response) is not None


def test_a_csv_has_a_column_per_field_and_a_row_per_record(tree, icb_manager):
    response = api_as(icb_manager).get(PRACTICES, {"format": "csv", "pcn": "U00001"})

    rows = csv_rows(response)
    assert [row["code"] for row in rows] == ["L85001", "L85002"]
    assert rows[0]["pcn_code"] == "U00001"
    assert rows[0]["list_size_all_patients"] == "6010"
    assert "memberships" not in rows[0]


def test_csv_is_also_chosen_by_the_accept_header(tree, icb_manager):
    response = api_as(icb_manager).get("/api/v1/pcns/", HTTP_ACCEPT="text/csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_an_error_asked_for_as_csv_is_still_json(icb_manager):
    response = api_as(icb_manager).get("/api/v1/measure-values/?format=csv&period=2025")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "invalid"


def test_unchanged_data_gets_304_for_its_etag(tree, icb_manager):
    client = api_as(icb_manager)
    first = client.get(PRACTICES)

    again = client.get(PRACTICES, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_unchanged_data_gets_304_since_its_last_modified(tree, icb_manager):
    client = api_as(icb_manager)
    first = client.get(PRACTICES, {"format": "csv"})

    again = client.get(PRACTICES, {"format": "csv"}, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 304


def test_an_older_if_modified_since_gets_the_data(tree, icb_manager):
    long_ago = http_date(dt.datetime(2020, 1, 1, tzinfo=dt.UTC).timestamp())

    response = api_as(icb_manager).get(PRACTICES, HTTP_IF_MODIFIED_SINCE=long_ago)

    assert response.status_code == 200


def test_a_change_to_the_data_changes_the_etag(tree, icb_manager):
    client = api_as(icb_manager)
    first = client.get(PRACTICES)

    list_size_correct(practice=tree.practices["L85001"], month=dt.date(2025, 5, 1), all_patients=1)
    again = client.get(PRACTICES, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_another_query_or_reader_has_another_etag(tree, icb_manager, board_member):
    manager = api_as(icb_manager)
    etag = manager.get(PRACTICES)["ETag"]

    assert manager.get(PRACTICES, {"pcn": "U00001"})["ETag"] != etag
    assert manager.get(PRACTICES, {"format": "csv"})["ETag"] != etag
    assert api_as(board_member).get(PRACTICES, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_answers_may_be_cached_only_privately_and_must_be_revalidated(tree, icb_manager):
    response = api_as(icb_manager).get(PRACTICES)

    assert response["Cache-Control"] == "private, no-cache"
    assert "Authorization" in response["Vary"]


def test_the_schema_is_open_and_lists_every_endpoint(client, db):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for url in LISTS:
        assert url in paths


def test_the_docs_page_loads_its_scripts_from_the_portal_not_a_cdn(client, db):
    response = client.get("/api/v1/docs/")

    page = response.content.decode()
    assert response.status_code == 200
    # Served from the portal's own static files, under their hashed names.
    assert re.search(
        r"/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle\.[0-9a-f]{12}\.js", page
    )
    assert "cdn" not in page.lower()


def test_a_new_role_widens_what_the_same_token_sees_at_once(tree, icb_manager):
    from core.models import Role, RoleAssignment

    client = api_as(icb_manager)
    before = {row["code"] for row in client.get(PRACTICES).json()["results"]}

    RoleAssignment.objects.create(
        user=icb_manager, role=Role.ICB_MANAGER, organisation=tree.other_icb
    )
    after = {row["code"] for row in client.get(PRACTICES).json()["results"]}

    assert "J99001" not in before and "J99001" in after


def test_a_membership_change_moves_a_practice_out_of_sight_at_once(tree, icb_manager):
    client = api_as(icb_manager)
    assert client.get("/api/v1/practices/L85006/").status_code == 200

    tree.practices["L85006"].parent_links.all().delete()

    assert client.get("/api/v1/practices/L85006/").status_code == 403


def test_an_unknown_query_parameter_is_a_400_naming_those_accepted(tree, icb_manager):
    """?org= was once ignored and every row listed."""
    response = api_as(icb_manager).get("/api/v1/measure-values/", {"org": "U00001"})

    assert response.status_code == 400
    message = response.json()["fields"]["org"][0]
    assert message.startswith("Not a parameter of this endpoint. It takes:")
    assert "org_code" in message and "page_size" in message


def test_the_accepted_parameters_still_filter(tree, icb_manager):
    response = api_as(icb_manager).get("/api/v1/practices/", {"page_size": 2, "format": "json"})

    assert response.status_code == 200 and len(response.json()["results"]) <= 2
