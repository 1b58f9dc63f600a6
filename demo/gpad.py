"""GP appointments data (GPAD) for the demo ICB, in the published zips.

This module is the public face of the GPAD generator: the value sets and the appointment mix live
in ``gpad_mix``, the crosstab file writer in ``gpad_crosstab`` and the national-size benchmark
month in ``gpad_national`` (re-exported here). Pure standard library, deterministic for a seed.

27 appointment months, August 2024 to October 2026, for the demo practices with the list sizes
of ``populations`` and the PCN each practice belonged to *in that month*: the moved practice shows
its old PCN until March 2025 and the new one from April 2025, the practice in no PCN shows
``U`` / ``UNALLOCATED`` and the closed practice appears until October 2024 only.

Each zip, ``Practice_Level_Crosstab_<Mon>_<YY>.zip``, is named after its latest month and holds
that month and the two before as ``Practice_Level_Crosstab_<Mon>_<YY>.csv``, plus ``Mapping.csv``
as at its latest month. There is one zip every third month (Oct 24, Jan 25, ... Oct 26) and one
more, ``Sep_26``, so that the last two zips overlap by two months, as consecutive publications do.
A month's CSV is the same bytes in every zip that holds it.

The volume follows the season and a slow upward trend, and the mix moves too
(``gpad_mix.month_tilt``): same-day booking rises in winter and year on year, face to face
recovers from telephone, Clinical Triage spreads, and more appointments are missed over the
summer and Christmas holidays.

One practice (``data_quality_practice_code``) records badly all period: about 40% of its
appointments are Unmapped, none is Clinical Triage and it records under one appointment per
registered patient a year.

The published files are not all alike, so some months carry a quirk the importer must tolerate
(``DEMO_QUIRKS``); every other month is in the published layout (no BOM, CRLF line endings):

- Aug 2024 ``older_labels``: statuses "Did not attend" and "Appt Status Not Provided", HCP type
  "HCP Type Not Provided".
- Nov 2024 ``video_online``: mode "Video/Online" instead of "Video Conference/Online".
- Feb 2025 ``bom``: the CSV starts with a UTF-8 byte order mark.
- May 2025 ``unknown_data_issue``: the unknown lead time is "Unknown / Data Issue".
- Aug 2025 ``lf``: LF line endings.
- Nov 2025 ``column_order``: the same columns in a different order.
- Feb 2026 ``label_case``: "face-to-face", "Other Practice Staff" and "GENERAL CONSULTATION
  ROUTINE" in other case.
"""

from __future__ import annotations

import io
import random
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from demo import formats
from demo.gpad_crosstab import (
    CROSSTAB_HEADER,
    NO_PCN_CODE,
    NO_PCN_NAME,
    PUBLISHED,
    CrosstabDialect,
    CrosstabPractice,
    CrosstabWriter,
    month_stamp,
)
from demo.gpad_mix import (
    Book,
    MixProfile,
    book_draw,
    cumulative_mix,
    expected_total,
    month_counts,
    month_tilt,
    profile_draw,
)
from demo.gpad_national import (
    NationalFileInfo,
    national_mapping_write,
    national_month_write,
    national_practices,
)
from demo.populations import is_open_on, list_size
from demo.structure import SUB_ICB_CODE, SUB_ICB_NAME, DemoPcn, DemoPractice, DemoStructure

__all__ = [
    "CROSSTAB_HEADER",
    "DEMO_QUIRKS",
    "GPAD_FIRST_MONTH",
    "GPAD_LAST_MONTH",
    "PUBLISHED",
    "CrosstabDialect",
    "CrosstabPractice",
    "CrosstabWriter",
    "GpadQuirk",
    "NationalFileInfo",
    "crosstab_csv_name",
    "crosstab_zip_name",
    "data_quality_practice_code",
    "demo_gpad_month_csv",
    "demo_gpad_write",
    "gpad_months",
    "gpad_zip_plan",
    "month_dialect",
    "month_stamp",
    "national_mapping_write",
    "national_month_write",
    "national_practices",
    "pcn_in_month",
    "structure_as_at",
]

GPAD_FIRST_MONTH = date(2024, 8, 1)
GPAD_LAST_MONTH = date(2026, 10, 1)
MONTHS_PER_ZIP = 3
_MON = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# The data-quality practice: poorly mapped slot types and most activity not recorded.
DQ_PROFILE = MixProfile(unmapped_share=0.4)
DQ_PER_PATIENT_YEAR = 0.6


@dataclass(frozen=True)
class GpadQuirk:
    """A departure from the usual layout in one month's CSV, and where to find it."""

    month: date
    what: str

    @property
    def csv_name(self) -> str:
        return crosstab_csv_name(self.month)

    @property
    def zip_name(self) -> str:
        """The first zip that holds the month."""
        return next(name for name, months in gpad_zip_plan() if self.month in months)


