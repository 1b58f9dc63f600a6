"""The demo ICB's organisations: PCNs, practices, other sites and dated PCN memberships.

One random stream, drawn in a fixed order, so a seed fixes the whole ICB: codes, names,
memberships, list-size bases and which practice moves PCN.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from math import exp, log
from statistics import NormalDist

from demo import names

DEFAULT_SEED = 58

REGION_CODE = "Y58"
REGION_NAME = "South West"
ICB_CODE = "QSL"
ICB_NAME = "NHS Somerset ICB"
SUB_ICB_CODE = "11X"
SUB_ICB_NAME = "NHS Somerset ICB - 11X"
ONS_SUB_ICB_CODE = "E38000150"

PCN_DES_START = date(2019, 7, 1)
ICB_START = date(2022, 7, 1)
MOVE_DATE = date(2025, 4, 1)
CLOSE_DATE = date(2024, 10, 31)

PCN_COUNT = 13
OPEN_PRACTICE_COUNT = 62


@dataclass(frozen=True)
class DemoPcn:
    """A PCN as published by ODS (upper-case name)."""

    code: str
    name: str
    town: str
    postcode_district: str
    opened_on: date


@dataclass(frozen=True)
class DemoPractice:
    """A GP practice; ``pcn_code`` is its PCN in the latest month (the last one if closed).

    ``list_size_base`` is its list on 1 August 2024 before monthly noise; ``growth_rate`` is a
    yearly rate; ``taken_on`` is the patients it registered from the closed practice's list."""

    code: str
    name: str
    pcn_code: str | None
    list_size_base: int
    address: tuple[str, str, str]
    town: str
    postcode: str
    phone: str
    opened_on: date
    closed_on: date | None
    supplier: str
    growth_rate: float
    age_tilt: float
    taken_on: int = 0


@dataclass(frozen=True)
class DemoSite:
    """A non-GP prescribing cost centre (out of hours, prison) listed in epraccur."""

    code: str
    name: str
    address: tuple[str, str, str]
    town: str
    postcode: str
    phone: str
    opened_on: date
    role_code: str
    legacy_setting: str
    closed_on: date | None = None


@dataclass(frozen=True)
class DemoMembership:
    """One dated practice-to-PCN relationship, as in epcncorepartnerdetails."""

    practice_code: str
    pcn_code: str
    start: date
    end: date | None


@dataclass(frozen=True)
class DemoMove:
    """The practice that changed PCN: the old relationship ends the day before ``moved_on``."""

    practice_code: str
    old_pcn_code: str
    new_pcn_code: str
    moved_on: date


@dataclass(frozen=True)
class DemoStructure:
    """Everything the demo files say about organisations, as plain data for tests and fixtures."""

    seed: int
    pcns: tuple[DemoPcn, ...]
    practices: tuple[DemoPractice, ...]
    closed_practice: DemoPractice
    sites: tuple[DemoSite, ...]
    memberships: tuple[DemoMembership, ...]
    move: DemoMove

    @property
    def unallocated_practice_code(self) -> str:
        return next(p.code for p in self.practices if p.pcn_code is None)

    @property
    def all_practices(self) -> tuple[DemoPractice, ...]:
        """Open and closed practices in code order, as epraccur lists them."""
        return tuple(sorted((*self.practices, self.closed_practice), key=lambda p: p.code))


@dataclass(frozen=True)
class _Plan:
    """Who is in which PCN, decided before practices get their details."""

    codes: tuple[str, ...]
    pcn_by_practice: dict[str, DemoPcn | None]
    closed_code: str
    move: DemoMove


def demo_structure(seed: int = DEFAULT_SEED) -> DemoStructure:
    """Build the demo ICB. One random stream, drawn in a fixed order, so a seed fixes everything."""
    rng = random.Random(seed)
    pcns = _pcns_build(rng)
    plan = _plan_build(rng, pcns)
    practices = _dispersed_list(rng, _practices_build(rng, plan))
    return DemoStructure(
        seed=seed,
        pcns=pcns,
        practices=tuple(p for p in practices if p.closed_on is None),
        closed_practice=next(p for p in practices if p.closed_on is not None),
        sites=_sites_build(rng),
        memberships=_memberships_build(pcns, practices, plan.move),
        move=plan.move,
    )


