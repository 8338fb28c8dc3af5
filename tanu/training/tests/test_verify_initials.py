"""The public certificate check shows the holder as initials and surname only, so that an
employer can match the certificate to the person in front of them."""

from __future__ import annotations

import pytest
from django.test import Client

from tanu.accounts.tests.personas import Personas
from tanu.training.models import Certificate
from tanu.training.names import initials_and_surname
from tanu.training.tests.helpers import add_participant, make_seminar

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("full_name", "shown"),
    [
        ("Нурланова Айгерим Болатовна", "А. Б. Нурланова"),
        ("  нурланова   айгерим  ", "А. нурланова"),
        ("Ахметов Жан-Поль", "Ж.-П. Ахметов"),
        ("Сейтқали", "Сейтқали"),
        ("", ""),
    ],
)
def test_a_name_becomes_initials_and_surname(full_name: str, shown: str) -> None:
    assert initials_and_surname(full_name) == shown


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_verify_page_shows_the_holder_as_initials_and_surname(
    personas: Personas, lang: str
) -> None:
    seminar = make_seminar(personas.trainer)
    participant = add_participant(seminar, personas.trainer, name="Нурланова Айгерим Болатовна")
    certificate = Certificate.objects.create(
        participant=participant, code="ABCDEFGHJKMN", issued_by=personas.trainer
    )
    page = (
        Client(HTTP_ACCEPT_LANGUAGE=lang)
        .get("/training/verify/", {"code": certificate.code})
        .content.decode()
    )
    assert 'data-testid="holder">А. Б. Нурланова<' in page
    assert "Айгерим" not in page and "Болатовна" not in page


def test_an_unknown_code_shows_no_name(personas: Personas) -> None:
    seminar = make_seminar(personas.trainer)
    add_participant(seminar, personas.trainer, name="Нурланова Айгерим Болатовна")
    page = Client().get("/training/verify/", {"code": "ABCDEFGHJKMN"}).content.decode()
    assert "Нурланова" not in page and 'data-testid="holder"' not in page
