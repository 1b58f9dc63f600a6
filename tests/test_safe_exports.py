"""Every CSV and Excel download is safe to open in a spreadsheet: organisation, PCN, practice
and role names (and codes) that look like formulas come back quoted in a CSV and as text in a
workbook, while figures, negative ones too, stay numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook
from pptx import Presentation

from access_portal.api_urls import router
from arrs.models import Allocation, ArrsRole
from arrs.services import workforce_plan_review, workforce_plan_submit, workforce_plan_upload
from arrs.tests.plans import as_upload, filled, plan_file, plan_round
from board.dashboard.tests.data import measure_months_load
from core.exports import formula_like
from practices.models import Organisation
from tests.api import api_as
from tests.pages import page_as

PCN_NAME = '=HYPERLINK("http://x","y")'
PCN_CODE = "-U00002"  # Excel reads it as minus cell U2
PRACTICE_NAME = "@SUM(A1)"
PRACTICE_CODE = "+L85003"
ROLE_NAME = "=1+1 Clinical Pharmacist"
QUOTED_NUMBER = re.compile(r"'[+-]?[\d.,]+%?")
NEGATIVE_NUMBER = re.compile(r"-\d+(\.\d+)?([eE][+-]?\d+)?")


def names_made_hostile(tree) -> None:
    """PCN U00002 and practice L85003 renamed (and recoded) to look like formulas, once their
    figures are loaded under the real codes."""
    Organisation.objects.filter(pk=tree.pcn_b.pk).update(name=PCN_NAME, code=PCN_CODE)
    practice = tree.practices["L85003"]
    Organisation.objects.filter(pk=practice.pk).update(name=PRACTICE_NAME, code=PRACTICE_CODE)


@pytest.fixture
def measures(tree):
    """Fourteen months of access figures (L85003's same-day share falls in the last month,
    so its change on a year before is negative), then the hostile names."""
    measure_months_load(tree)
    names_made_hostile(tree)
    return tree


@pytest.fixture
def workforce(tree, pcn_manager, icb_manager):
    """U00001's accepted ARRS plan, allocations that U00001's plan overspends (negative
    headroom), then the hostile names and a hostile role name."""
    rnd = plan_round(tree.icb)
    upload = plan_file(tree.pcn_a, {"Clinical Pharmacist": (2, 2.5, None, 3)})
    plan = workforce_plan_upload(pcn=tree.pcn_a, plan_round=rnd, upload=upload, user=pcn_manager)
    submitted = workforce_plan_submit(plan=plan.plan, user=pcn_manager)
    workforce_plan_review(plan=submitted, user=icb_manager, accept=True)
    for pcn, amount in ((tree.pcn_a, "1000"), (tree.pcn_b, "300000")):
        Allocation.objects.create(pcn=pcn, financial_year=2026, amount=Decimal(amount))
    ArrsRole.objects.filter(code="clinical_pharmacist").update(name=ROLE_NAME)
    names_made_hostile(tree)
    return tree


@dataclass(frozen=True)
class Download:
    data: str  # the fixture that loads its figures
    path: str  # reversed once the hostile codes are in place
    args: tuple = ()
    query: str = ""
    quoted: tuple[str, ...] = field(default=())
    negative: bool = False

    def url(self) -> str:
        return reverse(self.path, args=self.args) + self.query


MEASURE = "same_day_pct"
CSV_DOWNLOADS = {
    "access table": Download(
        "measures", "metrics:access_csv", query="?icb=QSL",
        quoted=(PCN_NAME, PCN_CODE, PRACTICE_NAME, PRACTICE_CODE),
    ),
    "practice access figures": Download(
        "measures", "metrics:org_access_csv", ("practice", PRACTICE_CODE),
        quoted=(PRACTICE_CODE,), negative=True,
    ),
    "pcn access figures": Download(
        "measures", "metrics:org_access_csv", ("pcn", PCN_CODE), quoted=(PCN_CODE,)
    ),
    "practice access chart": Download(
        "measures", "metrics:org_access_csv", ("practice", PRACTICE_CODE),
        query=f"?measure={MEASURE}", quoted=(PRACTICE_CODE,),
    ),
    "practice list sizes": Download(
        "measures", "practices:list_sizes_csv", (PRACTICE_CODE,), quoted=(PRACTICE_CODE,)
    ),
    "pcn list sizes": Download(
        "measures", "pcns:list_sizes_csv", (PCN_CODE,), quoted=(PCN_CODE,)
    ),
    "spc chart": Download(
        "measures", "dashboard:spc_csv", ("pcn", PCN_CODE, MEASURE), quoted=(PCN_CODE,)
    ),
    "variation chart": Download(
        "measures", "dashboard:spread_csv", ("icb", "QSL", MEASURE),
        quoted=(PCN_NAME, PCN_CODE),
    ),
    "arrs fte by role": Download(
        "workforce", "arrs:fte_csv", query="?year=2026", quoted=(ROLE_NAME,)
    ),
    "arrs pcn fte by role": Download(
        "workforce", "arrs:pcn_fte_csv", ("U00001",), query="?year=2026", quoted=(ROLE_NAME,)
    ),
    "arrs spend": Download(
        "workforce", "arrs:spend_csv", query="?year=2026",
        quoted=(PCN_NAME, PCN_CODE), negative=True,
    ),
    # Its summaries quote the hostile names mid-sentence: no cell may begin like a formula.
    "audit log": Download("workforce", "audit:csv"),
}  # fmt: skip


def csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_safe(cells: list[str], quoted: tuple[str, ...], negative: bool) -> None:
    """No cell a spreadsheet would take for a formula, each hostile name behind a quote, no
    number behind one, and a negative figure written as a plain number where there is one."""
    assert [cell for cell in cells if formula_like(cell)] == []
    for name in quoted:
        assert "'" + name in cells
    assert [cell for cell in cells if QUOTED_NUMBER.fullmatch(cell)] == []
    if negative:
        assert any(NEGATIVE_NUMBER.fullmatch(cell) for cell in cells)


@pytest.mark.parametrize("name", sorted(CSV_DOWNLOADS))
def test_every_csv_download_quotes_formula_like_names_and_keeps_numbers(
    client, request, icb_manager, name
):
    download = CSV_DOWNLOADS[name]
    request.getfixturevalue(download.data)

    response = page_as(client, icb_manager, download.url())

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert_safe(csv_cells(response.content.decode()), download.quoted, download.negative)


def _url_names(patterns, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_csv_page_in_the_portal_is_in_the_list_above():
    """A new CSV download must be added to CSV_DOWNLOADS, so it is checked too."""
    csv_pages = {name for name in _url_names(get_resolver().url_patterns) if name.endswith("csv")}

    assert csv_pages == {download.path for download in CSV_DOWNLOADS.values()}


# --- The API's ?format=csv -----------------------------------------------------------------

API_QUOTED = {
    "pcns": (PCN_NAME, PCN_CODE),
    "practices": (PRACTICE_NAME, PRACTICE_CODE),
    "memberships": (PCN_CODE, PRACTICE_CODE),
    "list-sizes": (PRACTICE_CODE,),
    "arrs/roles": (ROLE_NAME,),
    "arrs/allocations": (PCN_CODE,),
    "arrs/workforce-plans": (ROLE_NAME,),
    "arrs/spend": (PCN_NAME, PCN_CODE),
}
API_QUERY = {"arrs/spend": "financial_year=2026"}


@pytest.mark.parametrize("prefix", [prefix for prefix, _, _ in router.registry])
def test_every_api_list_as_csv_quotes_formula_like_names_and_keeps_numbers(
    workforce, icb_manager, prefix
):
    query = "&".join(["format=csv", *filter(None, [API_QUERY.get(prefix)])])

    response = api_as(icb_manager).get(f"/api/v1/{prefix}/?{query}")

    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    assert_safe(csv_cells(text), API_QUOTED.get(prefix, ()), prefix == "arrs/spend")


# --- Workbooks -----------------------------------------------------------------------------


def workbook_cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_text_not_formulas(cells: list, names: tuple[str, ...]) -> None:
    """No formula cell; each hostile name there as the text itself, quote-prefixed."""
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    for name in names:
        found = [cell for cell in cells if cell.value == name]
        assert found, name
        assert all(cell.data_type == "s" and cell.quotePrefix for cell in found)
    assert [cell.value for cell in cells if formula_like(cell.value) and not cell.quotePrefix] == []


def test_the_plan_template_writes_a_formula_like_pcn_name_as_text(client, workforce, icb_manager):
    response = page_as(client, icb_manager, reverse("arrs:template", args=[PCN_CODE]))

    assert response.status_code == 200
    cells = workbook_cells(response.content)
    assert_text_not_formulas(cells, (PCN_NAME, PCN_CODE, ROLE_NAME))
    assert any(isinstance(cell.value, dt.datetime) for cell in cells)


def test_the_plan_template_with_formula_like_names_reads_back_as_a_plan(
    client, workforce, icb_manager
):
    """Names are stored unchanged, so a filled-in template still names its roles."""
    client.force_login(icb_manager)
    template = client.get(reverse("arrs:template", args=[PCN_CODE])).content
    upload = as_upload(filled(template, {ROLE_NAME: (1, 1, 1, 1)}))
    pcn = Organisation.objects.get(code=PCN_CODE)
    rnd = plan_round(workforce.icb, label="October")

    result = workforce_plan_upload(pcn=pcn, plan_round=rnd, upload=upload, user=icb_manager)

    assert result.plan is not None, result


def test_the_arrs_fte_workbook_writes_a_formula_like_role_as_text_and_figures_as_numbers(
    client, workforce, icb_manager
):
    response = page_as(client, icb_manager, reverse("arrs:fte_xlsx") + "?year=2026")

    cells = workbook_cells(response.content)
    assert_text_not_formulas(cells, (ROLE_NAME,))
    row = next(cell.row for cell in cells if cell.value == ROLE_NAME)
    figures = [cell.value for cell in cells if cell.row == row and cell.column > 2]
    assert figures == [2.5, None, 3.0]  # 31 December is blank in the plan


COVER = {
    "month": "2025-10",
    "title": '=HYPERLINK("http://x","Access")',
    "meeting": "+Primary Care Commissioning Committee",
    "meeting_date": "2025-12-03",
    "executive_lead": "-Chief Delivery Officer",
    "purpose": "@To show the board where access is improving.",
    "ask": "The board is asked to note the position.",
}


@pytest.fixture
def pack(client, measures, board_member, celery_eager, django_capture_on_commit_callbacks):
    from board.pack.models import BoardPack

    client.force_login(board_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/board-packs/new/icb/QSL/", COVER)
    assert response.status_code == 302
    return BoardPack.objects.get()


def test_the_board_pack_workbook_writes_formula_like_text_as_text_and_numbers_as_numbers(pack):
    cells = workbook_cells(pack.xlsx.read())

    cover = tuple(COVER[key] for key in ("title", "meeting", "executive_lead", "purpose"))
    assert_text_not_formulas(cells, (PCN_NAME, PCN_CODE, *cover))
    changes = [
        cell.value
        for cell in cells
        if cell.parent.title == "Headline measures" and cell.column == 5 and cell.row > 1
    ]
    assert any(isinstance(value, float) and value < 0 for value in changes), changes


def test_the_board_pack_slides_chart_data_holds_no_formula(pack):
    """The variation charts' data sheets (opened by Edit data) hold the PCNs' names."""
    deck = Presentation(io.BytesIO(pack.pptx.read()))
    charts = [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]

    sheets = [workbook_cells(chart.part.chart_workbook.xlsx_part.blob) for chart in charts]

    assert [cell.coordinate for cells in sheets for cell in cells if cell.data_type == "f"] == []
    names = {cell.value for cells in sheets for cell in cells}
    assert "'" + PCN_NAME in names
