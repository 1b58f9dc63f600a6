"""Reads for ARRS pages and exports: plans (scoped), staff in post, the board table and money."""

from arrs.selectors.plans import (
    PlanFigures,
    accepted_plans,
    awaiting_review,
    open_rounds_for,
    plan_figures,
    plan_for,
    plan_to_show,
    plans_for,
    rounds_of,
)
from arrs.selectors.spend import PcnSpend, allocations_for, icb_spend, rate_book, spend_by_pcn
from arrs.selectors.staffing import in_post_dates, in_post_snapshots, role_mapping
from arrs.selectors.tables import (
    IN_POST,
    PLAN_IN_POST,
    PLANNED,
    Column,
    FteTable,
    fte_table,
    sum_known,
)

__all__ = [
    "IN_POST",
    "PLANNED",
    "PLAN_IN_POST",
    "Column",
    "FteTable",
    "PcnSpend",
    "PlanFigures",
    "accepted_plans",
    "allocations_for",
    "awaiting_review",
    "fte_table",
    "icb_spend",
    "in_post_dates",
    "in_post_snapshots",
    "open_rounds_for",
    "plan_figures",
    "plan_for",
    "plan_to_show",
    "plans_for",
    "rate_book",
    "role_mapping",
    "rounds_of",
    "spend_by_pcn",
    "sum_known",
]
