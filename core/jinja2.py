"""The Jinja2 environment for pages: our templates first, then the NHS.UK frontend macros."""

from __future__ import annotations

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, FileSystemLoader, PackageLoader

from core import presenters, registry


def _url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def navigation(scope, current: str | None) -> list[dict]:
    """The header's links the apps registered (core.registry.nav) that this reader sees."""
    return [
        {"href": reverse(item.url_name), "text": item.label, "current": current == item.key}
        for item in registry.nav
        if item.visible(scope)
    ]


def environment(**options) -> Environment:
    options["loader"] = ChoiceLoader(
        [
            FileSystemLoader([str(d) for d in settings.TEMPLATES[0]["DIRS"]]),
            PackageLoader("nhsuk_frontend_jinja"),
        ]
    )
    options["undefined"] = ChainableUndefined
    options["autoescape"] = True
    # The NHS macros leave many blank lines; dropping the ones around tags halves page size.
    options["trim_blocks"] = True
    options["lstrip_blocks"] = True
    options.setdefault("extensions", [])
    env = Environment(**options)  # noqa: S701 - autoescape is on, set just above
    env.globals.update(
        {
            "static": static,
            "url": _url,
            "navigation": navigation,
            "get_messages": get_messages,
            "service_name": settings.SERVICE_NAME,
            "service_operator": settings.SERVICE_OPERATOR,
            "nhsuk_asset_path": f"{settings.STATIC_URL}nhsuk/assets",
        }
    )
    env.filters.update(presenters.FILTERS)
    for entry in registry.jinja_filters:  # each app's presenters, registered in its ready()
        env.filters.update(entry.filters)
    return env