def _pcns_build(rng: random.Random) -> tuple[DemoPcn, ...]:
    """Most PCNs started with the PCN DES in July 2019; one formed the following April."""
    codes = sorted(rng.sample(range(10000, 99999), PCN_COUNT))
    late = rng.randrange(PCN_COUNT)
    return tuple(
        DemoPcn(
            code=f"U{number}",
            name=name.upper(),
            town=town.upper(),
            postcode_district=district,
            opened_on=date(2020, 4, 1) if index == late else PCN_DES_START,
        )
        for index, (number, (name, town, district)) in enumerate(
            zip(codes, names.PLACES, strict=True)
        )
    )


def _plan_build(rng: random.Random, pcns: Sequence[DemoPcn]) -> _Plan:
    """Deal 61 practices into PCNs, leave one unallocated and one to close, then pick the move."""
    codes = tuple(f"L85{n:03d}" for n in sorted(rng.sample(range(1, 100), OPEN_PRACTICE_COUNT + 1)))
    dealt = list(codes)
    rng.shuffle(dealt)
    sizes = _pcn_sizes(rng, OPEN_PRACTICE_COUNT - 1)
    pcn_by_practice = _deal(dealt, pcns, sizes)
    unallocated, closed = dealt[-2], dealt[-1]
    pcn_by_practice[unallocated] = None
    old, new = _move_pcns(rng, pcns, sizes)
    moved = rng.choice(sorted(c for c, p in pcn_by_practice.items() if p is new))
    pcn_by_practice[closed] = _closed_practice_pcn(rng, pcns, sizes, (old, new))
    return _Plan(codes, pcn_by_practice, closed, DemoMove(moved, old.code, new.code, MOVE_DATE))


def _pcn_sizes(rng: random.Random, member_count: int) -> list[int]:
    """Every PCN gets two practices, the rest go one at a time to PCNs with room (at most 8)."""
    sizes = [2] * PCN_COUNT
    for _ in range(member_count - sum(sizes)):
        sizes[rng.choice([i for i, size in enumerate(sizes) if size < 8])] += 1
    return sizes


def _deal(
    codes: Sequence[str], pcns: Sequence[DemoPcn], sizes: Sequence[int]
) -> dict[str, DemoPcn | None]:
    assignment: dict[str, DemoPcn | None] = {}
    position = 0
    for pcn, size in zip(pcns, sizes, strict=True):
        assignment.update(dict.fromkeys(codes[position : position + size], pcn))
        position += size
    return assignment


def _move_pcns(
    rng: random.Random, pcns: Sequence[DemoPcn], sizes: Sequence[int]
) -> tuple[DemoPcn, DemoPcn]:
    """Both PCNs stay within 2-8 practices before and after the move."""
    old = rng.choice([p for p, size in zip(pcns, sizes, strict=True) if size <= 7])
    new = rng.choice([p for p, size in zip(pcns, sizes, strict=True) if size >= 3 and p != old])
    return old, new


def _closed_practice_pcn(
    rng: random.Random, pcns: Sequence[DemoPcn], sizes: Sequence[int], taken: Sequence[DemoPcn]
) -> DemoPcn:
    """A PCN with room for one more practice until the closure, away from the move."""
    room = [p for p, size in zip(pcns, sizes, strict=True) if size <= 7 and p not in taken]
    return rng.choice(room)


def _practices_build(rng: random.Random, plan: _Plan) -> list[DemoPractice]:
    titles = _practice_names(rng, len(plan.codes))
    bases = iter(_list_size_bases(rng, OPEN_PRACTICE_COUNT))
    phones = _phone_numbers(rng, len(plan.codes))
    practices = []
    for code, name, phone in zip(plan.codes, titles, phones, strict=True):
        closed = code == plan.closed_code
        base = rng.randint(2600, 3400) if closed else next(bases)
        pcn = plan.pcn_by_practice[code]
        practices.append(_practice_build(rng, code, name, pcn, base, phone, closed=closed))
    return practices


def _dispersed_list(rng: random.Random, practices: list[DemoPractice]) -> list[DemoPractice]:
    """When a practice closes most of its patients register with a neighbour in the same PCN, so
    the ICB total does not drop by a whole practice the month after the closure."""
    closed = next(p for p in practices if p.closed_on is not None)
    neighbours = [p for p in practices if p.pcn_code == closed.pcn_code and p is not closed]
    receiver = rng.choice(neighbours)
    taken_on = round(closed.list_size_base * 0.9)
    return [replace(p, taken_on=taken_on) if p is receiver else p for p in practices]


