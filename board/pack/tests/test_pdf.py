"""The board pack PDF is tagged for PDF/UA: read back with pypdf, its catalogue says so and
its structure tree has the headings, the reading order and the charts' alternative text."""

from __future__ import annotations

import io

from pypdf import PdfReader

from board.pack.document import pack_pdf
from board.pack.tests.conftest import COVER


def structure(node, found: list) -> list:
    """The structure elements under ``node`` in reading order (depth first), as
    (tag, alternative text)."""
    node = node.get_object()
    if node.get("/S"):
        found.append((str(node["/S"]), node.get("/Alt")))
    kids = node.get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object()
        if hasattr(kid, "keys"):
            structure(kid, found)
    return found


def read(pack, page) -> PdfReader:
    return PdfReader(io.BytesIO(pack_pdf(pack, page)))


def test_the_pdf_is_tagged_with_its_language_and_title(unmade, page):
    reader = read(unmade, page)

    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title == COVER["title"]
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp and COVER["title"] in xmp


def test_the_structure_has_headings_in_order_and_every_chart_says_what_it_shows(unmade, page):
    elements = structure(read(unmade, page).trailer["/Root"]["/StructTreeRoot"], [])

    tags = [tag for tag, _ in elements]
    headings = [int(tag[2]) for tag in tags if tag in ("/H1", "/H2", "/H3")]
    assert headings[0] == 1 and headings.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(headings, headings[1:], strict=False))  # no level skipped
    assert "/Link" not in tags  # a printed pack has no portal to link to
    figures = [(index, alt) for index, (tag, alt) in enumerate(elements) if tag == "/Figure"]
    assert figures and all(alt for _, alt in figures)
    charts = [(index, alt) for index, alt in figures if "chart of" in alt]
    assert len(charts) == len(page.spc_sections) + len(page.spread_sections) == 12
    # Each chart is read after its own heading (h3) and in the dashboard's order.
    landmarks = ("/H1", "/H2", "/H3", "/Figure")
    for index, _ in charts:
        assert [tag for tag in tags[:index] if tag in landmarks][-1] == "/H3"
    spc = [alt for _, alt in charts[:6]]
    assert [alt.split(" for ")[0] for alt in spc] == [
        f"SPC chart of {trend.definition.title.lower()}" for trend in page.dashboard.trends
    ]
    same_day = spc[1]
    assert same_day.startswith(
        "SPC chart of same-day appointments for NHS Somerset ICB, Sep 2024 to Oct 2025, 14 months."
    )
    assert "Latest: 35.9% in Oct 2025" in same_day and "process limits" in same_day
    ranked = charts[6][1]
    assert ranked.startswith("Ranked chart of appointments per 1,000 patients across")
    assert "England:" in ranked
    # The SPC icons beside each headline measure say what they mean.
    assert "Icon: no sign of a real change" in [alt for _, alt in figures]
