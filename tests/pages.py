"""Helpers for page tests: fetch a page as someone, and read its words without the markup."""

from __future__ import annotations

import html
import re
from pathlib import Path

from django.http import HttpResponse
from django.test import Client
from pypdf import PdfReader

from core.models import Role
from tests.factories import UserFactory, user_with_role


def page_as(client: Client, user, url: str) -> HttpResponse:
    """GET ``url`` signed in as ``user`` (or anonymously for None)."""
    if user is not None:
        client.force_login(user)
    return client.get(url)


def visible_text(response: HttpResponse) -> str:
    """The page's words without tags, scripts or runs of spaces, to match figures in rows."""
    body = re.sub(r"<(script|svg)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def pdf_text(path: str | Path) -> str:
    """Every page's words from a PDF, runs of spaces made one (pypdf, so the tests need no
    system PDF tools)."""
    pages = PdfReader(path).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in pages))


def no_role_user():
    return UserFactory(username="no.role")


def other_icb_manager(tree):
    """An ICB manager of QOX, the ICB next to QSL: must not see QSL's organisations."""
    return user_with_role(Role.ICB_MANAGER, tree.other_icb, username="qox.manager")


# Every role the page tests try, as fixture names (None is an anonymous visitor).
ROLES = ["anonymous", "icb_manager", "pcn_manager", "board_member", "no_role", "other_icb"]


def user_for(request, role: str):
    """The user for a role name in ROLES, built from the conftest fixtures."""
    if role == "anonymous":
        return None
    if role == "no_role":
        request.getfixturevalue("db")
        return no_role_user()
    if role == "other_icb":
        return other_icb_manager(request.getfixturevalue("tree"))
    return request.getfixturevalue(role)
