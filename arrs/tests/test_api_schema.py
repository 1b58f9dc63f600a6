"""Schemathesis over the ARRS operations with ARRS data loaded (plans in every state,
allocations, staff in post and claims), so generated requests reach rows, not empty lists:
no server error, and every answer as the schema says."""

from __future__ import annotations

import pytest

from core.services import api_token_replace
from tests.test_api_schema import CHECKS, SCHEMA_RUN, connection_kept_open, live_schema

__all__ = ["connection_kept_open"]  # a fixture the test below uses

schema = live_schema().include(path_regex="/arrs/")


@pytest.fixture
def token(icb_manager) -> str:
    return api_token_replace(user=icb_manager)


@schema.parametrize()
@SCHEMA_RUN
def test_every_arrs_operation_with_data_answers_as_its_schema_says(
    case, plans, in_post, claims, token, connection_kept_open
):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
