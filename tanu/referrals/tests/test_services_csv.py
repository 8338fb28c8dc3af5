from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext

from tanu.accounts.models import Agency
from tanu.accounts.tests.factories import AgencyFactory
from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.referrals import directory
from tanu.referrals.directory import (
    COLUMNS,
    ImportResult,
    RowError,
    ServiceImportError,
    export_services_csv,
    import_services_csv,
)
from tanu.referrals.models import Service
from tanu.referrals.tests.directory_helpers import (
    DIRECTORY_URLS,
    ServiceFactory,
    region,
    signed_in,
)

pytestmark = pytest.mark.django_db
HEADER = ",".join(COLUMNS)


def row(**values: object) -> str:
    base: dict[str, object] = {
        "region_code": "KZ-75",
        "kind": "shelter",
        "name_en": "Almaty shelter",
        "name_ru": "Приют Алматы",
        "name_kk": "Алматы баспанасы",
        "agency_id": "",
        "address": "Example Street 1",
        "phone": "+7 700 000 00 01",
        "email": "shelter@example.kz",
        "hours": "24/7",
        "languages": "kk,ru",
        "accepts_adults": "yes",
        "accepts_children": "no",
        "accepts_women": "yes",
        "accepts_men": "no",
        "accepts_foreigners": "yes",
        "forms": "labour,sexual",
        "capacity": "20",
        "is_active": "yes",
    }
    base.update(values)
    return ",".join(f'"{base[c]}"' if "," in str(base[c]) else str(base[c]) for c in COLUMNS)


def csv_text(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def two_good_two_bad() -> str:
    return csv_text(
        row(name_en="Good one"),  # row 2
        row(name_en="Bad region", region_code="KZ-99"),  # row 3
        row(name_en="Good two", kind="legal_aid"),  # row 4
        row(name_en="Bad capacity and email", capacity="-3", email="not-an-email"),  # row 5
    )


def test_export_then_import_gives_back_the_same_directory(personas: Personas) -> None:
    almaty = region("KZ-75")
    agency = AgencyFactory(region=almaty, kind=Agency.Kind.SHELTER)
    ServiceFactory(
        name_en="Shelter, Almaty",
        name_ru="Приют «Надежда», Алматы",
        agency=agency,
        capacity=12,
        languages="kk,ru,en",
        accepts_children=False,
    )
    ServiceFactory(
        name_en="Consulate",
        region=region("KZ-71"),
        kind=Service.Kind.CONSULATE,
        forms="",
        capacity=None,
        email="",
        is_active=False,
    )
    exported = export_services_csv(Service.objects.order_by("name_en"))
    again = import_services_csv(exported, actor=personas.admin)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2)

    Service.objects.all().delete()
    result = import_services_csv(exported, actor=personas.admin)
    assert result.ok and result.created == 2
    assert export_services_csv(Service.objects.order_by("name_en")) == exported
    shelter = Service.objects.get(name_en="Shelter, Almaty")
    assert (shelter.agency, shelter.capacity, shelter.name_ru) == (
        agency,
        12,
        "Приют «Надежда», Алматы",
    )


def test_an_import_updates_a_service_found_by_region_and_english_name(personas: Personas) -> None:
    service = ServiceFactory(name_en="Almaty shelter", phone="old")
    result = import_services_csv(csv_text(row(phone="+7 700 000 11 11")), actor=personas.admin)
    assert (result.created, result.updated) == (0, 1)
    service.refresh_from_db()
    assert service.phone == "+7 700 000 11 11"
    assert Service.objects.count() == 1


def test_two_good_and_two_bad_rows_import_nothing_and_name_each_bad_row(personas: Personas) -> None:
    with translation.override("en"):
        result = import_services_csv(two_good_two_bad(), actor=personas.admin)
    assert not result.ok
    assert not Service.objects.exists()
    assert not AuditEntry.objects.filter(object_type="service_directory").exists()
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "region_code"),
        (5, "email"),
        (5, "capacity"),
    ]
    assert RowError(3, "region_code", "There is no region with the code “KZ-99”.") in result.errors


