"""Benchmark: the ICB board dashboard with national data loaded.

    .venv/bin/python bench/dashboard.py [--practices 6300] [--months 27] [--requests 30]
                                        [--keep-db] [--reuse-db]

Works on whatever DATABASE_URL names (SQLite when unset), but never on that database itself:
on PostgreSQL it creates ``access_portal_dashboard_bench`` on the same server, on SQLite a
file under var/bench/; it migrates it and drops it at the end unless --keep-db.

1. The national register (regions, ICBs, places, PCNs, practices, as demo.gpad_national
   invents them for bench/gpad_ingest.py) is loaded through the real GPAD Mapping.csv
   importer, with a list size for every practice.
2. Every practice gets figures for every GPAD measure for every month (27 by default),
   generated directly rather than through the GPAD importer (bench/gpad_ingest.py times
   that); the recompute's own SQL turns them into practice values and rolls them up to
   PCNs, places, ICBs, regions and England, with their context, as a recompute leaves them.
3. A board member of the largest ICB signs in, and the dashboard is requested through
   Django's test client (the whole request: middleware, reads, SPC, charts, template) again
   and again; the same for one of its PCNs and one of its practices.

Prints the timings, the number of queries and PASS or MISS against the target (ICB dashboard
under 300 ms at the median). Exits 0 whether the target is met or not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_DIR = ROOT / "var" / "bench"
BENCH_DB = "access_portal_dashboard_bench"
TARGET_MS = 300
FIRST_MONTH = dt.date(2024, 8, 1)
SEED = 1


# --- the benchmark's own database ---------------------------------------------------------


def database_url() -> tuple[str, str | None]:
    """(URL for Django, URL of the PostgreSQL maintenance database or None for SQLite)."""
    given = os.environ.get("DATABASE_URL", "")
    scheme = urlsplit(given).scheme if given else "sqlite"
    if scheme in ("postgres", "postgresql", "pgsql"):
        parts = urlsplit(given)._replace(scheme="postgresql")
        return urlunsplit(parts._replace(path=f"/{BENCH_DB}")), urlunsplit(
            parts._replace(path="/postgres")
        )
    if scheme != "sqlite":
        sys.exit(f"DATABASE_URL uses {scheme}; the benchmark knows PostgreSQL and SQLite.")
    return f"sqlite:///{BENCH_DIR / f'{BENCH_DB}.sqlite3'}", None


def database_drop(server: str | None) -> None:
    if server is None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{BENCH_DIR / BENCH_DB}.sqlite3{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def database_create(server: str | None) -> None:
    database_drop(server)
    if server is not None:
        import psycopg

        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{BENCH_DB}"')


def django_setup(url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "access_portal.settings"
    os.environ["DATABASE_URL"] = url
    os.environ["ACCESS_PORTAL_VAR_DIR"] = str(BENCH_DIR / "dashboard-var")
    os.environ["DJANGO_MEDIA_ROOT"] = str(BENCH_DIR / "dashboard-var" / "media")
    os.environ.pop("CACHE_URL", None)
    import django

    django.setup()


# --- national data -------------------------------------------------------------------------


def register_load(practices: int) -> dict[str, int]:
    """The national register through the Mapping.csv importer; returns code -> list size."""
    from demo.gpad_national import national_mapping_write, national_practices
    from metrics.services import import_file

    path = BENCH_DIR / f"dashboard-mapping-{practices}.csv"
    national_mapping_write(path, practices=practices, seed=SEED)
    batch = import_file(source="gpad-mapping", path=path)
    print(f"  register: {batch.outcome}")
    register = national_practices(practices=practices, seed=SEED)
    return {p.crosstab.code: p.list_size for p in register}


def _profile(rng: random.Random) -> dict[str, float]:
    """One practice's usual shares (per cent) of each kind of appointment."""
    face, phone = rng.uniform(50, 75), rng.uniform(15, 40)
    return {
        "same_day_pct": rng.uniform(30, 55),
        "within_14_days_pct": rng.uniform(75, 92),
        "acc08_within_14_days_pct": rng.uniform(82, 96),
        "over_28_days_pct": rng.uniform(2, 9),
        "dna_pct": rng.uniform(2, 6),
        "face_to_face_pct": face,
        "telephone_pct": min(phone, 100 - face),
        "video_online_pct": rng.uniform(0, 3),
        "home_visit_pct": rng.uniform(0, 1.5),
        "gp_pct": rng.uniform(35, 60),
        "unmapped_pct": rng.uniform(0, 4) if rng.random() > 0.02 else rng.uniform(10, 40),
    }


