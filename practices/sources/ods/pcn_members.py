"""epcncorepartnerdetails: which practices are in which PCN, with published dates.

A practice has one row per spell in a PCN, so a practice that moved has two. These dates
are the membership history: for every practice in the file they replace the links only
observed in snapshots (practices.services.memberships_record_dated). The older ePCN.xlsx
is read too, and its "PCN Details" sheet loads the PCNs as epcn does.

A practice is in one PCN at a time, but the published spells of a handover sometimes touch:
the old spell ends on the day the new one begins, or the day after. The later spell wins
from its start date, the earlier is taken to end the day before (or, if that leaves it no
days, is not loaded), and the batch notes say so for each practice. Any longer overlap is
a problem in the row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
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
from imports.sources.readers import PCN_CODE, PRACTICE_CODE, SUB_ICB_CODE
from imports.sources.tables import is_workbook
from practices.models import OrgKind, Relation
from practices.services import (
    DatedLink,
    OrgRecord,
    memberships_record_dated,
    org_ids_by_code,
    organisations_upsert,
)
from practices.sources.ods.layout import (
    PRACTICE_LIKE,
    Cells,
    Layout,
    cell_code,
    cell_period,
    headerless_rows,
    named_org,
)
from practices.sources.ods.pcns import PcnRow, pcn_row, pcns_write
from practices.sources.ods.workbook import epcn_workbook_read

PARTNERS = Layout(
    report="epcncorepartnerdetails",
    width=11,
    fields={
        "practice_code": (1, "practice code"),
        "practice_name": (2, "practice name"),
        "practice_sub_icb_code": (3, "practice sub-ICB code"),
        "practice_sub_icb_name": (4, "practice sub-ICB name"),
        "pcn_code": (5, "PCN code"),
        "pcn_name": (6, "PCN name"),
        "pcn_sub_icb_code": (7, "PCN sub-ICB code"),
        "pcn_sub_icb_name": (8, "PCN sub-ICB name"),
        "start_date": (9, "relationship start date"),
        "end_date": (10, "relationship end date"),
        # Column 11, whether the practice and PCN share a sub-ICB location, is not read.
    },
    key_like=PRACTICE_LIKE,
    key_what="practice",
    header_words=(r"pcn", r"start|join|date"),
)
HANDOVER_DAYS = 1  # an old spell may run on this many days past the new one's start
NOTES_LISTED = 50
SUB_ICB_FIELDS = (
    ("practice_sub_icb_code", "practice_sub_icb_name"),
    ("pcn_sub_icb_code", "pcn_sub_icb_name"),
)


@dataclass(frozen=True)
class MemberRow:
    """A practice's spell in a PCN."""

    row: int
    practice: OrgRecord
    pcn: OrgRecord
    sub_icbs: tuple[OrgRecord, ...]
    start: dt.date
    end: dt.date | None
    start_column: str

    @property
    def spell(self) -> tuple[str, str, dt.date, dt.date | None]:
        return (self.practice.code, self.pcn.code, self.start, self.end)


class PcnMembersSource(Source):
    code = "ods-pcn-members"
    recomputes = "everything"
    title = "ODS PCN member practices (epcncorepartnerdetails or ePCN.xlsx)"
    publisher = "NHS England, Organisation Data Service"
    cadence = "Nightly; load when practices join or leave a PCN"
    expects = (
        "epcncorepartnerdetails.csv, a CSV with no header row and 11 columns (practice code "
        "and name, practice sub-ICB code and name, PCN code and name, PCN sub-ICB code and "
        "name, start date, end date, sub-ICB match; a downloaded header row is read past), "
        "or the older ePCN.xlsx with the sheets 'PCN Details' and 'PCN Core Partner Details'"
    )
    file_patterns = ("epcncorepartnerdetails*.csv", "epcncorepartnerdetails*.zip", "ePCN*.xlsx")

    def parse(self, path: Path, problems: ProblemLog, progress: Progress = no_progress) -> Parsed:
        parsed = Parsed()
        pcn_cells, partner_cells = _read(path, parsed, problems)
        parsed.records.extend(r for c in pcn_cells if (r := pcn_row(c, problems)))
        members = [r for c in partner_cells if (r := _member(c, problems))]
        members = _without_repeats(members, parsed)
        members = _one_pcn_at_a_time(members, parsed, problems)
        parsed.records.extend(members)
        return parsed

    def write(self, parsed: Parsed, context: WriteContext) -> Written:
        pcns = [r for r in parsed.records if isinstance(r, PcnRow)]
        members = [r for r in parsed.records if isinstance(r, MemberRow)]
        result = Written(rows=len(parsed.records))
        result += pcns_write(pcns, context)
        sub_icbs = [s for m in members for s in m.sub_icbs]
        result += organisations_upsert(kind=OrgKind.SUB_ICB, records=sub_icbs, context=context)
        result += _add_missing(OrgKind.PRACTICE, (m.practice for m in members), context)
        result += _add_missing(OrgKind.PCN, (m.pcn for m in members), context)
        links = [DatedLink(*m.spell, row=m.row) for m in members]
        result += memberships_record_dated(
            relation=Relation.PRACTICE_PCN, links=links, context=context
        )
        return result


def _read(
    path: Path, parsed: Parsed, problems: ProblemLog
) -> tuple[Iterable[Cells], Iterable[Cells]]:
    if is_workbook(path):
        return epcn_workbook_read(path, parsed)
    return [], headerless_rows(path, PARTNERS, parsed, problems)