def test_every_kind_of_bad_cell_is_reported(personas: Personas) -> None:
    other_region_agency = AgencyFactory(region=region("KZ-47"))
    text = csv_text(
        row(name_en="A", kind="spa"),
        row(name_en="", name_ru="", name_kk=""),
        row(name_en="C", agency_id="999999"),
        row(name_en="D", agency_id=str(other_region_agency.pk)),
        row(name_en="E", capacity="2.5"),
        row(name_en="F", languages="kk,fr"),
        row(name_en="G", forms="labour,organs"),
        row(name_en="H", accepts_men="maybe"),
        row(name_en="I"),
        row(name_en="i"),  # the same English name in the same region
        row(name_en="J", agency_id="abc"),
        "KZ-75,shelter,too,few",
    )
    with translation.override("en"):
        errors = import_services_csv(text, actor=personas.admin).errors
    assert [(e.row, e.column) for e in errors] == [
        (2, "kind"),
        (3, "name_en"),
        (3, "name_ru"),
        (3, "name_kk"),
        (4, "agency_id"),
        (5, "agency_id"),
        (6, "capacity"),
        (7, "languages"),
        (8, "forms"),
        (9, "accepts_men"),
        (11, "name_en"),
        (12, "agency_id"),
        (13, ""),
    ]
    messages = {(e.row, e.column): e.message for e in errors}
    assert messages[(11, "name_en")] == (
        "Row 10 already has a service with this English name in this region."
    )
    assert "KZ-47" in messages[(5, "agency_id")]
    assert not Service.objects.exists()


def test_a_good_import_writes_one_audit_entry(personas: Personas) -> None:
    result = import_services_csv(
        csv_text(row(name_en="One"), row(name_en="Two")), actor=personas.admin
    )
    assert isinstance(result, ImportResult) and result.ok and result.created == 2
    entry = AuditEntry.objects.get(object_type="service_directory")
    assert (entry.action, entry.fields, entry.actor) == ("update", ["import"], personas.admin)


def test_semicolons_a_byte_order_mark_and_spreadsheet_words_are_understood(
    personas: Personas,
) -> None:
    text = "\ufeff" + csv_text(row(accepts_children="Да", is_active="TRUE")).replace(",", ";")
    result = import_services_csv(text.replace('"kk;ru"', "kk ru"), actor=personas.admin)
    assert result.ok, result.errors
    service = Service.objects.get()
    assert service.accepts_children and service.languages == "kk,ru"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", directory.MSG_EMPTY),
        ("name,kind\nx,y\n", directory.MSG_HEADER),
        (HEADER + "\n", directory.MSG_NO_ROWS),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_clear_message(
    personas: Personas, text: str, expected: str
) -> None:
    with translation.override("en"), pytest.raises(ServiceImportError) as raised:
        import_services_csv(text, actor=personas.admin)
    assert str(raised.value).startswith(expected.split("%")[0])


