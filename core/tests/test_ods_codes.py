"""ODS code patterns and sentinels (core/ods.py), one case per variant the real files hold."""

from __future__ import annotations

import pytest

from core.ods import (
    ICB_CODE,
    PCN_CODE,
    PRACTICE_CODE,
    REGION_CODE,
    SUB_ICB_CODE,
    is_no_pcn,
    is_sentinel,
)


@pytest.mark.parametrize(
    ("pattern", "code"),
    [
        (PRACTICE_CODE, "L85002"),  # English practice
        (PRACTICE_CODE, "Y02960"),  # GPAD's one-practice crosstab
        (PRACTICE_CODE, "W00001"),  # Welsh practice (legacy epraccur)
        (PCN_CODE, "U11211"),  # F82001's PCN after the same-day handover
        (SUB_ICB_CODE, "14L"),  # three-character sub-ICB location
        (SUB_ICB_CODE, "W2U3Z"),  # one of the nine five-character locations in Mapping.csv
        (SUB_ICB_CODE, "M2L0M"),
        (ICB_CODE, "QSL"),  # Q and two characters
        (ICB_CODE, "S9B9J"),  # ICBs formed by the mergers of 1 April 2026
        (ICB_CODE, "Z9B2Z"),
        (ICB_CODE, "D7T5G"),
        (REGION_CODE, "Y58"),
    ],
)
def test_every_published_variant_is_a_code(pattern, code):
    assert pattern.fullmatch(code)


@pytest.mark.parametrize(
    ("pattern", "code"),
    [
        (PRACTICE_CODE, "L8500"),
        (PCN_CODE, "U1121"),
        (PCN_CODE, "U"),  # GPAD's "no PCN", not a PCN
        (SUB_ICB_CODE, "14LX"),
        (ICB_CODE, "QS"),
        (REGION_CODE, "W00"),  # Wales in the legacy epraccur: not an NHS England region
    ],
)
def test_near_misses_are_not_codes(pattern, code):
    assert not pattern.fullmatch(code)


@pytest.mark.parametrize("code", ["U", "u", "UNALLOCATED", " Unallocated "])
def test_no_pcn_as_gpad_writes_it(code):
    assert is_no_pcn(code) and is_sentinel(code)


@pytest.mark.parametrize("code", ["", "NULL", "UNMAPPED", "UNASSIGNED", "UNKNOWN"])
def test_other_sentinels_name_no_organisation(code):
    assert is_sentinel(code) and not is_no_pcn(code)


def test_a_real_code_is_not_a_sentinel():
    assert not is_sentinel("U11211") and not is_sentinel("QSL")
