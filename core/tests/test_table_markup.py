"""The direct table markup (templates/includes/table.jinja) prints what the NHS.UK table
macro prints for the same parameters, less blank space."""

from __future__ import annotations

import re

import pytest
from django.template import engines
from markupsafe import Markup

OURS = '{% from "includes/table.jinja" import table %}{{ table(p) }}'
NHSUK = '{% from "nhsuk/components/tables/macro.jinja" import table %}{{ table(p) }}'


def _render(source: str, params: dict) -> str:
    html = engines["jinja2"].env.from_string(source).render(p=params)
    return re.sub(r"\s+", " ", re.sub(r"\s*(<|>)\s*", r"\1", html)).strip()


def _figures(**extra) -> dict:
    return {
        "caption": "Same-day appointments for <Ash & Elm> Surgery, latest month first",
        "captionSize": "s",
        "firstCellIsHeader": True,
        "head": [
            {"text": "Month"},
            {"text": "Ash & Elm", "format": "numeric"},
            "Median practice",
            {"text": "ICB", "format": "numeric", "classes": "app-wide"},
        ],
        "rows": [
            [
                "October 2026",
                {"text": "41.2%", "format": "numeric", "classes": "app-bold"},
                {"html": Markup("<strong>40.1%</strong>")},
                {"text": "–", "format": "string"},
            ],
            [
                {"text": "September 2026", "href": "/x/?measure=a&month=2026-09"},
                {"html": Markup('39.0%<br><span class="s">list size of March</span>')},
                "38.9%",
                {"text": "", "format": "numeric"},
            ],
        ],
        **extra,
    }


@pytest.mark.parametrize(
    "params",
    [
        _figures(),
        _figures(responsive=True),
        _figures(compact=True, classes="app-table--compact"),
        _figures(firstCellIsHeader=False, captionSize=None),
        {"head": [], "rows": [["a", "b"]]},
    ],
    ids=["plain", "responsive", "compact-classes", "no-row-headers", "no-head"],
)
def test_the_direct_markup_is_the_macros(params):
    assert _render(OURS, params) == _render(NHSUK, params)


def test_what_it_does_not_write_itself_goes_to_the_macro():
    sortable = _figures()
    sortable["head"][1] = {"text": "Ash & Elm", "sort": "ascending", "href": "?sort=value"}
    scrolled = _figures(scroll=True, id="figures")
    for params in (sortable, scrolled):
        assert _render(OURS, params) == _render(NHSUK, params)
    assert 'aria-sort="ascending"' in _render(OURS, sortable)
