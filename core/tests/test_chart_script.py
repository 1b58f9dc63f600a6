"""Pages with charts load plotly.js's basic bundle, the version plotly for Python draws its
figures for, and stay under 1.5 MB of script."""

from __future__ import annotations

import re
from pathlib import Path

import plotly
from django.conf import settings
from django.contrib.staticfiles import finders

from board.dashboard.tests.data import measure_months_load
from tests.pages import page_as

SCRIPT_LIMIT = 1_500_000


def _bundle() -> Path:
    return Path(finders.find("plotly/plotly-basic.min.js"))


def _version(script: Path) -> str:
    with script.open(encoding="utf-8") as opened:
        head = opened.read(400)
    return re.search(r"plotly\.js[^\n]* v(\d+\.\d+\.\d+)", head).group(1)


def test_the_bundle_is_the_plotly_js_that_plotly_for_python_draws_for():
    python_bundle = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

    assert _version(_bundle()) == _version(python_bundle)


def test_a_page_of_charts_loads_under_one_and_a_half_megabytes_of_script(
    client, tree, board_member
):
    measure_months_load(tree)
    html = page_as(client, board_member, "/organisations/practice/L85001/").content.decode()

    scripts = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)
    names = [src.removeprefix(settings.STATIC_URL) for src in scripts]
    sizes = {name: _collected_size(name) for name in names}

    assert any("plotly-basic" in name for name in names)
    assert sum(sizes.values()) < SCRIPT_LIMIT, sizes


def _collected_size(name: str) -> int:
    from django.contrib.staticfiles.storage import staticfiles_storage

    assert staticfiles_storage.exists(name), f"{name} is not among the collected files"
    return staticfiles_storage.size(name)
