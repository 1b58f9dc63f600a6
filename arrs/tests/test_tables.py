"""The board table and the money figures, from the database."""

import datetime as dt
from decimal import Decimal

import pytest

from arrs.models import Allocation, ArrsRole, InPostCount
from arrs.presenters import fte_body, wte
from arrs.selectors import (
    IN_POST,
    PLANNED,
    Column,
    accepted_plans,
    fte_table,
    icb_spend,
    plan_figures,
    spend_by_pcn,
)
from arrs.services.plans import roles_for_year
from arrs.tests.conftest import accepted
from arrs.tests.plans import plan_round

pytestmark = pytest.mark.django_db
SEP_30, MAR_31 = dt.date(2026, 9, 30), dt.date(2027, 3, 31)


@pytest.fixture
def three_plans(tree, pcn_manager, icb_manager):
    rnd = plan_round(tree.icb)
    for pcn in (tree.pcn_a, tree.pcn_b, tree.pcn_c):
        accepted(
            pcn,
            rnd,
            icb_manager,
            icb_manager,
            {
                "Clinical Pharmacist": (1, 1.005, None, 2),
                "Care Co-ordinator": (0.333, None, None, 0.005),
            },
        )
    return rnd


def table_for(tree, rnd, columns):
    pcns = [tree.pcn_a.pk, tree.pcn_b.pk, tree.pcn_c.pk]
    figures = {f.plan.pcn_id: f for f in plan_figures(accepted_plans(pcns, rnd).values()).values()}
    return fte_table(pcn_ids=pcns, columns=columns, plans=figures, roles=roles_for_year(2026))


def test_cells_and_totals_are_added_before_rounding(tree, three_plans):
    table = table_for(tree, three_plans, [Column(PLANNED, SEP_30), Column(PLANNED, MAR_31)])
    rows = {row.role.code: row.values for row in table.rows}

    # 3 x 1.005 = 3.015 (shown 3.02), not 3 x 1.01 = 3.03
    assert rows["clinical_pharmacist"][0] == Decimal("3.015")
    assert wte(rows["clinical_pharmacist"][0]) == "3.02"
    # blank in September (not 0.333 carried from July); 3 x 0.005 = 0.015 at March (shown
    # 0.02, not 0.03)
    assert rows["care_coordinator"] == (None, Decimal("0.015"))
    assert table.totals == (Decimal("3.015"), Decimal("6.015"))
    assert table.reporting == (3, 3) and table.plans_counted == 3


def test_a_role_nobody_reported_is_blank_and_its_total_too(tree, three_plans):
    table = table_for(tree, three_plans, [Column(PLANNED, dt.date(2026, 6, 30))])

    assert table.totals == (None,)  # every plan starts on 31 July
    assert all(row.values == (None,) for row in table.rows)
    assert fte_body(table)[0][1]["html"].striptags() == "– Not planned"


def test_in_post_counts_blank_apart_from_zero(tree):
    pharmacist = ArrsRole.objects.get(code="clinical_pharmacist")
    paramedic = ArrsRole.objects.get(code="paramedic")
    InPostCount.objects.create(pcn=tree.pcn_a, role=pharmacist, as_at=SEP_30, fte=Decimal("0"))
    InPostCount.objects.create(pcn=tree.pcn_b, role=pharmacist, as_at=SEP_30, fte=Decimal("1.5"))
    InPostCount.objects.create(pcn=tree.pcn_b, role=paramedic, as_at=SEP_30, fte=None)

    table = fte_table(
        pcn_ids=[tree.pcn_a.pk, tree.pcn_b.pk],
        columns=[Column(IN_POST, SEP_30)],
        plans={},
        roles=[pharmacist, paramedic],
    )

    assert [row.values for row in table.rows] == [(Decimal("1.5"),), (None,)]
    assert table.totals == (Decimal("1.5"),) and table.reporting == (2,)


def test_the_icb_projection_is_the_sum_of_its_pcns(tree, three_plans):
    Allocation.objects.create(pcn=tree.pcn_a, financial_year=2026, amount=Decimal("150000"))
    Allocation.objects.create(
        pcn=tree.pcn_b, financial_year=2026, amount=Decimal("175000"), rate_area="inner_london"
    )
    pcns = [tree.pcn_a, tree.pcn_b, tree.pcn_c]
    plans = accepted_plans([p.pk for p in pcns], three_plans)
    figures = {f.plan.pcn_id: f for f in plan_figures(plans.values()).values()}

    rows = spend_by_pcn(pcns=pcns, year=2026, plans=figures)
    total = icb_spend(rows)

    # U00003 has a plan but no allocation: left out of every column of the total
    assert total.included == (tree.pcn_a, tree.pcn_b) and total.no_allocation == (tree.pcn_c,)
    assert total.spend.projected == sum(row.spend.projected for row in rows[:2])
    assert total.spend.allocation == Decimal("325000")
    assert total.spend.headroom == sum(row.spend.headroom for row in rows[:2])
    # inner London amounts are higher, so the same plan costs more in U00002
    assert rows[1].spend.projected > rows[0].spend.projected == rows[2].spend.projected
    assert all(row.spend.projected == row.spend.projected.to_integral_value() for row in rows)
