"""The board pack as a PDF: an HTML page of its own, printed by WeasyPrint.

Charts are the dashboard's figures drawn to SVG by ``core.dashboard.svg`` (no browser is
needed), so the PDF shows the same charts as the page.
"""

from __future__ import annotations

import logging

from django.template.loader import render_to_string
from markupsafe import Markup

from core.boardpack.models import BoardPack
from core.dashboard.page import ChartSection, DashboardPage
from core.dashboard.svg import figure_svg

CHART_WIDTH = 900
# WeasyPrint reports every layout step at INFO; keep the worker's log to what matters.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(
    logging.WARNING
)  # drawn at this size, scaled to the page width by the stylesheet


def chart_svg(section: ChartSection) -> Markup:
    return Markup(figure_svg(section.figure, width=CHART_WIDTH, title=section.title))  # noqa: S704 - built from escaped parts


def pack_html(pack: BoardPack, page: DashboardPage) -> str:
    context = {"pack": pack, "page": page, "dashboard": page.dashboard, "chart_svg": chart_svg}
    return render_to_string("boardpack/pack.jinja", context)


def pack_pdf(pack: BoardPack, page: DashboardPage) -> bytes:
    from weasyprint import HTML

    return HTML(string=pack_html(pack, page)).write_pdf()
