"""Benchmark: loading a national-size GPAD month, as the upload page and the worker load it.

    .venv/bin/python bench/gpad_ingest.py [--practices N] [--routine N] [--history N]
                                          [--keep-db] [--profile]

Works on whatever DATABASE_URL names (SQLite when unset), but never on that database itself:
on PostgreSQL it creates ``access_portal_bench`` on the same server, on SQLite a file under
var/bench/, migrates it, and drops it at the end unless --keep-db.

1. Writes a national month in the published shape (a zip holding the month's practice-level
   crosstab and Mapping.csv) under var/bench/, or reuses the one already there.
2. Loads it in a separate process, so that process's peak memory (RSS) can be read when it
   exits: ``import_file(source="gpad")``, which reads, writes, replaces and recomputes the
   measures in one transaction. Inside that process each step is timed by wrapping it.
   The same process then runs the measure recompute again on its own, and times that too.
3. Loads the same zip again in a fresh process: it should be skipped as unchanged.
4. Loads the next months the same way (three unless --routine says otherwise), now that the
   register exists and every practice has a list size: routine monthly loads, with
   England's roll-up and ranks computed. With --history N, N months are loaded first and
   not timed, so the routine months meet that much history (--history 22: 27 months).
5. On PostgreSQL, times a plain COPY of each raw CSV into an unindexed table of 14 text
   columns, the floor any loader has to beat, just before its load (so both meet the
   machine in the same state), and compares. It also reports the write-ahead log each
   wrote: that does not drift with other work on the machine.

Prints the figures and PASS or MISS against the targets (ingest plus recompute within 3x the
plain COPY on PostgreSQL, as the median of the routine loads; peak RSS under 1 GiB). Exits 0
whether the targets are met or not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_DIR = ROOT / "var" / "bench"
BENCH_DB = "access_portal_bench"
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql")
DEFAULT_MONTH = dt.date(2025, 9, 1)
TARGET_RATIO = 3.0
TARGET_RSS_MIB = 1024
COPY_BLOCK = 1024 * 1024


# --- the benchmark database --------------------------------------------------------------


@dataclass(frozen=True)
class BenchDatabase:
    """Where the benchmark's own database lives, and how to make and remove it."""

    url: str  # what Django is given
    postgres: bool
    sqlite_path: Path | None = None
    server_url: str = ""  # PostgreSQL: the maintenance database, for CREATE/DROP DATABASE

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

    @property
    def psycopg_url(self) -> str:
        return urlsplit(self.url)._replace(query="").geturl()

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

    def _server(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.server_url, autocommit=True) as connection:
            connection.execute(sql)

    def checkpoint(self) -> None:
        """Flush PostgreSQL's dirty pages before a timed step, so one step's writes are not
        paid for by the next one."""
        if not self.postgres:
            return
        import psycopg

        try:
            with psycopg.connect(self.psycopg_url, autocommit=True) as connection:
                connection.execute("CHECKPOINT")
        except psycopg.Error as error:
            print(f"  (no CHECKPOINT before the next step: {error})")

    def describe(self) -> str:
        if self.postgres:
            import psycopg

            with psycopg.connect(self.psycopg_url) as connection:
                version = connection.execute("SHOW server_version").fetchone()[0]
            return f"PostgreSQL {version}, database {BENCH_DB}"
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}, {self.sqlite_path.relative_to(ROOT)}"


def environment_point_at(database: BenchDatabase) -> None:
    """Settings for this process and the ones it starts: the benchmark database, and the
    stored copies of uploads and the file cache under var/bench/, away from the
    developer's own."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "access_portal.settings"
    os.environ["DATABASE_URL"] = database.url
    os.environ["ACCESS_PORTAL_VAR_DIR"] = str(BENCH_DIR / "var")
    os.environ["DJANGO_MEDIA_ROOT"] = str(BENCH_DIR / "var" / "media")
    os.environ.pop("CACHE_URL", None)


def django_setup() -> None:
    import django

    django.setup()


# --- the national month ------------------------------------------------------------------


@dataclass(frozen=True)
class NationalZip:
    zip_path: Path
    csv_path: Path  # the same crosstab, uncompressed, for the plain COPY
    month: dt.date
    rows: int
    csv_bytes: int
    practices: int
    reused: bool


def national_zip(*, practices: int, seed: int, month: dt.date) -> NationalZip:
    """The month's zip as NHS England publishes it, written once per set of parameters."""
    folder = BENCH_DIR / f"gpad-national-{practices}p-seed{seed}-{month:%Y-%m}"
    stem = f"Practice_Level_Crosstab_{month:%b_%y}"
    zip_path, csv_path = folder / f"{stem}.zip", folder / f"{stem}.csv"
    info_path = folder / "info.json"
    # "layout" changes when the generator writes files differently, so old ones are rewritten.
    wanted = {
        "practices": practices, "seed": seed, "month": month.isoformat(), "layout": "crlf-2025",
    }  # fmt: skip
    if info_path.exists() and zip_path.exists() and csv_path.exists():
        info = json.loads(info_path.read_text())
        if {key: info.get(key) for key in wanted} == wanted:
            return NationalZip(
                zip_path, csv_path, month, info["rows"], info["bytes"], info["practices"], True
            )
    return _national_zip_write(folder, zip_path, csv_path, info_path, wanted, month, seed)


