from __future__ import annotations

import pytest
from django.db import connection

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.cases.models import Case
from tanu.cases.tests.helpers import open_case, signed_in

pytestmark = pytest.mark.django_db


def _raw_rows() -> str:
    with connection.cursor() as cursor:
        texts = []
        for table in ("cases_person", "cases_personindex", "cases_case", "audit_auditentry"):
            cursor.execute(f"SELECT * FROM {table}")
            texts.extend(str(row) for row in cursor.fetchall())
    return "\n".join(texts)


def test_the_database_holds_no_name_or_document_number_in_plaintext(personas: Personas) -> None:
    open_case(personas.screener)
    raw = _raw_rows()
    for secret in ("Жанар", "Канарьева", "Zhanar", "Kanaryeva", "N12345678", "Примерная"):
        assert secret not in raw


def test_personal_data_is_masked_until_revealed_with_a_reason(personas: Personas) -> None:
    case = open_case(personas.screener)
    client = signed_in("screener")
    masked = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Канарьева" not in masked and "N12345678" not in masked
    assert "Personal data is hidden." in masked
    refused = client.post(f"/cases/{case.pk}/reveal/", {"reason": ""}, follow=True)
    assert "Канарьева" not in refused.content.decode()
    client.post(f"/cases/{case.pk}/reveal/", {"reason": "preparing the shelter referral"})
    shown = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Канарьева" in shown and "N12345678" in shown
    assert "NOT safe" in shown  # the phone is marked unsafe: a trafficker may read it
    entry = AuditEntry.objects.get(action="reveal")
    assert entry.reason == "preparing the shelter referral"
    assert "Канарьева" not in str(entry.__dict__)


@pytest.mark.parametrize(
    "query", ["Жанар Канарьева", "Zhanar Kanaryeva", "ZHANAR", "Kanareva", "Канарьева Жанар"]
)
def test_search_finds_a_person_across_scripts_through_keyed_hashes(
    personas: Personas, query: str
) -> None:
    case = open_case(personas.screener)
    response = signed_in("screener").post("/cases/search/", {"name": query})
    assert case.number in response.content.decode()


def test_search_by_document_number_ignores_spaces_and_case(personas: Personas) -> None:
    case = open_case(personas.screener)
    response = signed_in("screener").post("/cases/search/", {"document": "n 1234 5678"})
    assert case.number in response.content.decode()
    other = signed_in("screener").post("/cases/search/", {"document": "N87654321"})
    assert case.number not in other.content.decode()


def test_search_never_finds_cases_of_other_agencies(personas: Personas) -> None:
    case = open_case(personas.screener)
    response = signed_in("outsider").post("/cases/search/", {"name": "Zhanar Kanaryeva"})
    assert case.number not in response.content.decode()


def test_documents_are_stored_encrypted_and_read_back_by_the_agency(
    personas: Personas, settings, tmp_path
) -> None:
    settings.DATA_DIR = tmp_path
    case = open_case(personas.screener)
    client = signed_in("screener")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "passport.txt", "Паспорт N12345678 Канарьева".encode(), content_type="text/plain"
    )
    client.post(f"/cases/{case.pk}/documents/", {"title": "passport copy", "file": upload})
    document = case.documents.get()
    stored = (tmp_path / "documents" / document.storage_name).read_bytes()
    assert b"N12345678" not in stored and "Канарьева".encode() not in stored
    download = client.get(f"/cases/{case.pk}/documents/{document.pk}/")
    assert download.content.decode() == "Паспорт N12345678 Канарьева"
    assert (
        signed_in("outsider").get(f"/cases/{case.pk}/documents/{document.pk}/").status_code == 404
    )


def test_notes_are_seen_only_by_the_agency_that_wrote_them(personas: Personas) -> None:
    case = open_case(personas.screener)
    signed_in("screener").post(
        f"/cases/{case.pk}/notes/", {"text": "Police note: safe house needed"}
    )
    coordinator_page = signed_in("coordinator").get(f"/cases/{case.pk}/").content.decode()
    assert "Police note" not in coordinator_page
    assert "Police note" in signed_in("colleague").get(f"/cases/{case.pk}/").content.decode()


def test_break_the_glass_opens_a_case_of_the_region_with_a_flagged_reason(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    from tanu.accounts.tests.factories import UserFactory

    UserFactory(username="shelterworker2", role="case_worker", agency=personas.shelter)
    client = signed_in("shelterworker2")
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    short = client.post("/cases/break-glass/", {"number": case.number, "reason": "urgent"})
    assert short.status_code == 400
    granted = client.post(
        "/cases/break-glass/",
        {"number": case.number, "reason": "The person called the hotline in danger tonight."},
    )
    assert granted.status_code == 302
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert AuditEntry.objects.filter(action="break_glass", flagged=True).exists()
    outsider = signed_in("outsider")
    refused = outsider.post(
        "/cases/break-glass/",
        {"number": case.number, "reason": "The person called the hotline in danger tonight."},
    )
    assert "No case with this number can be opened by you." in refused.content.decode()
    assert outsider.get(f"/cases/{case.pk}/").status_code == 404
    nonexistent = outsider.post(
        "/cases/break-glass/",
        {"number": "ALM-1999-000001", "reason": "The person called the hotline in danger."},
    )
    assert refused.content.decode().count(
        "No case with this number"
    ) == nonexistent.content.decode().count("No case with this number")


def test_unanswered_cases_are_not_listed_to_roles_without_case_access(personas: Personas) -> None:
    open_case(personas.screener)
    for username in ("analyst", "trainer", "admin"):
        assert signed_in(username).get("/cases/").status_code == 404
    assert Case.objects.count() == 1
