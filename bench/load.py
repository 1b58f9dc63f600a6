"""Benchmark: many people at once on the production server setup, over a national database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/access_portal .venv/bin/python bench/load.py
        [--clients 50] [--seconds 60] [--workers N] [--worker-class gthread] [--threads 4]
        [--months 3] [--fresh] [--port 8765]

1. Builds, or reuses when it is there, its own PostgreSQL database ``access_portal_bench_load``
   on the server DATABASE_URL names: the demo ICB with its users (``demo_load``: 27 months of
   GPAD, workforce, plans), then every England practice of the invented national register
   (``demo.gpad_national``, 6,300 practices in 42 ICBs) for the demo's last ``--months``
   months of GPAD, each month's published zip loaded through ``import_file(source="gpad")``, with a
   list size for every practice. The zips are written under var/bench/ once and reused.
2. Collects the static files, as a deployment does, into var/bench/load-static (its own
   folder, kept so that a later run compresses only what changed).
3. Starts gunicorn on 127.0.0.1 with production settings (DEBUG off, plain HTTP, a secret key,
   the database with persistent connections, Redis as the cache), ``--workers`` processes of
   ``--worker-class`` (sync, or gthread with ``--threads`` threads each).
4. Signs each client in once (untimed), requests every route once to warm the server, then
   drives ``--clients`` clients, each in a thread of its own with no pause between requests,
   for ``--seconds`` seconds. Clients take roles in turn: a board member of the demo ICB, its
   ICB manager, one of its PCN managers (the pages each uses), and another ICB system reading
   the API with a token of its own.

Prints per route: requests, errors, median (p50) and p95 in milliseconds, and the requests a
second over the whole run, with PASS or MISS against the target (at least 53.6 requests a
second, p95 under 1.5 s on every route, no error). Exits 0 whether the target is met or not.
Every request goes to 127.0.0.1 only, and the run stops by itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_DIR = ROOT / "var" / "bench"
BENCH_DB = "access_portal_bench_load"
SERVER_VAR = BENCH_DIR / "load-var"
# Static files collected for the benchmark's server alone (not the repository's staticfiles/);
# kept between runs, so that only changed files are compressed again.
STATIC_DIR = BENCH_DIR / "load-static"
# A Redis database of its own, emptied before each run so every run starts alike.
REDIS_URL = "redis://127.0.0.1:6379/11"
SECRET_KEY = "bench-load-only-" + "k" * 50
TARGET_RATE = 4 * 13.4
TARGET_P95_MS = 1500.0
API_USERS = "bench.load.api"


# --- the database ------------------------------------------------------------------------


def database_urls() -> tuple[str, str]:
    """(the benchmark database's URL, the server's maintenance database's URL)."""
    given = os.environ.get("DATABASE_URL", "")
    if urlsplit(given).scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (postgres://postgres@127.0.0.1:5432/x).")
    parts = urlsplit(given)._replace(scheme="postgresql")
    return (
        urlunsplit(parts._replace(path=f"/{BENCH_DB}")),
        urlunsplit(parts._replace(path="/postgres", query="")),
    )


def _server_sql(server: str, sql: str, params: list | None = None) -> list:
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        cursor = connection.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def server_environment(url: str) -> dict[str, str]:
    """Production settings as a deployment on one machine sets them."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CACHE_", "CELERY_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="access_portal.settings",
        DJANGO_HTTPS="0",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=url,
        CACHE_URL=REDIS_URL,
        ACCESS_PORTAL_VAR_DIR=str(SERVER_VAR),
        DJANGO_MEDIA_ROOT=str(SERVER_VAR / "media"),
    )
    return environment


def database_build(url: str, server: str, *, months: int, fresh: bool) -> None:
    """The demo ICB and a national register's months, unless already built."""
    exists = _server_sql(server, "SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB])
    if exists and not fresh and _built_marker().exists():
        print(f"  reusing database {BENCH_DB} (--fresh builds it again), migrated to this code")
        subprocess.run(  # noqa: S603 - our own interpreter and code
            [sys.executable, "manage.py", "migrate", "--no-input", "--verbosity", "0"],
            env=server_environment(url) | {"DJANGO_LOG_LEVEL": "ERROR"},
            cwd=ROOT,
            check=True,
        )
        return
    _server_sql(server, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    _server_sql(server, f'CREATE DATABASE "{BENCH_DB}"')
    _built_marker().unlink(missing_ok=True)
    started = time.perf_counter()
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "from bench.load import _build_in_django; _build_in_django(int(sys.argv[2]))"
    )
    subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code, str(ROOT), str(months)],
        env=server_environment(url) | {"DJANGO_LOG_LEVEL": "ERROR", "DJANGO_DEMO": "1"},
        cwd=ROOT,
        check=True,
    )
    _built_marker().write_text(f"{months} months\n")
    print(f"  built in {time.perf_counter() - started:.0f} s")


def _built_marker() -> Path:
    return BENCH_DIR / f"{BENCH_DB}.built"


def _build_in_django(months: int) -> None:
    """Run in a process of its own with the server's settings."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.api import national_zip
    from demo.gpad import GPAD_LAST_MONTH
    from metrics.calendar import add_months
    from metrics.services import import_file

    call_command("migrate", verbosity=0)
    print("  loading the demo ICB (demo_load)")
    call_command("demo_load", demo_on_production_settings=True, stdout=io.StringIO())
    national = [add_months(GPAD_LAST_MONTH, -i) for i in reversed(range(months))]
    for number, month in enumerate(national):
        started = time.perf_counter()
        batch = import_file(source="gpad", path=national_zip(practices=6300, seed=1, month=month))
        print(f"  national {month:%b %Y}: {batch.status} in {time.perf_counter() - started:.0f} s")
        if number == 0:
            _list_sizes(national)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _list_sizes(months: list[dt.date]) -> None:
    """Every national practice's own list size for each month, as the monthly file gives."""
    from demo.gpad_national import national_practices
    from practices.models import ListSize, Organisation, OrgKind

    sizes = {p.crosstab.code: p.list_size for p in national_practices(practices=6300, seed=1)}
    ids = Organisation.objects.filter(kind=OrgKind.PRACTICE, code__in=sizes)
    rows = [
        ListSize(practice_id=pk, month=month, all_patients=sizes[code])
        for code, pk in ids.values_list("code", "pk")
        for month in months
    ]
    ListSize.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


# --- what the clients ask for ------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """The demo ICB's organisations and the people who read them."""

    icb: str
    own_pcn: str
    pcns: tuple[str, ...]
    practices: tuple[str, ...]
    own_practices: tuple[str, ...]
    month: dt.date
    tokens: tuple[str, ...]
    password: str
    database: str = ""


def plan_read(url: str, clients: int) -> Plan:
    """Codes, the latest month and one API token per API client, from the database."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "from bench.load import _plan_in_django; _plan_in_django(int(sys.argv[2]))"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code, str(ROOT), str(clients)],
        env=server_environment(url) | {"DJANGO_LOG_LEVEL": "ERROR"},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    return Plan(
        icb=values["icb"],
        own_pcn=values["own_pcn"],
        pcns=tuple(values["pcns"].split(",")),
        practices=tuple(values["practices"].split(",")),
        own_practices=tuple(values["own_practices"].split(",")),
        month=dt.date.fromisoformat(values["month"]),
        tokens=tuple(values["tokens"].split(",")) if values["tokens"] else (),
        password=values["password"],
        database=values["database"],
    )


def _plan_in_django(clients: int) -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User

    from core.models import Role, RoleAssignment
    from core.services import api_token_replace
    from demo.services import DEMO_PASSWORD
    from demo.structure import ICB_CODE
    from metrics.models import MeasureValue
    from practices.models import Organisation, OrgKind
    from practices.selectors import descendant_ids

    icb = Organisation.objects.get(kind=OrgKind.ICB, code=ICB_CODE)
    own = RoleAssignment.objects.get(user__username="pcn.manager", role=Role.PCN_MANAGER)
    pcns = Organisation.objects.filter(pk__in=descendant_ids([icb.pk], kind=OrgKind.PCN))
    practices = Organisation.objects.filter(pk__in=descendant_ids([icb.pk], kind=OrgKind.PRACTICE))
    own_practices = Organisation.objects.filter(
        pk__in=descendant_ids([own.organisation_id], kind=OrgKind.PRACTICE)
    )
    tokens = []
    for number in range(_api_clients(clients)):
        user, _ = User.objects.get_or_create(username=f"{API_USERS}.{number:02d}")
        RoleAssignment.objects.get_or_create(user=user, role=Role.ICB_MANAGER, organisation=icb)
        tokens.append(api_token_replace(user=user))
    month = MeasureValue.objects.order_by("-period").values_list("period", flat=True).first()
    values = MeasureValue.objects.count()
    organisations = Organisation.objects.count()
    print(f"icb={icb.code}")
    print(f"own_pcn={own.organisation.code}")
    print(f"pcns={','.join(sorted(pcns.values_list('code', flat=True)))}")
    print(f"practices={','.join(sorted(practices.values_list('code', flat=True)))}")
    print(f"own_practices={','.join(sorted(own_practices.values_list('code', flat=True)))}")
    print(f"month={month.isoformat()}")
    print(f"tokens={','.join(tokens)}")
    print(f"password={DEMO_PASSWORD}")
    practices_all = Organisation.objects.filter(kind=OrgKind.PRACTICE).count()
    print(
        f"database={practices_all:,} practices, {organisations:,} organisations, "
        f"{values:,} measure values"
    )


ROLES = ("board.member", "icb.manager", "pcn.manager", "api")


def _api_clients(clients: int) -> int:
    return sum(1 for number in range(clients) if ROLES[number % len(ROLES)] == "api")


def routes_for(role: str, plan: Plan, rng: random.Random) -> list[tuple[str, str]]:
    """(route, path) a client of ``role`` goes through, in the order a person would."""
    pcn, practice = rng.choice(plan.pcns), rng.choice(plan.practices)
    own_practice = rng.choice(plan.own_practices)
    month = f"{plan.month:%Y-%m}"
    if role == "board.member":
        return [
            ("home", "/"),
            ("dashboard ICB", f"/dashboard/icb/{plan.icb}/"),
            ("dashboard PCN", f"/dashboard/pcn/{pcn}/"),
            ("dashboard practice", f"/dashboard/practice/{practice}/"),
            ("access page", "/access/"),
        ]
    if role == "icb.manager":
        return [
            ("access page", "/access/"),
            ("PCN page", f"/pcns/{pcn}/"),
            ("practice page", f"/organisations/practice/{practice}/"),
            ("workforce ICB", "/workforce/"),
            ("dashboard ICB", f"/dashboard/icb/{plan.icb}/"),
        ]
    if role == "pcn.manager":
        return [
            ("PCN page", f"/pcns/{plan.own_pcn}/"),
            ("practice page", f"/organisations/practice/{own_practice}/"),
            ("workforce PCN", f"/workforce/pcn/{plan.own_pcn}/"),
            ("dashboard PCN", f"/dashboard/pcn/{plan.own_pcn}/"),
        ]
    return [
        (
            "API measure values",
            f"/api/v1/measure-values/?measure=same_day_pct&org_type=practice&period={month}",
        ),
        ("API practices", "/api/v1/practices/"),
        ("API PCNs", "/api/v1/pcns/"),
        ("API measure values, one PCN", f"/api/v1/measure-values/?org_code={pcn}&period={month}"),
    ]


# --- the clients -------------------------------------------------------------------------


@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, route: str, ms: float, error: str | None) -> None:
        with self.lock:
            self.times[route].append(ms)
            if error:
                self.errors[route].append(error)


class Client:
    def __init__(self, number: int, base: str, plan: Plan) -> None:
        import requests

        self.role = ROLES[number % len(ROLES)]
        self.base = base
        self.session = requests.Session()
        rng = random.Random(f"bench-load:{number}")  # noqa: S311 - choosing pages
        self.routes = routes_for(self.role, plan, rng)
        self.position = rng.randrange(len(self.routes))
        if self.role == "api":
            token = plan.tokens[sum(1 for n in range(number) if ROLES[n % len(ROLES)] == "api")]
            self.session.headers["Authorization"] = f"Token {token}"

    def sign_in(self, password: str) -> None:
        if self.role == "api":
            return
        page = self.session.get(f"{self.base}/sign-in/", timeout=60)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        answer = self.session.post(
            f"{self.base}/sign-in/",
            data={"username": self.role, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.base}/sign-in/"},
            allow_redirects=False,
            timeout=60,
        )
        if answer.status_code != 302:
            raise RuntimeError(f"{self.role} could not sign in: {answer.status_code}")

    def request(self, route: str, path: str) -> tuple[float, str | None]:
        started = time.perf_counter()
        try:
            response = self.session.get(f"{self.base}{path}", allow_redirects=False, timeout=120)
            response.content  # noqa: B018 - the whole body, as a browser reads it
            error = None if response.status_code == 200 else f"{response.status_code} {path}"
        except Exception as problem:  # noqa: BLE001 - every failure counts as an error
            error = f"{type(problem).__name__} {path} ({problem})"[:200]
        return (time.perf_counter() - started) * 1000, error

    def run(self, until: float, results: Results) -> None:
        while time.perf_counter() < until:
            route, path = self.routes[self.position]
            self.position = (self.position + 1) % len(self.routes)
            ms, error = self.request(route, path)
            if time.perf_counter() <= until:  # a request cut off by the end is not counted
                results.add(route, ms, error)


def drive(clients: list[Client], seconds: float) -> tuple[Results, float]:
    results = Results()
    started = time.perf_counter()
    until = started + seconds
    threads = [threading.Thread(target=c.run, args=(until, results)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Requests still running when the time was up are not counted, so neither is their tail.
    return results, seconds


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def report(results: Results, seconds: float) -> None:
    total = sum(len(t) for t in results.times.values())
    errors = sum(len(e) for e in results.errors.values())
    print(f"\n  {'route':<30} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for route in sorted(results.times):
        times = results.times[route]
        print(
            f"  {route:<30} {len(times):>8} {len(results.errors[route]):>6} "
            f"{statistics.median(times):>8.0f} {p95(times):>8.0f}"
        )
    every = [ms for times in results.times.values() for ms in times]
    rate = total / seconds
    print(
        f"  {'all routes':<30} {total:>8} {errors:>6} "
        f"{statistics.median(every):>8.0f} {p95(every):>8.0f}"
    )
    print(f"\n  {rate:.1f} requests a second over {seconds:.1f} s")
    for route, problems in results.errors.items():
        if problems:
            print(f"  errors on {route}: {', '.join(sorted(set(problems))[:5])}")
    worst = max(p95(times) for times in results.times.values())
    met = rate >= TARGET_RATE and worst < TARGET_P95_MS and errors == 0
    print(
        f"  Target: >= {TARGET_RATE:.1f} requests a second, every route's p95 < "
        f"{TARGET_P95_MS:.0f} ms, no errors: {'PASS' if met else 'MISS'} "
        f"(slowest route's p95 {worst:.0f} ms)"
    )


# --- the server --------------------------------------------------------------------------


def static_collect(url: str, folder: Path) -> None:
    """``collectstatic`` into ``folder``, unless its manifest is newer than every file under
    static/ (compressing the vendor files again takes minutes on a busy machine)."""
    manifest = folder / "staticfiles.json"
    sources = [path for path in (ROOT / "static").rglob("*") if path.is_file()]
    if manifest.exists() and all(p.stat().st_mtime < manifest.stat().st_mtime for p in sources):
        print(f"  static files already collected in {folder.relative_to(ROOT)}")
        return
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        env=server_environment(url) | {"DJANGO_STATIC_ROOT": str(folder)},
        cwd=ROOT,
        check=True,
    )
    print(f"  static files collected in {time.perf_counter() - started:.0f} s")


def server_start(url: str, static: Path, arguments: argparse.Namespace, log: Path):
    if _port_taken(arguments.port):
        sys.exit(f"Something already listens on 127.0.0.1:{arguments.port} (--port picks another)")
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "access_portal.wsgi",
        "--bind", f"127.0.0.1:{arguments.port}",
        "--workers", str(arguments.workers),
        "--worker-class", arguments.worker_class,
        "--timeout", "120",
        "--error-logfile", str(log),
    ]  # fmt: skip
    if arguments.worker_class == "gthread":
        command += ["--threads", str(arguments.threads)]
    environment = server_environment(url) | {"DJANGO_STATIC_ROOT": str(static)}
    if arguments.conn_max_age is not None:
        environment["DATABASE_CONN_MAX_AGE"] = str(arguments.conn_max_age)
    process = subprocess.Popen(command, env=environment, cwd=ROOT)  # noqa: S603
    base = f"http://127.0.0.1:{arguments.port}"
    try:
        _wait_for(base, process)
    except BaseException:
        server_stop(process)
        raise
    return process, base


def _port_taken(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _wait_for(base: str, process: subprocess.Popen) -> None:
    import requests

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn stopped before it served a request")
        try:
            if requests.get(f"{base}/sign-in/", timeout=30).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    sys.exit("gunicorn did not answer within two minutes")


def server_stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def cache_empty() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


# --- the run -----------------------------------------------------------------------------


def _machine() -> str:
    kib = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} CPUs, {kib / 1024 / 1024:.1f} GiB RAM, Python "
        f"{platform.python_version()}, load average {load:.1f} before the run"
    )


def main() -> None:
    arguments = _arguments()
    url, server = database_urls()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    print(f"Load benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}. Machine: {_machine()}")
    version = _server_sql(server, "SHOW server_version")[0][0]
    print(f"Database: PostgreSQL {version}, {BENCH_DB}")
    database_build(url, server, months=arguments.months, fresh=arguments.fresh)
    plan = plan_read(url, arguments.clients)
    print(f"  {plan.database}; latest month {plan.month:%b %Y}")
    setup = f"{arguments.workers} {arguments.worker_class} workers"
    if arguments.worker_class == "gthread":
        setup += f" of {arguments.threads} threads"
    connections = (
        "the settings' default"
        if arguments.conn_max_age is None
        else f"DATABASE_CONN_MAX_AGE={arguments.conn_max_age}"
    )
    print(f"Server: gunicorn, {setup}, DEBUG off, Redis cache, database connections: {connections}")
    cache_empty()
    static_collect(url, STATIC_DIR)
    process, base = server_start(url, STATIC_DIR, arguments, BENCH_DIR / "load-gunicorn.log")
    try:
        _run(arguments, plan, base, process.pid)
    finally:
        server_stop(process)


def server_cpu_seconds(master: int) -> float:
    """CPU time (user and system) used so far by gunicorn's workers, which are the master's
    children (the master itself only watches them)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:  # fields[1] is the parent's pid
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def _run(arguments: argparse.Namespace, plan: Plan, base: str, master: int) -> None:
    clients = [Client(number, base, plan) for number in range(arguments.clients)]
    started = time.perf_counter()
    for client in clients:
        client.sign_in(plan.password)
    print(f"  {arguments.clients} clients signed in in {time.perf_counter() - started:.0f} s")
    warm = Results()
    for client in clients[: len(ROLES)] + clients:
        route, path = client.routes[client.position]
        warm.add(route, *client.request(route, path))
    if any(warm.errors.values()):
        print(f"  warm-up errors: {dict(warm.errors)}")
    print(
        f"Driving {arguments.clients} clients for {arguments.seconds} s, no pause between requests"
    )
    cpu = server_cpu_seconds(master)
    results, seconds = drive(clients, arguments.seconds)
    cpu = server_cpu_seconds(master) - cpu
    report(results, seconds)
    count = sum(len(times) for times in results.times.values())
    print(
        f"  gunicorn workers used {cpu:.0f} CPU seconds, {cpu / max(count, 1) * 1000:.0f} ms a "
        f"request (PostgreSQL's share not counted); load average {os.getloadavg()[0]:.1f} after"
    )


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--workers", type=int, default=None, help="default: 2 x CPUs + 1 (sync), CPUs (gthread)"
    )
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default="gthread")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument(
        "--conn-max-age", type=int, default=None, help="DATABASE_CONN_MAX_AGE for the server"
    )
    parser.add_argument("--months", type=int, default=3, help="national months loaded")
    parser.add_argument("--fresh", action="store_true", help="build the database again")
    parser.add_argument("--port", type=int, default=8765)
    arguments = parser.parse_args()
    if arguments.workers is None:
        cpus = os.cpu_count() or 1
        arguments.workers = 2 * cpus + 1 if arguments.worker_class == "sync" else cpus
    return arguments


if __name__ == "__main__":
    main()
