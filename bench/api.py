"""Benchmark: the REST API's measure values with a national month loaded.

    .venv/bin/python bench/api.py [--requests 50] [--practices 6300] [--fresh] [--drop]

Times GET /api/v1/measure-values/?measure=same_day_pct&org_type=practice&period=YYYY-MM,
one measure for every practice in England in one month, through the whole Django stack
(middleware, token authentication, scope, filters, serialisation) with the test client, as
a token whose user reads every ICB. Target: p95 under 200 ms for the JSON page.

Like bench/gpad_ingest.py it works on whatever DATABASE_URL names (SQLite when unset) but
never on that database itself: on PostgreSQL it uses ``access_portal_bench_api`` on the same
server, on SQLite a file under var/bench/. The database is kept between runs and reused
when the month is already loaded (``--fresh`` starts again; ``--drop`` removes it at the
end). The national month's zip is written under var/bench/ in the same place as the ingest
benchmark's, so either benchmark reuses the other's file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_DIR = ROOT / "var" / "bench"
BENCH_DB = "access_portal_bench_api"
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql")
DEFAULT_MONTH = dt.date(2025, 9, 1)
TARGET_P95_MS = 200.0
READER = "bench.national.reader"
ONE_ICB_READER = "bench.one.icb.reader"


# --- the benchmark database --------------------------------------------------------------


@dataclass(frozen=True)
class BenchDatabase:
    url: str
    postgres: bool
    server_url: str = ""
    sqlite_path: Path | None = None

    @classmethod
    def from_environment(cls) -> BenchDatabase:
        given = os.environ.get("DATABASE_URL", "")
        scheme = urlsplit(given).scheme if given else "sqlite"
        if scheme in POSTGRES_SCHEMES:
            parts = urlsplit(given)._replace(scheme="postgresql")
            return cls(
                url=urlunsplit(parts._replace(path=f"/{BENCH_DB}")),
                postgres=True,
                server_url=urlunsplit(parts._replace(path="/postgres")),
            )
        if scheme != "sqlite":
            sys.exit(f"DATABASE_URL uses {scheme}; the benchmark knows PostgreSQL and SQLite.")
        path = BENCH_DIR / f"{BENCH_DB}.sqlite3"
        return cls(url=f"sqlite:///{path}", postgres=False, sqlite_path=path)

    def exists(self) -> bool:
        if not self.postgres:
            return self.sqlite_path.exists()
        found = self._server("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB])
        return bool(found)

    def create(self) -> None:
        self.drop()
        if self.postgres:
            self._server(f'CREATE DATABASE "{BENCH_DB}"')

    def drop(self) -> None:
        if self.postgres:
            self._server(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
            return
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.sqlite_path}{suffix}").unlink(missing_ok=True)

    def _server(self, sql: str, params: list | None = None) -> list:
        import psycopg

        with psycopg.connect(self.server_url, autocommit=True) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def describe(self) -> str:
        from django.db import connection

        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                return f"PostgreSQL {cursor.fetchone()[0]}, database {BENCH_DB}"
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}, {self.sqlite_path.relative_to(ROOT)}"


def environment_point_at(database: BenchDatabase) -> None:
    """Production-like settings (DEBUG off, so no query log) on the benchmark database, with
    stored uploads and the file cache under var/bench/."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "access_portal.settings"
    os.environ["DATABASE_URL"] = database.url
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["ACCESS_PORTAL_VAR_DIR"] = str(BENCH_DIR / "var")
    os.environ["DJANGO_MEDIA_ROOT"] = str(BENCH_DIR / "var" / "media")
    os.environ.pop("CACHE_URL", None)


# --- the national month ------------------------------------------------------------------


def national_zip(*, practices: int, seed: int, month: dt.date) -> Path:
    """The month's published zip (crosstab and Mapping.csv), written once and reused."""
    folder = BENCH_DIR / f"gpad-national-{practices}p-seed{seed}-{month:%Y-%m}"
    zip_path = folder / f"Practice_Level_Crosstab_{month:%b_%y}.zip"
    info_path = folder / "info.json"
    if zip_path.exists() and info_path.exists():
        print(f"  reusing {zip_path.relative_to(ROOT)}")
        return zip_path
    from demo.gpad_national import national_mapping_write, national_month_write

    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / zip_path.with_suffix(".csv").name
    written = national_month_write(path=csv_path, month=month, practices=practices, seed=seed)
    mapping = national_mapping_write(folder / "Mapping.csv", practices=practices, seed=seed).path
    partial = zip_path.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(csv_path, arcname=csv_path.name)
        archive.write(mapping, arcname="Mapping.csv")
    partial.replace(zip_path)
    info = {"practices": practices, "seed": seed, "month": month.isoformat()}
    info_path.write_text(json.dumps({**info, "rows": written.rows, "bytes": written.bytes}))
    print(f"  wrote {zip_path.relative_to(ROOT)}: {written.rows:,} rows")
    return zip_path


