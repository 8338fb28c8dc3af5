"""The referral slip and the pages that show a person: every value in words, in the reader's
language, dates in the reader's form; the slip names the referring official and has a
signature line."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.utils import translation

from tanu.accounts.tests.personas import Personas
from tanu.cases import presentation
from tanu.cases.tests.helpers import CANARY, open_case, signed_in
from tanu.referrals.models import Referral, Service
from tanu.referrals.tests.test_referrals import consent, refer

pytestmark = pytest.mark.django_db

PERSON = {
    **CANARY,
    "date_of_birth": "1990-03-15",
    "languages": "kk, uz",
    "documents": [{"type": "id_card", "number": "N12345678"}],
    "contacts": [
        {"channel": "messenger", "value": "WhatsApp +7 777 123 4567", "safe": True},
        {"channel": "phone", "value": "+7 701 000 0000", "safe": False},
    ],
}
SHARED = ["name", "date_of_birth", "languages", "documents", "contacts"]


def refer_all(case, personas: Personas, **extra: object) -> Referral:  # type: ignore[no-untyped-def]
    given = consent(case, personas)
    given.shared_fields = SHARED
    given.save(update_fields=["shared_fields"])
    return refer(case, personas, shared_fields=SHARED, consent=given, **extra)


def slip_text(personas: Personas, lang: str) -> tuple[Referral, str]:
    from pypdf import PdfReader

    personas.screener.first_name, personas.screener.last_name = "Асель", "Нурланова"
    personas.screener.save(update_fields=["first_name", "last_name"])
    case = open_case(personas.screener, person=dict(PERSON))
    referral = refer_all(case, personas, due_date=date(2099, 1, 20))
    Service.objects.filter(pk=referral.service_id).update(
        address="Алматы, ул. Абая 10", phone="+7 727 111 2233"
    )
    response = signed_in("screener").get(f"/referrals/{referral.pk}/slip.pdf?lang={lang}")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    return referral, " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.mark.parametrize(
    "lang,words",
    [
        (
            "ru",
            [
                "мессенджер: WhatsApp +7 777 123 4567 (можно связываться)",
                "телефон: +7 701 000 0000 (НЕБЕЗОПАСЕН",
                "удостоверение личности N12345678",
                "казахский, узбекский",
                "15.03.1990",
                "20.01.2099",
            ],
        ),
        (
            "kk",
            [
                "мессенджер: WhatsApp +7 777 123 4567 (хабарласуға болады)",
                "жеке куәлік N12345678",
                "қазақ тілі, өзбек тілі",
                "15.03.1990",
                "20.01.2099",
            ],
        ),
        (
            "en",
            [
                "messenger: WhatsApp +7 777 123 4567 (safe to contact)",
                "phone: +7 701 000 0000 (NOT safe: someone else may read it)",
                "identity card N12345678",
                "Kazakh, Uzbek",
                "15.03.1990",
                "20.01.2099",
            ],
        ),
    ],
)
def test_the_slip_shows_every_shared_value_in_words_and_dates_in_the_readers_form(
    personas: Personas, lang: str, words: list[str]
) -> None:
    _, text = slip_text(personas, lang)
    for word in words:
        assert word in text, word
    for code in ("True", "False", "id_card", "1990-03-15", "2099-01-20", " uz"):
        assert code not in text, code


def test_the_slip_names_the_official_and_the_service_and_has_a_signature_line(
    personas: Personas,
) -> None:
    referral, text = slip_text(personas, "en")
    assert "referring official Асель Нурланова" in text
    assert "Алматы, ул. Абая 10" in text and "+7 727 111 2233" in text
    assert "Signature" in text and "signature ____" in text
    assert f"Referral no. {referral.pk}" in text
    # No phone for the sending police in the directory: a line to write it in by hand.
    assert "work phone ____" in text
    Service.objects.create(
        region=personas.police.region,
        kind="police",
        agency=personas.police,
        name_en="Almaty police duty desk",
        phone="+7 727 254 4100",
    )
    response = signed_in("screener").get(f"/referrals/{referral.pk}/slip.pdf?lang=en")
    from pypdf import PdfReader

    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "work phone +7 727 254 4100" in text


def test_the_case_page_shows_the_person_in_words(personas: Personas) -> None:
    case = open_case(personas.screener, person=dict(PERSON))
    client = signed_in("screener", lang="ru")
    client.post(f"/cases/{case.pk}/reveal/", {"reason": "preparing the shelter referral"})
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "удостоверение личности N12345678" in page
    assert "id_card" not in page and "messenger:" not in page
    assert "мессенджер: WhatsApp +7 777 123 4567" in page
    assert "можно связываться" in page and "НЕБЕЗОПАСЕН" in page
    assert "казахский, узбекский" in page
    assert "15.03.1990" in page and "1990-03-15" not in page


def test_the_recipient_reads_languages_and_the_date_of_birth_in_words(
    personas: Personas,
) -> None:
    case = open_case(personas.screener, person=dict(PERSON))
    referral = refer_all(case, personas)
    shelter = signed_in("caseworker", lang="kk")
    shelter.post(f"/referrals/{referral.pk}/reveal/", {"reason": "receiving the person today"})
    page = shelter.get(f"/referrals/{referral.pk}/").content.decode()
    assert "қазақ тілі, өзбек тілі" in page
    assert "15.03.1990" in page and "1990-03-15" not in page


def test_languages_are_named_in_the_readers_language_and_unknown_text_stays() -> None:
    with translation.override("ru"):
        assert presentation.language_names("kk, uz,ky tg") == (
            "казахский, узбекский, киргизский, таджикский"
        )
        assert presentation.language_names("zh; dungan") == "китайский, dungan"
    with translation.override("en"):
        assert presentation.language_names(["ru", "en"]) == "Russian, English"
        assert presentation.local_date("not a date") == "not a date"


def test_the_screening_summary_names_the_interview_language(personas: Personas) -> None:
    case = open_case(personas.screener)  # interviewed in Russian ("ru")
    screening = case.screenings.get()
    page = signed_in("screener").get(f"/screenings/{screening.pk}/print/").content.decode()
    assert "<td>Russian" in page and "<td>ru" not in page
