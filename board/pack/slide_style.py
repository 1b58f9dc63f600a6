"""The NHS look of the board pack slides, built in code rather than kept as a .pptx file.

The deck's theme is rewritten to the NHS identity (Arial, as the NHS.UK service manual names
for where Frutiger is not available; NHS Blue and the NHS palette as the theme colours), so
anything an analyst adds later matches; each slide then gets an NHS Blue title bar with white
text, dark body text (#212B32) and a footer naming the organisation and the page.
"""

from __future__ import annotations

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Inches, Pt

FONT = "Arial"
NHS_BLUE = RGBColor(0x00, 0x5E, 0xB8)
TEXT = RGBColor(0x21, 0x2B, 0x32)
SECONDARY_TEXT = RGBColor(0x4C, 0x62, 0x72)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
PALE_GREY = RGBColor(0xF0, 0xF4, 0xF5)

WIDE, TALL = Inches(13.333), Inches(7.5)
BAR_HEIGHT = Inches(1.05)
MARGIN = Inches(0.5)

# The theme's colour slots, from the NHS identity's colour palette.
THEME_COLOURS = {
    "dk1": "212B32",  # text
    "lt1": "FFFFFF",
    "dk2": "003087",  # NHS Dark Blue
    "lt2": "F0F4F5",  # NHS Pale Grey
    "accent1": "005EB8",  # NHS Blue
    "accent2": "330072",  # NHS Purple
    "accent3": "007F3B",  # NHS Green
    "accent4": "ED8B00",  # NHS Orange
    "accent5": "425563",  # NHS Dark Grey
    "accent6": "41B6E6",  # NHS Light Blue
    "hlink": "005EB8",
    "folHlink": "330072",
}
DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"


def deck_theme(deck) -> None:
    """Rewrite the deck's theme: NHS colours, Arial for headings and body text."""
    part = deck.slide_master.part.part_related_by(RT.THEME)
    theme = etree.fromstring(part.blob)
    theme.set("name", "NHS")
    scheme = theme.find(f".//{{{DRAWING}}}clrScheme")
    scheme.set("name", "NHS")
    for slot, colour in THEME_COLOURS.items():
        holder = scheme.find(f"{{{DRAWING}}}{slot}")
        for child in list(holder):
            holder.remove(child)
        etree.SubElement(holder, f"{{{DRAWING}}}srgbClr", val=colour)
    fonts = theme.find(f".//{{{DRAWING}}}fontScheme")
    fonts.set("name", "NHS")
    for latin in fonts.iter(f"{{{DRAWING}}}latin"):
        latin.set("typeface", FONT)
    part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)


def style_runs(paragraph, *, size: int, colour: RGBColor = TEXT, bold: bool = False) -> None:
    """Arial in the colour and size given, on every run (PowerPoint reads run properties)."""
    for run in paragraph.runs:
        font = run.font
        font.name, font.size, font.bold = FONT, Pt(size), bold
        font.color.rgb = colour


def title_bar(slide, title: str) -> None:
    """The slide's title as white bold text on an NHS Blue bar across the top."""
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = 0, 0, WIDE, BAR_HEIGHT
    shape.fill.solid()
    shape.fill.fore_color.rgb = NHS_BLUE
    shape.line.fill.background()
    frame = shape.text_frame
    frame.text = title
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    frame.margin_left = frame.margin_right = MARGIN
    frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    style_runs(frame.paragraphs[0], size=26 if len(title) < 70 else 20, colour=WHITE, bold=True)


def footer(slide, text: str, number: int) -> None:
    """Grey small print at the foot: what the pack is, and the slide's number."""
    top = TALL - Inches(0.4)
    left = slide.shapes.add_textbox(MARGIN, top, WIDE - Inches(2.5), Inches(0.3))
    right = slide.shapes.add_textbox(WIDE - Inches(1.5), top, Inches(1), Inches(0.3))
    for box, words, align in ((left, text, PP_ALIGN.LEFT), (right, str(number), PP_ALIGN.RIGHT)):
        box.text_frame.text = words
        box.text_frame.paragraphs[0].alignment = align
        style_runs(box.text_frame.paragraphs[0], size=9, colour=SECONDARY_TEXT)


def table_style(table, *, size: int = 12) -> None:
    """A header row in NHS Blue with white text, then rows on white and pale grey."""
    for row_index, row in enumerate(table.rows):
        for cell in row.cells:
            cell.fill.solid()
            if row_index == 0:
                cell.fill.fore_color.rgb = NHS_BLUE
            else:
                cell.fill.fore_color.rgb = WHITE if row_index % 2 else PALE_GREY
            for paragraph in cell.text_frame.paragraphs:
                colour = WHITE if row_index == 0 else TEXT
                style_runs(paragraph, size=size, colour=colour, bold=row_index == 0)


def chart_style(chart) -> None:
    """Arial, in the text colour, for every word in the chart."""
    chart.font.name, chart.font.size = FONT, Pt(12)
    chart.font.color.rgb = TEXT


def axis_title(axis, words: str) -> None:
    axis.has_title = True
    frame = axis.axis_title.text_frame
    frame.text = words
    style_runs(frame.paragraphs[0], size=12, bold=True)
