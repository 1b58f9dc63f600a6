"""python manage.py demo_load: the demo ICB, loaded through the real importers.

Each app's part (core.registry.demo_data) loads in its order: the register, the appointments,
the role users, the ARRS workforce, the baseline month."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.generator import ICB_CODE
from demo.services import DemoContext, demo_parts_load, demo_users_create
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
        context = DemoContext(out_dir=out)
        for batch in demo_parts_load(context=context):
            self.stdout.write(f"  {batch.source:<16} {batch.file_name:<40} {batch.outcome}")
        for note in context.notes:
            self.stdout.write(f"  {note}")

    def _users(self) -> None:
        self.stdout.write(self.style.SUCCESS("\nDemo logins (demo data only):"))
        for login in demo_users_create(known_admin_password=settings.DEBUG):
            self.stdout.write(
                f"  {login.username:<14} password {login.password}   {login.role}, {login.covers}"
            )
