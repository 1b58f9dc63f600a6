"""GPAD ``Mapping.csv``: practice -> PCN -> sub-ICB -> ICB -> region, with names.

Published with every "Appointments in General Practice" zip; a complete hierarchy on its
own. It carries no dates, so its links are observed as at the day of the import.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from imports.sources.base import (
    FileProblems,
    Parsed,
    ProblemLog,
    Progress,
    Source,
    WriteContext,
    Written,
    WrongKindOfFile,
)
from imports.sources.readers import (
    ICB_CODE,
    PCN_CODE,
    PRACTICE_CODE,
    REGION_CODE,
    SUB_ICB_CODE,
    check_code,
    display_name,
    headed_rows,
    is_sentinel,
    ods_code,
)
from practices.models import Membership, Organisation, OrgKind, Relation
from practices.services import ObservedLink, OrgRecord, memberships_observe, organisations_upsert

ALIASES: dict[str, tuple[str, ...]] = {
    "GP_CODE": ("PRACTICE_CODE",),
    "GP_NAME": ("PRACTICE_NAME",),
    "SUPPLIER": (),
    "PCN_CODE": (),
    "PCN_NAME": (),
    "SUB_ICB_LOCATION_CODE": ("CCG_CODE", "SUB_ICB_CODE"),
    "SUB_ICB_LOCATION_NAME": ("CCG_NAME", "SUB_ICB_NAME"),
    "ICB_CODE": ("STP_CODE",),
    "ICB_NAME": ("STP_NAME",),
    "REGION_CODE": ("COMM_REGION_CODE",),
    "REGION_NAME": ("COMM_REGION_NAME",),
}
REQUIRED = tuple(ALIASES)
LEVELS = (
    # (kind, code column, name column, code pattern, what)
    (OrgKind.PRACTICE, "GP_CODE", "GP_NAME", PRACTICE_CODE, "practice"),
    (OrgKind.PCN, "PCN_CODE", "PCN_NAME", PCN_CODE, "PCN"),
    (OrgKind.SUB_ICB, "SUB_ICB_LOCATION_CODE", "SUB_ICB_LOCATION_NAME", SUB_ICB_CODE, "sub-ICB"),
    (OrgKind.ICB, "ICB_CODE", "ICB_NAME", ICB_CODE, "ICB"),
    (OrgKind.REGION, "REGION_CODE", "REGION_NAME", REGION_CODE, "region"),
)


@dataclass(frozen=True)
class MappingRow:
    row: int
    codes: dict[str, str | None]
    names: dict[str, str]


class GpadMappingSource(Source):
    code = "gpad-mapping"
    recomputes = "everything"
    title = "GPAD practice mapping (Mapping.csv)"
    publisher = "NHS England, Appointments in General Practice"
    cadence = "Monthly, inside each GPAD zip"
    expects = (
        "GPAD Mapping.csv: a CSV with the columns GP_CODE, GP_NAME, PCN_CODE, PCN_NAME, "
        "SUB_ICB_LOCATION_CODE, SUB_ICB_LOCATION_NAME, ICB_CODE, ICB_NAME, REGION_CODE, "
        "REGION_NAME"
    )
    file_patterns = ("Mapping.csv",)

    def parse(self, path: Path, problems: ProblemLog, progress: Progress) -> Parsed:
        header, rows = headed_rows(path, ALIASES, REQUIRED)
        parsed = Parsed()
        for number, fields in rows:
            parsed.rows_read += 1
            record = self._row(number, {f: header.get(fields, f) for f in REQUIRED}, problems)
            if record is not None:
                parsed.records.append(record)
        practices = len({r.codes[OrgKind.PRACTICE] for r in parsed.records})
        if practices < len(parsed.records):
            parsed.notes.append(
                f"{len(parsed.records):,} rows name {practices:,} practices: a practice that "
                "changed clinical system is listed once for each supplier."
            )
        no_pcn = len({r.codes[OrgKind.PRACTICE] for r in parsed.records
                      if r.codes[OrgKind.PCN] is None})  # fmt: skip
        if no_pcn:
            parsed.notes.append(
                f"{no_pcn:,} practices are published in no PCN (PCN_CODE U, UNALLOCATED): "
                "loaded with their place and ICB, and no PCN."
            )
        return parsed

    def _row(self, number: int, values: dict[str, str], problems: ProblemLog) -> MappingRow | None:
        before = problems.count
        codes: dict[str, str | None] = {}
        names: dict[str, str] = {}
        for kind, code_col, name_col, pattern, what in LEVELS:
            raw = ods_code(values[code_col])
            if kind == OrgKind.PCN and is_sentinel(raw):
                codes[kind] = None  # the practice is in no PCN
                continue
            codes[kind] = check_code(raw, pattern, what, number, code_col, problems)
            names[kind] = display_name(values[name_col])
        if problems.count > before:
            return None
        return MappingRow(row=number, codes=codes, names=names)

    def write(self, parsed: Parsed, context: WriteContext) -> Written:
        result = Written(rows=len(parsed.records))
        for kind, *_ in LEVELS:
            records = [
                OrgRecord(code=r.codes[kind], name=r.names[kind] or None, row=r.row)
                for r in parsed.records
                if r.codes[kind]
            ]
            result += organisations_upsert(kind=kind, records=records, context=context)
        for relation, child, parent in _RELATIONS:
            links = _links(parsed.records, child, parent)
            result += memberships_observe(relation=relation, links=links, context=context)
        return result


_RELATIONS = (
    (Relation.PRACTICE_PCN, OrgKind.PRACTICE, OrgKind.PCN),
    (Relation.PRACTICE_SUB_ICB, OrgKind.PRACTICE, OrgKind.SUB_ICB),
    (Relation.PCN_SUB_ICB, OrgKind.PCN, OrgKind.SUB_ICB),
    (Relation.SUB_ICB_ICB, OrgKind.SUB_ICB, OrgKind.ICB),
    (Relation.ICB_REGION, OrgKind.ICB, OrgKind.REGION),
)


def _links(records: list[MappingRow], child: str, parent: str) -> list[ObservedLink]:
    """One link per child (the last row wins), skipping children the row does not name."""
    links: dict[str, ObservedLink] = {}
    for record in records:
        child_code = record.codes[child]
        if child_code:
            links[child_code] = ObservedLink(child_code, record.codes[parent], record.row)
    return list(links.values())


def mapping_fill_gaps(
    path: Path, problems: ProblemLog | FileProblems, context: WriteContext
) -> list[str]:
    """A Mapping.csv that came inside a GPAD zip: add the organisations the register lacks
    (and their names), and links only for organisations that have none of that kind.

    It never moves anything: the zip may be older than what the register already knows.
    """
    before = problems.count
    try:
        parsed = GpadMappingSource().parse(path, problems, lambda _: None)
    except WrongKindOfFile as error:
        problems.add(None, None, str(error))
        return []
    if problems.count > before:
        return []
    added = Written()
    for kind, *_ in LEVELS:
        records = [OrgRecord(code=r.codes[kind], name=r.names[kind] or None, row=r.row)
                   for r in parsed.records if r.codes[kind]]  # fmt: skip
        added += organisations_upsert(kind=kind, records=records, context=context)
    for relation, child, parent in _RELATIONS:
        links = _unlinked(_links(parsed.records, child, parent), relation, child)
        added += memberships_observe(relation=relation, links=links, context=context)
    name = problems.file if isinstance(problems, FileProblems) else path.name
    return [
        f"{name}: {parsed.rows_read:,} rows read, {added.created:,} organisations or links "
        f"added, {added.updated:,} updated."
    ]


def _unlinked(links: list[ObservedLink], relation: str, child_kind: str) -> list[ObservedLink]:
    linked = set(
        Organisation.objects.filter(
            kind=child_kind,
            pk__in=Membership.objects.filter(relation=relation).values("child_id"),
        ).values_list("code", flat=True)
    )
    return [link for link in links if link.child not in linked and link.parent]