def _practice_build(
    rng: random.Random,
    code: str,
    name: str,
    pcn: DemoPcn | None,
    base: int,
    phone: str,
    *,
    closed: bool,
) -> DemoPractice:
    town, district = (pcn.town, pcn.postcode_district) if pcn else names.UNALLOCATED_PLACE
    return DemoPractice(
        code=code,
        name=name,
        pcn_code=pcn.code if pcn else None,
        list_size_base=base,
        address=_address(rng),
        town=town.upper(),
        postcode=_postcode(rng, district),
        phone=phone,
        opened_on=_open_date(rng),
        closed_on=CLOSE_DATE if closed else None,
        supplier="EMIS" if rng.random() < 0.75 else "TPP",
        growth_rate=rng.uniform(0.002, 0.014),
        age_tilt=rng.uniform(-0.12, 0.12),
    )


def _practice_names(rng: random.Random, count: int) -> list[str]:
    stems = rng.sample(names.PRACTICE_STEMS, count)
    return [f"{stem} {rng.choice(names.PRACTICE_SUFFIXES)}".upper() for stem in stems]


def _list_size_bases(rng: random.Random, count: int) -> list[int]:
    """Skewed sizes: evenly spaced log-normal quantiles (so the shape is the same for every
    seed), jittered, scaled to about 597,000 patients and kept within 2,500-25,000."""
    spread = NormalDist(mu=log(8600), sigma=0.5)
    raw = [exp(spread.inv_cdf((i + 0.5) / count)) * rng.uniform(0.93, 1.07) for i in range(count)]
    scale = 597_000 / sum(raw)
    sizes = [min(25_000, max(2_500, round(value * scale))) for value in raw]
    rng.shuffle(sizes)
    return sizes


def _phone_numbers(rng: random.Random, count: int) -> list[str]:
    """Ofcom keeps 01632 960000-960999 for drama, so no real phone can be reached from the demo."""
    return [f"01632 {number}" for number in rng.sample(range(960_000, 961_000), count)]


def _address(rng: random.Random) -> tuple[str, str, str]:
    street = f"{rng.randint(1, 120)} {rng.choice(names.STREETS)}".upper()
    if rng.random() < 0.4:
        return rng.choice(names.BUILDINGS).upper(), street, ""
    return street, "", ""


def _postcode(rng: random.Random, district: str) -> str:
    unit = "".join(rng.choices(names.UNIT_LETTERS, k=2))
    return f"{district} {rng.randint(1, 9)}{unit}"


def _open_date(rng: random.Random) -> date:
    """Half the register dates from the 1974 reorganisation, as in the real file."""
    if rng.random() < 0.5:
        return date(1974, 4, 1)
    return date(rng.randint(1975, 2012), rng.randint(1, 12), 1)


def _sites_build(rng: random.Random) -> tuple[DemoSite, ...]:
    codes = sorted(f"Y0{n}" for n in rng.sample(range(1000, 10000), len(names.SITES)))
    phones = _phone_numbers(rng, len(names.SITES))
    return tuple(
        DemoSite(
            code=code,
            name=name.upper(),
            address=_address(rng),
            town="DUNSTOWE",
            postcode=_postcode(rng, "TA1"),
            phone=phone,
            opened_on=date(rng.randint(2005, 2016), rng.randint(1, 12), 1),
            role_code=role,
            legacy_setting=legacy,
        )
        for code, phone, (name, role, legacy) in zip(codes, phones, names.SITES, strict=True)
    )


def _memberships_build(
    pcns: Sequence[DemoPcn], practices: Iterable[DemoPractice], move: DemoMove
) -> tuple[DemoMembership, ...]:
    opened = {pcn.code: pcn.opened_on for pcn in pcns}
    rows: list[DemoMembership] = []
    for practice in practices:
        if practice.pcn_code is not None:
            rows.extend(_practice_memberships(practice, opened, move))
    return tuple(rows)


def _practice_memberships(
    practice: DemoPractice, opened: dict[str, date], move: DemoMove
) -> list[DemoMembership]:
    """A relationship starts when the PCN opened and ends on the move or the closure."""
    code = practice.code
    if code != move.practice_code:
        pcn = practice.pcn_code or ""
        return [DemoMembership(code, pcn, opened[pcn], practice.closed_on)]
    left_on = move.moved_on - timedelta(days=1)
    return [
        DemoMembership(code, move.old_pcn_code, opened[move.old_pcn_code], left_on),
        DemoMembership(code, move.new_pcn_code, move.moved_on, None),
    ]
