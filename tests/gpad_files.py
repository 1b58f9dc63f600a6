"""Tiny GPAD practice-level crosstabs for tests, in the published column layout.

A test says only what matters to it (practice, count, and the one or two categories it is
about); every other column takes an ordinary published value. Written as NHS England writes
it: the published column order, CRLF line endings, no BOM, practice and PCN names in upper
case and place names in mixed case, a practice in no PCN as ``U`` / ``UNALLOCATED``
(``pcn_code=NO_PCN``). ``gpad_month_load`` writes the file and loads it through the same
service the upload page uses.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

COLUMNS = (
    "APPOINTMENT_MONTH_START_DATE",
    "GP_CODE",
    "GP_NAME",
    "SUPPLIER",
    "PCN_CODE",
    "PCN_NAME",
    "SUB_ICB_LOCATION_CODE",
    "SUB_ICB_LOCATION_NAME",
    "HCP_TYPE",
    "APPT_MODE",
    "NATIONAL_CATEGORY",
    "TIME_BETWEEN_BOOK_AND_APPT",
    "COUNT_OF_APPOINTMENTS",
    "APPT_STATUS",
)
MARCH_2025 = dt.date(2025, 3, 1)
NO_PCN = "U"  # with PCN_NAME UNALLOCATED: the practice is in no PCN


@dataclass(frozen=True)
class Row:
    """One crosstab row. Field names are the columns in lower case."""

    gp_code: str
    count_of_appointments: int
    national_category: str = "General Consultation Routine"
    time_between_book_and_appt: str = "Same Day"
    appt_status: str = "Attended"
    appt_mode: str = "Face-to-Face"
    hcp_type: str = "GP"
    pcn_code: str = ""  # blank: the row does not say; NO_PCN: in no PCN
    sub_icb_location_code: str = "11X"
    supplier: str = "EMIS"

    def cells(self, month: dt.date) -> dict[str, str]:
        fields = {key.upper(): str(value) for key, value in asdict(self).items()}
        return {
            **fields,
            "APPOINTMENT_MONTH_START_DATE": published_month(month),
            "GP_NAME": f"SURGERY {self.gp_code}",
            "PCN_NAME": _pcn_name(self.pcn_code),
            "SUB_ICB_LOCATION_NAME": _place_name(self.sub_icb_location_code),
        }


def _pcn_name(code: str) -> str:
    if code == NO_PCN:
        return "UNALLOCATED"
    return f"PCN {code}" if code else ""


def _place_name(code: str) -> str:
    """As Mapping.csv and the crosstab name places: NHS Somerset ICB - 11X."""
    return f"NHS {'Somerset' if code == '11X' else 'Elsewhere'} ICB - {code}"


def published_month(month: dt.date) -> str:
    """01MAR2025, as APPOINTMENT_MONTH_START_DATE is published."""
    return month.strftime("%d%b%Y").upper()


def file_name(month: dt.date) -> str:
    """Practice_Level_Crosstab_Mar_25.csv"""
    return f"Practice_Level_Crosstab_{month:%b_%y}.csv"


def crosstab_write(
    folder: Path,
    rows: Iterable[Row],
    month: dt.date = MARCH_2025,
    *,
    name: str | None = None,
    columns: Sequence[str] = COLUMNS,
) -> Path:
    """Write one month's crosstab CSV into ``folder`` and return its path."""
    path = Path(folder) / (name or file_name(month))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=list(columns), extrasaction="ignore", lineterminator="\r\n"
        )
        writer.writeheader()
        writer.writerows(row.cells(month) for row in rows)
    return path


def gpad_month_load(folder: Path, rows: Iterable[Row], month: dt.date = MARCH_2025):
    """Write the month's crosstab and load it (measures are recomputed as part of the load)."""
    from metrics.services import import_file

    batch = import_file(source="gpad", path=crosstab_write(folder, rows, month))
    assert batch.status == "succeeded", batch.outcome
    return batch
