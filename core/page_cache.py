"""Pages of figures kept under the data's version, so that a page many people open is drawn
once per change of the data rather than once per request (docs/performance.md, "Load").

A figure page's answer depends on the data, on who asks (their roles decide what they see),
on the address with its query, on the day (deadlines and "as at" dates) and on the release
of the portal (templates, code and the hashed names of static files). The key holds all of
these, so a page is never shown to anyone but the person it was drawn for, and never after
the data has changed:

- the **data's generation**, a counter every save or deletion of a record of the portal's
  own apps moves on when its transaction commits (imports finish by saving their batch;
  edits save their record), and which ``data_changed()`` moves for changes made in bulk
  outside an import;
- the **reader**: their user id, staff flag and role assignments;
- the full path, today's date and the release.

What is kept is the whole page with the form tokens taken out: each answer from the cache
gets the reader's own CSRF token put back. A page showing a one-off message (after a save)
is drawn afresh and not kept. Entries expire after ``PAGE_CACHE_SECONDS`` (0 turns the cache
off), a bound on any change the generation might miss.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from functools import cache, wraps
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache as default_cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from core.access import scope_for

GENERATION_KEY = "page-cache:generation"
_TOKEN_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_TOKEN_SLOT = b"\x00csrf\x00"
_TOKEN_REFILL = re.compile(rb'(name="csrfmiddlewaretoken" value=")\x00csrf\x00(")')

# Records whose saving does not change what a figure page shows: the audit trail, sign-in
# attempts, sessions and API tokens (their last use), and the board pack's progress.
IGNORED_MODELS = frozenset(
    {
        "core.auditevent",
        "core.auditeventicb",
        "core.apitoken",
        "sessions.session",
        "admin.logentry",
    }
)
SIGN_IN_ONLY = frozenset({"last_login"})
IGNORED_APPS = frozenset(
    {"axes", "sessions", "admin", "django_celery_beat", "django_celery_results"}
)


def seconds() -> int:
    return int(settings.PAGE_CACHE_SECONDS)


# --- the data's generation ---------------------------------------------------------------


def generation() -> int:
    found = default_cache.get(GENERATION_KEY)
    return int(found) if found is not None else 0


def data_changed() -> None:
    """Move the data's generation on: every kept page is then out of date. Called once a
    transaction that changed records commits (``record_changed``), and by changes made in bulk
    that save no record (a recompute of measures outside an import)."""
    if default_cache.add(GENERATION_KEY, 1, timeout=None):
        return
    try:
        default_cache.incr(GENERATION_KEY)
    except ValueError:  # expired between the two calls
        default_cache.set(GENERATION_KEY, 1, timeout=None)


_thread = threading.local()


def record_changed(sender: type, **kwargs: Any) -> None:
    """A record was saved or deleted: the generation moves when its transaction commits (once
    per transaction, however many records it wrote; not at all if it rolls back), and at once
    if this thread has kept a page since it last moved the generation (that page may show
    what this transaction is changing)."""
    meta = sender._meta
    if meta.app_label in IGNORED_APPS or meta.label_lower in IGNORED_MODELS:
        return
    if kwargs.get("update_fields") == SIGN_IN_ONLY and meta.label_lower == "auth.user":
        return  # signing in notes the time on the user; no page shows it
    if getattr(_thread, "kept", False):
        _thread.kept = False
        data_changed()
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        here = set(connection.savepoint_ids)
        if any(
            sids == here and func is data_changed for sids, func, *_ in connection.run_on_commit
        ):
            return
    transaction.on_commit(data_changed, robust=True)


# Tables written and deleted only in bulk by imports and recomputes, millions of rows at a
# time: a deletion listener would stop PostgreSQL deleting them in one statement (Django
# would fetch every row to signal it). Their changes move the generation through the import
# batch that wrote them, or through ``data_changed()``.
BULK_TABLES = frozenset(
    {
        "metrics.appointmentcount",
        "metrics.gpadpracticemonth",
        "metrics.gpadcoverage",
        "metrics.measurevalue",
        "metrics.measuredecile",
        "metrics.rollupmember",
        "arrs.nwrsstaffcount",
        "arrs.inpostcount",
        "arrs.claim",
    }
)


def connect() -> None:
    """Listen for saved and deleted records (called from CoreConfig.ready)."""
    post_save.connect(record_changed, dispatch_uid="page-cache-save")
    m2m_changed.connect(record_changed, dispatch_uid="page-cache-m2m")
    for model in apps.get_models():
        meta = model._meta
        if meta.label_lower in BULK_TABLES or meta.app_label in IGNORED_APPS:
            continue
        post_delete.connect(record_changed, sender=model, dispatch_uid=f"page-cache-{meta.label}")


# --- the release ---------------------------------------------------------------------------


SOURCE_SUFFIXES = frozenset({".py", ".jinja", ".json", ".html"})
NOT_SOURCE = frozenset({"node_modules", "var", "staticfiles", "docs", "bench", "static"})


@cache
def release() -> str:
    """What this running portal was built from: every template and Python file of the project
    (name, size and time of change) and the static files' manifest, so that a deployment
    never serves a page drawn by the previous one."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if folder.name in NOT_SOURCE:
            continue
        for path in sorted(folder.rglob("*")):
            if (
                path.suffix in {".py", ".jinja", ".json", ".html"}
                and "__pycache__" not in path.parts
            ):
                stat = path.stat()
                digest.update(
                    f"{path.relative_to(root)}|{stat.st_size}|{stat.st_mtime_ns}".encode()
                )
    manifest = Path(settings.STATIC_ROOT or "") / "staticfiles.json"
    if settings.STATIC_ROOT and manifest.exists():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


