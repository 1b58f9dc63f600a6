"""python manage.py access_policy: the declared access policy as a Markdown table, for
docs/security.md (a test checks the document holds the table as it is now)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from access_portal.access_policy import POLICY, policy_markdown


class Command(BaseCommand):
    help = "Print who may read and change what, route by route, as a Markdown table."

    def handle(self, *args, **options) -> None:
        self.stdout.write(policy_markdown(POLICY), ending="")
