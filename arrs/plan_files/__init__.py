"""The workforce plan spreadsheet: the template a PCN manager downloads, and reading it back.

The template names the PCN, the financial year and the as-at date above a table with one
row per ARRS role: its band, WTE in post now, then intended WTE under date headings the PCN
may change (quarter ends and 31 March to begin with) or add to. Reading checks the whole
file and reports every problem by spreadsheet row and column; a blank cell stays blank.
"""

from arrs.plan_files.layout import HEADER_ROW, SHEET
from arrs.plan_files.reading import Expected, PlanFile, PlanRow, plan_file_read
from arrs.plan_files.template import TemplateRole, plan_template_build

__all__ = [
    "HEADER_ROW",
    "SHEET",
    "Expected",
    "PlanFile",
    "PlanRow",
    "TemplateRole",
    "plan_file_read",
    "plan_template_build",
]
