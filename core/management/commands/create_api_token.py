"""python manage.py create_api_token USERNAME: print a new API key for a user."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.access import Scope
from core.services import api_token_replace


class Command(BaseCommand):
    help = (
        "Create an API key for a user and print it, replacing any key they had. The key "
        "sees and does what the user's role allows."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The user the key acts as.")

    def handle(self, *args, **options) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"There is no user called {options['username']}.")
        if not user.is_active:
            raise CommandError(f"{user.username} is not active; a key would not work.")
        if not (Scope(user).has_any_role or user.is_staff):
            self.stderr.write(
                f"Note: {user.username} has no role yet, so the key will be refused (403) "
                "until they are given one."
            )
        self.stdout.write(api_token_replace(user=user))
