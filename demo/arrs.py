"""The demo ICB's ARRS workforce: allocations, staff (as NWRS census files), monthly claims
and the figures each PCN puts in its workforce plans.

Pure standard library and deterministic for a seed, like the rest of ``demo``: each PCN
gets a staff list in proportion to its patients, people join (and a few leave) quarter by
quarter, and every file is written from that one list, so the census, the claims and the
plans agree with each other. All of it is invented.
"""

from __future__ import annotations

import csv
import json
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from demo.structure import (
    DEFAULT_SEED,
    ICB_CODE,
    ICB_NAME,
    REGION_CODE,
    REGION_NAME,
    SUB_ICB_CODE,
    SUB_ICB_NAME,
    DemoStructure,
)

YEARS = (2024, 2025, 2026)
# Pounds per (invented) weighted patient; close to the national sum per weighted patient.
ALLOCATION_PER_PATIENT = {2024: Decimal("22.90"), 2025: Decimal("23.45"), 2026: Decimal("24.05")}
# Uplifts the demo applies to the latest published amounts for the years the reference file
# does not cover yet (added through the "add a year" service, marked as estimates).
DEMO_UPLIFTS = {2025: Decimal("3.6"), 2026: Decimal("3.0")}
CENSUSES = (
    date(2024, 9, 30), date(2024, 12, 31), date(2025, 3, 31), date(2025, 6, 30),
    date(2025, 9, 30), date(2025, 12, 31), date(2026, 3, 31), date(2026, 6, 30),
    date(2026, 9, 30),
)  # fmt: skip


