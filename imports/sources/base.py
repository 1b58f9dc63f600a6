"""What every data source provides, and the shapes that pass between the import steps.

An import runs read -> normalise -> validate over the whole file first (``Source.parse``),
collecting every problem with its row and column; only a clean file reaches
``Source.write``, which runs inside one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from core.access import ICB_OWNED, NATIONAL
from core.presenters import problem as problem_shown

MAX_PROBLEMS_KEPT = 500


class WrongKindOfFile(Exception):  # noqa: N818 - reads as a sentence where raised
    """The file is not what this source reads. The message says what was expected."""

    def as_dict(self) -> dict[str, Any]:
        """The refusal as a batch's one problem (a subclass may name a row)."""
        return {"row": None, "column": None, "message": str(self)}


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    message: str
    file: str | None = None  # the member of a zip the row is in

    def __str__(self) -> str:
        return problem_shown(self.as_dict())

    def as_dict(self) -> dict[str, Any]:
        found = {"row": self.row, "column": self.column, "message": self.message}
        return {**found, "file": self.file} if self.file else found


@dataclass
class ProblemLog:
    """Every problem is counted; the first few hundred are kept to show people."""

    kept: list[Problem] = field(default_factory=list)
    count: int = 0
    rows: set[int | tuple[str, int]] = field(default_factory=set)

    def add(
        self, row: int | None, column: str | None, message: str, *, file: str | None = None
    ) -> None:
        self.count += 1
        if row is not None:
            self.rows.add((file, row) if file else row)
        if len(self.kept) < MAX_PROBLEMS_KEPT:
            self.kept.append(Problem(row, storable(column), storable(message), file))

    def __bool__(self) -> bool:
        return self.count > 0

    @property
    def rows_rejected(self) -> int:
        return len(self.rows) or (1 if self.count else 0)

    def in_file(self, name: str) -> FileProblems:
        """The same log, naming ``name`` (a member of a zip) in every problem added."""
        return FileProblems(self, name)


@dataclass
class FileProblems:
    """A ``ProblemLog`` seen from one file of a zip: what is added names the file."""

    log: ProblemLog
    file: str

    def add(self, row: int | None, column: str | None, message: str) -> None:
        self.log.add(row, column, message, file=self.file)

    @property
    def count(self) -> int:
        return self.log.count

    def __bool__(self) -> bool:
        return bool(self.log)


def storable(text: str | None) -> str | None:
    """PostgreSQL text and JSON cannot hold NUL: a value quoted in a problem shows it as \\x00
    rather than stop the batch being saved."""
    return text.replace("\x00", "\\x00") if text else text


@dataclass
class Parsed:
    """A whole file read, normalised and validated, ready to write."""

    records: list[Any] = field(default_factory=list)
    rows_read: int = 0
    rows_skipped: int = 0
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def cover(self, month: dt.date) -> None:
        """Widen the period the file covers to include ``month``."""
        if self.period_start is None or month < self.period_start:
            self.period_start = month
        if self.period_end is None or month > self.period_end:
            self.period_end = month


@dataclass
class Written:
    """What a write changed, in records; ``rows`` is the file rows behind them when a row
    writes to several tables."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int | None = None

    @property
    def loaded(self) -> int:
        if self.rows is not None:
            return self.rows
        return self.created + self.updated + self.unchanged

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated)

    def __iadd__(self, other: Written) -> Written:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self


Progress = Callable[[int], None]


def no_progress(_: int) -> None:
    return None


@dataclass(frozen=True)
class WriteContext:
    batch_id: int
    as_of: dt.date


class Source:
    """A data source: registered once, with what it is and how to read it."""

    code: ClassVar[str]
    title: ClassVar[str]
    publisher: ClassVar[str]
    cadence: ClassVar[str]
    expects: ClassVar[str]
    file_patterns: ClassVar[tuple[str, ...]] = ()
    # What the source writes, which decides who may load it (core.access.Scope.may_load):
    # NATIONAL reference data, or records an ICB keeps (ICB_OWNED), whose rows must then
    # each be inside the loader's ICB (``organisations_written``).
    writes: ClassVar[str] = NATIONAL
    # A streaming source reads and writes in one pass inside the transaction (``load``),
    # for files too large to hold; the transaction is rolled back if any problem is found.
    streams: ClassVar[bool] = False

    def parse(self, path: Path, problems: ProblemLog, progress: Progress = no_progress) -> Parsed:
        """Read the whole file; raise WrongKindOfFile if it is not this source's."""
        raise NotImplementedError

    def write(self, parsed: Parsed, context: WriteContext) -> Written:
        """Write a clean file's records. Runs inside one transaction."""
        raise NotImplementedError

    def load(
        self, path: Path, problems: ProblemLog, context: WriteContext, progress: Progress
    ) -> tuple[Parsed, Written]:
        """Read, check and write in one pass (streaming sources only)."""
        raise NotImplementedError

    def organisations_written(self, parsed: Parsed) -> list[tuple[int, str, int]]:
        """For an ICB_OWNED source: (row, column, organisation id) for every record, so the
        engine can refuse rows outside the loader's ICB."""
        raise NotImplementedError(f"{self.code} writes {ICB_OWNED} records but names none.")

    # What a load that changed something means for measures: "none"; "from_period" (the
    # file's months onwards, as list sizes are used until the next one); "everything"
    # (the register: memberships decide every roll-up).
    recomputes: ClassVar[str] = "none"
    # Whose measures: the codes of the measure providers it changes (empty: every one).
    recomputes_measures_of: ClassVar[frozenset[str]] = frozenset()

    def months_to_recompute(self, parsed: Parsed) -> Recompute:
        """Which months' measures this load changes."""
        only = self.recomputes_measures_of
        if self.recomputes == "everything":
            return Recompute(everything=True, sources=only)
        if self.recomputes == "from_period" and parsed.period_start:
            return Recompute(from_month=parsed.period_start, sources=only)
        return Recompute()


@dataclass(frozen=True)
class Recompute:
    """Measures to recompute after a load: some months, from a month on, or every month."""

    months: frozenset[dt.date] = frozenset()
    from_month: dt.date | None = None
    everything: bool = False
    sources: frozenset[str] = frozenset()  # the measure providers to recompute; empty: all

    def __bool__(self) -> bool:
        return bool(self.months or self.from_month or self.everything)
