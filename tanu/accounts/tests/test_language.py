from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.test import Client

from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.accounts.tests.personas import Personas

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.django_db
def test_the_chosen_language_is_remembered_for_the_user(personas: Personas) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post("/accounts/login/", {"username": "screener", "password": TEST_PASSWORD})
    client.post("/accounts/language/", {"language": "kk", "next": "/"})
    personas.screener.refresh_from_db()
    assert personas.screener.language == "kk"
    # A new browser that asks for English still gets the user's Kazakh after sign-in.
    fresh = Client(HTTP_ACCEPT_LANGUAGE="en")
    fresh.post("/accounts/login/", {"username": "screener", "password": TEST_PASSWORD})
    assert '<html lang="kk">' in fresh.get("/").content.decode()


@pytest.mark.django_db
def test_a_bad_language_choice_changes_nothing(personas: Personas) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post("/accounts/login/", {"username": "screener", "password": TEST_PASSWORD})
    response = client.post(
        "/accounts/language/", {"language": "xx", "next": "https://evil.example"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    personas.screener.refresh_from_db()
    assert personas.screener.language == ""


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_catalogue_has_no_untranslated_or_fuzzy_entries(lang: str) -> None:
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    assert len(po) > 50
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.django_db
def test_dates_follow_the_users_language(personas: Personas) -> None:
    from tanu.identification import actions

    actions.do_start_screening(
        actor=personas.screener,
        context={
            "place": "patrol",
            "interview_language": "ru",
            "age_group": "adult",
            "form": "labour",
        },
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post("/accounts/login/", {"username": "screener", "password": TEST_PASSWORD})
    from django.utils import formats, timezone, translation

    today = timezone.localdate()
    shown = {}
    for lang in ("en", "ru", "kk"):
        client.post("/accounts/language/", {"language": lang, "next": "/"})
        with translation.override(lang):
            expected = formats.date_format(today)
        assert expected in client.get("/screenings/").content.decode()
        shown[lang] = expected
    assert len(set(shown.values())) == 3
