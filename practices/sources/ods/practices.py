"""epraccur: every prescribing organisation in England and Wales, of which the English GP
practices are loaded.

Two layouts are published with the same 27 columns: the legacy one (epraccur.csv, or the
epraccur.zip it came in) gives status as A/C/D/P and the prescribing setting as a number
(4 is a GP practice); the current one, from the ODS Data Search and Export, gives
ACTIVE/INACTIVE/DORMANT and the organisation's role codes (RO76 is a GP practice, sometimes
with a second role: RO76|RO268). Organisations that are not GP practices are skipped and
counted, and so are Welsh GP practices: the legacy file puts them in region W00, the current
one leaves their region and ICB blank. The file carries no relationship dates, so its links
are observed as at the day of the import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from core.ods import WELSH_REGION_CODE
from imports.sources.base import (
    Parsed,
    ProblemLog,
    Progress,
    Source,
    WriteContext,
    Written,
    no_progress,
)
from imports.sources.readers import (
    ICB_CODE,
    PRACTICE_CODE,
    REGION_CODE,
    SUB_ICB_CODE,
    clean_text,
    display_name,
    ods_code,
)
from practices.models import OrgKind, OrgStatus, Relation
from practices.services import ObservedLink, OrgRecord, memberships_observe, organisations_upsert
from practices.sources.ods.layout import (
    PRACTICE_LIKE,
    Cells,
    Layout,
    address,
    cell_code,
    cell_period,
    headerless_rows,
)

EPRACCUR = Layout(
    report="epraccur",
    width=27,
    fields={
        "code": (1, "practice code"),
        "name": (2, "name"),
        "region": (3, "region code"),
        "icb": (4, "ICB code"),
        "address1": (5, "address line 1"),
        "address2": (6, "address line 2"),
        "address3": (7, "address line 3"),
        "address4": (8, "address line 4"),
        "address5": (9, "address line 5"),
        "postcode": (10, "postcode"),
        "open_date": (11, "open date"),
        "close_date": (12, "close date"),
        "status": (13, "status"),
        "sub_icb": (15, "sub-ICB code"),
        "phone": (18, "phone"),
        "setting": (26, "prescribing setting"),
    },
    key_like=PRACTICE_LIKE,
    key_what="practice",
    header_words=(r"post ?code", r"open|status|setting"),
)
STATUSES = {
    "A": OrgStatus.ACTIVE,
    "C": OrgStatus.CLOSED,
    "D": OrgStatus.DORMANT,
    "P": OrgStatus.PROPOSED,
    "ACTIVE": OrgStatus.ACTIVE,
    "INACTIVE": OrgStatus.INACTIVE,
    "DORMANT": OrgStatus.DORMANT,
}
GP_PRACTICE_SETTING = 4
GP_PRACTICE_ROLE = "RO76"
PARENTS = (
    # (field, code pattern, what)
    ("region", REGION_CODE, "region"),
    ("icb", ICB_CODE, "ICB"),
    ("sub_icb", SUB_ICB_CODE, "sub-ICB"),
)


@dataclass(frozen=True)
class PracticeRow:
    org: OrgRecord
    region: str
    icb: str
    sub_icb: str

    @property
    def practice(self) -> str:
        return self.org.code

    @property
    def row(self) -> int | None:
        return self.org.row


def is_gp_practice(setting: str) -> bool:
    text = clean_text(setting).upper()
    if text.isdigit():
        return int(text) == GP_PRACTICE_SETTING
    return GP_PRACTICE_ROLE in {part.strip() for part in text.split("|")}


def is_welsh(cells: Cells) -> bool:
    """Region W00 (the legacy file), or no region and no ICB (the current one): a practice
    in Wales, which has local health boards rather than ICBs."""
    region, icb = ods_code(cells.text("region")), ods_code(cells.text("icb"))
    return region == WELSH_REGION_CODE or not (region or icb)


class PracticesSource(Source):
    code = "ods-practices"
    recomputes = "everything"
    title = "ODS GP practices (epraccur)"
    publisher = "NHS England, Organisation Data Service"
    cadence = "Nightly; load when practices open, close or move"
    expects = (
        "epraccur.csv: the ODS GP practice report, a CSV with no header row (or the header "
        "row of a download with headers) and 27 columns (practice code, name, region, ICB, "
        "address, postcode, open and close dates, status, sub-ICB ... prescribing setting), "
        "or the legacy epraccur.zip holding it"
    )
    file_patterns = ("epraccur*.csv", "epraccur*.zip")

    def parse(self, path: Path, problems: ProblemLog, progress: Progress = no_progress) -> Parsed:
        parsed = Parsed()
        not_gp = welsh = 0
        for cells in headerless_rows(path, EPRACCUR, parsed, problems):
            if not is_gp_practice(cells.text("setting")):
                not_gp += 1
            elif is_welsh(cells):
                welsh += 1
            elif record := _practice(cells, problems):
                parsed.records.append(record)
        parsed.rows_skipped += not_gp + welsh
        if not_gp:
            parsed.notes.append(
                f"Skipped {not_gp} rows that are not GP practices "
                "(prescribing setting not 4 / role not RO76)."
            )
        if welsh:
            parsed.notes.append(
                f"Skipped {welsh} GP practices in Wales (region {WELSH_REGION_CODE}, "
                "or no region and no ICB)."
            )
        return parsed

    def write(self, parsed: Parsed, context: WriteContext) -> Written:
        rows: list[PracticeRow] = parsed.records
        result = Written(rows=len(rows))
        orgs = [r.org for r in rows]
        result += organisations_upsert(kind=OrgKind.PRACTICE, records=orgs, context=context)
        for kind, field in _STUBS:
            stubs = [OrgRecord(code=code) for code in sorted({getattr(r, field) for r in rows})]
            result += organisations_upsert(kind=kind, records=stubs, context=context)
        for relation, child, parent in _RELATIONS:
            links = _links(rows, child, parent)
            result += memberships_observe(relation=relation, links=links, context=context)
        return result


def _practice(cells: Cells, problems: ProblemLog) -> PracticeRow | None:
    before = problems.count
    code = cell_code(cells, "code", PRACTICE_CODE, "practice", problems)
    parents = [cell_code(cells, f, pattern, what, problems) for f, pattern, what in PARENTS]
    opened, closed = cell_period(cells, "open_date", "close_date", problems, start_needed=False)
    status = _status(cells, problems)
    if problems.count > before or code is None:
        return None
    org = OrgRecord(
        code=code,
        name=display_name(cells.text("name")) or None,
        open_date=opened,
        close_date=closed,
        status=status,
        postcode=ods_code(cells.text("postcode")),
        address=address(cells),
        phone=cells.text("phone"),
        row=cells.number,
        close_date_known=True,
    )
    region, icb, sub_icb = (p or "" for p in parents)
    return PracticeRow(org=org, region=region, icb=icb, sub_icb=sub_icb)


def _status(cells: Cells, problems: ProblemLog) -> str | None:
    text = cells.text("status").upper()
    status = STATUSES.get(text)
    if status is None:
        problems.add(
            cells.number,
            cells.column("status"),
            f"'{text or '(blank)'}' is not a status; expected A, C, D or P (older files) "
            "or ACTIVE, INACTIVE or DORMANT",
        )
    return status


_STUBS = ((OrgKind.SUB_ICB, "sub_icb"), (OrgKind.ICB, "icb"), (OrgKind.REGION, "region"))
_RELATIONS = (
    (Relation.PRACTICE_SUB_ICB, "practice", "sub_icb"),
    (Relation.SUB_ICB_ICB, "sub_icb", "icb"),
    (Relation.ICB_REGION, "icb", "region"),
)


def _links(rows: Sequence[PracticeRow], child: str, parent: str) -> list[ObservedLink]:
    """One link per child. Open practices are read last so that, where a closed practice's
    row still names a parent the others no longer have, the open practices' parent wins."""
    links: dict[str, ObservedLink] = {}
    for row in sorted(rows, key=lambda r: r.org.close_date is None):
        code = getattr(row, child)
        links[code] = ObservedLink(code, getattr(row, parent), row.row)
    return list(links.values())
