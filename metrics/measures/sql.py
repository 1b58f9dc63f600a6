"""The SQL that turns appointments into measure values, built from the definitions.

A definition's numerator and denominator are filters on the five GPAD dimensions
(``{"where": {"booking_band": ["same_day"]}}``), or registered patients. Each distinct
filter becomes one SUM(CASE ...) column of a single GROUP BY pass over the month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from metrics.models import (
    AppointmentCategory,
    AppointmentCount,
    GpadPracticeMonth,
    MeasureDefinition,
    MeasureValue,
    RollupMember,
)
from practices.models import Organisation, OrgKind

DIMENSION_FIELDS = {
    "status": "status_id",
    "hcp_type": "hcp_type_id",
    "mode": "mode_id",
    "national_category": "national_category_id",
    "booking_band": "booking_band_id",
}
PATIENTS = "patients"  # a column of the month's sums table


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@dataclass(frozen=True)
class MeasureSql:
    definitions: list[MeasureDefinition]
    sums: dict[str, str]  # SUM expression -> column name in the month's sums table
    numerators: dict[str, str]  # measure code -> column (or patients) for its numerator
    denominators: dict[str, str | None]

    @classmethod
    def build(cls) -> MeasureSql:
        ids = _category_ids()
        definitions = list(MeasureDefinition.objects.filter(source="gpad"))
        sums: dict[str, str] = {}
        numerators = {d.code: _column(d.numerator, ids, sums) for d in definitions}
        denominators = {d.code: _column(d.denominator, ids, sums) for d in definitions}
        return cls(definitions, sums, numerators, denominators)

    def practice_values(self, cursor, month: dt.date) -> None:
        """Every measure's practice values in two statements: one pass over the month's
        appointments into a table of sums (with each practice's patients, batch,
        completeness and ICB), then one INSERT of every measure from it."""
        cursor.execute("DROP TABLE IF EXISTS measure_sums")
        if connection.vendor == "postgresql":
            # Room to rank a national month's 80,000 values in memory: with the default
            # 4 MB each ranking sorted on disk.
            cursor.execute("SET LOCAL work_mem = '64MB'")
        columns = ", ".join(f"{expr} AS {name}" for expr, name in self.sums.items())
        names = ", ".join(f"a.{name}" for name in self.sums.values())
        cursor.execute(
            f"CREATE TEMPORARY TABLE measure_sums AS SELECT a.practice_id AS practice_id, "  # noqa: S608
            f"{names}, g.patients AS patients, g.batch_id AS batch_id, "
            f"g.incomplete AS incomplete, i.org_id AS icb_id "
            f"FROM (SELECT practice_id, {columns} FROM {_table(AppointmentCount)} "
            f"WHERE month = %s GROUP BY practice_id) a "
            f"JOIN {_table(GpadPracticeMonth)} g ON g.practice_id = a.practice_id "
            f"AND g.month = %s LEFT JOIN {_table(RollupMember)} i ON i.practice_id = a.practice_id "
            f"AND i.month = %s AND i.org_id IN (SELECT o.id FROM {_table(Organisation)} o "
            f"WHERE o.kind = %s)",
            [month, month, month, OrgKind.ICB],
        )
        self._practice_insert(cursor, month)
        cursor.execute("DROP TABLE measure_sums")

    def _practice_insert(self, cursor, month: dt.date) -> None:
        """Each measure's practice values, with their percentile ranks (0-100, highest value
        100) among practices in England that recorded completely and among the practices of
        the same ICB, ranked as they are inserted: ranking afterwards meant rewriting every
        practice value of the month twice. The rankings are partitioned by a number for each
        measure rather than its code, which PostgreSQL sorted by the locale's rules."""
        selects, params = [], []
        for number, definition in enumerate(self.definitions):
            numerator = f"s.{self.numerators[definition.code]}"
            denominator = self.denominators[definition.code]
            denominator = None if denominator is None else f"s.{denominator}"
            value = _value(numerator, denominator, definition.multiplier)
            selects.append(
                f"SELECT %s AS measure_id, {number} AS measure_no, "  # noqa: S608
                f"s.practice_id AS practice_id, "
                f"{numerator} AS numerator, {denominator or 'CAST(NULL AS BIGINT)'} "
                f"AS denominator, CAST({value} AS DOUBLE PRECISION) AS value, "
                f"s.batch_id AS batch_id, s.incomplete AS incomplete, s.icb_id AS icb_id "
                f"FROM measure_sums s WHERE {denominator or '1'} IS NOT NULL"
            )
            params.append(definition.code)
        if not selects:
            return
        england = "v.value IS NOT NULL AND NOT v.incomplete"
        icb = "v.value IS NOT NULL AND v.icb_id IS NOT NULL"
        cursor.execute(
            f"INSERT INTO {_table(MeasureValue)} (measure_id, org_id, period, numerator, "  # noqa: S608
            f"denominator, value, batch_id, percentile_england, percentile_icb) "
            f"SELECT v.measure_id, v.practice_id, %s, v.numerator, v.denominator, v.value, "
            f"v.batch_id, "
            f"CASE WHEN {england} THEN PERCENT_RANK() OVER (PARTITION BY v.measure_no, "
            f"{england} ORDER BY v.value) * 100 END, "
            f"CASE WHEN {icb} THEN PERCENT_RANK() OVER (PARTITION BY v.measure_no, v.icb_id, "
            f"v.value IS NOT NULL ORDER BY v.value) * 100 END "
            f"FROM ({' UNION ALL '.join(selects)}) v",
            [month, *params],
        )

    def rollup_values(self, cursor, month: dt.date) -> None:
        """Every other level: sums of its member practices' numerators and denominators."""
        total_den = "SUM(mv.denominator)"
        value = (
            f"CASE WHEN MAX(mv.denominator) IS NULL THEN SUM(mv.numerator) * 1.0 "
            f"WHEN {total_den} > 0 THEN SUM(mv.numerator) * 1.0 * d.multiplier / {total_den} END"
        )
        cursor.execute(
            f"INSERT INTO {_table(MeasureValue)} (measure_id, org_id, period, numerator, "  # noqa: S608
            f"denominator, value, batch_id) SELECT mv.measure_id, rm.org_id, mv.period, "
            f"SUM(mv.numerator), {total_den}, {value}, MAX(mv.batch_id) "
            f"FROM {_table(MeasureValue)} mv JOIN {_table(RollupMember)} rm "
            f"ON rm.practice_id = mv.org_id AND rm.month = mv.period "
            f"JOIN {_table(MeasureDefinition)} d ON d.code = mv.measure_id "
            f"WHERE mv.period = %s GROUP BY mv.measure_id, rm.org_id, mv.period, d.multiplier",
            [month],
        )

    def per_working_day(self, cursor, month: dt.date, days: int | None) -> None:
        counts = [d.code for d in self.definitions if d.denominator is None]
        if not days or not counts:
            return
        marks = ", ".join(["%s"] * len(counts))
        cursor.execute(
            f"UPDATE {_table(MeasureValue)} SET per_working_day = numerator * 1.0 / %s "  # noqa: S608
            f"WHERE period = %s AND measure_id IN ({marks})",
            [days, month, *counts],
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
