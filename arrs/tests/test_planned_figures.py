"""Planned columns show only what plans state: a blank stays blank, a date no plan gives has
no column, an intended figure on the plan's own date is kept, and the chart draws planned
and in-post FTE as two different things, each saying how many PCNs it covers."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.urls import reverse

from arrs.filters import workforce_view
from arrs.presenters import fte_body
from arrs.selectors import PLANNED, Column, FteTable, accepted_plans, fte_table, plan_figures
from arrs.selectors.tables import IN_POST, FteRow
from arrs.services import workforce_plan_review, workforce_plan_submit, workforce_plan_upload
from arrs.services.plans import roles_for_year
from arrs.tests.conftest import accepted
from arrs.tests.plans import as_upload, filled, plan_round, template_for
from tests.pages import page_as, visible_text

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 8, 15)
JUN_30, SEP_30, DEC_31, MAR_31 = (
    dt.date(2026, 6, 30),
    dt.date(2026, 9, 30),
    dt.date(2026, 12, 31),
    dt.date(2027, 3, 31),
)


def _table(tree, rnd, columns) -> FteTable:
    pcns = [tree.pcn_a.pk, tree.pcn_b.pk, tree.pcn_c.pk]
    figures = {f.plan.pcn_id: f for f in plan_figures(accepted_plans(pcns, rnd).values()).values()}
    return fte_table(pcn_ids=pcns, columns=columns, plans=figures, roles=roles_for_year(2026))


def _values(table: FteTable, code: str) -> tuple:
    return next(row.values for row in table.rows if row.role.code == code)


def test_a_blank_intended_cell_stays_blank_and_is_not_the_in_post_figure(tree, plans):
    # U00001: 2 pharmacists in post on 31 July, 2.5 at 30 Sep, blank at 31 Dec, 3 at 31 Mar
    table = _table(tree, plans.round, [Column(PLANNED, d) for d in (SEP_30, DEC_31, MAR_31)])

    assert _values(table, "clinical_pharmacist") == (Decimal("2.5"), None, Decimal("3"))
    assert table.totals == (Decimal("2.5"), None, Decimal("3"))
    assert table.reporting == (1, 0, 1)


def test_a_role_left_blank_after_its_in_post_figure_is_not_carried_forward(tree, icb_manager):
    rnd = plan_round(tree.icb)
    accepted(tree.pcn_a, rnd, icb_manager, icb_manager, {"Paramedic": (1.5, None, None, None)})
    accepted(tree.pcn_b, rnd, icb_manager, icb_manager, {"Paramedic": (1, 2, None, 2)})

    table = _table(tree, rnd, [Column(PLANNED, d) for d in (SEP_30, DEC_31, MAR_31)])

    assert _values(table, "paramedic") == (Decimal("2"), None, Decimal("2"))
    assert table.reporting == (1, 0, 1)


def test_only_dates_an_accepted_plan_states_are_offered_as_planned_columns(tree, plans):
    view = workforce_view(tree.icb, QueryDict("year=2026"), TODAY)

    # the template's quarter ends after 31 July; 30 June 2026 is in no plan
    assert view.planned_choices == [SEP_30, DEC_31, MAR_31]
    assert [c.on for c in view.columns if c.kind == PLANNED] == [SEP_30, DEC_31, MAR_31]


def test_a_year_without_plans_has_no_planned_columns(tree, plans):
    view = workforce_view(tree.icb, QueryDict("year=2023"), TODAY)

    assert view.planned_choices == []
    assert not [c for c in view.columns if c.kind == PLANNED]


def test_the_icb_page_shows_no_column_for_a_date_no_plan_states(client, plans, board_member):
    text = visible_text(page_as(client, board_member, reverse("arrs:icb") + "?year=2026"))

    assert "Planned 30 Jun 2026" not in text
    assert "Planned 30 Sep 2026 Planned 31 Dec 2026 Planned 31 Mar 2027" in text
    assert "Clinical Pharmacist 2.50 – Not planned 3.00" in text


def test_a_blank_planned_cell_is_a_dash_that_says_not_planned():
    table = FteTable(
        columns=(Column(IN_POST, JUN_30), Column(PLANNED, SEP_30)),
        rows=(FteRow(role=_Role("Paramedic"), values=(None, None)),),
        totals=(None, None),
        reporting=(0, 0),
        pcn_count=1,
        plans_counted=1,
    )

    in_post, planned = fte_body(table)[0][1:]

    assert in_post["html"].striptags() == "Not reported"
    assert "–" in planned["html"] and 'aria-hidden="true"' in planned["html"]
    assert planned["html"].striptags() == "– Not planned"


class _Role:
    def __init__(self, name: str) -> None:
        self.name = name


@pytest.fixture
def made_on_31_march(tree, icb_manager):
    """U00001's plan made on 31 March 2027: 1 pharmacist in post that day and 2 intended
    for the same day (the template's only date)."""
    rnd = plan_round(tree.icb)
    data = filled(template_for(tree.pcn_a, today=MAR_31), {"Clinical Pharmacist": (1, 2)})
    upload = workforce_plan_upload(
        pcn=tree.pcn_a, plan_round=rnd, upload=as_upload(data), user=icb_manager
    )
    assert upload.plan is not None, upload.problems
    plan = workforce_plan_submit(plan=upload.plan, user=icb_manager)
    workforce_plan_review(plan=plan, user=icb_manager, accept=True)
    return rnd


def test_an_intended_figure_on_the_plans_own_date_is_kept(tree, made_on_31_march):
    table = _table(tree, made_on_31_march, [Column(PLANNED, MAR_31)])

    assert _values(table, "clinical_pharmacist") == (Decimal("2"),)


def test_the_pcn_page_shows_in_post_and_intended_on_the_same_date(
    client, made_on_31_march, icb_manager
):
    url = reverse("arrs:pcn", args=["U00001"]) + "?year=2026"
    response = page_as(client, icb_manager, url)
    text = visible_text(response)

    assert "In post (plan) 31 Mar 2027 Planned 31 Mar 2027" in text
    assert "Clinical Pharmacist 1.00 2.00" in text
    # the by-role table's planned WTE at 31 March is the intended figure
    assert re.search(r"Clinical Pharmacist (Planned WTE at 31 March )?2\.00 ", text)
    in_post_line, planned_line = _traces(response, "pcn-arrs")
    assert (in_post_line["name"], in_post_line["y"], in_post_line["line"]["dash"]) == (
        "In post",
        [1.0],
        "solid",
    )
    assert (planned_line["name"], planned_line["y"], planned_line["line"]["dash"]) == (
        "Planned",
        [2.0],
        "dash",
    )


def _traces(response, chart_id: str) -> list[dict]:
    html = response.content.decode()
    found = re.search(
        rf'<script type="application/json" id="{chart_id}-figure">(.*?)</script>', html
    )
    assert found, "no chart on the page"
    return json.loads(found.group(1))["data"]


def test_the_chart_draws_planned_and_in_post_apart_with_their_coverage(
    client, plans, in_post, board_member
):
    response = page_as(client, board_member, reverse("arrs:icb") + "?year=2026")
    traces = _traces(response, "arrs-fte")
    caption = "Lines: In post, 2 of 3 PCNs; Planned, 1 of 3 PCNs (dashed)."
    assert caption in visible_text(response)

    assert [t["name"] for t in traces] == ["In post, 2 of 3 PCNs", "Planned, 1 of 3 PCNs"]
    assert [t["line"]["dash"] for t in traces] == ["solid", "dash"]
    in_post_line, planned_line = traces
    assert in_post_line["x"] == ["2026-06-30"]
    assert planned_line["x"] == ["2026-09-30", "2027-03-31"]  # 31 Dec: no PCN gives a figure


def test_a_planned_line_alone_is_still_dashed(client, plans, board_member):
    response = page_as(client, board_member, reverse("arrs:icb") + "?year=2026")

    (planned,) = _traces(response, "arrs-fte")
    assert planned["name"] == "Planned, 1 of 3 PCNs" and planned["line"]["dash"] == "dash"


def test_the_workforce_pages_keep_their_query_counts(
    client, plans, in_post, claims, board_member, django_assert_max_num_queries
):
    client.force_login(board_member)
    # The ICB's own whole-ICB totals cost one query for their dates and one for the figures
    urls = {
        reverse("arrs:icb") + "?year=2026": 32,
        reverse("arrs:spend_csv") + "?year=2026": 27,
        reverse("arrs:fte_csv") + "?year=2026": 29,
        reverse("arrs:pcn", args=["U00001"]) + "?year=2026": 40,
    }
    for url in urls:
        client.get(url)  # caches warmed, as on a second visit
    for url, most in urls.items():
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200
