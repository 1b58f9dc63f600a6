import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from practices.models import ListSize, Membership, Organisation, OrgKind, Relation
from tests.factories import link, org

pytestmark = pytest.mark.django_db


def test_a_change_made_in_the_admin_is_kept_with_who_made_it_and_what_changed(client, staff_admin):
    practice = org(OrgKind.PRACTICE, "L85001", "Brookfield Surgery", postcode="TA1 1AA")
    client.force_login(staff_admin)

    response = client.post(
        f"/admin/practices/organisation/{practice.pk}/change/",
        {
            "kind": "practice",
            "code": "L85001",
            "name": "Brookfield Medical Centre",
            "status": "active",
            "postcode": "TA1 1AA",
            "parent_links-TOTAL_FORMS": "0",
            "parent_links-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content[:2000]
    assert response.url == "/admin/practices/organisation/", response.url
    latest, before = practice.history.order_by("-history_date")[:2]
    assert latest.history_user == staff_admin
    changes = latest.diff_against(before).changes
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("name", "Brookfield Surgery", "Brookfield Medical Centre")
    ]


def _violates(make) -> bool:
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def test_an_ods_code_is_unique_within_a_kind_but_not_across_kinds():
    org(OrgKind.SUB_ICB, "11X")
    assert not _violates(
        lambda: Organisation.objects.create(kind=OrgKind.PCN, code="11X", name="x")
    )
    assert _violates(
        lambda: Organisation.objects.create(kind=OrgKind.SUB_ICB, code="11X", name="y")
    )


def test_an_organisation_cannot_close_before_it_opens():
    assert _violates(
        lambda: Organisation.objects.create(
            kind=OrgKind.PRACTICE,
            code="L1",
            name="x",
            open_date=dt.date(2020, 1, 1),
            close_date=dt.date(2019, 1, 1),
        )
    )


def test_a_membership_cannot_end_before_it_starts_or_link_an_organisation_to_itself():
    pcn, practice = org(OrgKind.PCN, "U00001"), org(OrgKind.PRACTICE, "L85001")
    assert _violates(lambda: link(practice, pcn, dt.date(2024, 1, 1), dt.date(2023, 1, 1)))
    assert _violates(
        lambda: Membership.objects.create(relation=Relation.PRACTICE_PCN, child=pcn, parent=pcn)
    )


def test_the_same_membership_cannot_be_recorded_twice_even_without_a_start_date():
    pcn, practice = org(OrgKind.PCN, "U00001"), org(OrgKind.PRACTICE, "L85001")
    link(practice, pcn)
    assert _violates(lambda: link(practice, pcn))


def test_a_list_size_is_one_per_practice_and_month_as_at_the_first():
    practice = org(OrgKind.PRACTICE, "L85001")
    ListSize.objects.create(practice=practice, month=dt.date(2025, 4, 1), all_patients=10)
    assert _violates(lambda: ListSize.objects.create(practice=practice, month=dt.date(2025, 4, 1)))
    assert _violates(lambda: ListSize.objects.create(practice=practice, month=dt.date(2025, 5, 2)))
    assert _violates(
        lambda: ListSize.objects.create(
            practice=practice, month=dt.date(2025, 6, 1), all_patients=10, patients_13_plus=11
        )
    )