def _national_zip_write(
    folder: Path,
    zip_path: Path,
    csv_path: Path,
    info_path: Path,
    wanted: dict,
    month: dt.date,
    seed: int,
) -> NationalZip:
    from demo.gpad_national import national_mapping_write, national_month_write

    info_path.unlink(missing_ok=True)
    started = time.perf_counter()
    written = national_month_write(
        path=csv_path, month=month, practices=wanted["practices"], seed=seed
    )
    mapping_path = national_mapping_write(
        folder / "Mapping.csv", practices=wanted["practices"], seed=seed
    ).path
    partial = zip_path.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(csv_path, arcname=csv_path.name)
        archive.write(mapping_path, arcname="Mapping.csv")
    partial.replace(zip_path)
    info = {**wanted, "rows": written.rows, "bytes": written.bytes}
    info_path.write_text(json.dumps(info, indent=2) + "\n")
    print(f"  written in {time.perf_counter() - started:.0f} s")
    return NationalZip(
        zip_path, csv_path, month, written.rows, written.bytes, written.practices, False
    )


# --- the load, in its own process --------------------------------------------------------


class StepTimes:
    """Wall time spent in each wrapped function, summed over its calls."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def wrap(self, owner: object, name: str, label: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - started
                self.calls[label] += 1

        setattr(owner, name, timed)

    def wrap_generator(self, owner: object, name: str, label: str) -> None:
        """Time only what the generator itself does between the items it yields."""
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            items = original(*args, **kwargs)
            self.calls[label] += 1
            while True:
                started = time.perf_counter()
                try:
                    item = next(items)
                except StopIteration:
                    return
                finally:
                    self.seconds[label] += time.perf_counter() - started
                yield item

        setattr(owner, name, timed)


# The steps timed inside the load, in the order they run. Nested steps are indented in
# the report; a step's own time includes those beneath it.
LOAD_STEPS = (
    ("copy the upload to storage and checksum it", "services", "import_batch_create_from_path"),
    ("whole import (import_batch_run)", "services", "import_batch_run"),
    ("  load in one transaction (_stream)", "services", "_stream"),
    ("    Mapping.csv: fill register gaps", "load_class", "_fill_register_gaps"),
    ("    already loaded? (checksum lookup)", "gpad", "_already_loaded"),
    ("    read + normalise (fast pyarrow path)", "gpad_gen", "fast_chunks"),
    ("    read + normalise (careful path)", "careful_gen", "chunks"),
    ("    write rows (FactsWriter.write: COPY / INSERT)", "facts", "write"),
    ("    wait for the COPY to finish (FactsWriter exit)", "facts", "__exit__"),
    ("    tally per practice-month", "tally", "add"),
    ("    summarise the appended pages (BRIN)", "gpad", "appended_pages_summarise"),
    ("    months_replace (delete older rows)", "gpad", "months_replace"),
    ("    practice_months_record", "gpad", "practice_months_record"),
    ("    reported_memberships_rebuild", "gpad", "reported_memberships_rebuild"),
    ("    measure recompute (measures_recompute)", "compute", "measures_recompute"),
    ("      rollup_members_rebuild", "compute", "rollup_members_rebuild"),
    ("      sums_build (one GROUP BY over the month)", "sql", "sums_build"),
    ("      practice_values (insert with ranks, changes)", "sql", "practice_values"),
    ("      rollup_values (sums over members, insert)", "sql", "rollup_values"),
    ("      planner statistics (ANALYZE, a new month)", "compute", "_statistics_refresh"),
    ("      deciles_record", "compute", "deciles_record"),
    ("      baseline_changes_update", "compute", "baseline_changes_update"),
    ("    COMMIT (deferred foreign-key checks run here)", "connection", "commit"),
)


def _instrument(times: StepTimes) -> None:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from metrics import services
    from metrics.measures import compute
    from metrics.measures.sql import MeasureSql
    from metrics.sources import gpad
    from metrics.sources.gpad.careful import CarefulReader
    from metrics.sources.gpad.chunks import Tally
    from metrics.sources.gpad.store import FactsWriter

    owners = {
        "services": services,
        "gpad": gpad,
        "gpad_gen": gpad,
        "careful_gen": CarefulReader,
        "load_class": gpad.GpadLoad,
        "tally": Tally,
        "facts": FactsWriter,
        "compute": compute,
        "sql": MeasureSql,
        "connection": BaseDatabaseWrapper,
    }
    for label, owner, name in LOAD_STEPS:
        if owner.endswith("_gen"):
            times.wrap_generator(owners[owner], name, label)
        else:
            times.wrap(owners[owner], name, label)


class CpuClock:
    """CPU seconds used by this process and by the database server process serving its
    connection (read from /proc, so only when PostgreSQL runs on this machine). Unlike
    wall time, CPU time hardly changes when other work shares the machine."""

    def __init__(self, backend_pid: int | None) -> None:
        self.backend_pid = backend_pid
        self.start = self._now()

    @classmethod
    def for_django_connection(cls) -> CpuClock:
        from django.db import connection

        if connection.vendor != "postgresql":
            return cls(None)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cls(cursor.fetchone()[0])

    def _now(self) -> tuple[float, float | None]:
        return time.process_time(), backend_cpu_seconds(self.backend_pid)

    def elapsed(self) -> dict[str, float | None]:
        own, backend = self._now()
        return {
            "process": own - self.start[0],
            "database": None if backend is None else backend - self.start[1],
        }


def backend_cpu_seconds(pid: int | None) -> float | None:
    """User plus system CPU of a local process, from /proc/<pid>/stat."""
    stat = Path(f"/proc/{pid}/stat")
    if pid is None or not stat.exists():
        return None
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child_main(zip_path: Path, month: dt.date, result_path: Path, profile: Path | None) -> None:
    """Runs in the process whose memory is measured: one load of the zip and, if it loaded
    anything, one standalone recompute of its month."""
    django_setup()
    from imports.sources.base import Recompute
    from metrics.measures.compute import measures_recompute
    from metrics.services import import_file

    times = StepTimes()
    _instrument(times)
    cpu = CpuClock.for_django_connection()
    wal_before = wal_position()
    profiler = _profiler_start(profile)
    started = time.perf_counter()
    batch = import_file(source="gpad", path=zip_path)
    ingest = time.perf_counter() - started
    _profiler_stop(profiler, profile)
    cpu_seconds = cpu.elapsed()
    wal_bytes = wal_since(wal_before)
    steps = [
        (label, times.seconds[label], times.calls[label])
        for label, _, _ in LOAD_STEPS
        if times.calls[label]
    ]
    recompute_alone = None
    if batch.status == "succeeded":
        started = time.perf_counter()
        measures_recompute(recompute=Recompute(months=frozenset({month})))
        recompute_alone = time.perf_counter() - started
    result = {
        "status": batch.status,
        "outcome": batch.outcome,
        "rows_loaded": batch.rows_loaded,
        "notes": batch.notes[:5],
        "errors": batch.errors[:5],
        "ingest_seconds": ingest,
        "recompute_alone_seconds": recompute_alone,
        "cpu_seconds": cpu_seconds,
        "wal_bytes": wal_bytes,
        "steps": steps,
    }
    result_path.write_text(json.dumps(result, indent=2))


def wal_position() -> str | None:
    """Where PostgreSQL's write-ahead log is now (None on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def wal_since(position: str | None) -> int | None:
    """Bytes of write-ahead log written since ``position``: unlike time, the same for the
    same work on any machine, so it shows whether a change did less."""
    from django.db import connection

    if position is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s::pg_lsn)", [position])
        return int(cursor.fetchone()[0])


