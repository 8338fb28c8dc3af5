"""Certificates: only for participants who attended and passed, as PDF in the chosen language,
with a code anyone can check on a public page that shows nothing else. Forged codes fail."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.training import actions, codes
from tanu.training.models import Certificate, Participant, Seminar
from tanu.training.tests.helpers import (
    add_participant,
    make_seminar,
    open_test,
    phone_of,
    right_answers,
    signed_in,
)

pytestmark = pytest.mark.django_db


def _passed(seminar: Seminar, participant: Participant, test: object) -> None:
    attempt = actions.do_start_attempt(test, participant)  # type: ignore[arg-type]
    data = right_answers(attempt)
    responses = {
        int(pk): data.get(f"q{pk}")
        or {k.split("-")[1]: v for k, v in data.items() if k.startswith(f"q{pk}-")}
        for pk in data["item"]
    }
    actions.do_submit_attempt(attempt, responses=responses)


@pytest.fixture
def issued(personas: Personas) -> dict[str, object]:
    seminar = make_seminar(personas.trainer, sessions=2)  # min_attendance 50 %
    good = add_participant(seminar, personas.trainer, name="Сертификатова Әсел")
    absent = add_participant(seminar, personas.trainer, name="Отсутствующий Ерлан")
    failed = add_participant(seminar, personas.trainer, name="Несдавший Марат")
    sessions = list(seminar.sessions.all())
    actions.do_record_attendance(sessions[0], actor=personas.trainer, present=[good.pk, failed.pk])
    actions.do_record_attendance(sessions[1], actor=personas.trainer, present=[good.pk, failed.pk])
    test = open_test(seminar, personas.trainer, kind="post", count=5)
    _passed(seminar, good, test)
    _passed(seminar, absent, test)
    actions.do_submit_attempt(actions.do_start_attempt(test, failed), responses={})
    client = signed_in("trainer")
    client.post(f"/training/seminars/{seminar.pk}/certificates/")
    return {"seminar": seminar, "good": good, "absent": absent, "failed": failed, "client": client}


def test_certificates_go_only_to_those_who_attended_and_passed(issued: dict) -> None:
    assert list(Certificate.objects.values_list("participant", flat=True)) == [issued["good"].pk]
    certificate = Certificate.objects.get()
    assert len(certificate.code) >= 12
    assert set(certificate.code) <= set(codes.ALPHABET)
    assert (
        AuditEntry.objects.filter(object_type="training_certificate", action="create").count() == 1
    )
    # Issuing again changes nothing.
    issued["client"].post(f"/training/seminars/{issued['seminar'].pk}/certificates/")
    assert Certificate.objects.count() == 1


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("kk", ["Сертификат", "Қатысушы", "Сертификатова Әсел"]),
        ("ru", ["Сертификат", "Участник", "Сертификатова Әсел"]),
        ("en", ["Certificate", "Participant", "Сертификатова Әсел"]),
    ],
)
def test_the_certificate_is_a_pdf_in_the_chosen_language(
    issued: dict, lang: str, words: list[str]
) -> None:
    seminar, good = issued["seminar"], issued["good"]
    response = issued["client"].get(
        f"/training/seminars/{seminar.pk}/participants/{good.pk}/certificate/{lang}.pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for word in words:
        assert word in text
    assert codes.grouped(Certificate.objects.get().code) in text
    assert "/training/verify/?code=" in text
    assert AuditEntry.objects.filter(object_type="training_certificate", action="export").exists()


def test_the_participant_downloads_their_own_certificate_without_an_account(issued: dict) -> None:
    phone = phone_of(issued["good"])
    assert "PDF KK" in phone.get("/training/me/").content.decode()
    response = phone.get("/training/me/certificate/ru.pdf")
    assert response.status_code == 200
    assert phone.get("/training/me/certificate/xx.pdf").status_code == 404
    # Someone without a certificate gets none.
    assert phone_of(issued["absent"]).get("/training/me/certificate/ru.pdf").status_code == 404


def test_a_real_code_verifies_and_the_page_shows_only_initials_and_surname(issued: dict) -> None:
    certificate = Certificate.objects.get()
    anyone = Client(HTTP_ACCEPT_LANGUAGE="en")
    typed = codes.grouped(certificate.code).lower()  # as a person would type it
    page = anyone.get("/training/verify/", {"code": typed}).content.decode()
    assert 'data-valid="true"' in page
    assert "Almaty" in page and "03.03.2026" in page
    assert "Ә. Сертификатова" in page
    for secret in ("Әсел", "инспектор", "Almaty police"):
        assert secret not in page


@pytest.mark.parametrize(
    "forged",
    ["", "ABCD-EFGH-JKMN", "AAAAAAAAAAAA", "0000-0000-0000", "x" * 200, "' OR 1=1 --", "<script>"],
)
def test_forged_codes_do_not_verify(issued: dict, forged: str) -> None:
    real = Certificate.objects.get().code
    if forged.replace("-", "").upper() == real:
        pytest.skip("astronomically unlikely")
    response = Client().get("/training/verify/", {"code": forged})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-valid="true"' not in page
    if forged:
        assert 'data-valid="false"' in page
    assert actions.verify_certificate(forged) is None


def test_a_code_with_one_symbol_changed_does_not_verify(issued: dict) -> None:
    real = Certificate.objects.get().code
    changed = real[:-1] + ("A" if real[-1] != "A" else "B")
    assert actions.verify_certificate(changed) is None
    assert actions.verify_certificate(real) is not None


def test_a_revoked_certificate_says_so(issued: dict) -> None:
    seminar, good = issued["seminar"], issued["good"]
    issued["client"].post(
        f"/training/seminars/{seminar.pk}/participants/{good.pk}/certificate/revoke/"
    )
    certificate = Certificate.objects.get()
    assert certificate.revoked_at is not None
    page = (
        Client(HTTP_ACCEPT_LANGUAGE="en")
        .get("/training/verify/", {"code": certificate.code})
        .content.decode()
    )
    assert "revoked" in page
    assert 'data-valid="true"' not in page
    assert phone_of(good).get("/training/me/certificate/ru.pdf").status_code == 404