DEMO_QUIRKS: dict[str, GpadQuirk] = {
    "older_labels": GpadQuirk(
        date(2024, 8, 1), "Did not attend / Appt Status Not Provided / HCP Type Not Provided"
    ),
    "video_online": GpadQuirk(date(2024, 11, 1), 'APPT_MODE "Video/Online"'),
    "bom": GpadQuirk(date(2025, 2, 1), "UTF-8 byte order mark"),
    "unknown_data_issue": GpadQuirk(date(2025, 5, 1), '"Unknown / Data Issue" lead time'),
    "lf": GpadQuirk(date(2025, 8, 1), "LF line endings"),
    "column_order": GpadQuirk(date(2025, 11, 1), "columns in a different order"),
    "label_case": GpadQuirk(date(2026, 2, 1), "labels in a different case"),
}
REORDERED_HEADER = (
    "APPOINTMENT_MONTH_START_DATE", "GP_CODE", "GP_NAME", "PCN_CODE", "PCN_NAME",
    "SUB_ICB_LOCATION_CODE", "SUB_ICB_LOCATION_NAME", "SUPPLIER", "APPT_STATUS", "HCP_TYPE",
    "APPT_MODE", "TIME_BETWEEN_BOOK_AND_APPT", "NATIONAL_CATEGORY", "COUNT_OF_APPOINTMENTS",
)  # fmt: skip
_DIALECTS = {
    "older_labels": CrosstabDialect(
        relabel={
            ("APPT_STATUS", "DNA"): "Did not attend",
            ("APPT_STATUS", "Unknown"): "Appt Status Not Provided",
            ("HCP_TYPE", "Unknown"): "HCP Type Not Provided",
        }
    ),
    "video_online": CrosstabDialect(
        relabel={("APPT_MODE", "Video Conference/Online"): "Video/Online"}
    ),
    "bom": CrosstabDialect(bom=True),
    "unknown_data_issue": CrosstabDialect(
        relabel={("TIME_BETWEEN_BOOK_AND_APPT", "Unknown / Data Quality"): "Unknown / Data Issue"}
    ),
    "lf": CrosstabDialect(newline="\n"),
    "column_order": CrosstabDialect(header=REORDERED_HEADER),
    "label_case": CrosstabDialect(
        relabel={
            ("APPT_MODE", "Face-to-Face"): "face-to-face",
            ("HCP_TYPE", "Other Practice staff"): "Other Practice Staff",
            ("NATIONAL_CATEGORY", "General Consultation Routine"): "GENERAL CONSULTATION ROUTINE",
        }
    ),
}