def _profiler_start(profile: Path | None):
    if profile is None:
        return None
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    return profiler


def _profiler_stop(profiler, profile: Path | None) -> None:
    if profiler is None:
        return
    import pstats

    profiler.disable()
    with profile.open("w") as handle:
        stats = pstats.Stats(profiler, stream=handle)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(40)


@dataclass(frozen=True)
class ChildRun:
    result: dict
    wall_seconds: float  # the whole process, Django start-up included
    peak_rss_mib: float


def child_run(national: NationalZip, label: str, profile: Path | None) -> ChildRun:
    """Start a child process for one load and read its peak RSS when it exits."""
    result_path = BENCH_DIR / f"result-{label}.json"
    result_path.unlink(missing_ok=True)
    command = [
        sys.executable, str(Path(__file__).resolve()), "--child", str(national.zip_path),
        "--month", national.month.isoformat(), "--result", str(result_path),
    ]  # fmt: skip
    if profile is not None:
        command += ["--profile-out", str(profile)]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT)
    # wait4 gives this one child's resource use; ru_maxrss is its peak RSS, in KiB on Linux.
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if process.returncode != 0 or not result_path.exists():
        sys.exit(f"The {label} load process failed (exit {process.returncode}).")
    result = json.loads(result_path.read_text())
    result_path.unlink()
    return ChildRun(result, wall, _rss_mib(usage.ru_maxrss))


