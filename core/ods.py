"""ODS codes: what each kind of organisation's code looks like, and the sentinels that stand
in for "none", in one place for every source.

Derived from what the Organisation Data Service publishes (epraccur, ePCN, the DSE reports)
and what NHS England's own files carry:

- GP practices: a letter and five digits (``L85002``, ``Y02960``; Welsh ``W00001``).
- PCNs: ``U`` and five digits (``U11211``).
- Sub-ICB locations: three characters (``14L``, ``11X``) or, for the locations formed since
  2022, five (``W2U3Z``, ``A3A8R``, ``D2P2L``, ``D9Y0V``, ``B2M3M``, ``M1J4Y``, ``D4U1Y``,
  ``X2C4Y``, ``M2L0M``).
- ICBs: ``Q`` and two characters (``QSL``) or, for the ICBs formed by the mergers of
  1 April 2026, five characters (``S9B9J``, ``Z9B2Z``, ``D7T5G``).
- NHS England regions: ``Y`` and two digits (``Y58``); the legacy epraccur puts Welsh
  practices in ``W00``.

A practice in no PCN is written ``U`` (with the name ``UNALLOCATED``) in GPAD's Mapping.csv
and crosstab; other files use ``UNALLOCATED``, ``UNASSIGNED``, ``UNMAPPED``, ``NULL`` or a
blank for "none".
"""

from __future__ import annotations

import re

PRACTICE_CODE = re.compile(r"^[A-Z]\d{5}$")
PCN_CODE = re.compile(r"^U\d{5}$")
SUB_ICB_CODE = re.compile(r"^[0-9A-Z]{3}$|^[0-9A-Z]{5}$")
ICB_CODE = re.compile(r"^Q[0-9A-Z]{2}$|^[0-9A-Z]{5}$")
REGION_CODE = re.compile(r"^Y\d{2}$")
WELSH_REGION_CODE = "W00"

# "No organisation here", as the published files write it. ``U`` alone is GPAD's
# unallocated PCN.
NO_PCN_CODES = frozenset({"U", "UNALLOCATED"})
SENTINEL_CODES = frozenset({"UNASSIGNED", "UNMAPPED", "NULL", "UNKNOWN", ""}) | NO_PCN_CODES


def is_sentinel(code: str) -> bool:
    """Whether ``code`` stands for no organisation rather than naming one."""
    return code.strip().upper() in SENTINEL_CODES


def is_no_pcn(code: str) -> bool:
    """Whether a PCN column says the practice is in no PCN (GPAD's ``U`` / UNALLOCATED)."""
    return code.strip().upper() in NO_PCN_CODES
