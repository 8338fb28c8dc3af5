"""The register import page: for the agency's case workers and coordinators only; upload,
check (every problem listed with row, column and reason, in the reader's language), preview,
confirm, and the import run as a background task."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from tanu.accounts.models import Role
from tanu.accounts.tests.factories import UserFactory
from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.cases.models import Case, Person
from tanu.cases.tests.helpers import signed_in
from tanu.registers import imports
from tanu.registers.models import ImportBatch
from tanu.registers.tests.helpers import SPELLINGS, register_csv, register_xlsx, row

pytestmark = pytest.mark.django_db


def upload(client: Client, content: bytes, name: str = "register.csv") -> Any:
    return client.post("/registers/", {"file": SimpleUploadedFile(name, content)})


def _in(lang: str, message: str, **values: object) -> str:
    with translation.override(lang):
        text = translation.gettext(message)
    return text % values if values else text


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_a_bad_file_lists_every_problem_with_row_column_and_reason_in_the_readers_language(
    personas: Personas, lang: str
) -> None:
    content = register_csv(
        [
            row("R-1", given_name="Good"),
            row("", given_name="No id"),
            row("R-3", date_of_birth="1990/01/02"),
            row("R-1", given_name="Again", sex="X", region="Atlantis"),
        ]
    )
    response = upload(signed_in("caseworker", lang), content)
    assert response.status_code == 400
    problems = [
        (3, "external_id", _in(lang, imports.MSG_REQUIRED)),
        (4, "family_name / given_name / patronymic", _in(lang, imports.MSG_NO_NAME)),
        (4, "date_of_birth", _in(lang, imports.MSG_DATE, value="1990/01/02")),
        (5, "external_id", _in(lang, imports.MSG_DUPLICATE, row=2)),
        (5, "sex", _in(lang, imports.MSG_SEX, value="X")),
        (5, "region", _in(lang, imports.MSG_REGION, value="Atlantis")),
    ]
    with translation.override(lang):
        html = response.content.decode()
        for number, column, message in problems:
            where = translation.gettext("Row %(row)s, column %(column)s") % {
                "row": number,
                "column": column,
            }
            assert f"{where}: {message}".replace("“", "&ldquo;") in html.replace("“", "&ldquo;")
    assert not Person.objects.exists() and not ImportBatch.objects.exists()


def test_a_good_file_is_previewed_then_imported_in_the_background_on_confirmation(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in("caseworker")
    response = upload(
        client, register_csv([row("R-1", given_name="A"), row("R-2", given_name="B")])
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/registers/{batch.pk}/"
    preview = client.get(f"/registers/{batch.pk}/").content.decode()
    assert "Import 2 persons" in preview
    assert not Person.objects.exists()  # nothing before the confirmation

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/registers/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert (batch.status, batch.created, batch.content) == ("imported", 2, "")
    assert Case.objects.filter(agency=personas.shelter).count() == 2
    result = client.get(f"/registers/{batch.pk}/progress/").content.decode()
    assert "2 persons imported, each with a case." in result
    assert (
        AuditEntry.objects.filter(object_type="person_import", actor=personas.caseworker).count()
        == 1
    )


def test_a_file_imported_before_previews_nothing_to_import(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in("coordinator")
    content = register_xlsx([row("R-1", given_name="A")])
    upload(client, content, "register.xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/registers/{ImportBatch.objects.get().pk}/confirm/")
    upload(client, content, "register.xlsx")
    again = ImportBatch.objects.get(status="checked")
    assert again.already_imported == 1 and again.created == 0
    assert "there is nothing to import" in client.get(f"/registers/{again.pk}/").content.decode()
    assert Case.objects.filter(agency_id=personas.coordinator.agency_id).count() == 1


def test_a_batch_is_confirmed_once(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in("caseworker")
    upload(client, register_csv([row("R-1", given_name="A")]))
    batch = ImportBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/registers/{batch.pk}/confirm/")
        second = client.post(f"/registers/{batch.pk}/confirm/")
    assert second.status_code == 400
    assert Person.objects.count() == 1


@pytest.mark.parametrize("who", ["screener", "monitor", "analyst", "trainer", "admin"])
def test_other_roles_do_not_find_the_page(personas: Personas, who: str) -> None:
    client = signed_in(who)
    assert client.get("/registers/").status_code == 404
    assert client.get("/registers/template.csv").status_code == 404
    assert upload(client, register_csv([row("R-1", given_name="A")])).status_code == 404
    assert not ImportBatch.objects.exists()


def test_another_agencys_case_worker_does_not_find_someone_elses_import(
    personas: Personas,
) -> None:
    upload(signed_in("caseworker"), register_csv([row("R-1", given_name="A")]))
    batch = ImportBatch.objects.get()
    UserFactory(username="aktau_caseworker", role=Role.CASE_WORKER, agency=personas.aktau_police)
    outsider = signed_in("aktau_caseworker")
    assert outsider.get("/registers/").status_code == 200  # their own agency's page
    for path in (f"/registers/{batch.pk}/", f"/registers/{batch.pk}/progress/"):
        assert outsider.get(path).status_code == 404
    assert outsider.post(f"/registers/{batch.pk}/confirm/").status_code == 404
    batch.refresh_from_db()
    assert batch.status == "checked"


def test_the_templates_have_exactly_the_register_columns(personas: Personas) -> None:
    import io

    from openpyxl import load_workbook

    client = signed_in("caseworker")
    csv_text = client.get("/registers/template.csv").content.decode("utf-8-sig")
    assert csv_text.strip() == ",".join(imports.COLUMNS)
    book = load_workbook(io.BytesIO(client.get("/registers/template.xlsx").content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == list(imports.COLUMNS)


def test_case_workers_find_the_import_from_the_case_list(personas: Personas) -> None:
    assert 'href="/registers/"' in signed_in("caseworker").get("/cases/").content.decode()
    assert 'href="/registers/"' not in signed_in("screener").get("/cases/").content.decode()


def test_an_imported_case_without_a_screening_shows_on_the_case_pages(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in("caseworker")
    family, given = SPELLINGS[0]
    upload(
        client,
        register_csv(
            [
                row(
                    "R-1",
                    family_name=family,
                    given_name=given,
                    outcome="possible_victim",
                    notes="Заметка",
                ),
                row("R-2", given_name="Дана"),  # no outcome
            ]
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/registers/{ImportBatch.objects.get().pk}/confirm/")
    case = Case.objects.get(outcome="possible_victim")
    assert Case.objects.get(outcome="").form == ""
    assert client.get("/cases/").status_code == 200
    detail = client.get(f"/cases/{case.pk}/")
    assert detail.status_code == 200
    assert case.number in detail.content.decode()
    assert signed_in("coordinator").get(f"/cases/{case.pk}/").status_code == 200
    blank = Case.objects.get(outcome="")
    assert client.get(f"/cases/{blank.pk}/").status_code == 200
    assert client.get("/api/v1/cases/").status_code == 200
    assert client.get(f"/api/v1/cases/{blank.pk}/").status_code == 200
    for who in ("analyst", "coordinator"):
        assert signed_in(who).get("/reports/").status_code == 200
