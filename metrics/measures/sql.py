"""The SQL that turns a month's figures into measure values, built from the definitions.

Every source's measures go the same way: a table of the month's sums for each organisation
the source's figures are for (``measure_sums``: practices for GPAD, PCNs for ARRS), the
values of those organisations with their ranks, and every level above them as sums over
its members (a ratio of sums, never an average of percentages).

How ``measure_sums`` is filled is the source's: for GPAD a definition's numerator and
denominator are filters on the five GPAD dimensions (``{"where": {"booking_band":
["same_day"]}}``), each distinct filter one SUM(CASE ...) column of a single GROUP BY pass
over the month's appointments; for other sources a numerator or denominator names a figure
the source's provider gives for each organisation (``{"figure": "wte_in_post"}``), inserted
as rows (``rows_sums_create``). Registered patients is a denominator any source may use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from metrics.measures.context import Comparisons
from metrics.models import (
    AppointmentCategory,
    AppointmentCount,
    GpadPracticeMonth,
    MeasureDefinition,
    MeasureValue,
    RollupMember,
)
from metrics.planner import HASHED, IN_PARALLEL, MONTH_BY_INDEX, NO_JIT, planned_with
from practices.models import Organisation, OrgKind

DIMENSION_FIELDS = {
    "status": "status_id",
    "hcp_type": "hcp_type_id",
    "mode": "mode_id",
    "national_category": "national_category_id",
    "booking_band": "booking_band_id",
}
PATIENTS = "patients"  # a column of the month's sums table
# The list-size month of a value whose denominator is not registered patients. Cast, not a
# bare NULL, so PostgreSQL types the column of the union a date even where no value has one.
NO_MONTH = "CAST(NULL AS DATE)"
GIVEN_SUMS = "given_measure_sums"
FIGURE = "figure:"  # a sum the source's provider gives, by name (not an SQL expression)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@dataclass(frozen=True)
class Members:
    """Who counts towards whom: a table or subquery of (org_id, practice_id), where
    ``practice_id`` is an organisation in ``measure_sums`` (a practice, or a PCN for a
    source whose figures are PCNs') and ``org_id`` each organisation it counts towards."""

    table: str
    params: tuple = ()


def practice_members(month: dt.date) -> Members:
    """The month's roll-up membership of practices (``rollup_members_rebuild``)."""
    return Members(
        f"(SELECT org_id, practice_id FROM {_table(RollupMember)} WHERE month = %s)",  # noqa: S608
        (month,),
    )


@dataclass(frozen=True)
class OrgFigures:
    """A provider's figures for one organisation in one month: each figure a definition
    names, and the registered patients where a definition divides by them."""

    org_id: int
    figures: dict[str, int]
    patients: int | None = None
    patients_month: dt.date | None = None
    batch_id: int | None = None


@dataclass(frozen=True)
class MeasureSql:
    definitions: list[MeasureDefinition]
    sums: dict[str, str]  # SUM expression -> column name in the month's sums table
    numerators: dict[str, str]  # measure code -> column (or patients) for its numerator
    denominators: dict[str, str | None]

    @classmethod
    def build(cls, source: str = "gpad") -> MeasureSql:
        ids = _category_ids() if source == "gpad" else {}
        definitions = list(MeasureDefinition.objects.filter(source=source))
        sums: dict[str, str] = {}
        numerators = {d.code: _column(d.numerator, ids, sums) for d in definitions}
        denominators = {d.code: _column(d.denominator, ids, sums) for d in definitions}
        return cls(definitions, sums, numerators, denominators)

    @property
    def _codes(self) -> list[str]:
        """One parameter per select of ``_insert``: each measure's code, in order."""
        return [definition.code for definition in self.definitions]

    @property
    def codes(self) -> list[str]:
        return self._codes

    def month_values(
        self, cursor, month: dt.date, comparisons: Comparisons, *, given: bool = False
    ) -> None:
        """Every GPAD measure's value for every organisation in the month, in four
        statements: a table of each practice's sums, the practice values from it, the same
        sums added up over each organisation's members, and every other level's values from
        those. ``given``: the practices' sums come from ``given_sums_create`` rather than
        from the appointments (figures invented for fixtures and benchmarks)."""
        self.sums_build(cursor, month, given=given)
        self.values_from_sums(cursor, month, comparisons, practice_members(month))

    def values_from_sums(
        self, cursor, month: dt.date, comparisons: Comparisons, members: Members
    ) -> None:
        """The values of the organisations in ``measure_sums`` and of every organisation
        their ``members`` count towards; drops ``measure_sums``."""
        self.practice_values(cursor, month, comparisons)
        self.rollup_values(cursor, month, comparisons, members)
        cursor.execute("DROP TABLE measure_sums")

    def sums_build(self, cursor, month: dt.date, *, given: bool = False) -> None:
        """One pass over the month's appointments into ``measure_sums``: a row per practice
        with a column per distinct numerator or denominator, and the practice's patients,
        batch, completeness and ICB."""
        cursor.execute("DROP TABLE IF EXISTS measure_sums")
        if connection.vendor == "postgresql":
            # Room to rank a national month's 80,000 values in memory: with the default
            # 4 MB each ranking sorted on disk.
            cursor.execute("SET LOCAL work_mem = '64MB'")
        columns = ", ".join(f"{expr} AS {name}" for expr, name in self.sums.items())
        if given:
            counted, params = GIVEN_SUMS, []
        else:
            counted = (
                f"(SELECT practice_id, {columns} FROM {_table(AppointmentCount)} "  # noqa: S608
                f"WHERE month = %s GROUP BY practice_id)"
            )
            params = [month]
        # JIT off here too, not only in the recompute: with sequential scans off, a table read
        # without an index (the given sums) is costed in the billions, and the statement
        # spent most of a second compiling itself to add up a few practices.
        with planned_with(MONTH_BY_INDEX | HASHED | IN_PARALLEL | NO_JIT):
            self._sums_create(cursor, month, counted, params)

    def _sums_create(self, cursor, month: dt.date, counted: str, params: list) -> None:
        names = ", ".join(f"a.{name}" for name in self.sums.values())
        cursor.execute(
            f"CREATE TEMPORARY TABLE measure_sums AS SELECT a.practice_id AS practice_id, "  # noqa: S608
            f"{names}, g.patients AS patients, g.patients_month AS patients_month, "
            f"g.batch_id AS batch_id, "
            f"g.incomplete AS incomplete, i.org_id AS icb_id FROM {counted} a "
            f"JOIN {_table(GpadPracticeMonth)} g ON g.practice_id = a.practice_id "
            f"AND g.month = %s LEFT JOIN {_table(RollupMember)} i ON i.practice_id = a.practice_id "
            f"AND i.month = %s AND i.org_id IN (SELECT o.id FROM {_table(Organisation)} o "
            f"WHERE o.kind = %s)",
            [*params, month, month, OrgKind.ICB],
        )

    def given_sums_create(self, cursor, practices: dict[int, dict[str, tuple]]) -> None:
        """Practices' sums given as each measure's (numerator, denominator) rather than
        counted from appointments: practice id -> code -> pair. A sum no measure given
        names is 0; two measures giving one sum different figures is an error. Registered
        patients come from the list sizes, as for loaded months."""
        names = list(self.sums.values())
        rows = []
        for practice_id, figures in practices.items():
            row = dict.fromkeys(names, 0)
            chosen: dict[str, int] = {}
            for code, pair in figures.items():
                columns = (self.numerators[code], self.denominators[code])
                for column, figure in zip(columns, pair, strict=True):
                    if column in (None, PATIENTS):
                        continue
                    if chosen.setdefault(column, figure) != figure:
                        raise ValueError(f"{code} gives {column} as {figure}, not {chosen[column]}")
                    row[column] = figure
            rows.append((practice_id, *(row[name] for name in names)))
        cursor.execute(f"DROP TABLE IF EXISTS {GIVEN_SUMS}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {GIVEN_SUMS} (practice_id BIGINT, "
            + ", ".join(f"{name} BIGINT" for name in names)
            + ")"
        )
        marks = ", ".join(["%s"] * (len(names) + 1))
        cursor.executemany(f"INSERT INTO {GIVEN_SUMS} VALUES ({marks})", rows)  # noqa: S608

    def rows_sums_create(self, cursor, rows: list[OrgFigures], members: Members) -> None:
        """``measure_sums`` from a provider's rows rather than from appointments: one row
        per organisation, a column per distinct figure, and its ICB from ``members``. A
        figure a row does not give is NULL (not known), never 0."""
        names = list(self.sums.values())
        figure_of = {name: key.removeprefix(FIGURE) for key, name in self.sums.items()}
        cursor.execute("DROP TABLE IF EXISTS provided_sums")
        cursor.execute(
            "CREATE TEMPORARY TABLE provided_sums (practice_id BIGINT, "
            + "".join(f"{name} BIGINT, " for name in names)
            + "patients BIGINT, patients_month DATE, batch_id BIGINT)"
        )
        marks = ", ".join(["%s"] * (len(names) + 4))
        cursor.executemany(
            f"INSERT INTO provided_sums VALUES ({marks})",  # noqa: S608
            [
                (
                    row.org_id,
                    *(row.figures.get(figure_of[name]) for name in names),
                    row.patients,
                    row.patients_month,
                    row.batch_id,
                )
                for row in rows
            ],
        )
        cursor.execute("DROP TABLE IF EXISTS measure_sums")
        cursor.execute(
            "CREATE TEMPORARY TABLE measure_sums AS SELECT p.*, "  # noqa: S608
            f"FALSE AS incomplete, (SELECT MIN(m.org_id) FROM {members.table} m JOIN "
            f"{_table(Organisation)} o ON o.id = m.org_id AND o.kind = %s "
            f"WHERE m.practice_id = p.practice_id) AS icb_id FROM provided_sums p",
            [*members.params, OrgKind.ICB],
        )
        cursor.execute("DROP TABLE provided_sums")

    def practice_values(self, cursor, month: dt.date, comparisons: Comparisons) -> None:
        """Each measure's practice values, with their context and their percentile ranks
        (0-100, highest value 100) among practices in England that recorded completely
        and among the practices of the same ICB, ranked as they are inserted: ranking
        afterwards meant rewriting every practice value of the month twice. The rankings
        are partitioned by a number for each measure rather than its code, which
        PostgreSQL sorted by the locale's rules."""
        selects = []
        for number, definition in enumerate(self.definitions):
            numerator = f"s.{self.numerators[definition.code]}"
            denominator = self.denominators[definition.code]
            listed = "s.patients_month" if denominator == PATIENTS else NO_MONTH
            denominator = None if denominator is None else f"s.{denominator}"
            selects.append(
                self._select(definition, number, numerator, denominator, comparisons, listed)
                + ", s.incomplete AS incomplete, s.icb_id AS icb_id FROM measure_sums s "
                f"WHERE {denominator or '1'} IS NOT NULL AND {numerator} IS NOT NULL"
            )
        england = "v.value IS NOT NULL AND NOT v.incomplete"
        icb = "v.value IS NOT NULL AND v.icb_id IS NOT NULL"
        ranks = (
            f"CASE WHEN {england} THEN PERCENT_RANK() OVER (PARTITION BY v.measure_no, "
            f"{england} ORDER BY v.value) * 100 END, "
            f"CASE WHEN {icb} THEN PERCENT_RANK() OVER (PARTITION BY v.measure_no, v.icb_id, "
            f"v.value IS NOT NULL ORDER BY v.value) * 100 END"
        )
        self._insert(cursor, month, comparisons, selects, ranks)

    def rollup_values(
        self, cursor, month: dt.date, comparisons: Comparisons, members: Members | None = None
    ) -> None:
        """Every other level: its member practices' sums added up (so each value is a ratio
        of sums, never an average of practice percentages), from the month's table of
        practice sums. A practice counts towards a measure where it has a value for it
        (a practice with no list size has none per 1,000 patients)."""
        totals: dict[str, str] = {}  # aggregate -> column of rollup_sums

        def total(aggregate: str) -> str:
            return "r." + totals.setdefault(aggregate, f"t{len(totals)}")

        selects = []
        for number, definition in enumerate(self.definitions):
            numerator = self.numerators[definition.code]
            denominator = self.denominators[definition.code]
            # A registered patients denominator is as old as the oldest list size in it.
            listed = total("MIN(s.patients_month)") if denominator == PATIENTS else NO_MONTH
            if denominator is None:
                counted, present = f"s.{numerator}", total("COUNT(*)")
                den, batch = None, total("MAX(s.batch_id)")
            else:
                has = f"s.{denominator} IS NOT NULL"
                counted, present = (
                    f"CASE WHEN {has} THEN s.{numerator} END",
                    total(f"COUNT(s.{denominator})"),
                )
                den = total(f"SUM(s.{denominator})")
                batch = total(f"MAX(CASE WHEN {has} THEN s.batch_id END)")
            num = total(f"SUM({counted})")
            selects.append(
                self._select(
                    definition, number, num, den, comparisons, listed, org="r.org_id", batch=batch
                )
                + f" FROM rollup_sums r WHERE {present} > 0"
            )
        cursor.execute("DROP TABLE IF EXISTS rollup_sums")
        aggregates = ", ".join(f"{a} AS {name}" for a, name in totals.items())
        members = members or practice_members(month)
        cursor.execute(
            f"CREATE TEMPORARY TABLE rollup_sums AS SELECT m.org_id AS org_id, {aggregates} "  # noqa: S608
            f"FROM measure_sums s JOIN {members.table} m ON m.practice_id = s.practice_id "
            f"GROUP BY m.org_id",
            members.params,
        )
        self._insert(cursor, month, comparisons, selects, None)
        cursor.execute("DROP TABLE rollup_sums")

    def _select(
        self,
        definition: MeasureDefinition,
        number: int,
        numerator: str,
        denominator: str | None,
        comparisons: Comparisons,
        listed: str,
        *,
        org: str = "s.practice_id",
        batch: str = "s.batch_id",
    ) -> str:
        """One measure's rows for ``_insert``, up to its FROM (its code the one parameter)."""
        value = _value(numerator, denominator, definition.multiplier)
        days = comparisons.working_days
        per_day = f"{numerator} * 1.0 / {int(days)}" if days and denominator is None else "NULL"
        return (
            f"SELECT CAST(%s AS VARCHAR(64)) AS measure_id, {number} AS measure_no, "
            f"{org} AS org_id, CAST({numerator} AS BIGINT) AS numerator, "
            f"CAST({denominator or 'NULL'} AS BIGINT) AS denominator, "
            f"{listed} AS denominator_month, "
            f"CAST({value} AS DOUBLE PRECISION) AS value, "
            f"CAST({per_day} AS DOUBLE PRECISION) AS per_working_day, {batch} AS batch_id"
        )

    def _insert(
        self, cursor, month: dt.date, comparisons: Comparisons, selects: list[str], ranks
    ) -> None:
        """Insert the rows the selects give, each beside its change on the same month last
        year and on the baseline month, found as it is inserted: updating them afterwards
        rewrote every value of the month again. The rows go in in the order of the table's
        unique index (month, measure, organisation), which then only grows at its end:
        inserting them as the rankings left them cost a fifth more."""
        if not selects:
            return
        mv = _table(MeasureValue)
        ranked = ", percentile_england, percentile_icb" if ranks else ""

        def earlier(alias: str) -> str:
            return (
                f"LEFT JOIN {mv} {alias} ON {alias}.period = %s AND "
                f"{alias}.measure_id = v.measure_id AND {alias}.org_id = v.org_id "
            )

        cursor.execute(
            f"INSERT INTO {mv} (measure_id, org_id, period, numerator, denominator, "  # noqa: S608
            f"denominator_month, value, per_working_day, batch_id, change_year, "
            f"change_baseline{ranked}) "
            f"SELECT v.measure_id, v.org_id, %s, v.numerator, v.denominator, "
            f"v.denominator_month, v.value, "
            f"v.per_working_day, v.batch_id, v.value - y.value, v.value - b.value"
            f"{', ' + ranks if ranks else ''} FROM ({' UNION ALL '.join(selects)}) v "
            + earlier("y")
            + earlier("b")
            + "ORDER BY v.measure_id, v.org_id",
            [month, *self._codes, comparisons.year_ago, comparisons.baseline],
        )


def _category_ids() -> dict[str, dict[str, int]]:
    ids: dict[str, dict[str, int]] = {}
    for dimension, key, pk in AppointmentCategory.objects.values_list("dimension", "key", "pk"):
        ids.setdefault(dimension, {})[key] = pk
    return ids


def _column(spec: dict | None, ids: dict[str, dict[str, int]], sums: dict[str, str]) -> str | None:
    """The sums-table column for a numerator or denominator (adding it if new)."""
    if spec is None:
        return None
    if spec.get("registered_patients"):
        return PATIENTS
    if "figure" in spec:
        return sums.setdefault(FIGURE + spec["figure"], f"s{len(sums)}")
    expression = _sum(spec.get("where", {}), ids)
    return sums.setdefault(expression, f"s{len(sums)}")


def _sum(where: dict[str, list[str]], ids: dict[str, dict[str, int]]) -> str:
    conditions = []
    for dimension, keys in sorted(where.items()):
        chosen = sorted(ids[dimension][key] for key in keys)
        conditions.append(f"{DIMENSION_FIELDS[dimension]} IN ({', '.join(map(str, chosen))})")
    if not conditions:
        return "SUM(count)"
    return f"SUM(CASE WHEN {' AND '.join(conditions)} THEN count ELSE 0 END)"


def _value(numerator: str, denominator: str | None, multiplier: int) -> str:
    if denominator is None:
        return f"{numerator} * 1.0"
    return f"CASE WHEN {denominator} > 0 THEN {numerator} * 1.0 * {multiplier} / {denominator} END"