def _rss_mib(maxrss: int) -> float:
    """ru_maxrss is in KiB on Linux and in bytes on macOS."""
    return maxrss / (1024 * 1024) if platform.system() == "Darwin" else maxrss / 1024


# --- the plain COPY ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlainCopy:
    seconds: float
    rows: int
    database_cpu_seconds: float | None
    wal_bytes: int


def plain_copy(database: BenchDatabase, national: NationalZip) -> PlainCopy:
    """Stream the raw CSV bytes into an unindexed table of 14 text columns; the time
    includes the commit."""
    import psycopg

    columns = ", ".join(f"c{i} text" for i in range(1, 15))
    with psycopg.connect(database.psycopg_url) as connection:
        connection.execute("DROP TABLE IF EXISTS bench_plain_copy")
        connection.execute(f"CREATE TABLE bench_plain_copy ({columns})")
        connection.commit()
        database.checkpoint()
        backend_before = backend_cpu_seconds(connection.info.backend_pid)
        wal_before = connection.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        started = time.perf_counter()
        with (
            connection.cursor() as cursor,
            cursor.copy("COPY bench_plain_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
            national.csv_path.open("rb") as handle,
        ):
            while block := handle.read(COPY_BLOCK):
                copy.write(block)
        connection.commit()
        seconds = time.perf_counter() - started
        backend_after = backend_cpu_seconds(connection.info.backend_pid)
        wal = connection.execute(
            "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s)", [wal_before]
        ).fetchone()[0]
        rows = connection.execute("SELECT count(*) FROM bench_plain_copy").fetchone()[0]
        connection.execute("DROP TABLE bench_plain_copy")
        connection.commit()
    cpu = None if backend_before is None else backend_after - backend_before
    return PlainCopy(seconds, rows, cpu, int(wal))


# --- the report --------------------------------------------------------------------------


def _verdict(met: bool) -> str:
    return "PASS" if met else "MISS"


def _machine() -> str:
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split("\n")[0].split()[1])
        memory = f", {kib / 1024 / 1024:.1f} GiB RAM"
    load = ", load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs{memory}, Python {platform.python_version()}, "
        f"{platform.system()}{load}"
    )


def report_run(title: str, run: ChildRun, national: NationalZip) -> None:
    result = run.result
    print(f"\n{title}")
    print(f"  outcome: {result['status']}: {result['outcome']}")
    for note in result["notes"]:
        print(f"    note: {note[:160]}")
    for error in result["errors"]:
        print(f"    error: {error}")
    ingest = result["ingest_seconds"]
    print(f"  ingest (import_file, recompute included): {ingest:8.1f} s")
    if result["rows_loaded"]:
        print(f"  rows per second, whole ingest:            {national.rows / ingest:10,.0f}")
    if result["recompute_alone_seconds"] is not None:
        alone = result["recompute_alone_seconds"]
        print(f"  measure recompute, run again on its own:  {alone:8.1f} s")
    print(f"  peak RSS of the ingest process:           {run.peak_rss_mib:8.0f} MiB")
    cpu = result["cpu_seconds"]
    print(f"  CPU of the ingest process during it:      {cpu['process']:8.1f} s")
    if cpu["database"] is not None:
        print(f"  CPU of its PostgreSQL server process:     {cpu['database']:8.1f} s")
    if result["wal_bytes"] is not None:
        print(
            f"  WAL PostgreSQL wrote for it:              {result['wal_bytes'] / 2**20:8,.0f} MiB"
        )
    print(f"  process wall time (Django start-up too):  {run.wall_seconds:8.1f} s")
    print("  time inside the import, by step (a step includes those indented under it):")
    for label, seconds, calls in result["steps"]:
        times = f" ({calls} calls)" if calls > 1 else ""
        print(f"    {label:<52} {seconds:8.2f} s{times}")


