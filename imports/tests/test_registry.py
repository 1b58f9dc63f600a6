"""The register of sources: each app's sources are there once, found by code."""

from __future__ import annotations

import pytest

from core import registry
from imports.registry import all_sources, get_source, register_source
from imports.sources.base import Source

EVERY_SOURCE = {
    "arrs-allocations",
    "arrs-claims",
    "arrs-in-post",
    "gpad",
    "gpad-coverage",
    "gpad-mapping",
    "list-sizes",
    "nwrs-pcn",
    "ods-pcn-members",
    "ods-pcns",
    "ods-practices",
}


class SpareSource(Source):
    code = "spare"
    title = "A spare source"
    publisher = "Nobody"
    cadence = "Never"
    expects = "nothing"


def test_every_app_has_registered_its_sources_by_start_up():
    assert {source.code for source in all_sources()} == EVERY_SOURCE


def test_sources_come_in_order_of_code():
    codes = [source.code for source in all_sources()]
    assert codes == sorted(codes)


def test_a_source_is_found_by_its_code():
    assert get_source("list-sizes").code == "list-sizes"


def test_an_unknown_code_names_the_sources_there_are():
    with pytest.raises(KeyError, match="no source called 'nope'.*gpad, gpad-coverage"):
        get_source("nope")


def test_a_class_is_made_once_and_a_second_registration_is_refused():
    try:
        made = register_source(SpareSource)
        assert get_source("spare") is made
        with pytest.raises(ValueError, match="'spare' is registered twice"):
            register_source(SpareSource())
    finally:
        registry.sources.unregister("spare")
