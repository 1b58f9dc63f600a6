"""The security headers on the portal's answers: a Content-Security-Policy that lets a page
load only the portal's own files (no inline script, no other origin), no sniffing, no
framing, no referrer beyond the portal, and HSTS and HTTPS redirects on production
settings."""

from __future__ import annotations

import runpy

import pytest

from access_portal import settings as portal_settings

STRICT_POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


def policy(response) -> dict[str, set[str]]:
    """The Content-Security-Policy header as {directive: sources}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        assert name not in directives, f"{name} appears twice"
        directives[name] = set(sources)
    return directives


def assert_portal_headers(response) -> None:
    assert policy(response) == STRICT_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_a_page_answers_with_the_strict_policy_and_the_security_headers(client):
    response = client.get("/sign-in/")

    assert response.status_code == 200
    assert_portal_headers(response)


def test_an_api_answer_has_the_same_headers(client, icb_manager):
    client.force_login(icb_manager)

    response = client.get("/api/v1/practices/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert_portal_headers(response)


def test_the_pages_have_no_inline_script_or_style_for_the_policy_to_refuse(client, icb_manager):
    client.force_login(icb_manager)

    text = client.get("/").content.decode()

    assert "<script>" not in text and '<script type="module">' not in text
    assert " style=" not in text and "<style" not in text


def test_the_api_docs_allow_only_their_one_inline_style_by_its_hash(client):
    response = client.get("/api/v1/docs/")

    relaxed = policy(response)
    assert relaxed.pop("style-src") == {
        "'self'",
        "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='",
    }
    assert relaxed == {k: v for k, v in STRICT_POLICY.items() if k != "style-src"}
    assert "<script>" not in response.content.decode()  # its start-up script is a file
    script = client.get("/api/v1/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")


@pytest.fixture
def production_https(settings, monkeypatch):
    """The HTTPS settings production runs with (DJANGO_HTTPS is not set there)."""
    monkeypatch.delenv("DJANGO_HTTPS", raising=False)
    monkeypatch.delenv("DJANGO_SECURE_HSTS_SECONDS", raising=False)
    monkeypatch.delenv("DJANGO_SECURE_SSL_REDIRECT", raising=False)
    production = runpy.run_path(portal_settings.__file__)
    for name in (
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
    ):
        setattr(settings, name, production[name])


def test_production_sends_hsts_over_https_and_redirects_plain_http(client, production_https):
    secure = client.get("/sign-in/", secure=True)
    plain = client.get("/sign-in/")

    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert_portal_headers(secure)
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/sign-in/"
