"""An automated accessibility check for browser tests: axe-core (from npm, see package.json)
run inside the page."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 A and AA, which NHS services must meet, and axe's own best practices.
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_violations(page) -> list[dict]:
    """Every axe violation on the page as it stands, each with the elements it found."""
    if not page.evaluate("() => Boolean(window.axe)"):
        # Run as the test's own script, not added to the page as an inline <script>, which
        # the portal's Content-Security-Policy refuses.
        page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", RULES
    )
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "where": [node["target"] for node in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def fits_and_passes_axe(page, widths: tuple[int, ...] = (390, 1366)) -> None:
    """At a phone's width and a laptop's: no axe violation and no page-wide horizontal
    scrolling (tables scroll in their own region)."""
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], width
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
