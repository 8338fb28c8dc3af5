"""`tanu persons import`: a legacy register into persons and cases of one agency, all or nothing,
once per external id."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management.base import CommandError
from django.utils import timezone

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.cases.models import Case, Note, Person
from tanu.cases.tests.helpers import signed_in
from tanu.registers.models import ImportBatch, ImportedRecord
from tanu.registers.tests.helpers import register_csv, row, run, write

pytestmark = pytest.mark.django_db


def test_each_row_becomes_a_person_with_a_case_in_the_agency(
    personas: Personas, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        register_csv(
            [
                row(
                    "R-1",
                    family_name="Сәрсенбаева",
                    given_name="Әйгерім",
                    date_of_birth="14.03.2001",
                    sex="F",
                    citizenship="KZ",
                    document_number="N0123456",
                    region="KZ-75",
                    registered_on="2021-06-02",
                    outcome="presumed_victim",
                    notes="Пришла сама",
                ),
                row("R-2", given_name="Бахтиёр", outcome="рабство"),
            ]
        ),
    )
    out, _err = run(path, personas.shelter.pk, "--by", "caseworker")
    assert "Imported 2 persons and cases" in out
    assert "rows/s" in out
    first = Case.objects.get(
        person__imported_records__digest__isnull=False, outcome="presumed_victim"
    )
    assert first.agency == personas.shelter
    assert first.created_by == personas.caseworker
    assert timezone.localtime(first.created_at).date().isoformat() == "2021-06-02"
    assert first.number.split("-")[1] == "2021"
    person = first.person
    assert (person.family_name, person.given_name, person.date_of_birth) == (
        "Сәрсенбаева",
        "Әйгерім",
        "2001-03-14",
    )
    assert person.sex == "female"
    assert person.documents == [{"type": "other", "number": "N0123456"}]
    assert [n.text for n in Note.objects.filter(case=first)] == ["Пришла сама"]
    second = Case.objects.exclude(pk=first.pk).get()
    assert second.outcome == ""  # not an outcome tanu knows
    record = ImportedRecord.objects.get(person=first.person)
    assert record.external_id == "R-1"
    assert record.region is not None and record.region.code == "KZ-75"


def test_the_import_is_one_audit_entry_with_its_row_count(
    personas: Personas, tmp_path: Path
) -> None:
    rows = [row(f"R-{n}", given_name="Айгерим") for n in range(5)]
    run(write(tmp_path, register_csv(rows)), personas.shelter.pk, "--by", "caseworker")
    batch = ImportBatch.objects.get()
    entries = AuditEntry.objects.filter(actor=personas.caseworker)
    assert [(e.action, e.object_type, e.object_id) for e in entries] == [
        ("create", "person_import", str(batch.pk))
    ]
    assert "5 rows" in entries[0].reason
    assert entries[0].region_id == personas.shelter.region_id


def test_importing_the_same_file_again_creates_nothing_new(
    personas: Personas, tmp_path: Path
) -> None:
    path = write(tmp_path, register_csv([row("R-1", given_name="A"), row("R-2", given_name="B")]))
    run(path, personas.shelter.pk, "--by", "caseworker")
    out, _err = run(path, personas.shelter.pk, "--by", "caseworker")
    assert "Imported 0 persons and cases" in out
    assert "2 already imported" in out
    assert Person.objects.count() == 2


def test_a_known_external_id_with_changed_values_is_left_unchanged(
    personas: Personas, tmp_path: Path
) -> None:
    run(
        write(tmp_path, register_csv([row("r-1", given_name="Айгерим")])),
        personas.shelter.pk,
        "--by",
        "caseworker",
    )
    changed = write(
        tmp_path,
        register_csv([row(" R-1 ", given_name="Aigerim"), row("R-2", given_name="B")]),
        "b.csv",
    )
    out, _err = run(changed, personas.shelter.pk, "--by", "caseworker")
    assert "Imported 1 persons and cases" in out and "1 already imported" in out
    assert sorted(p.given_name for p in Person.objects.all()) == ["B", "Айгерим"]


def test_the_same_external_id_in_another_agency_is_another_person(
    personas: Personas, tmp_path: Path
) -> None:
    path = write(tmp_path, register_csv([row("R-1", given_name="A")]))
    run(path, personas.shelter.pk, "--by", "caseworker")
    run(path, personas.coordinator.agency_id, "--by", "coordinator")
    assert Case.objects.count() == 2


def test_a_bad_file_imports_nothing_and_lists_every_problem(
    personas: Personas, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        register_csv(
            [
                row("R-1", given_name="Good"),
                row("", given_name="No id"),
                row("R-3"),
                row("R-1", given_name="Again", sex="X", date_of_birth="31.02.2000"),
            ]
        ),
    )
    with pytest.raises(CommandError, match=r"5 problems in 4 rows\. Nothing was imported"):
        run(path, personas.shelter.pk, "--by", "caseworker")
    assert not Person.objects.exists() and not ImportBatch.objects.exists()


def test_a_dry_run_checks_and_writes_nothing(personas: Personas, tmp_path: Path) -> None:
    path = write(tmp_path, register_csv([row("R-1", given_name="A")]))
    out, _err = run(path, personas.shelter.pk, "--dry-run")
    assert "1 would be imported" in out
    assert not Person.objects.exists()
    assert not AuditEntry.objects.filter(object_type="person_import").exists()


def test_an_unknown_agency_is_a_clear_error(personas: Personas, tmp_path: Path) -> None:
    path = write(tmp_path, register_csv([row("R-1", given_name="A")]))
    with pytest.raises(CommandError, match="There is no agency with id 999999"):
        run(path, 999999, "--dry-run")


def test_a_deactivated_agency_is_refused(personas: Personas, tmp_path: Path) -> None:
    personas.shelter.is_active = False
    personas.shelter.save(update_fields=["is_active"])
    path = write(tmp_path, register_csv([row("R-1", given_name="A")]))
    with pytest.raises(CommandError, match="deactivated"):
        run(path, personas.shelter.pk, "--dry-run")


@pytest.mark.parametrize("by", ["screener", "outsider", "coordinator"])
def test_the_import_is_recorded_only_under_a_case_worker_or_coordinator_of_the_agency(
    personas: Personas, tmp_path: Path, by: str
) -> None:
    path = write(tmp_path, register_csv([row("R-1", given_name="A")]))
    with pytest.raises(CommandError, match="not an active case worker or coordinator"):
        run(path, personas.shelter.pk, "--by", by)
    assert not Person.objects.exists()


def test_the_operators_import_needs_only_the_file_and_the_agency(
    personas: Personas, tmp_path: Path
) -> None:
    """The issue's shape, ``tanu persons import FILE --agency ID``: no official is named, so the
    cases and notes name no creator and the audit entry names the command."""
    rows = [row("R-1", given_name="Айгерим", notes="Пришла сама"), row("R-2", given_name="B")]
    out, _err = run(write(tmp_path, register_csv(rows)), personas.shelter.pk)
    assert "Imported 2 persons and cases" in out
    assert list(Case.objects.values_list("created_by", flat=True)) == [None, None]
    assert Note.objects.get().author is None
    entry = AuditEntry.objects.get(object_type="person_import")
    assert entry.actor is None
    assert entry.actor_username == "tanu persons import"
    assert ImportBatch.objects.get().by is None
    case = Case.objects.get(notes__isnull=False)
    page = signed_in("caseworker").get(f"/cases/{case.pk}/")
    assert page.status_code == 200
    assert "from the imported register" in page.content.decode()


def test_a_binary_file_is_refused(personas: Personas, tmp_path: Path) -> None:
    path = write(tmp_path, b"\x7fELF\x00\x00\x01binary", "register.csv")
    with pytest.raises(CommandError, match="cannot be read as CSV or XLSX"):
        run(path, personas.shelter.pk, "--dry-run")


def test_imported_cases_are_numbered_after_the_cases_opened_by_hand(
    personas: Personas, tmp_path: Path
) -> None:
    from tanu.cases.tests.helpers import open_case

    by_hand = open_case(personas.screener)
    path = write(tmp_path, register_csv([row("R-1", given_name="A"), row("R-2", given_name="B")]))
    run(path, personas.shelter.pk, "--by", "caseworker")
    after = open_case(personas.screener)
    numbers = [
        by_hand.number,
        *sorted(Case.objects.filter(agency=personas.shelter).values_list("number", flat=True)),
        after.number,
    ]
    assert numbers == sorted(numbers) and len(set(numbers)) == 4
