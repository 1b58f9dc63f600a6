"""API token pages: everyone's own tokens, and an ICB manager's view of the tokens of the
people holding roles in their ICB."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.access import scope_for
from core.pages import portal_page, render_page
from core.tokens.forms import ApiTokenForm
from core.tokens.selectors import tokens_in_icbs_of, tokens_of
from core.tokens.services import api_token_create, api_token_revoke


@never_cache
@portal_page
def mine(request: HttpRequest) -> HttpResponse:
    """Anyone with a role: their tokens, and a form to make one. A new token's key is shown
    on the answer to the form, once (the page is not cached and the key is not kept)."""
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        token, new_key = api_token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            days=form.cleaned_data["days"],
            by=request.user,
        )
        form = ApiTokenForm()
    context = {
        "form": form,
        "new_key": new_key,
        "tokens": tokens_of(request.user),
        "scope_manages_icb": scope_for(request).is_icb_manager,
    }
    return render_page(request, "tokens/mine.jinja", context, status=400 if form.errors else 200)


@require_POST
@portal_page
def revoke_mine(request: HttpRequest, pk: int) -> HttpResponse:
    """The token's owner: stops one of their tokens working."""
    token = get_object_or_404(tokens_of(request.user), pk=pk)
    _revoke(request, token)
    return redirect("tokens:mine")


@portal_page
def icb(request: HttpRequest) -> HttpResponse:
    """ICB managers: the tokens of everyone holding a role in their ICB."""
    scope = scope_for(request)
    if not scope.is_icb_manager:
        raise PermissionDenied("Only an ICB's managers see the tokens of its people.")
    return render_page(request, "tokens/icb.jinja", {"tokens": tokens_in_icbs_of(scope)})


@require_POST
@portal_page
def revoke_in_icb(request: HttpRequest, pk: int) -> HttpResponse:
    """ICB managers: stops the token of someone holding a role in their ICB."""
    scope = scope_for(request)
    if not scope.is_icb_manager:
        raise PermissionDenied("Only an ICB's managers revoke the tokens of its people.")
    token = get_object_or_404(tokens_in_icbs_of(scope), pk=pk)
    _revoke(request, token)
    return redirect("tokens:icb")


def _revoke(request: HttpRequest, token) -> None:
    if api_token_revoke(token=token, by=request.user):
        messages.success(request, f"The token {token.name} ({token.prefix}…) was revoked.")
