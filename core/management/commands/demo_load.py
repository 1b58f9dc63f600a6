"""python manage.py demo_load: the demo ICB, loaded through the real importers."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from core.services import demo_icb_load, demo_users_create


class Command(BaseCommand):
    help = "Write the demo ICB's files, load them through the importers, create demo users."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", type=Path, default=settings.VAR_DIR / "demo", help="Where to write files."
        )

    def handle(self, *args, **options) -> None:
        for batch in demo_icb_load(out_dir=options["out"]):
            self.stdout.write(f"  {batch.source:<16} {batch.file_name:<40} {batch.outcome}")
        self.stdout.write(self.style.SUCCESS("\nDemo logins (demo data only):"))
        for login in demo_users_create():
            self.stdout.write(
                f"  {login.username:<14} password {login.password}   {login.role}, {login.covers}"
            )
