"""Pages every user meets: home, sign-in, error pages and the footer's information pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import resolve, reverse
from django.utils import timezone

from core import registry
from core.access import scope_for
from core.page_cache import cached_page
from core.pages import portal_page, render_page
from core.presenters import LIST_SIZE_SOURCE
from core.selectors_home import has_unfinished_imports, icb_todo, pcn_work
from metrics.selectors import source_titles
from practices.selectors import icb_overviews


class SignInView(LoginView):
    """Anyone may sign in."""

    template_name = "registration/login.jinja"
    redirect_authenticated_user = True


def sign_in_locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The sign-in page again, saying why it refused (django-axes calls this once an
    account or address has failed too often; AXES_LOCKOUT_CALLABLE). Status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        # Unbound: validating it would try the password again and count another failure.
        "form": AuthenticationForm(request, initial={"username": request.POST.get("username")}),
        "next": request.POST.get("next", ""),
        "locked_out_minutes": minutes,
    }
    return render_page(request, "registration/login.jinja", context, status=429)


@portal_page
def home(request: HttpRequest) -> HttpResponse:
    """For anyone with a role, each landing where their work is. Board members get their
    ICB's access dashboard. PCN managers see their PCNs first: plans the ICB returned and the
    open plan rounds. ICB managers see what waits for them (plans to review, imports that
    failed or are stuck, rounds past their due date, sources behind the latest month). Both
    then see their ICB at a glance; staff with no ICB are pointed onwards.

    Kept under the data's version like the figure pages, except while one of the reader's
    imports is queued or running: that import may become stuck with no record changing, so
    the page is then drawn afresh each time."""
    if has_unfinished_imports(scope_for(request)):
        return _home(request)
    return _home_kept(request)


def _home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    if scope.is_board_member and not (scope.is_icb_manager or scope.is_pcn_manager):
        return _board_dashboard(request)
    today = timezone.localdate()
    context = {
        "overviews": icb_overviews(scope.icb_ids, today),
        "list_size_source": LIST_SIZE_SOURCE,
        "today": today,
        "pcn_work": pcn_work(scope, today),
        "todo": icb_todo(scope, today),
        "source_titles": source_titles(),
        "lease_minutes": max(1, settings.IMPORT_LEASE_SECONDS // 60),
    }
    return render_page(request, "home.jinja", context)


_home_kept = cached_page(_home)


def _board_dashboard(request: HttpRequest) -> HttpResponse:
    """The board's dashboard, drawn here by the view at its address: core names the page,
    not the app that draws it."""
    return resolve(reverse("dashboard:index")).func(request)


@login_required
def data_sources(request: HttpRequest) -> HttpResponse:
    """Every signed-in user: the sources the portal loads, who publishes them and how often."""
    return render_page(request, "data_sources.jinja", {"sources": list(registry.sources)})


def accessibility(request: HttpRequest) -> HttpResponse:
    """Anyone, signed in or not: the sign-in page links to it, so it cannot be behind it."""
    return render_page(request, "accessibility.jinja")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Shown to anyone who asks for a page or organisation outside their access."""
    return render_page(request, "403.jinja", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """Shown when the portal fails: the portal's own page, rendered without the database or
    the user (either may be what failed)."""
    now = timezone.localtime().strftime("%d %B %Y, %H:%M")
    return HttpResponse(render_to_string("500.jinja", {"now": now}), status=500)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Shown to anyone who asks for a page or code that does not exist."""
    return render_page(request, "404.jinja", status=404)