def main() -> None:
    arguments = _arguments()
    if arguments.child:
        child_main(arguments.child, arguments.month, arguments.result, arguments.profile_out)
        return
    database = BenchDatabase.from_environment()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    environment_point_at(database)
    print(f"GPAD ingest benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}")
    print(f"Machine: {_machine()}")
    database.create()
    try:
        _benchmark(arguments, database)
    finally:
        _clean_up(arguments, database)


def _benchmark(arguments: argparse.Namespace, database: BenchDatabase) -> None:
    print(f"Database: {database.describe()}")
    django_setup()
    from django.core.management import call_command
    from django.db import connections

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    connections.close_all()
    print(f"  migrated in {time.perf_counter() - started:.0f} s")
    print(f"National months: {arguments.practices:,} practices, seed {arguments.seed}")
    months = [arguments.month]
    for _ in range(arguments.history + arguments.routine):
        months.append(_month_after(months[-1]))
    nationals = [_national(arguments, month) for month in months]
    history = nationals[1 : 1 + arguments.history]
    nationals = [nationals[0], *nationals[1 + arguments.history :]]
    profile = BENCH_DIR / "profile-first-load.txt" if arguments.profile else None

    first = _timed_load(database, nationals[0], "first", profile)
    report_run(f"1. {months[0]:%b %Y} into an empty database", first, nationals[0])
    if profile is not None:
        print(f"  cProfile of the import (slows it down): {profile.relative_to(ROOT)}")
    database.checkpoint()
    again = child_run(nationals[0], "again", None)
    report_run("2. The same zip again (should be skipped as unchanged)", again, nationals[0])
    seeded = list_sizes_seed(practices=arguments.practices, seed=arguments.seed, month=months[1])
    _history_load(history)
    routine = []
    for number, national in enumerate(nationals[1:], start=3):
        run = _timed_load(database, national, f"routine-{number}", None)
        report_run(
            f"{number}. {national.month:%b %Y}, with the register in place and list sizes "
            f"for {seeded:,} practices (a routine monthly load)",
            run,
            national,
        )
        routine.append((number, run))
    _summary(database, first, routine, again)


def _history_load(history: list[NationalZip]) -> None:
    """Months loaded before the routine ones and not timed, so that those are timed with
    that much history in the database."""
    if not history:
        return
    started = time.perf_counter()
    for national in history:
        run = child_run(national, f"history-{national.month:%Y-%m}", None)
        if run.result["status"] != "succeeded":
            sys.exit(f"{national.month:%b %Y} did not load: {run.result['status']}")
    print(
        f"\nHistory: {history[0].month:%b %Y} to {history[-1].month:%b %Y} loaded, untimed, "
        f"in {time.perf_counter() - started:.0f} s"
    )


def _timed_load(
    database: BenchDatabase, national: NationalZip, label: str, profile: Path | None
) -> ChildRun:
    """One load, with the plain COPY of its raw CSV timed just before it, so that both are
    measured in the same state of the machine (on a shared machine that state drifts)."""
    database.checkpoint()
    copy = plain_copy(database, national) if database.postgres else None
    database.checkpoint()
    run = child_run(national, label, profile)
    run.result["plain_copy"] = copy
    return run


def _national(arguments: argparse.Namespace, month: dt.date) -> NationalZip:
    national = national_zip(practices=arguments.practices, seed=arguments.seed, month=month)
    print(
        f"  {national.zip_path.relative_to(ROOT)} ({'reused' if national.reused else 'new'}): "
        f"{national.rows:,} rows, {national.csv_bytes / 1e6:.0f} MB of CSV, "
        f"{national.zip_path.stat().st_size / 1e6:.0f} MB zipped"
    )
    return national


