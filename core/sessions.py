"""Sessions that end after a time without requests, without a database write per request.

Django's ``SESSION_SAVE_EVERY_REQUEST`` starts the idle time again by saving the session on
every request: one UPDATE of the session table per page, API call and chart. This saves it
at most once every ``SESSION_REFRESH_SECONDS`` (60 by default) when nothing else changed it,
so a session ends between ``SESSION_COOKIE_AGE`` minus that and ``SESSION_COOKIE_AGE`` after
its last request.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

REFRESHED = "_refreshed"


class IdleSessionMiddleware(SessionMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and not session.modified and not session.is_empty():
            now = timezone.now().timestamp()
            every = getattr(settings, "SESSION_REFRESH_SECONDS", 60)
            if now - session.get(REFRESHED, 0) >= every:
                session[REFRESHED] = now  # marks it modified: saved with a new expiry
        return super().process_response(request, response)


def _signed_in(sender, request: HttpRequest, **kwargs) -> None:
    """Signing in saves the session: its idle time starts then."""
    if getattr(request, "session", None) is not None:
        request.session[REFRESHED] = timezone.now().timestamp()


user_logged_in.connect(_signed_in, dispatch_uid="session-refreshed-at-sign-in")
