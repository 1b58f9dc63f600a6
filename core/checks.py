"""System checks of what the apps registered (``manage.py check``, and every start-up of
``runserver``, ``migrate`` and the test run): a registration that points at nothing is an
error at start-up, not a 500 on the page that draws it. Keys registered twice already fail
at registration (``core.registry.Registry.register``)."""

from __future__ import annotations

from django.core.checks import Error, register
from django.template import TemplateDoesNotExist, engines
from django.urls import NoReverseMatch, reverse

from core import registry


def _template_missing(name: str) -> bool:
    try:
        engines["jinja2"].get_template(name)
    except TemplateDoesNotExist:
        return True
    return False


@register()
def registered_templates_exist(app_configs, **kwargs) -> list[Error]:
    """Every page panel and board section names a template that exists."""
    errors = []
    for panel in registry.panels:
        if panel.level not in registry.PANEL_LEVELS:
            errors.append(
                Error(
                    f"Panel '{panel.key}' is for '{panel.level}', not a page level.", id="core.E101"
                )
            )
        if _template_missing(panel.template):
            errors.append(
                Error(f"Panel '{panel.key}': no template {panel.template}.", id="core.E102")
            )
    for section in registry.board_sections:
        template = getattr(section, "template", None)
        if template and _template_missing(template):
            errors.append(
                Error(f"Board section '{section.key}': no template {template}.", id="core.E103")
            )
    return errors


@register(deploy=False)
def navigation_urls_exist(app_configs, **kwargs) -> list[Error]:
    """Every navigation item's URL name reverses."""
    errors = []
    for item in registry.nav:
        try:
            reverse(item.url_name)
        except NoReverseMatch:
            errors.append(
                Error(f"Navigation '{item.key}': no URL named {item.url_name}.", id="core.E104")
            )
    return errors
