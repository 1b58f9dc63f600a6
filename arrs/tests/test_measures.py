"""ARRS measures through the generic measures engine: PCN figures from staff in post,
summed to place, ICB, region and England, with SPC-ready monthly values.

Expected figures are worked out here from the rows the test writes (list sizes, amounts
and allocations read back from the database), not from the code under test.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from arrs.models import Allocation, ArrsRole, InPostCount, NwrsStaffCount, ReimbursementRate
from core import registry
from imports.sources.base import Recompute
from metrics.measures.compute import measures_recompute
from metrics.measures.rollups import england
from metrics.models import MeasureDefinition, MeasureValue
from practices.models import ListSize

pytestmark = pytest.mark.django_db

APRIL, MAY = dt.date(2025, 4, 1), dt.date(2025, 5, 1)
WTE = "arrs_wte_per_10000_patients"
SPEND = "arrs_projected_spend_pct"


def role(code: str) -> ArrsRole:
    return ArrsRole.objects.get(code=code)


def counted(pcn, as_at: dt.date, **wte: str) -> None:
    for code, value in wte.items():
        InPostCount.objects.create(pcn=pcn, role=role(code), as_at=as_at, fte=Decimal(value))


def patients(practices, month: dt.date) -> int:
    """The practices' latest list sizes at or before the month, added up."""
    total = 0
    for practice in practices:
        size = (
            ListSize.objects.filter(practice=practice, month__lte=month).order_by("-month").first()
        )
        total += size.all_patients
    return total


