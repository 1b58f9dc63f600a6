"""python manage.py create_api_token USERNAME: make an API token for a user and print its key
(once: only a hash of it is kept)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.access import Scope
from core.presenters import moment
from core.tokens.services import MAX_DAYS, api_token_create


class Command(BaseCommand):
    help = (
        "Create an API token for a user and print its key, which is not shown again. The "
        "key sees and does what the user's role allows, until it expires or is revoked (on "
        "the Your API tokens page). The key alone goes to standard output, for scripts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The user the key acts as.")
        parser.add_argument(
            "--name", default="Created with manage.py", help="What the token is for."
        )
        parser.add_argument(
            "--days",
            type=int,
            default=settings.API_TOKEN_DAYS,
            help=f"Days until it expires (1 to {MAX_DAYS}; default {settings.API_TOKEN_DAYS}).",
        )

    def handle(self, *args, **options) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"There is no user called {options['username']}.")
        if not user.is_active:
            raise CommandError(f"{user.username} is not active; a key would not work.")
        if not 1 <= options["days"] <= MAX_DAYS:
            raise CommandError(f"--days must be from 1 to {MAX_DAYS}.")
        if not (Scope(user).has_any_role or user.is_staff):
            self.stderr.write(
                f"Note: {user.username} has no role yet, so the key will be refused (403) "
                "until they are given one."
            )
        token, key = api_token_create(user=user, name=options["name"], days=options["days"])
        self.stdout.write(key)
        self.stderr.write(
            f"Token {token.name!r} ({token.prefix}…) for {user.username} expires on "
            f"{moment(token.expires)}. The key is shown only this once."
        )
