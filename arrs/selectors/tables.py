"""The board table "WTE of each ARRS role - current and future plans": one row per role,
a column for each chosen in-post date and each intended-WTE date.

A cell sums the PCNs' figures; totals are sums of the unrounded cells, so rounding happens
only when a figure is shown. A cell no PCN has a figure for is blank, not zero. A planned
cell sums only the figures plans state for that date: a blank in a plan is not filled from
the figure before it (money does carry figures forward, ``arrs.money``).

An ICB may hold its own whole-ICB totals with no split by PCN. In the ICB's table (all its
PCNs, ``icb_id`` given) an in-post column takes them only on a date no PCN has figures for:
an ICB total and its PCNs' figures are never added together, and the column says which it
is (``icb_level``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from arrs.models import ArrsRole
from arrs.selectors.plans import PlanFigures
from arrs.selectors.staffing import InPostSnapshot, icb_in_post, in_post_snapshots

IN_POST, PLANNED, PLAN_IN_POST = "in_post", "planned", "plan_in_post"


@dataclass(frozen=True)
class Column:
    kind: str
    on: dt.date


@dataclass(frozen=True)
class FteRow:
    role: ArrsRole
    values: tuple[Decimal | None, ...]


@dataclass(frozen=True)
class FteTable:
    columns: tuple[Column, ...]
    rows: tuple[FteRow, ...]
    totals: tuple[Decimal | None, ...]
    reporting: tuple[int, ...]
    pcn_count: int
    plans_counted: int
    # Per column: True where it is the ICB's own whole-ICB total (no PCN split that date).
    icb_level: tuple[bool, ...] = ()
    # ICB totals held for in-post dates that have PCN figures, so are not used.
    icb_level_unused: tuple[dt.date, ...] = ()

    def is_icb_level(self, index: int) -> bool:
        return bool(self.icb_level) and self.icb_level[index]


def sum_known(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of the figures given; None when none was (blank is not zero)."""
    known = [value for value in values if value is not None]
    return sum(known, Decimal(0)) if known else None


def fte_table(
    *,
    pcn_ids: Sequence[int],
    columns: Sequence[Column],
    plans: dict[int, PlanFigures],
    roles: Sequence[ArrsRole],
    icb_id: int | None = None,
) -> FteTable:
    """The table for these PCNs: ``plans`` maps PCN id to the figures of its accepted plan.
    ``icb_id``: the table is the whole ICB's (all its PCNs), so its own whole-ICB totals
    fill an in-post column no PCN has figures for."""
    in_post_days = [c.on for c in columns if c.kind == IN_POST]
    snapshots = in_post_snapshots(pcn_ids, in_post_days) if in_post_days else {}
    totals_held = icb_in_post(icb_id, in_post_days) if icb_id and in_post_days else {}
    with_pcns = {day for _, day in snapshots}
    icb_level = tuple(
        c.kind == IN_POST and c.on in totals_held and c.on not in with_pcns for c in columns
    )
    rows = tuple(
        FteRow(
            role,
            tuple(
                totals_held[c.on].get(role.pk)
                if whole
                else _cell(role.pk, c, pcn_ids, snapshots, plans)
                for c, whole in zip(columns, icb_level, strict=True)
            ),
        )
        for role in roles
    )
    totals = tuple(sum_known(row.values[i] for row in rows) for i in range(len(columns)))
    reporting = tuple(_reporting(c, pcn_ids, snapshots, plans) for c in columns)
    return FteTable(
        columns=tuple(columns),
        rows=rows,
        totals=totals,
        reporting=reporting,
        pcn_count=len(pcn_ids),
        plans_counted=len([pcn_id for pcn_id in pcn_ids if pcn_id in plans]),
        icb_level=icb_level,
        icb_level_unused=tuple(sorted(day for day in totals_held if day in with_pcns)),
    )


def _cell(
    role_id: int,
    column: Column,
    pcn_ids: Sequence[int],
    snapshots: dict[tuple[int, dt.date], InPostSnapshot],
    plans: dict[int, PlanFigures],
) -> Decimal | None:
    if column.kind == IN_POST:
        found = (snapshots.get((pcn_id, column.on)) for pcn_id in pcn_ids)
        return sum_known(snapshot.value(role_id) for snapshot in found if snapshot)
    stated = [plans[pcn_id] for pcn_id in pcn_ids if pcn_id in plans]
    if column.kind == PLAN_IN_POST:
        return sum_known(figures.in_post.get(role_id) for figures in stated)
    return sum_known(figures.planned(role_id, column.on) for figures in stated)


def _reporting(column: Column, pcn_ids, snapshots, plans) -> int:
    """How many PCNs the column has figures from: for a planned column, the PCNs whose plan
    gives a figure for that date."""
    if column.kind == IN_POST:
        return sum(1 for pcn_id in pcn_ids if (pcn_id, column.on) in snapshots)
    stated = [plans[pcn_id] for pcn_id in pcn_ids if pcn_id in plans]
    if column.kind == PLAN_IN_POST:
        return sum(1 for figures in stated if figures.states_in_post())
    return sum(1 for figures in stated if figures.states_intended(column.on))
