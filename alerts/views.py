"""The alerts page (subscriptions and what was sent) and the unsubscribe link's page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from alerts.forms import SubscribeForm
from alerts.links import subscription_for_token
from alerts.models import Frequency
from alerts.selectors import alerts_sent_to, subscribable_organisations, subscriptions_of
from alerts.services import subscription_save, subscription_stop
from core.access import scope_for
from core.pages import portal_page, render_page


@portal_page
def index(request: HttpRequest) -> HttpResponse:
    """Anyone with a role: their subscriptions (subscribe to an organisation they may read,
    change how often, stop one) and the alerts sent to them."""
    organisations = subscribable_organisations(scope_for(request))
    form = SubscribeForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        org = form.chosen()
        subscription_save(
            user=request.user, organisation=org, frequency=form.cleaned_data["frequency"]
        )
        messages.success(request, f"You will get alerts about {org.name}.")
        return redirect("alerts:index")
    context = {
        "form": form,
        "frequencies": Frequency.choices,
        "subscriptions": list(subscriptions_of(request.user)),
        "sent": list(alerts_sent_to(request.user)),
        "nav": "alerts",
    }
    return render_page(request, "alerts/index.jinja", context, status=400 if form.errors else 200)


@require_POST
@portal_page
def stop(request: HttpRequest, pk: int) -> HttpResponse:
    """The subscriber: no more alerts about that organisation."""
    subscription = get_object_or_404(subscriptions_of(request.user), pk=pk)
    subscription_stop(subscription=subscription)
    messages.success(request, f"You will no longer get alerts about {subscription.organisation}.")
    return redirect("alerts:index")


# The signed token is what proves the request (no session is needed), and mail programs
# send the one-click unsubscribe (RFC 8058) as a POST with no CSRF token.
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone holding the link from an alert email: asks to confirm (a GET changes nothing,
    so a mail program checking links does not unsubscribe anyone), then stops that
    subscription."""
    subscription = subscription_for_token(token)
    if subscription is None:
        raise Http404("This unsubscribe link is not valid.")
    if request.method == "POST":
        subscription_stop(subscription=subscription)
    context = {"subscription": subscription, "token": token, "done": not subscription.active}
    return render_page(request, "alerts/unsubscribe.jinja", context)
