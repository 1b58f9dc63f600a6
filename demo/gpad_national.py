"""A national-size GPAD month for benchmarks: about 6,300 invented practices, a million rows.

The hierarchy is invented but shaped like England's: the 7 NHS England regions (Y56, Y58-Y63,
named as published), 42 ICBs, about 106 sub-ICB locations (some with the 5-character codes of
the locations formed since 2022, like W2U3Z), 1,250 PCNs and 6,300 practices on the published
clinical systems (EMIS, TPP, MEDICUS and combinations such as EMIS/EVERGREENLIFE). Codes below
the region are chosen so they never meet the demo ICB's (PCNs U00001-U09999, no practice code
starting with L). The files are written as published: CRLF line endings, no BOM, practice and
PCN names in upper case, place, ICB and region names in mixed case, a practice in no PCN as
``U`` / ``UNALLOCATED``. The same seed and size always give the same organisations, so several
months can be written for one benchmark; each practice-month has its own random stream, so
months are independent.

Rows are streamed to disk practice by practice: a national month never sits in memory.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date
from math import log
from pathlib import Path

from demo import names
from demo.formats import MAPPING_HEADER
from demo.gpad_crosstab import NO_PCN_CODE, NO_PCN_NAME, CrosstabPractice, CrosstabWriter
from demo.gpad_mix import (
    Book,
    MixProfile,
    book_draw,
    cumulative_mix,
    expected_total,
    month_counts,
    profile_draw,
)

NATIONAL_PRACTICES = 6300
# England's shape, per 6,300 practices.
_SHAPE = {"regions": 7, "icbs": 42, "sub_icbs": 106, "pcns": 1250}
_UNALLOCATED_SHARE = 0.005
_POOR_RECORDING_SHARE = 0.01
_PROFILE_COUNT = 24
# NHS England's regions as Mapping.csv names them.
_REGIONS = (
    ("Y56", "London"), ("Y58", "South West"), ("Y59", "South East"), ("Y60", "Midlands"),
    ("Y61", "East of England"), ("Y62", "North West"), ("Y63", "North East and Yorkshire"),
)  # fmt: skip
# Clinical systems as published, with roughly their national shares (Mapping.csv, Aug 2025).
_SUPPLIERS = (
    ("EMIS", 0.571), ("TPP", 0.400), ("EMIS/EVERGREENLIFE", 0.014),
    ("TPP/EVERGREENLIFE", 0.012), ("MEDICUS", 0.001), ("TPP/EMIS", 0.001), ("EMIS/TPP", 0.001),
)  # fmt: skip
# About one sub-ICB location in twelve has a 5-character code (9 of 106 in 2025).
_FIVE_CHARACTER_SHARE = 9 / 106
_TOWN_STARTS = (
    "Ash", "Brad", "Cal", "Dun", "Elm", "Fen", "Glen", "Hart", "Kings", "Lang", "Mar", "Nether",
    "Oak", "Pen", "Rad", "Stan", "Thorn", "Wex", "Whit", "Yar", "Bram", "Crow", "Hol", "Wil",
)  # fmt: skip
_TOWN_ENDS = (
    "bury", "combe", "dale", "field", "ford", "ham", "leigh", "mere", "minster", "moor", "stow",
    "ton", "wick", "worth", "by", "well",
)  # fmt: skip
_PCN_WORDS = ("", "CENTRAL ", "NORTH ", "SOUTH ", "EAST ", "WEST ", "RURAL ", "TOWN ", "VALE ")
_ICB_LETTERS = "ABCDEFGHJKMNPRTUVWXY"
_PRACTICE_LETTERS = "ABCDEFGHJKMNPY"


@dataclass(frozen=True)
class NationalFileInfo:
    """What a national writer produced."""

    path: Path
    rows: int
    bytes: int
    practices: int


@dataclass(frozen=True)
class NationalPractice:
    """One invented practice with its place in the hierarchy and what drives its appointments."""

    crosstab: CrosstabPractice
    icb_code: str
    icb_name: str
    region_code: str
    region_name: str
    list_size: int
    per_patient_year: float
    profile_index: int
    distinct: int


def _level_counts(practices: int) -> dict[str, int]:
    """Each level scaled to the number of practices, never fewer than the level above."""
    counts = {"regions": min(_SHAPE["regions"], practices)}
    above = "regions"
    for level in ("icbs", "sub_icbs", "pcns"):
        scaled = round(_SHAPE[level] * practices / NATIONAL_PRACTICES)
        counts[level] = max(counts[above], scaled)
        above = level
    return counts


def _spread(rng: random.Random, children: int, parents: int) -> list[int]:
    """A parent index for each child, every parent with at least one child, in parent order."""
    owners = list(range(parents)) + [rng.randrange(parents) for _ in range(children - parents)]
    return sorted(owners)


def _town(rng: random.Random) -> str:
    return f"{rng.choice(_TOWN_STARTS)}{rng.choice(_TOWN_ENDS)}".upper()


def _codes(rng: random.Random, count: int, space: list[str]) -> list[str]:
    return sorted(rng.sample(space, count))


def _icb_codes(rng: random.Random, count: int) -> list[str]:
    return _codes(rng, count, [f"Q{a}{b}" for a in _ICB_LETTERS for b in _ICB_LETTERS])


def _sub_icb_codes(rng: random.Random, count: int) -> list[str]:
    """Mostly 3-character codes (``14L``), some 5-character (``W2U3Z``: letter, digit,
    letter, digit, letter); at least one of those whenever there are a dozen places."""
    five = max(1 if count >= 12 else 0, round(count * _FIVE_CHARACTER_SHARE))
    space = [f"{n:02d}{letter}" for n in range(1, 100) for letter in "ABCDEFGHJKLMNPQRTVWY"]
    long_codes: set[str] = set()
    while len(long_codes) < five:
        a, b, c = (rng.choice(_ICB_LETTERS) for _ in range(3))
        long_codes.add(f"{a}{rng.randrange(10)}{b}{rng.randrange(10)}{c}")
    return sorted(_codes(rng, count - five, space) + sorted(long_codes))


def _pcn_codes(rng: random.Random, count: int) -> list[str]:
    return [f"U{n:05d}" for n in sorted(rng.sample(range(1, 10000), count))]


def _practice_codes(rng: random.Random, count: int) -> list[str]:
    numbers = rng.sample(range(len(_PRACTICE_LETTERS) * 20000), count)
    codes = [f"{_PRACTICE_LETTERS[n // 20000]}{80000 + n % 20000:05d}" for n in numbers]
    return sorted(codes)


@dataclass(frozen=True)
class _Org:
    code: str
    name: str
    parent: int


def _orgs(codes: list[str], names_: list[str], parents: list[int]) -> list[_Org]:
    return [_Org(c, n, p) for c, n, p in zip(codes, names_, parents, strict=True)]


def _hierarchy(rng: random.Random, practices: int) -> tuple[list[_Org], ...]:
    """Regions, ICBs, sub-ICBs and PCNs (each pointing at its parent's index) and practices."""
    n = _level_counts(practices)
    chosen = _REGIONS[: n["regions"]]
    regions = _orgs([c for c, _ in chosen], [name for _, name in chosen], [0] * n["regions"])
    icb_names = [f"NHS {_town(rng).title()} Integrated Care Board" for _ in range(n["icbs"])]
    icbs = _orgs(_icb_codes(rng, n["icbs"]), icb_names, _spread(rng, n["icbs"], n["regions"]))
    sub_parents = _spread(rng, n["sub_icbs"], n["icbs"])
    sub_codes = _sub_icb_codes(rng, n["sub_icbs"])
    sub_names = [
        f"{icbs[p].name.removesuffix(' Integrated Care Board')} ICB - {c}"
        for c, p in zip(sub_codes, sub_parents, strict=True)
    ]
    subs = _orgs(sub_codes, sub_names, sub_parents)
    pcn_names = [f"{_town(rng)} {rng.choice(_PCN_WORDS)}PCN" for _ in range(n["pcns"])]
    pcns = _orgs(_pcn_codes(rng, n["pcns"]), pcn_names, _spread(rng, n["pcns"], n["sub_icbs"]))
    practice_names = [_practice_name(rng) for _ in range(practices)]
    members = _orgs(
        _practice_codes(rng, practices), practice_names, _spread(rng, practices, n["pcns"])
    )
    return regions, icbs, subs, pcns, members


def _practice_name(rng: random.Random) -> str:
    return f"{rng.choice(names.PRACTICE_STEMS)} {rng.choice(names.PRACTICE_SUFFIXES)}".upper()


def _supplier(rng: random.Random) -> str:
    draw = rng.random()
    for supplier, share in _SUPPLIERS:
        draw -= share
        if draw < 0:
            return supplier
    return _SUPPLIERS[0][0]


def national_practices(
    *, practices: int = NATIONAL_PRACTICES, seed: int = 1
) -> list[NationalPractice]:
    """The invented national register, in practice code order."""
    rng = random.Random(f"{seed}:gpad-national:{practices}")
    regions, icbs, subs, pcns, members = _hierarchy(rng, practices)
    register = []
    for member in members:
        pcn = pcns[member.parent]
        sub = subs[pcn.parent]
        icb = icbs[sub.parent]
        register.append(_national_practice(rng, member, pcn, sub, icb, regions[icb.parent]))
    return register


def _national_practice(
    rng: random.Random, member: _Org, pcn: _Org, sub: _Org, icb: _Org, region: _Org
) -> NationalPractice:
    """About 1 in 200 practices is in no PCN and 1 in 100 records poorly."""
    unallocated = rng.random() < _UNALLOCATED_SHARE
    poor = rng.random() < _POOR_RECORDING_SHARE
    crosstab = CrosstabPractice(
        code=member.code,
        name=member.name,
        supplier=_supplier(rng),
        pcn_code=NO_PCN_CODE if unallocated else pcn.code,
        pcn_name=NO_PCN_NAME if unallocated else pcn.name,
        sub_icb_code=sub.code,
        sub_icb_name=sub.name,
    )
    return NationalPractice(
        crosstab=crosstab,
        icb_code=icb.code,
        icb_name=icb.name,
        region_code=region.code,
        region_name=region.name,
        list_size=_list_size(rng),
        per_patient_year=rng.uniform(0.4, 0.9) if poor else rng.uniform(4.3, 5.7),
        profile_index=_PROFILE_COUNT if poor else rng.randrange(_PROFILE_COUNT),
        distinct=rng.randint(130, 170),
    )


def _list_size(rng: random.Random) -> int:
    """Skewed like England's lists: median about 8,800, mean about 10,000."""
    return min(60_000, max(1_000, round(rng.lognormvariate(log(8800), 0.55))))


def _mixes(seed: int) -> list[list[float]]:
    """A few dozen practice profiles shared out between practices (one mix each is too slow),
    and last the poor-recording profile."""
    rng = random.Random(f"{seed}:gpad-national:profiles")
    profiles = [profile_draw(rng) for _ in range(_PROFILE_COUNT)]
    profiles.append(MixProfile(unmapped_share=0.4))
    return [cumulative_mix(profile) for profile in profiles]


def _book(seed: int, practice: NationalPractice, mixes: list[list[float]]) -> Book:
    rng = random.Random(f"{seed}:gpad-national:{practice.crosstab.code}")
    return book_draw(rng, mixes[practice.profile_index], practice.distinct)


def national_month_write(
    *, path: Path, month: date, practices: int = NATIONAL_PRACTICES, seed: int = 1
) -> NationalFileInfo:
    """Write one national month's practice-level crosstab to ``path`` (published layout, one
    CSV, no BOM, CRLF line endings) and say how much was written."""
    register = national_practices(practices=practices, seed=seed)
    mixes = _mixes(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = CrosstabWriter(handle, month)
        for practice in register:
            rng = random.Random(f"{seed}:gpad-national:{practice.crosstab.code}:{month:%Y-%m}")
            total = expected_total(practice.list_size, practice.per_patient_year, month)
            counts = month_counts(rng, _book(seed, practice, mixes), total * rng.gauss(1, 0.03))
            writer.practice_write(practice.crosstab, counts)
    return NationalFileInfo(path, writer.rows, path.stat().st_size, len(register))


def _mapping_row(practice: NationalPractice) -> list[str]:
    row = practice.crosstab
    return [
        row.code, row.name, row.supplier, row.pcn_code, row.pcn_name, row.sub_icb_code,
        row.sub_icb_name, practice.icb_code, practice.icb_name, practice.region_code,
        practice.region_name,
    ]  # fmt: skip


def national_mapping_write(
    path: Path, *, practices: int = NATIONAL_PRACTICES, seed: int = 1
) -> NationalFileInfo:
    """The national ``Mapping.csv`` for the same register: CRLF and no BOM, as published."""
    register = national_practices(practices=practices, seed=seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(MAPPING_HEADER)
        writer.writerows(_mapping_row(p) for p in register)
    return NationalFileInfo(path, len(register), path.stat().st_size, len(register))