def _member(cells: Cells, problems: ProblemLog) -> MemberRow | None:
    before = problems.count
    practice = cell_code(cells, "practice_code", PRACTICE_CODE, "practice", problems)
    pcn = cell_code(cells, "pcn_code", PCN_CODE, "PCN", problems)
    sub_icbs = _sub_icbs(cells, problems)
    start, end = cell_period(cells, "start_date", "end_date", problems, start_needed=True)
    if problems.count > before or not (practice and pcn and start):
        return None
    return MemberRow(
        row=cells.number,
        practice=named_org(practice, cells, "practice_name"),
        pcn=named_org(pcn, cells, "pcn_name"),
        sub_icbs=sub_icbs,
        start=start,
        end=end,
        start_column=cells.column("start_date"),
    )


def _sub_icbs(cells: Cells, problems: ProblemLog) -> tuple[OrgRecord, ...]:
    """The practice's and the PCN's sub-ICB locations, where the row gives them."""
    found = []
    for code_field, name_field in SUB_ICB_FIELDS:
        if cells.text(code_field):
            code = cell_code(cells, code_field, SUB_ICB_CODE, "sub-ICB", problems)
            if code:
                found.append(named_org(code, cells, name_field))
    return tuple(found)


def _without_repeats(members: list[MemberRow], parsed: Parsed) -> list[MemberRow]:
    """A row repeating an earlier one word for word says nothing new; it is not a clash."""
    first = {m.spell: m for m in reversed(members)}
    kept = [m for m in members if first[m.spell] is m]
    if repeats := len(members) - len(kept):
        parsed.rows_skipped += repeats
        parsed.notes.append(f"Skipped {repeats} rows repeating an earlier row.")
    return kept


def _one_pcn_at_a_time(
    members: list[MemberRow], parsed: Parsed, problems: ProblemLog
) -> list[MemberRow]:
    """Each practice's spells, handovers resolved; clashes are problems in the later row."""
    spells: dict[str, list[MemberRow]] = defaultdict(list)
    for member in members:
        spells[member.practice.code].append(member)
    kept: list[MemberRow] = []
    handovers: list[str] = []
    for practice_spells in spells.values():
        kept.extend(_spells_resolved(practice_spells, handovers, problems))
    if handovers:
        dropped = len(members) - len(kept)
        parsed.rows_skipped += dropped
        parsed.notes.extend(_handover_notes(handovers, dropped))
    return sorted(kept, key=lambda m: m.row)


def _spells_resolved(
    spells: list[MemberRow], handovers: list[str], problems: ProblemLog
) -> list[MemberRow]:
    """Spells by start (then end, open last); each must begin after the one before it has
    ended, but for a handover of up to ``HANDOVER_DAYS``, which the later spell wins."""
    ordered = sorted(spells, key=lambda m: (m.start, m.end or dt.date.max, m.row))
    kept = [ordered[0]]
    for spell in ordered[1:]:
        before = max(kept, key=lambda m: m.end or dt.date.max)
        if before.end is not None and spell.start > before.end:
            kept.append(spell)
        elif _is_handover(before, spell):
            kept.remove(before)
            cut = replace(before, end=spell.start - dt.timedelta(days=1))
            if cut.end >= cut.start:
                kept.append(cut)
            handovers.append(_handover(before, spell, kept=cut.end >= cut.start))
            kept.append(spell)
        else:
            problems.add(spell.row, spell.start_column, _clash(spell, before))
            kept.append(spell)
    return kept


def _is_handover(before: MemberRow, spell: MemberRow) -> bool:
    """The earlier spell ends on the later one's start day or up to HANDOVER_DAYS after,
    and the later spell runs on past it."""
    if before.end is None:
        return False
    runs_on = (before.end - spell.start).days
    outlasts = spell.end is None or spell.end > before.end
    return 0 <= runs_on <= HANDOVER_DAYS and outlasts


def _handover(before: MemberRow, spell: MemberRow, *, kept: bool) -> str:
    code, start = before.practice.code, spell.start.isoformat()
    said = f"row {before.row} has {code} in {before.pcn.code} until {before.end.isoformat()}"
    if kept:
        day_before = spell.start - dt.timedelta(days=1)
        taken = f"{before.pcn.code} taken to end on {day_before.isoformat()}"
    else:
        taken = f"that spell ({before.start.isoformat()} to {before.end.isoformat()}) not loaded"
    return f"{said}, row {spell.row} in {spell.pcn.code} from {start}: {taken}"


def _handover_notes(handovers: list[str], dropped: int) -> list[str]:
    count = len(handovers)
    spells = "spell" if count == 1 else "spells"
    summary = (
        f"{count} PCN {spells} ended on the day the practice's next spell began, or the day "
        "after; the later spell wins from its start date and the earlier is taken to end the "
        "day before"
    )
    if dropped:
        summary += f" ({dropped} left with no days at all and not loaded)"
    listed = [f"Handover: {text}." for text in handovers[:NOTES_LISTED]]
    if count > NOTES_LISTED:
        listed.append(f"... and {count - NOTES_LISTED} more handovers.")
    return [summary + ".", *listed]


def _clash(spell: MemberRow, earlier: MemberRow) -> str:
    until = earlier.end.isoformat() if earlier.end else "now"
    return (
        f"practice {spell.practice.code} joins {spell.pcn.code} on {spell.start.isoformat()}, "
        f"but row {earlier.row} has it in {earlier.pcn.code} until {until}; "
        "a practice is in one PCN at a time"
    )


def _add_missing(kind: str, records: Iterable[OrgRecord], context: WriteContext) -> Written:
    """Organisations not yet in the register, under the names this file gives them. Names
    already held come from the fuller reports and are left alone."""
    records = list(records)
    known = org_ids_by_code(kind, (r.code for r in records))
    missing = [r for r in records if r.code not in known]
    return organisations_upsert(kind=kind, records=missing, context=context)