def month_load(zip_path: Path, month: dt.date) -> None:
    """Load the month through the importer unless its values are already there."""
    from metrics.models import MeasureValue
    from metrics.services import import_file

    if MeasureValue.objects.filter(period=month, measure_id="same_day_pct").exists():
        print(f"  {month:%b %Y} already loaded: reusing it")
        return
    started = time.perf_counter()
    batch = import_file(source="gpad", path=zip_path)
    print(f"  loaded in {time.perf_counter() - started:.0f} s: {batch.status}, {batch.outcome}")
    if batch.status != "succeeded":
        sys.exit("The national month did not load.")


def readers() -> tuple[str, str]:
    """Tokens for a user who reads every ICB (an ICB manager of each) and for a manager of
    one ICB, each made afresh."""
    from django.contrib.auth.models import User

    from core.models import Role, RoleAssignment
    from core.services import api_token_replace
    from practices.models import Organisation, OrgKind

    icbs = list(Organisation.objects.of_kind(OrgKind.ICB).order_by("code"))
    national, _ = User.objects.get_or_create(username=READER)
    one, _ = User.objects.get_or_create(username=ONE_ICB_READER)
    for user, covers in ((national, icbs), (one, icbs[:1])):
        RoleAssignment.objects.filter(user=user).delete()
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=user, role=Role.ICB_MANAGER, organisation=icb) for icb in covers
        )
    return api_token_replace(user=national), api_token_replace(user=one)


# --- timing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    label: str
    status: int
    rows: int
    bytes: int
    times_ms: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def timed(label: str, token: str, url: str, count: int, **headers: str) -> Timing:
    """``count`` requests after two to warm up; the whole body is read each time."""
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {token}", **headers)
    times, response, body = [], None, b""
    for attempt in range(count + 2):
        started = time.perf_counter()
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if attempt >= 2:
            times.append((time.perf_counter() - started) * 1000)
    return Timing(label, response.status_code, _rows(response, body), len(body), times)


def _rows(response, body: bytes) -> int:
    if response.status_code != 200:
        return 0
    if response.streaming:
        return body.count(b"\n") - 1
    return len(json.loads(body)["results"])


def report(timings: list[Timing]) -> None:
    print(f"\n  {'request':<58} {'status':>6} {'rows':>6} {'KB':>6} {'median':>8} {'p95':>8}")
    for t in timings:
        print(
            f"  {t.label:<58} {t.status:>6} {t.rows:>6} {t.bytes / 1024:>6.0f} "
            f"{t.median:>6.1f}ms {t.p95:>6.1f}ms"
        )


def _machine() -> str:
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split("\n")[0].split()[1])
        memory = f", {kib / 1024 / 1024:.1f} GiB RAM"
    return f"{os.cpu_count()} CPUs{memory}, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    arguments = _arguments()
    database = BenchDatabase.from_environment()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    environment_point_at(database)
    if arguments.fresh or not database.exists():
        database.create()
    import django

    django.setup()
    from django.core.management import call_command

    print(f"REST API benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}")
    print(f"Machine: {_machine()}")
    print(f"Database: {database.describe()}")
    call_command("migrate", verbosity=0)
    try:
        _benchmark(arguments)
    finally:
        if arguments.drop:
            from django.db import connections

            connections.close_all()
            database.drop()


def _benchmark(arguments: argparse.Namespace) -> None:
    from metrics.models import MeasureValue

    month = arguments.month
    print(f"National month: {arguments.practices:,} practices, {month:%b %Y}")
    month_load(national_zip(practices=arguments.practices, seed=1, month=month), month)
    _analyse()
    national, one_icb = readers()
    values = MeasureValue.objects.filter(period=month).count()
    print(f"  {values:,} measure values in {month:%b %Y}; {arguments.requests} timed requests each")
    query = f"measure=same_day_pct&org_type=practice&period={month:%Y-%m}"
    url = f"/api/v1/measure-values/?{query}"
    count = arguments.requests
    everyone = "every ICB's reader"
    timings = [
        timed(f"JSON, first page (100 rows), {everyone}", national, url, count),
        timed(f"JSON, page_size=5000, {everyone}", national, f"{url}&page_size=5000", count),
        timed(f"CSV, every practice (streamed), {everyone}", national, f"{url}&format=csv", count),
        timed("JSON, first page, one ICB's manager", one_icb, url, count),
    ]
    unchanged = {"HTTP_IF_NONE_MATCH": _etag(national, url)}
    timings.append(timed(f"304, If-None-Match, {everyone}", national, url, count, **unchanged))
    report(timings)
    p95 = timings[0].p95
    verdict = "PASS" if p95 < TARGET_P95_MS else "MISS"
    print(f"\n  p95 of the JSON page: {p95:.1f} ms (target < {TARGET_P95_MS:.0f} ms): {verdict}")


def _analyse() -> None:
    """Fresh planner statistics, as autovacuum gathers soon after a load: without them
    PostgreSQL plans the first queries after a national load as if the tables were empty."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _etag(token: str, url: str) -> str:
    from django.test import Client

    return Client(HTTP_AUTHORIZATION=f"Token {token}").get(url)["ETag"]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50, help="timed requests per case")
    parser.add_argument("--practices", type=int, default=6300, help="practices in the month")
    parser.add_argument("--month", type=dt.date.fromisoformat, default=DEFAULT_MONTH)
    parser.add_argument("--fresh", action="store_true", help="start from an empty database")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    return parser.parse_args()


if __name__ == "__main__":
    main()
