"""Plain rows written in bulk: the columns not given take their field defaults."""

from __future__ import annotations

import datetime as dt

import pytest

from core.bulk import rows_insert
from practices.models import Membership, MembershipBasis, Organisation, OrgStatus

pytestmark = pytest.mark.django_db


def test_rows_go_in_with_the_defaults_of_the_columns_not_given():
    count = rows_insert(
        Organisation, ("kind", "code", "name"), [("practice", "A81001", "The Densham Surgery")]
    )

    org = Organisation.objects.get(code="A81001")
    assert count == 1
    assert (org.name, org.status, org.postcode, org.close_date) == (
        "The Densham Surgery", OrgStatus.ACTIVE, "", None,
    )  # fmt: skip


def test_foreign_keys_dates_and_choices_are_written_as_given():
    pcn = Organisation.objects.create(kind="pcn", code="U12345", name="North PCN")
    practice = Organisation.objects.create(kind="practice", code="A81001", name="Densham")
    columns = ("relation", "child_id", "parent_id", "start_date", "basis")
    row = ("practice_pcn", practice.pk, pcn.pk, dt.date(2025, 4, 1), MembershipBasis.REPORTED)

    rows_insert(Membership, columns, [row])

    link = Membership.objects.get()
    assert (link.child, link.parent, link.start_date, link.end_date, link.basis) == (
        practice, pcn, dt.date(2025, 4, 1), None, "reported",
    )  # fmt: skip


def test_a_column_the_model_lacks_is_refused_before_anything_is_written():
    with pytest.raises(ValueError, match="Organisation has no column colour"):
        rows_insert(Organisation, ("kind", "code", "colour"), [("practice", "A81001", "red")])

    assert not Organisation.objects.exists()