def _practice_figures(rng, list_size, profile) -> dict[str, tuple[int, int | None]]:
    """One practice's month: each measure's (numerator, denominator)."""
    appointments = max(50, round(list_size * rng.gauss(0.40, 0.04)))
    figures: dict[str, tuple[int, int | None]] = {"appointments_total": (appointments, None)}
    for code, share in profile.items():
        numerator = max(0, min(appointments, round(appointments * rng.gauss(share, 1.5) / 100)))
        figures[code] = (numerator, appointments)
    return figures


def _month_load(month, practices, sizes, profiles, rng, sql) -> int:
    from django.db import connection

    from metrics.measures.context import Comparisons
    from metrics.measures.rollups import rollup_members_rebuild
    from metrics.models import BatchStatus, GpadPracticeMonth, ImportBatch, MeasureValue

    batch = ImportBatch.objects.create(
        source="gpad", file_name=f"Practice_Level_Crosstab_{month:%b_%y}.zip",
        status=BatchStatus.SUCCEEDED,
    )  # fmt: skip
    figures, recorded = {}, []
    for code, pk in practices.items():
        figures[pk] = _practice_figures(rng, sizes[code], profiles[pk])
        appointments = figures[pk]["appointments_total"][0]
        recorded.append(
            GpadPracticeMonth(practice_id=pk, month=month, appointments=appointments, batch=batch)
        )
    GpadPracticeMonth.objects.bulk_create(recorded, batch_size=2000)
    rollup_members_rebuild(month=month)
    with connection.cursor() as cursor:
        sql.given_sums_create(cursor, figures)
        sql.month_values(cursor, month, Comparisons.for_month(month), given=True)
    return MeasureValue.objects.filter(period=month, org__kind="practice").count()


def measures_load(sizes: dict[str, int], months: list[dt.date]) -> None:
    """Practice values generated month by month, rolled up by the real roll-up SQL."""
    from django.db import transaction

    from metrics.measures.rollups import england
    from metrics.measures.sql import MeasureSql
    from practices.models import ListSize, Organisation, OrgKind

    england()
    practices = dict(Organisation.objects.filter(kind=OrgKind.PRACTICE).values_list("code", "pk"))
    practices = {code: pk for code, pk in practices.items() if code in sizes}
    ListSize.objects.bulk_create(
        [ListSize(practice_id=pk, month=months[0], all_patients=sizes[code])
         for code, pk in practices.items()],
        batch_size=2000,
    )  # fmt: skip
    rng = random.Random(f"{SEED}:dashboard-bench")  # noqa: S311 - invented figures
    profiles = {pk: _profile(rng) for pk in practices.values()}
    sql = MeasureSql.build()
    for month in months:
        started = time.perf_counter()
        with transaction.atomic():
            count = _month_load(month, practices, sizes, profiles, rng, sql)
        print(f"  {month:%b %Y}: {count:,} practice values, {time.perf_counter() - started:.1f} s")
    _analyse()


def _analyse() -> None:
    """Planner statistics, as autovacuum would gather them soon after a real load."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- the measurement -----------------------------------------------------------------------


def largest_icb():
    from django.db.models import Count

    from metrics.models import RollupMember
    from practices.models import Organisation, OrgKind

    last = RollupMember.objects.order_by("-month").values_list("month", flat=True).first()
    counts = (
        RollupMember.objects.filter(month=last, org__kind=OrgKind.ICB)
        .values("org_id")
        .annotate(practices=Count("practice_id"))
        .order_by("-practices")
    )
    top = counts.first()
    return Organisation.objects.get(pk=top["org_id"]), top["practices"]


def board_member_for(icb):
    from core.models import Role, RoleAssignment
    from tests.factories import UserFactory

    user = UserFactory(username="bench.board")
    RoleAssignment.objects.get_or_create(user=user, role=Role.BOARD_MEMBER, organisation=icb)
    return user


def time_requests(client, url: str, count: int, *, cold: bool = False) -> dict:
    """Whole requests through the test client. ``cold`` empties the cache before each, as
    the first view after the figures change finds it."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):  # warm: templates compiled, plotly figure code imported
        assert client.get(url).status_code == 200
    timings = []
    for _ in range(count):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return {
        "median": statistics.median(timings),
        "p90": statistics.quantiles(timings, n=10)[-1],
        "min": min(timings),
        "max": max(timings),
        "queries": len(queries.captured_queries),
        "kib": len(response.content) / 1024,
    }