def _month_after(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def list_sizes_seed(*, practices: int, seed: int, month: dt.date) -> int:
    """Give every practice the first load created a list size for ``month`` (the invented
    register's own), as the monthly list-size file would; returns how many."""
    from django.db import connections

    from demo.gpad_national import national_practices
    from practices.models import ListSize, Organisation, OrgKind

    register = national_practices(practices=practices, seed=seed)
    sizes = {p.crosstab.code: p.list_size for p in register}
    practices_ = Organisation.objects.filter(kind=OrgKind.PRACTICE, code__in=sizes)
    ids = list(practices_.values_list("code", "pk"))
    ListSize.objects.bulk_create(
        [ListSize(practice_id=pk, month=month, all_patients=sizes[code]) for code, pk in ids],
        batch_size=2000,
    )
    connections.close_all()
    return len(ids)


def _summary(
    database: BenchDatabase,
    first: ChildRun,
    routine: list[tuple[int, ChildRun]],
    again: ChildRun,
) -> None:
    print("\nAgainst the targets")
    ratios = []
    for number, run in [(1, first), *routine]:
        if not database.postgres:
            print(f"  load {number}: (ingest + recompute) / plain COPY: PostgreSQL only")
            continue
        ratio = _ratio_report(number, run)
        if number > 1:
            ratios.append(ratio)
    if ratios:
        median = statistics.median(ratios)
        print(
            f"  routine monthly loads, median (ingest + recompute) / plain COPY over "
            f"{len(ratios)}: {median:.1f}  (target <= {TARGET_RATIO:g}): "
            f"{_verdict(median <= TARGET_RATIO)}"
        )
    runs = [first, again, *(run for _, run in routine)]
    peak = max(run.peak_rss_mib for run in runs)
    print(
        f"  peak RSS of an ingest process: {peak:.0f} MiB  (target < {TARGET_RSS_MIB} MiB): "
        f"{_verdict(peak < TARGET_RSS_MIB)}"
    )
    skipped = again.result["status"] == "unchanged"
    print(
        f"  load 2, the same zip again: {again.result['status']} in "
        f"{again.result['ingest_seconds']:.1f} s: {_verdict(skipped)}"
    )


def _ratio_report(number: int, run: ChildRun) -> float:
    copy = run.result["plain_copy"]
    ingest = run.result["ingest_seconds"]
    ratio = ingest / copy.seconds
    print(
        f"  load {number}: plain COPY of its raw CSV just before it ({copy.rows:,} rows, 14 text "
        f"columns, no index): {copy.seconds:.1f} s, {copy.rows / copy.seconds:,.0f} rows per "
        f"second, {copy.wal_bytes / 2**20:,.0f} MiB of WAL"
    )
    print(
        f"  load {number}: (ingest + recompute) / plain COPY = {ingest:.1f} / "
        f"{copy.seconds:.1f} = {ratio:.1f}  (target <= {TARGET_RATIO:g}): "
        f"{_verdict(ratio <= TARGET_RATIO)}"
    )
    _cpu_ratio(run, copy)
    wal = run.result["wal_bytes"]
    if wal is not None:
        print(
            f"           in WAL: {wal / 2**20:,.0f} MiB / {copy.wal_bytes / 2**20:,.0f} MiB = "
            f"{wal / copy.wal_bytes:.1f}"
        )
    return ratio


def _cpu_ratio(run: ChildRun, copy: PlainCopy) -> None:
    """The same comparison in CPU seconds, which other work on the machine hardly moves."""
    cpu = run.result["cpu_seconds"]
    if cpu["database"] is None or not copy.database_cpu_seconds:
        return
    used = cpu["process"] + cpu["database"]
    print(
        f"           in CPU seconds: (ingest {cpu['process']:.1f} + its PostgreSQL "
        f"{cpu['database']:.1f}) / plain COPY's PostgreSQL {copy.database_cpu_seconds:.1f} = "
        f"{used / copy.database_cpu_seconds:.1f}"
    )


def _clean_up(arguments: argparse.Namespace, database: BenchDatabase) -> None:
    shutil.rmtree(BENCH_DIR / "var" / "media" / "imports", ignore_errors=True)
    if arguments.keep_db:
        print(f"\nKept the benchmark database ({database.url}).")
        return
    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # noqa: S110 - Django may never have been set up
        pass
    database.drop()


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--practices", type=int, default=6300, help="practices in the month")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--month", type=dt.date.fromisoformat, default=DEFAULT_MONTH)
    parser.add_argument("--keep-db", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--routine", type=int, default=3, help="routine months loaded after the first (>= 1)"
    )
    parser.add_argument(
        "--history",
        type=int,
        default=0,
        help="months loaded untimed before the routine ones (22 makes 27 months in all)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the first load (slower) to var/bench/"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    main()
