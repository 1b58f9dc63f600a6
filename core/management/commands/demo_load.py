"""python manage.py demo_load: the demo ICB, loaded through the real importers."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.demo.generator import ICB_CODE
from core.services import (
    demo_baseline_choose,
    demo_icb_load,
    demo_users_create,
    demo_workforce_load,
)
from practices.models import Organisation


class Command(BaseCommand):
    help = "Write the demo ICB's files, load them through the importers, create demo users."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", type=Path, default=settings.VAR_DIR / "demo", help="Where to write files."
        )
        parser.add_argument(
            "--reload", action="store_true", help="Load the files again even if already loaded."
        )
        parser.add_argument(
            "--demo-on-production-settings",
            action="store_true",
            help=(
                "Load the demo although DEBUG is off (the embedded demo of `make run`). Demo "
                "users have a published password: never on a portal holding real data."
            ),
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["demo_on_production_settings"]:
            raise CommandError(
                "DEBUG is off, so this may be a live portal: demo_load creates users with a "
                "published password. To load the demo on production settings anyway (as "
                "`make run` does on 127.0.0.1), add --demo-on-production-settings."
            )
        if options["reload"] or not Organisation.objects.filter(code=ICB_CODE).exists():
            self._load(options["out"])
        else:
            self.stdout.write("The demo ICB is already loaded (demo_load --reload loads it again).")
        self._users()

    def _load(self, out: Path) -> None:
        self.stdout.write(f"Loading the demo ICB from {out} through the importers:")
        for batch in [*demo_icb_load(out_dir=out), *demo_workforce_load(out_dir=out)]:
            self.stdout.write(f"  {batch.source:<16} {batch.file_name:<40} {batch.outcome}")
        baseline = demo_baseline_choose()
        if baseline is not None:
            self.stdout.write(f"  Baseline month for changes on the baseline: {baseline:%B %Y}")

    def _users(self) -> None:
        self.stdout.write(self.style.SUCCESS("\nDemo logins (demo data only):"))
        for login in demo_users_create(known_admin_password=settings.DEBUG):
            self.stdout.write(
                f"  {login.username:<14} password {login.password}   {login.role}, {login.covers}"
            )