def _report(label: str, result: dict) -> None:
    print(
        f"  {label:<34} median {result['median']:6.0f} ms  p90 {result['p90']:6.0f} ms  "
        f"min {result['min']:5.0f}  max {result['max']:5.0f}  queries {result['queries']:3d}  "
        f"page {result['kib']:5.0f} KiB"
    )


def measure(requests: int) -> None:
    from django.test import Client

    from board.dashboard.selectors import dashboard_read
    from metrics.models import MeasureValue

    icb, practices = largest_icb()
    client = Client()
    client.force_login(board_member_for(icb))
    board = dashboard_read(icb)
    pcn = board.children["pcn"][0]
    practice = board.attention.lowest[0].rows[0].org
    print(f"\nMeasure values in the database: {MeasureValue.objects.count():,}")
    print(f"ICB read: {icb.name} ({icb.code}), {practices} practices, "
          f"{len(board.children['pcn'])} PCNs, {len(board.months)} months")  # fmt: skip
    print(f"Timings over {requests} requests each (after 2 warm-up requests; the first view")
    print("after a load, with the cache emptied before each, over a third as many):")
    icb_url = f"/dashboard/icb/{icb.code}/"
    icb_result = time_requests(client, icb_url, requests)
    _report("ICB dashboard", icb_result)
    cold = time_requests(client, icb_url, max(5, requests // 3), cold=True)
    _report("ICB dashboard, first after a load", cold)
    middle = board.months[len(board.months) // 2]
    rebased = f"/dashboard/icb/{icb.code}/?rebase={middle:%Y-%m}"
    _report("ICB dashboard, re-baselined", time_requests(client, rebased, requests))
    pcn_url = f"/dashboard/pcn/{pcn.code}/"
    _report(f"PCN dashboard ({pcn.code})", time_requests(client, pcn_url, requests))
    practice_url = f"/dashboard/practice/{practice.code}/"
    _report(f"Practice dashboard ({practice.code})", time_requests(client, practice_url, requests))
    met = icb_result["median"] < TARGET_MS
    print(f"\nICB dashboard median {icb_result['median']:.0f} ms (target < {TARGET_MS} ms): "
          f"{'PASS' if met else 'MISS'}")  # fmt: skip


def _machine() -> str:
    return f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    arguments = _arguments()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    url, server = database_url()
    print(f"Dashboard benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}. Machine: {_machine()}")
    print(f"Database: {'PostgreSQL' if server else 'SQLite'}, {BENCH_DB}")
    if not arguments.reuse_db:
        database_create(server)
    django_setup(url)
    try:
        if not arguments.reuse_db:
            _load(arguments)
        measure(arguments.requests)
    finally:
        from django.db import connections

        connections.close_all()
        if not arguments.keep_db:
            database_drop(server)


def _load(arguments: argparse.Namespace) -> None:
    from django.core.management import call_command

    from metrics.calendar import add_months

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"  migrated in {time.perf_counter() - started:.0f} s")
    sizes = register_load(arguments.practices)
    months = [add_months(FIRST_MONTH, i) for i in range(arguments.months)]
    started = time.perf_counter()
    measures_load(sizes, months)
    print(f"  national measures loaded in {time.perf_counter() - started:.0f} s")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--practices", type=int, default=6300, help="practices in England")
    parser.add_argument("--months", type=int, default=27)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--keep-db", action="store_true", help="keep the benchmark database")
    parser.add_argument("--reuse-db", action="store_true", help="measure a kept database again")
    return parser.parse_args()


if __name__ == "__main__":
    main()
