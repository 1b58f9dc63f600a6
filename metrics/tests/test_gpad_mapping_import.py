from pathlib import Path

import pytest
from django.core.management import call_command

from metrics.models import BatchStatus, ImportBatch
from metrics.services import import_file
from practices.models import Membership, Organisation, OrgKind, Relation

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.django_db


def load(path: Path) -> ImportBatch:
    return import_file(source="gpad-mapping", path=path)


def test_mapping_builds_the_whole_hierarchy_from_nothing():
    batch = load(FIXTURES / "Mapping.csv")

    assert batch.status == BatchStatus.SUCCEEDED, batch.errors
    assert batch.rows_read == 3 and batch.rows_loaded == 3
    practice = Organisation.objects.get(kind=OrgKind.PRACTICE, code="L85001")
    assert practice.name == "Brookfield Surgery"
    assert practice.source_batch == batch and practice.source_row == 2
    pcn_link = Membership.objects.get(child=practice, relation=Relation.PRACTICE_PCN)
    assert pcn_link.parent.code == "U60001" and pcn_link.start_date is None
    assert Organisation.objects.get(kind=OrgKind.ICB).name == "NHS Somerset Integrated Care Board"
    assert Organisation.objects.get(kind=OrgKind.SUB_ICB).name == "NHS Somerset ICB - 11X"


def test_a_practice_marked_unallocated_belongs_to_no_pcn_but_keeps_its_place():
    load(FIXTURES / "Mapping.csv")

    practice = Organisation.objects.get(code="L85003")
    assert practice.name == "Hillside Health Centre"
    relations = set(Membership.objects.filter(child=practice).values_list("relation", flat=True))
    assert relations == {Relation.PRACTICE_SUB_ICB}


def test_loading_the_same_file_again_changes_nothing_and_says_so():
    first = load(FIXTURES / "Mapping.csv")
    again = load(FIXTURES / "Mapping.csv")

    assert again.status == BatchStatus.UNCHANGED
    assert again.duplicate_of == first
    assert "Nothing changed" in again.outcome
    # 2 practice-PCN, 3 practice-place, 1 PCN-place, 1 place-ICB, 1 ICB-region
    assert Membership.objects.count() == 2 + 3 + 1 + 1 + 1


def test_a_file_of_another_kind_is_refused_saying_what_was_expected(tmp_path):
    wrong = tmp_path / "epcn.csv"
    wrong.write_text('"U60001","LEVELMOOR PCN","11X","NHS SOMERSET ICB - 11X","20190701"\r\n')

    batch = load(wrong)

    assert batch.status == BatchStatus.FAILED
    assert "GP_CODE" in batch.outcome and "Mapping.csv" in batch.outcome
    assert not Organisation.objects.exists()


def test_bad_codes_are_reported_by_row_and_column_and_nothing_is_written(tmp_path):
    text = (FIXTURES / "Mapping.csv").read_bytes().decode("utf-8-sig")
    text = text.replace("L85002", "L8502").replace("Y58,SOUTH WEST\r\nL85003", "58,S\r\nL85003")
    bad = tmp_path / "Mapping.csv"
    bad.write_bytes(text.encode())

    batch = load(bad)

    assert batch.status == BatchStatus.FAILED
    messages = {(e["row"], e["column"]) for e in batch.errors}
    assert messages == {(3, "GP_CODE"), (3, "REGION_CODE")}
    assert batch.rows_rejected == 1
    assert not Organisation.objects.exists()


def test_the_ingest_command_lists_sources_and_fails_on_a_bad_file(tmp_path, capsys):
    call_command("ingest", "--list")
    assert "gpad-mapping" in capsys.readouterr().out

    bad = tmp_path / "Mapping.csv"
    bad.write_text("GP_CODE,GP_NAME\nL85001,X\n")
    with pytest.raises(Exception, match="not loaded"):
        call_command("ingest", "gpad-mapping", str(bad))