def full_year_cost(wte_by_role: dict[str, str], year: int) -> int:
    """Each month of the financial year: WTE x the national amount in force on the 1st
    (latest effective date, then latest published) / 12; whole pounds at the end."""
    cost = Decimal(0)
    for offset in range(12):
        month = dt.date(year + (3 + offset) // 12, (3 + offset) % 12 + 1, 1)
        for code, wte in wte_by_role.items():
            rate = (
                ReimbursementRate.objects.filter(
                    role__code=code, area="national", effective_from__lte=month
                )
                .order_by("-effective_from", "-published_on")
                .first()
            )
            cost += Decimal(wte) * rate.amount / 12
    return int(cost.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def value(code: str, org, month: dt.date) -> MeasureValue:
    return MeasureValue.objects.get(measure_id=code, org=org, period=month)


@pytest.fixture
def in_post(tree):
    # PCN A: the ICB's own count; PCN B: the NWRS census (a role mapped from its staff role).
    counted(tree.pcn_a, dt.date(2025, 4, 30), clinical_pharmacist="2.5", paramedic="1.25")
    NwrsStaffCount.objects.create(
        pcn=tree.pcn_b,
        census_date=dt.date(2025, 4, 30),
        staff_role="Clinical Pharmacist",
        detailed_staff_role="Clinical Pharmacist",
        fte=Decimal("1.6"),
    )
    # A later date in May for PCN A: the month takes its latest date.
    counted(tree.pcn_a, dt.date(2025, 5, 1), clinical_pharmacist="1")
    counted(tree.pcn_a, dt.date(2025, 5, 31), clinical_pharmacist="3")
    Allocation.objects.create(pcn=tree.pcn_a, financial_year=2025, amount=Decimal("250000.40"))
    measures_recompute(recompute=Recompute(everything=True), sources=["arrs"])
    return tree


def test_the_arrs_provider_is_registered_with_definitions_from_its_app():
    assert registry.measure_providers.get("arrs").level == "pcn"
    definitions = MeasureDefinition.objects.filter(source="arrs")
    assert {d.code for d in definitions} == {WTE, SPEND}
    assert all(d.authored_by and d.checked_by and d.next_review for d in definitions)


def test_wte_per_10000_patients_at_pcn_place_icb_region_and_england(in_post):
    tree = in_post
    a_practices = [tree.practices["L85001"], tree.practices["L85002"]]  # L85004 left 1 April
    b_practices = [tree.practices["L85003"], tree.practices["L85004"]]
    a_patients, b_patients = patients(a_practices, APRIL), patients(b_practices, APRIL)
    a_wte, b_wte = Decimal("3.75"), Decimal("1.6")

    pcn_a = value(WTE, tree.pcn_a, APRIL)
    assert (pcn_a.numerator, pcn_a.denominator) == (375, a_patients)
    assert pcn_a.value == pytest.approx(float(a_wte) * 10000 / a_patients)
    assert value(WTE, tree.pcn_b, APRIL).value == pytest.approx(float(b_wte) * 10000 / b_patients)
    both = float(a_wte + b_wte) * 10000 / (a_patients + b_patients)
    for org in (tree.place, tree.icb, tree.region, england()):
        summed = value(WTE, org, APRIL)
        assert (summed.numerator, summed.denominator) == (535, a_patients + b_patients)
        assert summed.value == pytest.approx(both)
    # Nothing for a PCN with no staff in post, nor for the other ICB.
    assert not MeasureValue.objects.filter(measure_id=WTE, org__in=[tree.pcn_c, tree.other_icb])


def test_a_month_takes_each_pcns_latest_date_in_it(in_post):
    tree = in_post
    may = value(WTE, tree.pcn_a, MAY)
    assert may.numerator == 300
    assert may.change_year is None
    assert not MeasureValue.objects.filter(measure_id=WTE, org=tree.pcn_b, period=MAY)


def test_projected_spend_against_allocation_only_where_both_are_known(in_post):
    tree = in_post
    cost = full_year_cost({"clinical_pharmacist": "2.5", "paramedic": "1.25"}, 2025)
    pcn_a = value(SPEND, tree.pcn_a, APRIL)
    assert (pcn_a.numerator, pcn_a.denominator) == (cost, 250000)
    assert pcn_a.value == pytest.approx(cost * 100 / 250000)
    # PCN B has no allocation: no value, and the ICB's figure covers PCN A alone.
    assert not MeasureValue.objects.filter(measure_id=SPEND, org=tree.pcn_b)
    icb = value(SPEND, tree.icb, APRIL)
    assert (icb.numerator, icb.denominator) == (cost, 250000)


def test_recomputing_arrs_leaves_other_sources_values_alone(in_post):
    tree = in_post
    other = MeasureValue.objects.create(
        measure_id="dna_pct", org=tree.icb, period=APRIL, numerator=1, denominator=10, value=10.0
    )
    InPostCount.objects.filter(pcn=tree.pcn_a, as_at=dt.date(2025, 4, 30)).delete()
    notes = measures_recompute(recompute=Recompute(everything=True), sources=["arrs"])
    assert notes == ["ARRS workforce measures recomputed for 2 months, Apr 2025 to May 2025."]
    assert MeasureValue.objects.filter(pk=other.pk).exists()
    assert value(WTE, tree.icb, APRIL).numerator == 160


def test_an_arrs_load_recomputes_the_arrs_measures_only(in_post):
    from arrs.sources.arrs_tables import ArrsAllocationsSource, ArrsClaimsSource, ArrsInPostSource
    from arrs.sources.nwrs_pcn import NwrsPcnSource
    from imports.sources.base import Parsed

    for source in (ArrsAllocationsSource, ArrsInPostSource, NwrsPcnSource):
        recompute = source().months_to_recompute(Parsed())
        assert recompute.everything and recompute.sources == frozenset({"arrs"})
    assert not ArrsClaimsSource().months_to_recompute(Parsed())  # claims are in no measure
    notes = measures_recompute(recompute=ArrsInPostSource().months_to_recompute(Parsed()))
    assert notes == ["ARRS workforce measures recomputed for 2 months, Apr 2025 to May 2025."]


def test_an_allocation_typed_in_recomputes_the_spend_measure(
    in_post, icb_manager, celery_eager, django_capture_on_commit_callbacks
):
    from arrs.services.records import allocation_set

    tree = in_post
    with django_capture_on_commit_callbacks(execute=True):
        allocation_set(pcn=tree.pcn_b, year=2025, amount=Decimal("100000"), user=icb_manager)
    cost = full_year_cost({"clinical_pharmacist": "1.6"}, 2025)
    assert value(SPEND, tree.pcn_b, APRIL).numerator == cost
    assert value(SPEND, tree.icb, APRIL).denominator == 250000 + 100000
