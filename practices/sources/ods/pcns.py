"""epcn: every primary care network, with its sub-ICB location and dates.

The file gives no date for a PCN's place in its sub-ICB location, so that link is observed
as at the day of the import. The older ePCN.xlsx carries the same fields in its "PCN
Details" sheet; the ods-pcn-members source reads it through ``pcn_row`` below.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from imports.sources.base import (
    Parsed,
    ProblemLog,
    Progress,
    Source,
    WriteContext,
    Written,
    no_progress,
)
from imports.sources.readers import PCN_CODE, SUB_ICB_CODE, display_name, ods_code
from practices.models import OrgKind, OrgStatus, Relation
from practices.services import ObservedLink, OrgRecord, memberships_observe, organisations_upsert
from practices.sources.ods.layout import (
    PCN_LIKE,
    Cells,
    Layout,
    address,
    cell_code,
    cell_period,
    headerless_rows,
    named_org,
)

EPCN = Layout(
    report="epcn",
    width=12,
    fields={
        "pcn_code": (1, "PCN code"),
        "pcn_name": (2, "PCN name"),
        "sub_icb_code": (3, "sub-ICB code"),
        "sub_icb_name": (4, "sub-ICB name"),
        "open_date": (5, "open date"),
        "close_date": (6, "close date"),
        "address1": (7, "address line 1"),
        "address2": (8, "address line 2"),
        "address3": (9, "address line 3"),
        "address4": (10, "address line 4"),
        "address5": (11, "address line 5"),
        "postcode": (12, "postcode"),
    },
    key_like=PCN_LIKE,
    key_what="PCN",
    header_words=(r"pcn", r"open|date"),
)


@dataclass(frozen=True)
class PcnRow:
    org: OrgRecord
    sub_icb: OrgRecord


def pcn_row(cells: Cells, problems: ProblemLog) -> PcnRow | None:
    """A PCN and its sub-ICB location from one row of epcn or of the "PCN Details" sheet."""
    before = problems.count
    code = cell_code(cells, "pcn_code", PCN_CODE, "PCN", problems)
    sub_icb = cell_code(cells, "sub_icb_code", SUB_ICB_CODE, "sub-ICB", problems)
    opened, closed = cell_period(cells, "open_date", "close_date", problems, start_needed=False)
    if problems.count > before or code is None or sub_icb is None:
        return None
    org = OrgRecord(
        code=code,
        name=display_name(cells.text("pcn_name")) or None,
        open_date=opened,
        close_date=closed,
        status=OrgStatus.CLOSED if closed else OrgStatus.ACTIVE,
        postcode=ods_code(cells.text("postcode")),
        address=address(cells),
        row=cells.number,
        close_date_known=True,
    )
    return PcnRow(org=org, sub_icb=named_org(sub_icb, cells, "sub_icb_name"))


def pcns_write(rows: Sequence[PcnRow], context: WriteContext) -> Written:
    """Sub-ICB locations with their names, the PCNs, then each PCN's sub-ICB location."""
    sub_icbs = [r.sub_icb for r in rows]
    result = organisations_upsert(kind=OrgKind.SUB_ICB, records=sub_icbs, context=context)
    orgs = [r.org for r in rows]
    result += organisations_upsert(kind=OrgKind.PCN, records=orgs, context=context)
    links = {r.org.code: ObservedLink(r.org.code, r.sub_icb.code, r.org.row) for r in rows}
    result += memberships_observe(
        relation=Relation.PCN_SUB_ICB, links=list(links.values()), context=context
    )
    return result


class PcnsSource(Source):
    code = "ods-pcns"
    recomputes = "everything"
    title = "ODS primary care networks (epcn)"
    publisher = "NHS England, Organisation Data Service"
    cadence = "Nightly; load when PCNs form, close or change place"
    expects = (
        "epcn.csv: the ODS PCN report, a CSV with no header row and 12 columns (PCN code, "
        "name, sub-ICB code, sub-ICB name, open date, close date, address, postcode)"
    )
    file_patterns = ("epcn.csv",)

    def parse(self, path: Path, problems: ProblemLog, progress: Progress = no_progress) -> Parsed:
        parsed = Parsed()
        for cells in headerless_rows(path, EPCN, parsed, problems):
            if record := pcn_row(cells, problems):
                parsed.records.append(record)
        return parsed

    def write(self, parsed: Parsed, context: WriteContext) -> Written:
        result = Written(rows=len(parsed.records))
        result += pcns_write(parsed.records, context)
        return result
