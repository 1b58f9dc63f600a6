"""Helpers for API tests: a client that sends a user's token, and reading CSV answers."""

from __future__ import annotations

import csv
import io

from rest_framework.test import APIClient

from core.services import api_token_replace
from tests.pages import ROLES, user_for

__all__ = ["READ_STATUS", "ROLES", "api_as", "csv_rows", "user_for"]

# Who may read what every role reads: anonymous callers are told to authenticate (401), a
# user with no role is refused (403), every role reads (200, scoped to its ICBs).
READ_STATUS = {
    "anonymous": 401,
    "icb_manager": 200,
    "pcn_manager": 200,
    "board_member": 200,
    "no_role": 403,
    "other_icb": 200,
}


def api_as(user) -> APIClient:
    """A client sending ``user``'s API token (no credentials for None)."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_replace(user=user)}")
    return client


def csv_rows(response) -> list[dict[str, str]]:
    """A streamed CSV answer, read back as dicts by header."""
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))