def _months(first: date, last: date) -> tuple[date, ...]:
    found = [first]
    while found[-1] < last:
        month = found[-1]
        found.append(date(month.year + month.month // 12, month.month % 12 + 1, 1))
    return tuple(found)


CLAIM_MONTHS = _months(date(2025, 4, 1), date(2026, 10, 1))
ROUNDS = (("August", date(2026, 7, 31)), ("October", date(2026, 9, 30)))

# NWRS's staff groups, as published
DPC, ADMIN, DIRECTORS = (
    "Other Direct Patient Care staff", "Other Admin/Non-clinical staff", "Directors"
)  # fmt: skip
# Role: WTE per 10,000 patients the demo PCNs aim for, and NWRS's staff group, staff role and
# detailed staff role for it, spelt as the published files spell them.
ROLES: dict[str, tuple[float, str, str, str]] = {
    "clinical_pharmacist": (0.55, DPC, "Pharmacists", "Pharmacist"),
    "pharmacy_technician": (0.25, DPC, "Pharmacy Technicians", "Pharmacy Technician"),
    "first_contact_physiotherapist": (
        0.30, DPC, "Physiotherapists", "Physiotherapist"
    ),
    "physician_associate": (0.10, DPC, "Physician Associates", "Physician Associate"),
    "paramedic": (0.15, DPC, "Paramedics", "Paramedic"),
    "care_coordinator": (0.45, DPC, "Care Coordinators", "Care Coordinator"),
    "health_and_wellbeing_coach": (
        0.20, DPC, "Health and Wellbeing Coaches", "Health and Wellbeing Coach"
    ),
    "social_prescribing_link_worker": (
        0.30, DPC, "Social Prescribing Link Workers", "Social Prescribing Link Worker"
    ),
    "mental_health_practitioner": (
        0.15, DPC, "Mental Health Practitioners", "Mental Health Practitioner"
    ),
    "nursing_associate": (0.10, DPC, "Nursing Associates", "Nursing Associate"),
    "gp_assistant": (0.15, DPC, "General Practice Assistants", "General Practice Assistant"),
    "digital_and_transformation_lead": (
        0.08, ADMIN, "Digital and Transformation Leads", "Digital and Transformation Lead"
    ),
    "advanced_practitioner": (
        0.10, DPC, "Advanced Paramedic Practitioners", "Advanced Paramedic Practitioner"
    ),
}  # fmt: skip
# PCN staff outside the scheme, which the NWRS file lists too. The last is a staff role the
# role mapping does not know yet, so the demo shows an unmapped role.
UNMAPPED_ROLE = "Therapist- Other"
OTHER_STAFF = (
    (DIRECTORS, "Medical Clinical Director (GP)", "Clinical Director \u2013 Medical", 0.4),
    (ADMIN, "Managers", "Manager", 1.0),
    (ADMIN, "Other Admin/Non-clinical", "Other", 0.8),
    (DPC, "Therapists", UNMAPPED_ROLE, 0.6),
)
# Some ARRS staff are contracted services, not employed by the PCN: NWRS publishes them as
# "NWRS contracted services" with UNIQUE_IDENTIFIER NULL.
CONTRACTED_EVERY = 9
FTE_CHOICES = (1.0, 1.0, 0.8, 0.8, 0.6, 0.5, 0.4)
CLAIMED_SHARE = Decimal("0.94")  # staff are paid a little under the maximum amount
PENNY = Decimal("0.01")
RATES_FILE = Path(__file__).resolve().parents[1] / "arrs" / "data" / "reimbursement_rates.json"
OUTSIDE_PCN = (
    "U99901",
    "ELSEWHERE PCN",
    "99X",
    "NHS Elsewhere ICB - 99X",
    "QZZ",
    "NHS Elsewhere ICB",
)


@dataclass(frozen=True)
class Person:
    """Someone on a PCN's staff from census ``start`` up to (not including) census ``end``."""

    identifier: str
    role: str  # an ARRS role code, or "" for staff outside the scheme
    group: str
    staff_role: str
    detailed: str
    fte: Decimal
    start: int
    end: int

    def in_post(self, census: int) -> bool:
        return self.start <= census < self.end


def _wte(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def pcn_patients(structure: DemoStructure) -> dict[str, int]:
    patients: dict[str, int] = defaultdict(int)
    for practice in structure.practices:
        if practice.pcn_code:
            patients[practice.pcn_code] += practice.list_size_base
    return dict(patients)


def allocation(structure: DemoStructure, pcn_code: str, year: int, seed: int = DEFAULT_SEED):
    """The PCN's allocation: its patients, weighted by an invented need factor, times the sum
    per weighted patient for the year, to the pound."""
    weight = random.Random(f"{seed}:arrs-weight:{pcn_code}").uniform(0.92, 1.1)
    weighted = Decimal(round(pcn_patients(structure)[pcn_code] * weight))
    return (weighted * ALLOCATION_PER_PATIENT[year]).quantize(Decimal(1))


def demo_staff(structure: DemoStructure, seed: int = DEFAULT_SEED) -> dict[str, list[Person]]:
    """Each PCN's people across the censuses, in proportion to its patients."""
    patients = pcn_patients(structure)
    return {
        pcn.code: _pcn_staff(
            pcn.code, patients[pcn.code], random.Random(f"{seed}:staff:{pcn.code}")
        )
        for pcn in structure.pcns
    }


def _pcn_staff(code: str, patients: int, rng: random.Random) -> list[Person]:
    people: list[Person] = []
    ambition = rng.uniform(0.75, 1.2)
    for role, (per_10k, group, staff_role, detailed) in ROLES.items():
        target = per_10k * patients / 10_000 * ambition * rng.uniform(0.5, 1.4)
        total = 0.0
        while total < target - 0.25:
            fte = rng.choice(FTE_CHOICES)
            start = 0 if rng.random() < 0.55 else rng.randrange(1, len(CENSUSES))
            end = rng.randrange(start + 2, len(CENSUSES) + 3) if rng.random() < 0.12 else 99
            roles = (role, group, staff_role, detailed)
            people.append(_person(code, len(people), roles, fte, start, end))
            total += fte
    for group, staff_role, detailed, fte in OTHER_STAFF:
        if detailed != UNMAPPED_ROLE or rng.random() < 0.3:
            people.append(_person(code, len(people), ("", group, staff_role, detailed), fte, 0, 99))
    return people


def _person(code: str, number: int, roles: tuple, fte: float, start: int, end: int) -> Person:
    identifier = f"{int(code[1:]) * 1000 + number:09d}"
    return Person(identifier, *roles, _wte(fte), start, end)


def in_post(people: list[Person], census: int) -> dict[str, Decimal]:
    """ARRS FTE in post by role at a census."""
    found: dict[str, Decimal] = defaultdict(Decimal)
    for person in people:
        if person.role and person.in_post(census):
            found[person.role] += person.fte
    return dict(found)


def census_before(day: date) -> int:
    """The index of the latest census on or before ``day``."""
    return max(i for i, census in enumerate(CENSUSES) if census <= day)


# --- Files ---------------------------------------------------------------------------------


def _write(path: Path, header: list[str], rows: list[list[object]], *, bom: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def allocations_write(path: Path, structure: DemoStructure) -> Path:
    rows = [
        [pcn.code, f"{year}/{(year + 1) % 100:02d}", f"{allocation(structure, pcn.code, year)}", ""]
        for year in YEARS
        for pcn in structure.pcns
    ]
    return _write(path, ["PCN code", "Financial year", "Allocation", "London weighting"], rows)


NWRS_HEADER = [
    "Data_source", "CENSUS_YEAR", "CENSUS_MONTH", "PCN_CODE", "PCN_NAME", "SUB_ICB_CODE",
    "SUB_ICB_NAME", "ICB_CODE", "ICB_NAME", "COMM_REGION_CODE", "COMM_REGION_NAME",
    "STAFF_GROUP", "STAFF_ROLE", "DETAILED_STAFF_ROLE", "FTE", "UNIQUE_IDENTIFIER",
]  # fmt: skip


def nwrs_write(path: Path, structure: DemoStructure, census: int, seed: int = DEFAULT_SEED) -> Path:
    """One census of the NWRS PCN individual-level file as NHS England publishes it:
    Windows-1252, CRLF, UNIQUE_IDENTIFIER last and NULL for contracted services, with a PCN
    from another ICB too."""
    day = CENSUSES[census]
    place = [SUB_ICB_CODE, SUB_ICB_NAME, ICB_CODE, ICB_NAME, REGION_CODE, REGION_NAME]
    rows = []
    for pcn in structure.pcns:
        for person in demo_staff(structure, seed)[pcn.code]:
            if person.in_post(census):
                rows.append(_nwrs_row(day, pcn.code, pcn.name, place, person))
    other = Person("990000001", "", *ROLES["clinical_pharmacist"][1:], Decimal("1"), 0, 99)
    outside_place = [*OUTSIDE_PCN[2:], REGION_CODE, REGION_NAME]
    rows.append(_nwrs_row(day, OUTSIDE_PCN[0], OUTSIDE_PCN[1], outside_place, other))
    with path.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(NWRS_HEADER)
        writer.writerows(rows)
    return path


def _nwrs_row(day: date, code: str, name: str, place: list[str], person: Person) -> list[object]:
    contracted = bool(person.role) and int(person.identifier) % CONTRACTED_EVERY == 0
    source = "NWRS contracted services" if contracted else "NWRS Staff"
    return [
        source, day.year, day.month, code, name.upper(), *place, person.group,
        person.staff_role, person.detailed, f"{person.fte}",
        "NULL" if contracted else int(person.identifier),
    ]  # fmt: skip


def claims_write(path: Path, structure: DemoStructure, seed: int = DEFAULT_SEED) -> Path:
    """Monthly claims: staff in post at the latest census times a little under the maximum
    amount for the month."""
    amounts = _monthly_amounts()
    rows = []
    for pcn in structure.pcns:
        people = demo_staff(structure, seed)[pcn.code]
        for month in CLAIM_MONTHS:
            year = month.year if month.month >= 4 else month.year - 1
            for role, wte in sorted(in_post(people, census_before(month)).items()):
                amount = wte * amounts[(role, year)] * CLAIMED_SHARE
                rows.append([pcn.code, role, f"{month:%Y-%m}", f"{amount.quantize(PENNY)}"])
    return _write(path, ["PCN code", "Role", "Month", "Amount"], rows)


def _monthly_amounts() -> dict[tuple[str, int], Decimal]:
    """Monthly amount per role for each claimed year: the latest published national amounts,
    uplifted as the demo's added years are."""
    data = json.loads(RATES_FILE.read_text())
    latest = {a["role"]: Decimal(str(a["national"])) for a in data["periods"][-1]["amounts"]}
    found = {}
    factor = Decimal(1)
    for year, uplift in sorted(DEMO_UPLIFTS.items()):
        factor *= 1 + uplift / 100
        found.update({(role, year): amount * factor / 12 for role, amount in latest.items()})
    return found


# --- Plans --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoPlan:
    """What a PCN writes in its plan: WTE in post now and intended WTE by date, per role.
    ``None`` is a cell left blank."""

    as_at: date
    figures: dict[str, tuple[Decimal | None, dict[date, Decimal | None]]]


def demo_plan(
    structure: DemoStructure, pcn_code: str, round_label: str, seed: int = DEFAULT_SEED
) -> DemoPlan:
    as_at = dict(ROUNDS)[round_label]
    people = demo_staff(structure, seed)[pcn_code]
    now = in_post(people, census_before(as_at))
    rng = random.Random(f"{seed}:plan:{pcn_code}:{round_label}")
    dates = [d for d in (date(2026, 9, 30), date(2026, 12, 31), date(2027, 3, 31)) if d > as_at]
    figures = {}
    for role in ROLES:
        current = now.get(role)
        if current is None and rng.random() < 0.6:
            continue  # a role the PCN does not employ and leaves blank
        figures[role] = _role_plan(current or Decimal(0), dates, rng)
    return DemoPlan(as_at, figures)


def _role_plan(current: Decimal, dates: list[date], rng: random.Random):
    intended: dict[date, Decimal | None] = {}
    level = current
    for day in dates:
        if rng.random() < 0.1:
            intended[day] = None  # not sure yet: left blank
            continue
        if rng.random() < 0.35:
            level += _wte(rng.choice((0.4, 0.5, 0.6, 1.0)))
        intended[day] = level
    return current, intended


def plan_workbook_fill(template: bytes, plan: DemoPlan, names: dict[str, str]) -> bytes:
    """The real plan template filled in with a demo plan, as a PCN manager would."""
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template))
    sheet = book["Workforce plan"]
    header = next(r for r in range(1, 20) if sheet.cell(row=r, column=1).value == "Role")
    columns = {
        _as_date(sheet.cell(row=header, column=c).value): c
        for c in range(4, sheet.max_column + 1)
        if sheet.cell(row=header, column=c).value
    }
    rows = {sheet.cell(row=r, column=1).value: r for r in range(header + 1, sheet.max_row + 1)}
    for role, (now, intended) in plan.figures.items():
        row = rows[names[role]]
        sheet.cell(row=row, column=3, value=float(now) if now is not None else None)
        for day, wte in intended.items():
            value = float(wte) if wte is not None else None
            sheet.cell(row=row, column=columns[day], value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") else value
