"""Telling PostgreSQL how to plan a statement over the appointments table.

A month of appointments is a million rows copied in by the load's own transaction, so the
planner has no statistics for it: it takes the month for a few thousand rows, and the
table's BRIN index (migration 0011) for no better than reading every month there is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

# Read a month through its BRIN index, never by reading the whole table.
MONTH_BY_INDEX = {"enable_seqscan": "off"}
# Add a month up by practice in a hash table: believing the month a few thousand rows, the
# planner would sort its million rows by practice first (about a third slower).
HASHED = {"enable_sort": "off"}
# Share a month's GROUP BY between worker processes (about 0.65 s to 0.4 s for a national
# month on two cores): the planner would not start workers for the few thousand rows it
# believes the month has.
IN_PARALLEL = {
    "parallel_setup_cost": "0",
    "parallel_tuple_cost": "0",
    "min_parallel_table_scan_size": "0",
}
# Run statements as they are, without compiling them first. PostgreSQL compiles a statement
# with LLVM once its estimated cost passes 100,000, and inlines and optimises the code past
# 500,000; the estimate for a month read through the BRIN index grows with the table (the
# planner takes the index to return most of it), so with two years loaded a month's GROUP BY
# spent 0.3 to 0.9 s compiling itself before reading a row, longer than the reading.
NO_JIT = {"jit": "off"}


@contextmanager
def planned_with(settings: dict[str, str]) -> Iterator[None]:
    """PostgreSQL plans the statements inside with ``settings`` (in the transaction only),
    then goes back to what it had before, so an outer ``planned_with`` holds after an inner
    one. Elsewhere, nothing."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        before = {name: _setting_read(cursor, name) for name in settings}
        for name, value in settings.items():
            cursor.execute(f"SET LOCAL {name} = {value}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in before.items():
                cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def _setting_read(cursor, name: str) -> str:
    cursor.execute("SELECT current_setting(%s)", [name])
    return cursor.fetchone()[0]
