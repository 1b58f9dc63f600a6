"""GP appointments data (GPAD), "Appointments in General Practice": practice-level crosstabs.

Takes the published zip (several months, possibly split by region, plus Mapping.csv) or a
single crosstab CSV. Each file is streamed: the fast reader for clean files, the careful
reader (row-numbered problems) for anything else. A month already loaded is replaced, for
the practices the new file brings and those an earlier load placed in the places it
reports, in the same transaction; a month whose file is byte-for-byte the one already
loaded is skipped.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

from django.db import transaction

from imports.sources.base import (
    Parsed,
    ProblemLog,
    Progress,
    Recompute,
    Source,
    WriteContext,
    Written,
)
from imports.sources.readers import Header
from metrics.models import BatchStatus, GpadPracticeMonth, ImportFile
from metrics.sources.gpad.careful import CarefulReader
from metrics.sources.gpad.chunks import RowKeys, Tally
from metrics.sources.gpad.fast import ReadCarefully, fast_chunks
from metrics.sources.gpad.files import Delivery, Member, delivery
from metrics.sources.gpad.lookups import Categories, Practices
from metrics.sources.gpad.reported import reported_memberships_rebuild
from metrics.sources.gpad.store import (
    FactsWriter,
    Replaced,
    appended_pages_summarise,
    months_replace,
    practice_months_record,
)


class GpadSource(Source):
    code = "gpad"
    title = "GP appointments data (Appointments in General Practice)"
    publisher = "NHS England"
    cadence = "Monthly; each zip holds three months"
    expects = (
        "a GPAD practice-level crosstab: the published zip Practice_Level_Crosstab_<Mon>_<YY>.zip "
        "or one of its CSVs, with columns APPOINTMENT_MONTH_START_DATE, GP_CODE, HCP_TYPE, "
        "APPT_MODE, NATIONAL_CATEGORY, TIME_BETWEEN_BOOK_AND_APPT, COUNT_OF_APPOINTMENTS and "
        "APPT_STATUS"
    )
    file_patterns = ("Practice_Level_Crosstab_*.zip", "Practice_Level_Crosstab_*.csv")
    streams = True

    def load(
        self, path: Path, problems: ProblemLog, context: WriteContext, progress: Progress
    ) -> tuple[Parsed, Written]:
        with delivery(path) as files:
            return GpadLoad(files, problems, context, progress).run()

    def months_to_recompute(self, parsed: Parsed) -> Recompute:
        months = parsed.extra.get("months", set())
        return Recompute(months=frozenset(months))


class GpadLoad:
    """One delivery being loaded: its files in turn, then what they add up to."""

    def __init__(
        self, files: Delivery, problems: ProblemLog, context: WriteContext, progress: Progress
    ) -> None:
        self.files, self.problems, self.context, self.progress = files, problems, context, progress
        self.categories = Categories()
        self.parsed, self.tally = Parsed(), Tally(triage_id=self.categories.triage_id)
        self.practices = Practices(context)
        self.total_bytes = sum(m.size for m in files.crosstabs) or 1
        self.done_bytes = 0
        self.checksums = _checksums_by_month(files.crosstabs)

    def run(self) -> tuple[Parsed, Written]:
        if self.files.mapping is not None:
            self._fill_register_gaps(self.files.mapping)
        for member in self.files.crosstabs:
            self._member(member)
        if self.files.ignored:
            self.parsed.notes.append(
                f"Not GPAD crosstabs, left aside: {', '.join(self.files.ignored)}."
            )
        if self.problems:
            return self.parsed, Written()
        return self.parsed, self._finish()

    def _member(self, member: Member) -> None:
        header, missing = member.header()
        if missing:
            self.problems.add(None, None, f"{member.name} has no {', '.join(missing)} column.")
            return
        month = member.first_month(header)
        if month is not None and _already_loaded(month, self.checksums[month]):
            self.parsed.notes.append(
                f"{member.name}: {month:%b %Y} is already loaded from this file."
            )
            self._advance(member)
            return
        file = ImportFile.objects.create(
            batch_id=self.context.batch_id, name=member.name, checksum=member.checksum, month=month
        )
        file.rows = self._read(member, header, file)
        file.save(update_fields=["rows"])
        when = f" for {month:%b %Y}" if month else ""
        self.parsed.notes.append(f"{member.name}: {file.rows:,} rows read{when}.")
        self._advance(member)

    def _read(self, member: Member, header: Header, file: ImportFile) -> int:
        """Fast read in a savepoint; if it gives up, undo it and read carefully."""
        added_before = list(self.practices.added)
        try:
            with transaction.atomic():
                tally = self._write(
                    fast_chunks(member, header, self.categories, self.practices), file
                )
        except ReadCarefully:
            self.practices = Practices(self.context)  # practices it added were rolled back too
            self.practices.added = added_before
            reader = CarefulReader(header, self.categories, self.practices, self.problems)
            if self.files.zipped or len(self.files.crosstabs) > 1:
                reader.file_name = member.name  # "Row 12" alone would not say which file
            tally = self._write(reader.chunks(member), file)
        if tally.keys is not None:
            self._repeats_check(tally.keys, member)
        self._twice_check(tally, member)
        self.tally.merge(tally)
        self.parsed.rows_read += tally.rows
        return tally.rows

    def _twice_check(self, tally: Tally, member: Member) -> None:
        """A practice's month comes in one file: the same practice-month in two files of
        one delivery would be counted twice, so the load stops and names them."""
        twice = sorted(key for key in tally.totals if key in self.tally.totals)
        if not twice:
            return
        codes = {pk: code for code, pk in self.practices.ids.items()}
        shown = ", ".join(f"{codes[p]} ({month:%b %Y})" for p, month in twice[:20])
        more = f" and {len(twice) - 20} more" if len(twice) > 20 else ""
        self.problems.add(
            None,
            "GP_CODE",
            f"{member.name} repeats practice-months an earlier file of this delivery already "
            f"holds, which would count them twice: {shown}{more}.",
        )

    def _repeats_check(self, keys: RowKeys, member: Member) -> None:
        """A crosstab has one row per practice, month and set of categories. A row that
        repeats an earlier one would add its appointments twice, so the file is refused,
        naming the rows, rather than summed."""
        name = member.name if self.files.zipped or len(self.files.crosstabs) > 1 else None
        for row, earlier in keys.repeats():
            self.problems.add(
                row,
                None,
                f"repeats row {earlier} (the same practice, month and categories): the "
                "file would count those appointments twice",
                file=name,
            )

    def _write(self, chunks, file: ImportFile) -> Tally:
        tally = Tally(triage_id=self.categories.triage_id)
        tally.keys = RowKeys(self.categories.ids())
        with FactsWriter(batch_id=self.context.batch_id, file_id=file.pk) as facts:
            for chunk in chunks:
                facts.write(chunk)
                tally.add(chunk)
                tally.keys.add(chunk)
        return tally

    def _advance(self, member: Member) -> None:
        self.done_bytes += member.size
        self.progress(80 * self.done_bytes / self.total_bytes)

    def _finish(self) -> Written:
        if not self.tally.rows:
            self.parsed.notes.append("Every month in this file was already loaded from it.")
            return Written(rows=0)
        appended_pages_summarise()
        replaced = months_replace(tally=self.tally, batch_id=self.context.batch_id)
        self.parsed.notes.extend(practice_months_record(tally=self.tally, context=self.context))
        reported_memberships_rebuild(context=self.context, also=replaced.dropped_ids)
        self.progress(90)
        self._describe(replaced)
        return Written(created=self.tally.rows, rows=self.tally.rows)

    def _describe(self, replaced: Replaced) -> None:
        months = sorted(self.tally.months)
        for month in months:
            self.parsed.cover(month)
        self.parsed.extra["months"] = set(months)
        if replaced.rows:
            self.parsed.notes.append(
                f"Replaced {replaced.rows:,} rows loaded earlier for the same months."
            )
        for month, practice_ids in sorted(replaced.dropped.items()):
            shown = ", ".join(self.practices.codes_of(practice_ids)[:50])
            self.parsed.notes.append(
                f"{month:%b %Y} as loaded now no longer holds {len(practice_ids)} practice(s) "
                f"an earlier load had in the same places; their rows for it were removed: "
                f"{shown}."
            )
        if self.practices.added:
            added = ", ".join(self.practices.added[:50])
            self.parsed.notes.append(
                f"{len(self.practices.added)} practice(s) not in the register were added from "
                f"the appointment rows: {added}."
            )

    def _fill_register_gaps(self, mapping: Member) -> None:
        """Add what the register lacks from the zip's Mapping.csv, unless this very file
        was applied by an earlier load (consecutive zips mostly carry the same one):
        applying it again could add nothing."""
        from metrics.sources.gpad_mapping import mapping_fill_gaps

        if _mapping_applied(mapping):
            self.parsed.notes.append(
                f"{mapping.name}: the same file was applied by an earlier load; nothing to add."
            )
            return
        ImportFile.objects.create(
            batch_id=self.context.batch_id, name=mapping.name, checksum=mapping.checksum
        )
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "Mapping.csv"
            with mapping.open() as source, open(target, "wb") as copy:
                shutil.copyfileobj(source, copy)
            self.parsed.notes.extend(
                mapping_fill_gaps(target, self.problems.in_file(mapping.name), self.context)
            )
        self.practices = Practices(self.context)


def _checksums_by_month(members: list[Member]) -> dict[dt.date, set[str]]:
    """The checksums of the files of this delivery that hold each month: a big month comes
    split by region, so one month can have several files."""
    found: dict[dt.date, set[str]] = defaultdict(set)
    for member in members:
        header, missing = member.header()
        month = None if missing else member.first_month(header)
        if month is not None:
            found[month].add(member.checksum)
    return found


def _already_loaded(month: dt.date, checksums: set[str]) -> bool:
    """Is this month's data, for every practice that has it, from exactly these files?"""
    batches = set(GpadPracticeMonth.objects.filter(month=month).values_list("batch_id", flat=True))
    if not batches:
        return False
    files = ImportFile.objects.filter(batch_id__in=batches, month=month)
    return {f.checksum for f in files} == checksums


def _mapping_applied(mapping: Member) -> bool:
    return ImportFile.objects.filter(
        name=mapping.name,
        checksum=mapping.checksum,
        month__isnull=True,
        batch__status=BatchStatus.SUCCEEDED,
    ).exists()