# --- pages -------------------------------------------------------------------------------


def page_key(request: HttpRequest, *more: str) -> str:
    """The key of what ``request`` is answered with: the release, the data's generation, the
    reader (user, staff flag, roles), today and the full path, and ``more`` (the format)."""
    scope = scope_for(request)
    roles = sorted((a.role, a.organisation_id) for a in scope.assignments)
    parts = [
        release(),
        str(generation()),
        str(request.user.pk),
        str(bool(request.user.is_staff)),
        repr(roles),
        timezone.localdate().isoformat(),
        request.get_full_path(),
        *more,
    ]
    return "page-cache:page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def kept_data(key: str, compute: Callable[[], Any], keep: Callable[[Any], bool]) -> Any:
    """What ``compute`` answers, kept under ``key`` (from ``page_key``) when ``keep`` says
    so: the API keeps a list's serialised records this way."""
    timeout = seconds()
    if not timeout:
        return compute()
    found = default_cache.get(key)
    if found is not None:
        return found
    answer = compute()
    if keep(answer):
        default_cache.set(key, answer, timeout)
        _thread.kept = True
    return answer


def _keepable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
    )


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Keep a figure page's answer under the data's version (see the module's notes). For
    read-only pages of figures; put it inside ``portal_page`` so access is checked first."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        timeout = seconds()
        if (
            not timeout
            or request.method != "GET"
            or not request.user.is_authenticated
            or len(get_messages(request))
        ):
            return view(request, *args, **kwargs)
        key = page_key(request)
        kept = default_cache.get(key)
        if kept is not None:
            return _answer(request, kept)
        response = view(request, *args, **kwargs)
        if _keepable(response):
            kept = _TOKEN_FIELD.sub(rb"\1" + _TOKEN_SLOT + rb"\2", response.content)
            default_cache.set(key, kept, timeout)
            _thread.kept = True  # a write this thread makes next may change what it shows
        return response

    return wrapped


def _answer(request: HttpRequest, content: bytes) -> HttpResponse:
    token = get_token(request).encode()
    body = _TOKEN_REFILL.sub(lambda m: m.group(1) + token + m.group(2), content)
    return HttpResponse(body, content_type="text/html; charset=utf-8")
