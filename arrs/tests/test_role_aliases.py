"""Role names: the names PCNs write for roles are accepted, through the names every ICB
shares and the aliases an ICB's managers keep for their own PCNs (with history)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from arrs.models import ArrsRole, PlanLine, RoleAlias
from arrs.plan_files import HEADER_ROW, SHEET
from arrs.services import role_alias_set, workforce_plan_upload
from arrs.services.records import RecordError
from arrs.tests.plans import as_upload, plan_round, template_for
from core.presenters import problem
from metrics.models import BatchStatus
from metrics.services import import_file
from tests.pages import other_icb_manager, page_as, visible_text

pytestmark = pytest.mark.django_db
PAGE = reverse("arrs:role_aliases")


def role(code: str) -> ArrsRole:
    return ArrsRole.objects.get(code=code)


def upload(pcn, rnd, user, role_name: str, written: str):
    """A plan with one role written as ``written``, in post 1 WTE throughout."""
    file = renamed(pcn, {role_name: written}, {role_name: (1, 1, 1, 1)})
    return workforce_plan_upload(pcn=pcn, plan_round=rnd, upload=file, user=user)


def renamed(pcn, names: dict[str, str], figures: dict[str, tuple]):
    """The template with roles written as a PCN writes them (in place of the template's
    names) and their rows filled in from column C."""
    book = load_workbook(io.BytesIO(template_for(pcn)))
    sheet = book[SHEET]
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        name = sheet.cell(row=row, column=1).value
        if name in names:
            sheet.cell(row=row, column=1, value=names[name])
            for offset, value in enumerate(figures[name]):
                sheet.cell(row=row, column=3 + offset, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return as_upload(buffer.getvalue())


def test_the_labels_pcns_write_are_read_as_their_roles(tree, pcn_manager):
    names = {
        "First Contact Physiotherapist": "First Contact Physiotherapists",
        "Advanced Practitioner": "Clinical Pharmacist Advanced Practitioner",
        "Paramedic": "Home/RR Paramedic",
    }
    figures = {
        "First Contact Physiotherapist": (1, 1, 1, 1),
        "Advanced Practitioner": (0.5, 0.5, 0.5, 0.5),
        "Paramedic": (2, 2, 2, 2),
    }
    file = renamed(tree.pcn_a, names, figures)
    result = workforce_plan_upload(
        pcn=tree.pcn_a, plan_round=plan_round(tree.icb), upload=file, user=pcn_manager
    )

    assert result.plan is not None, [str(p) for p in result.problems.kept]
    lines = PlanLine.objects.filter(plan=result.plan, in_post__isnull=False)
    assert dict(lines.values_list("role__code", "in_post")) == {
        "first_contact_physiotherapist": 1,
        "advanced_practitioner": 0.5,
        "paramedic": 2,
    }


def test_an_icb_manager_adds_a_name_and_the_icbs_plans_accept_it(
    client, tree, icb_manager, pcn_manager
):
    rnd = plan_round(tree.icb)
    figures = ("First Contact Physiotherapist", "MSK Practitioner")
    refused = upload(tree.pcn_a, rnd, pcn_manager, *figures)
    client.force_login(icb_manager)

    response = client.post(
        PAGE, {"alias": "  MSK  practitioner ", "role": role("first_contact_physiotherapist").pk}
    )
    accepted = upload(tree.pcn_a, rnd, pcn_manager, *figures)

    assert refused.plan is None
    assert "'MSK Practitioner' is not an ARRS role" in str(refused.problems.kept[0])
    assert response.status_code == 302
    assert accepted.plan is not None
    line = PlanLine.objects.get(plan=accepted.plan, in_post__isnull=False)
    assert line.role.code == "first_contact_physiotherapist"
    text = visible_text(client.get(PAGE))
    assert "MSK practitioner" in text
    assert "icb.manager Added 'MSK practitioner' for First Contact Physiotherapist" in text


def test_an_icbs_name_is_not_read_in_another_icb(tree, icb_manager):
    role_alias_set(
        icb=tree.icb, alias="MSK Practitioner", role=role("podiatrist"), user=icb_manager
    )
    elsewhere = plan_round(tree.other_icb)

    result = upload(tree.other_pcn, elsewhere, icb_manager, "Podiatrist", "MSK Practitioner")

    assert result.plan is None
    assert "'MSK Practitioner' is not an ARRS role" in str(result.problems.kept[0])


def test_staff_in_post_files_read_the_icbs_names_for_its_pcns(tmp_path, tree, icb_manager):
    role_alias_set(
        icb=tree.icb, alias="Home visiting medic", role=role("paramedic"), user=icb_manager
    )
    path = tmp_path / "in-post.csv"
    path.write_text(
        "PCN,Role,As at,WTE\nU00001,Home visiting medic,30/09/2026,1.5\n"
        "U99999,Home visiting medic,30/09/2026,1\n"
    )

    batch = import_file(source="arrs-in-post", path=path)

    # U99999 is in the ICB next door, which keeps no such name
    assert batch.status == BatchStatus.FAILED
    assert [problem(error)[:6] for error in batch.errors] == ["Row 3,"]


def test_a_name_every_icb_shares_is_refused(client, tree, icb_manager):
    client.force_login(icb_manager)

    response = client.post(PAGE, {"alias": "paramedics", "role": role("dietitian").pk})

    assert response.status_code == 400
    assert "'paramedics' already means Paramedic for every ICB" in visible_text(response)
    assert not RoleAlias.objects.exists()


def test_moving_and_removing_a_name_is_kept_in_its_history(client, tree, icb_manager):
    client.force_login(icb_manager)
    client.post(PAGE, {"alias": "Physio lead", "role": role("podiatrist").pk})
    client.post(PAGE, {"alias": "Physio lead", "role": role("podiatrist").pk})  # no change
    client.post(PAGE, {"alias": "PHYSIO LEAD", "role": role("first_contact_physiotherapist").pk})
    alias = RoleAlias.objects.get()

    client.post(PAGE, {"remove": alias.pk})

    assert not RoleAlias.objects.exists()
    text = visible_text(client.get(PAGE))
    assert "Removed 'PHYSIO LEAD' (was First Contact Physiotherapist)" in text
    assert "'PHYSIO LEAD' now means First Contact Physiotherapist" in text
    assert "Added 'Physio lead' for Podiatrist" in text
    assert RoleAlias.history.count() == 3


@pytest.mark.parametrize("role_name", ["pcn_manager", "board_member"])
def test_only_icb_managers_keep_role_names(client, request, tree, role_name):
    client.force_login(request.getfixturevalue(role_name))

    read = client.get(PAGE)
    write = client.post(PAGE, {"alias": "MSK", "role": role("podiatrist").pk})

    assert read.status_code == 403 and write.status_code == 403
    assert not RoleAlias.objects.exists()


def test_another_icbs_manager_keeps_only_their_own_names(client, tree, icb_manager):
    role_alias_set(icb=tree.icb, alias="MSK", role=role("podiatrist"), user=icb_manager)
    neighbour = other_icb_manager(tree)
    client.force_login(neighbour)

    refused = client.post(PAGE + "?icb=QSL", {"alias": "Other", "role": role("podiatrist").pk})
    own = page_as(client, neighbour, PAGE)

    assert refused.status_code == 403
    assert list(RoleAlias.objects.values_list("alias", flat=True)) == ["MSK"]
    assert own.status_code == 200 and "MSK" not in visible_text(own)


def test_an_alias_for_something_other_than_an_icb_is_refused(tree, icb_manager):
    with pytest.raises(RecordError):
        role_alias_set(icb=tree.pcn_a, alias="MSK", role=role("podiatrist"), user=icb_manager)


def test_an_icb_keeps_a_name_once_and_never_a_blank_one(tree, icb_manager):
    from django.db import IntegrityError, transaction

    RoleAlias.objects.create(icb=tree.icb, role=role("podiatrist"), alias="MSK", alias_key="msk")
    for key in ("msk", ""):
        with pytest.raises(IntegrityError), transaction.atomic():
            RoleAlias.objects.create(icb=tree.icb, role=role("dietitian"), alias=key, alias_key=key)
    RoleAlias.objects.create(
        icb=tree.other_icb, role=role("dietitian"), alias="MSK", alias_key="msk"
    )
