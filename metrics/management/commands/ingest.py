"""python manage.py ingest SOURCE PATH [PATH ...] [--async]"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from imports.registry import all_sources, get_source
from imports.sources.base import Problem
from metrics.models import BatchStatus
from metrics.services import import_file


class Command(BaseCommand):
    help = (
        "Load published files through a source's importer. Without --async everything the "
        "import triggers finishes before the command exits; it exits non-zero on failure."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", nargs="?", help="The source code; see --list.")
        parser.add_argument("paths", nargs="*", type=Path, help="Files to load, in order.")
        parser.add_argument("--list", action="store_true", help="List the sources and stop.")
        parser.add_argument(
            "--async", dest="run_async", action="store_true", help="Queue and print batch ids."
        )
        parser.add_argument("--user", help="Username to record as the loader.")

    def handle(self, *args, **options) -> None:
        if options["list"]:
            return self._list()
        source, paths = options["source"], options["paths"]
        if not source or not paths:
            raise CommandError("Give a source and at least one file. See ingest --list.")
        self._check(source, paths)
        user = self._user(options.get("user"))
        failures = sum(self._load(source, path, user, options["run_async"]) for path in paths)
        if failures:
            raise CommandError(f"{failures} of {len(paths)} file(s) were not loaded.")

    def _list(self) -> None:
        for source in all_sources():
            self.stdout.write(f"{source.code:<18} {source.title}")
            self.stdout.write(f"{'':<18} expects {source.expects}")

    def _check(self, source: str, paths: list[Path]) -> None:
        try:
            get_source(source)
        except KeyError as error:
            raise CommandError(str(error.args[0])) from None
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}")

    def _user(self, username: str | None) -> User | None:
        if not username:
            return None
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user called {username}.") from None

    def _load(self, source: str, path: Path, user: User | None, run_async: bool) -> int:
        batch = import_file(source=source, path=path, user=user, run_now=not run_async)
        if run_async:
            self.stdout.write(f"Queued batch {batch.pk} for {path.name}")
            return 0
        self.stdout.write(f"Batch {batch.pk} {path.name}: {batch.outcome}")
        for error in batch.errors[:50]:
            self.stderr.write(f"  {Problem(**error)}")
        return int(batch.status == BatchStatus.FAILED)