def test_a_file_with_too_many_rows_is_refused(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(directory, "MAX_ROWS", 2)
    with pytest.raises(ServiceImportError):
        import_services_csv(csv_text(*(row(name_en=f"S{i}") for i in range(3))), actor=None)
    assert not Service.objects.exists()


def test_bytes_that_are_not_utf8_or_too_many_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with translation.override("en"), pytest.raises(ServiceImportError, match="not UTF-8"):
        directory.decode_csv_bytes(HEADER.encode("cp1251") + "\nПриют".encode("cp1251"))
    assert directory.decode_csv_bytes(b"\xef\xbb\xbfa,b") == "a,b"
    monkeypatch.setattr(directory, "MAX_BYTES", 10)
    with translation.override("en"), pytest.raises(ServiceImportError, match="too large"):
        directory.decode_csv_bytes(b"x" * 11)


# Pages ---------------------------------------------------------------------------------------


def upload(text: str | bytes, name: str = "services.csv") -> dict[str, SimpleUploadedFile]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return {"file": SimpleUploadedFile(name, data, content_type="text/csv")}


@pytest.mark.urls(DIRECTORY_URLS)
def test_the_import_page_reports_each_bad_row_in_russian_and_imports_nothing(
    personas: Personas,
) -> None:
    client = signed_in("admin", lang="ru")
    response = client.post("/services/import/", upload(two_good_two_bad()))
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="ru">' in page
    with translation.override("ru"):
        expected = [
            (3, "region_code", gettext(directory.MSG_UNKNOWN_REGION) % {"value": "KZ-99"}),
            (5, "email", gettext(directory.MSG_EMAIL) % {"value": "not-an-email"}),
            (5, "capacity", gettext(directory.MSG_CAPACITY)),
        ]
    problems = response.context["result"].errors
    assert [tuple(p) for p in problems] == expected
    for number, column, message in expected:
        assert f"<td>{number}</td><td>{column}</td><td>{message}</td>" in page
    assert not Service.objects.exists()


@pytest.mark.urls(DIRECTORY_URLS)
def test_an_administrator_imports_a_good_file_and_sees_a_summary(personas: Personas) -> None:
    client = signed_in("admin")
    response = client.post(
        "/services/import/", upload(csv_text(row(name_en="One"), row(name_en="Two")))
    )
    assert response.status_code == 200
    assert "2 rows: 2 services added, 0 changed, 0 unchanged." in response.content.decode()
    assert Service.objects.count() == 2
    assert AuditEntry.objects.filter(object_type="service_directory").count() == 1


@pytest.mark.urls(DIRECTORY_URLS)
def test_a_coordinator_imports_services_of_their_own_region_only(personas: Personas) -> None:
    client = signed_in("coordinator")
    refused = client.post(
        "/services/import/",
        upload(csv_text(row(name_en="Here"), row(name_en="There", region_code="KZ-47"))),
    )
    assert refused.status_code == 400
    assert [(e.row, e.column) for e in refused.context["result"].errors] == [(3, "region_code")]
    assert not Service.objects.exists()
    done = client.post("/services/import/", upload(csv_text(row(name_en="Here"))))
    assert done.status_code == 200
    assert Service.objects.get().name_en == "Here"


@pytest.mark.urls(DIRECTORY_URLS)
@pytest.mark.parametrize(
    "username", ["screener", "caseworker", "monitor", "trainer", "analyst", "outsider"]
)
def test_others_get_404_on_the_import_page(personas: Personas, username: str) -> None:
    client = signed_in(username)
    assert client.get("/services/import/").status_code == 404
    assert client.post("/services/import/", upload(csv_text(row()))).status_code == 404
    assert not Service.objects.exists()


@pytest.mark.urls(DIRECTORY_URLS)
@pytest.mark.parametrize(
    ("data", "words"),
    [
        (HEADER.encode("cp1251") + "\nПриют".encode("cp1251"), "not UTF-8"),
        (b"name,phone\nx,y\n", "The first row must be the header"),
        (b"", "The submitted file is empty."),
    ],
)
def test_a_bad_file_gets_a_clear_message_never_a_500(
    personas: Personas, data: bytes, words: str
) -> None:
    client = signed_in("admin")
    response = client.post("/services/import/", upload(data))
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Service.objects.exists()


@pytest.mark.urls(DIRECTORY_URLS)
def test_any_signed_in_user_downloads_the_directory_as_csv(personas: Personas) -> None:
    ServiceFactory(name_en="Almaty shelter", name_ru="Приют")
    ServiceFactory(name_en="Aktau clinic", region=region("KZ-47"), kind=Service.Kind.MEDICAL)
    response = signed_in("trainer").get("/services/export.csv?region=" + str(region("KZ-75").pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff" + HEADER)
    assert "Приют" in text and "Aktau clinic" not in text
    assert import_services_csv(text, actor=None).unchanged == 1


# The command ---------------------------------------------------------------------------------


def test_the_command_exports_and_imports_a_file(tmp_path: Path) -> None:
    ServiceFactory(name_en="Almaty shelter")
    target = tmp_path / "services.csv"
    call_command("services", "export", str(target), stderr=io.StringIO())
    exported = target.read_text(encoding="utf-8")
    assert exported.startswith(HEADER) and "Almaty shelter" in exported
    Service.objects.all().delete()
    out = io.StringIO()
    call_command("services", "import", str(target), stdout=out)
    assert "1 rows: 1 created, 0 updated, 0 unchanged" in out.getvalue()
    assert Service.objects.get().name_en == "Almaty shelter"
    entry = AuditEntry.objects.get(object_type="service_directory")
    assert entry.actor_username == directory.IMPORT_ACTOR_NAME


def test_the_command_exits_1_with_the_row_errors_of_a_bad_file(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(two_good_two_bad(), encoding="utf-8")
    err = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError) as raised:
        call_command("services", "import", str(source), stderr=err)
    assert raised.value.returncode == 1
    lines = err.getvalue().splitlines()
    assert lines[0] == "row 3, region_code: There is no region with the code “KZ-99”."
    assert [line.split(":")[0] for line in lines] == [
        "row 3, region_code",
        "row 5, email",
        "row 5, capacity",
    ]
    assert not Service.objects.exists()


def test_the_command_prints_progress_every_so_many_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(directory, "PROGRESS_EVERY", 2)
    source = tmp_path / "many.csv"
    source.write_text(csv_text(*(row(name_en=f"S{i}") for i in range(5))), encoding="utf-8")
    out = io.StringIO()
    call_command("services", "import", str(source), stdout=out)
    assert "checked 2 of 5 rows" in out.getvalue()
    assert "imported 4 of 5 rows" in out.getvalue()
    assert Service.objects.count() == 5


def test_the_command_refuses_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    source = tmp_path / "cp1251.csv"
    source.write_bytes(HEADER.encode() + "\nПриют".encode("cp1251"))
    with translation.override("en"), pytest.raises(CommandError, match="not UTF-8"):
        call_command("services", "import", str(source))