def gpad_months() -> list[date]:
    """First days of the appointment months, oldest first."""
    months = [GPAD_FIRST_MONTH]
    while months[-1] < GPAD_LAST_MONTH:
        last = months[-1]
        months.append(date(last.year + last.month // 12, last.month % 12 + 1, 1))
    return months


def _mon_yy(month: date) -> str:
    return f"{_MON[month.month - 1]}_{month.year % 100:02d}"


def crosstab_csv_name(month: date) -> str:
    return f"Practice_Level_Crosstab_{_mon_yy(month)}.csv"


def crosstab_zip_name(month: date) -> str:
    return f"Practice_Level_Crosstab_{_mon_yy(month)}.zip"


def gpad_zip_plan() -> list[tuple[str, tuple[date, ...]]]:
    """(zip name, months it holds) oldest first: every third month, plus one more zip before
    the last so that the last two overlap by two months."""
    months = gpad_months()
    groups = [tuple(months[i : i + MONTHS_PER_ZIP]) for i in range(0, len(months), MONTHS_PER_ZIP)]
    groups.insert(-1, tuple(months[-MONTHS_PER_ZIP - 1 : -1]))
    return [(crosstab_zip_name(group[-1]), group) for group in groups]


def month_dialect(month: date) -> CrosstabDialect:
    quirk = next((key for key, q in DEMO_QUIRKS.items() if q.month == month), None)
    return _DIALECTS[quirk] if quirk else CrosstabDialect()


def data_quality_practice_code(structure: DemoStructure) -> str:
    """The practice that records badly: never the moved or the unallocated practice."""
    special = {structure.move.practice_code, structure.unallocated_practice_code}
    candidates = sorted(p.code for p in structure.practices if p.code not in special)
    return random.Random(f"{structure.seed}:gpad:data-quality").choice(candidates)


def pcn_in_month(structure: DemoStructure, practice_code: str, month: date) -> DemoPcn | None:
    """The PCN a practice belonged to on the first of ``month``, from its dated memberships."""
    pcns = {pcn.code: pcn for pcn in structure.pcns}
    for link in structure.memberships:
        in_force = link.start <= month and (link.end is None or link.end >= month)
        if link.practice_code == practice_code and in_force:
            return pcns[link.pcn_code]
    return None


@dataclass(frozen=True)
class _PracticeGpad:
    """What stays fixed for a practice across months: its book and its rate of booking."""

    practice: DemoPractice
    book: Book
    per_patient_year: float


def _practice_gpad(structure: DemoStructure, practice: DemoPractice, dq_code: str) -> _PracticeGpad:
    rng = random.Random(f"{structure.seed}:gpad:{practice.code}")
    profile, rate = profile_draw(rng), rng.uniform(4.5, 5.4)
    if practice.code == dq_code:
        profile, rate = DQ_PROFILE, DQ_PER_PATIENT_YEAR
    book = book_draw(rng, cumulative_mix(profile), distinct=rng.randint(160, 225))
    return _PracticeGpad(practice, book, rate)


def _practices_gpad(structure: DemoStructure) -> list[_PracticeGpad]:
    dq_code = data_quality_practice_code(structure)
    return [_practice_gpad(structure, p, dq_code) for p in structure.all_practices]


def _crosstab_practice(
    structure: DemoStructure, practice: DemoPractice, month: date
) -> CrosstabPractice:
    pcn = pcn_in_month(structure, practice.code, month)
    return CrosstabPractice(
        code=practice.code,
        name=practice.name,
        supplier=practice.supplier,
        pcn_code=pcn.code if pcn else NO_PCN_CODE,
        pcn_name=pcn.name if pcn else NO_PCN_NAME,
        sub_icb_code=SUB_ICB_CODE,
        sub_icb_name=SUB_ICB_NAME,
    )


def _month_rows(
    structure: DemoStructure, month: date, books: list[_PracticeGpad]
) -> Iterator[tuple[CrosstabPractice, list[tuple[int, int]]]]:
    """Each practice open in the month with its counts, in practice code order."""
    for entry in books:
        practice = entry.practice
        if not is_open_on(practice, month):
            continue
        rng = random.Random(f"{structure.seed}:gpad:{practice.code}:{month:%Y-%m}")
        patients = list_size(practice, month, seed=structure.seed)
        total = expected_total(patients, entry.per_patient_year, month) * rng.gauss(1, 0.03)
        yield (
            _crosstab_practice(structure, practice, month),
            month_counts(rng, entry.book, total, month_tilt(month)),
        )


def _month_csv(structure: DemoStructure, month: date, books: list[_PracticeGpad]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = CrosstabWriter(buffer, month, month_dialect(month))
    for practice, counts in _month_rows(structure, month, books):
        writer.practice_write(practice, counts)
    return buffer.getvalue().encode("utf-8")


def demo_gpad_month_csv(structure: DemoStructure, month: date) -> bytes:
    """One month's crosstab CSV for the demo ICB, exactly as it goes into the zips."""
    return _month_csv(structure, month, _practices_gpad(structure))


def structure_as_at(structure: DemoStructure, month: date) -> DemoStructure:
    """The structure as ``Mapping.csv`` published in ``month`` saw it: practices open then, each
    in the PCN it belonged to that month."""
    practices = tuple(
        replace(p, pcn_code=(pcn.code if (pcn := pcn_in_month(structure, p.code, month)) else None))
        for p in structure.all_practices
        if is_open_on(p, month)
    )
    return replace(structure, practices=practices)


def _mapping_csv(structure: DemoStructure, month: date) -> bytes:
    """``Mapping.csv`` through the demo's own writer, as at the zip's latest month."""
    with tempfile.TemporaryDirectory() as scratch:
        path = formats.mapping_write(
            Path(scratch) / "Mapping.csv", structure_as_at(structure, month)
        )
        return path.read_bytes()


def _zip_entry(name: str, published: date) -> zipfile.ZipInfo:
    """Fixed timestamps and permissions, so the same seed gives the same zip bytes."""
    info = zipfile.ZipInfo(name, date_time=(published.year, published.month, 12, 9, 30, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _published_on(latest: date) -> date:
    return date(latest.year + latest.month // 12, latest.month % 12 + 1, 1)


def _zip_write(path: Path, members: list[tuple[str, bytes]], latest: date) -> Path:
    published = _published_on(latest)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members:
            archive.writestr(_zip_entry(name, published), data)
    return path


def demo_gpad_write(*, out_dir: Path, structure: DemoStructure) -> list[Path]:
    """Write the demo GPAD zips into ``out_dir``; returns their paths, oldest first."""
    out_dir.mkdir(parents=True, exist_ok=True)
    books = _practices_gpad(structure)
    csvs = {month: _month_csv(structure, month, books) for month in gpad_months()}
    paths = []
    for zip_name, months in gpad_zip_plan():
        members = [(crosstab_csv_name(m), csvs[m]) for m in months]
        members.append(("Mapping.csv", _mapping_csv(structure, months[-1])))
        paths.append(_zip_write(out_dir / zip_name, members, months[-1]))
    return paths
