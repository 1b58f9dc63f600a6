"""The demo app is installed only where DJANGO_DEMO=1 asks for it: never by the production
settings on their own."""

import runpy
from pathlib import Path

import pytest

SETTINGS = Path(__file__).resolve().parents[2] / "access_portal" / "settings.py"


def _installed_apps(monkeypatch, **environment) -> list[str]:
    monkeypatch.delenv("DJANGO_DEMO", raising=False)
    monkeypatch.setenv("DJANGO_SECRET_KEY", "a-key-for-reading-the-settings-only")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))["INSTALLED_APPS"]


def test_the_production_settings_do_not_install_the_demo(monkeypatch):
    apps = _installed_apps(monkeypatch)
    assert "demo" not in apps and "arrs" in apps


@pytest.mark.parametrize("value", ["0", ""])
def test_the_demo_stays_out_unless_the_variable_says_1(monkeypatch, value):
    assert "demo" not in _installed_apps(monkeypatch, DJANGO_DEMO=value)


def test_django_demo_1_installs_the_demo(monkeypatch):
    assert "demo" in _installed_apps(monkeypatch, DJANGO_DEMO="1")


def test_the_test_settings_install_the_demo(settings):
    assert "demo" in settings.INSTALLED_APPS
