"""What a register may hold: names in every script, dates in two forms, regions by code or by
name in three languages, CSV as Excel writes it in Kazakhstan and XLSX; and what it must not:
binary files, files too large, zip bombs. Imported persons are encrypted and found by name."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management.base import CommandError
from django.db import connection

from tanu.accounts.tests.personas import Personas
from tanu.cases.models import Person
from tanu.cases.tests.helpers import signed_in
from tanu.registers import imports
from tanu.registers.models import ImportedRecord
from tanu.registers.queries import external_ids
from tanu.registers.tests.helpers import (
    SPELLINGS,
    register_csv,
    register_xlsx,
    row,
    run,
    write,
)

pytestmark = pytest.mark.django_db


def imported(tmp_path: Path, personas: Personas, content: bytes, name: str = "r.csv") -> None:
    run(write(tmp_path, content, name), personas.shelter.pk, "--by", "caseworker")


def test_names_in_all_four_spellings_are_imported_as_written(
    personas: Personas, tmp_path: Path
) -> None:
    rows = [
        row(f"R-{n}", family_name=family, given_name=given)
        for n, (family, given) in enumerate(SPELLINGS)
    ]
    imported(tmp_path, personas, register_csv(rows))
    assert sorted((p.family_name, p.given_name) for p in Person.objects.all()) == sorted(SPELLINGS)


def test_imported_persons_are_encrypted_at_rest_and_found_by_name(
    personas: Personas, tmp_path: Path
) -> None:
    imported(
        tmp_path,
        personas,
        register_csv(
            [row("EXT-CANARY-7", family_name="Канарьева", given_name="Жанар", notes="Канарейка")]
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT family_name, given_name FROM cases_person")
        raw_person = cursor.fetchone()
        cursor.execute("SELECT external_id, digest FROM registers_importedrecord")
        raw_record = cursor.fetchone()
        cursor.execute("SELECT text FROM cases_note")
        raw_note = cursor.fetchone()
    assert "Канарьева" not in raw_person[0] and "Жанар" not in raw_person[1]
    assert "CANARY" not in "".join(raw_record)
    assert "Канарейка" not in raw_note[0]
    case = Person.objects.get().case
    html = signed_in("caseworker").post("/cases/search/", {"name": "Kanareva Zhanar"}).content
    assert case.number in html.decode()


@pytest.mark.parametrize("written", ["14.03.2001", "2001-03-14", "4.3.2001"])
def test_dates_are_read_as_iso_or_day_month_year(
    personas: Personas, tmp_path: Path, written: str
) -> None:
    imported(tmp_path, personas, register_csv([row("R-1", given_name="A", date_of_birth=written)]))
    expected = "2001-03-04" if written == "4.3.2001" else "2001-03-14"
    assert Person.objects.get().date_of_birth == expected


def test_an_xlsx_date_cell_is_read_as_a_date(personas: Personas, tmp_path: Path) -> None:
    from datetime import date

    content = register_xlsx(
        [{"external_id": 1001, "given_name": "A", "date_of_birth": date(1999, 12, 31)}]
    )
    imported(tmp_path, personas, content, "r.xlsx")
    assert Person.objects.get().date_of_birth == "1999-12-31"
    assert ImportedRecord.objects.get().external_id == "1001"


@pytest.mark.parametrize(
    "written",
    ["KZ-47", "kz-47", "KZ-MAN", "Маңғыстау облысы", "Мангистауская область", "Mangystau Region"],
)
def test_a_region_is_read_by_code_or_by_name_in_three_languages(
    personas: Personas, tmp_path: Path, written: str
) -> None:
    imported(tmp_path, personas, register_csv([row("R-1", given_name="A", region=written)]))
    record = ImportedRecord.objects.get()
    assert record.region is not None and record.region.code == "KZ-47"
    assert record.person.case.region_id == personas.shelter.region_id  # the agency's case


def test_a_csv_file_from_excel_in_russian_cp1251_and_semicolons_is_read(
    personas: Personas, tmp_path: Path
) -> None:
    content = register_csv(
        [row("R-1", family_name="Сарсенбаева", given_name="Айгерим", region="Алматы")],
        encoding="cp1251",
        delimiter=";",
    )
    imported(tmp_path, personas, content)
    person = Person.objects.get()
    assert (person.family_name, person.given_name) == ("Сарсенбаева", "Айгерим")


def test_a_register_may_leave_out_the_optional_columns(personas: Personas, tmp_path: Path) -> None:
    imported(
        tmp_path,
        personas,
        register_csv([row("R-1", family_name="Ахметова")], columns=("external_id", "family_name")),
    )
    assert Person.objects.get().family_name == "Ахметова"


def test_a_header_without_external_id_is_refused(personas: Personas, tmp_path: Path) -> None:
    content = register_csv([row("R-1", given_name="A")], columns=("id", "given_name"))
    with pytest.raises(CommandError, match="Missing: external_id"):
        imported(tmp_path, personas, content)


def test_a_too_large_file_is_refused_before_it_is_read(personas: Personas, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as stream:
        stream.write(b"external_id,given_name\n")
        stream.seek(imports.MAX_BYTES + 1)
        stream.write(b"\n")
    with pytest.raises(CommandError, match="too large"):
        run(path, personas.shelter.pk, "--dry-run")


def test_a_zip_bomb_disguised_as_xlsx_is_refused(personas: Personas, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"\0" * (imports.MAX_UNPACKED_BYTES + 1))
    with pytest.raises(CommandError, match="too large"):
        run(write(tmp_path, buffer.getvalue(), "r.xlsx"), personas.shelter.pk, "--dry-run")
    assert not Person.objects.exists()


def test_the_external_ids_of_persons_are_given_decrypted(
    personas: Personas, tmp_path: Path
) -> None:
    imported(
        tmp_path, personas, register_csv([row("A-1", given_name="A"), row("B-2", given_name="B")])
    )
    ids = {p.given_name: p.pk for p in Person.objects.all()}
    assert external_ids([ids["A"], ids["B"], 999999]) == {ids["A"]: "A-1", ids["B"]: "B-2"}


def test_anonymising_the_case_clears_the_external_id_and_a_reimport_does_not_bring_it_back(
    personas: Personas, tmp_path: Path
) -> None:
    from tanu.cases.actions import anonymise_case

    path = write(tmp_path, register_csv([row("R-1", given_name="Айгерим")]))
    run(path, personas.shelter.pk, "--by", "caseworker")
    record = ImportedRecord.objects.get()
    anonymise_case(record.person.case, actor=personas.coordinator, reason="erasure request")
    record.refresh_from_db()
    assert record.external_id == "" and record.digest
    out, _err = run(path, personas.shelter.pk, "--by", "caseworker")
    assert "1 already imported" in out
    assert Person.objects.count() == 1
