"""Schemathesis against the live schema: requests generated from every operation's
parameters and bodies (valid and deliberately invalid) are sent to the Django app with an
ICB manager's token; no answer may be a server error, and every answer must match what
the schema says (status code, content type and body)."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.services import api_token_replace

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# How many requests each operation gets, the same on every run (CI included).
SCHEMA_RUN = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def live_schema():
    """The schema the running app serves, with requests sent to the app in-process (in the
    test's database transaction)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(generated, default=str)))
    loaded.app = get_wsgi_application()
    return loaded


@pytest.fixture
def connection_kept_open():
    """Django closes the database connection at the end of each request it serves, which
    would end the test's transaction; the test client suspends that, and so does this."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def token(icb_manager) -> str:
    return api_token_replace(user=icb_manager)


schema = live_schema()


@schema.parametrize()
@SCHEMA_RUN
def test_every_operation_answers_as_its_schema_says(case, tree, token, connection_kept_open):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
