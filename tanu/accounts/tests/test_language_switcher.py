"""The language switcher names every language in its own language, on every page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.accounts.tests.personas import Personas

OWN_NAMES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
OPTION = re.compile(r'<option value="(\w+)" lang="(\w+)"(?: selected)?>([^<]*)</option>')


def switcher(html: str) -> list[tuple[str, str]]:
    select = html.split('<select id="lang-select"', 1)[1].split("</select>", 1)[0]
    options = OPTION.findall(select)
    assert all(value == lang for value, lang, _name in options)
    return [(value, name) for value, _lang, name in options]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_switcher_names_each_language_in_that_language_before_sign_in(lang: str) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE=lang).get("/accounts/login/")
    assert switcher(page.content.decode()) == OWN_NAMES


def test_the_switcher_names_each_language_in_that_language_when_signed_in(
    personas: Personas,
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.post("/accounts/login/", {"username": "screener", "password": TEST_PASSWORD})
    for lang in ("kk", "ru"):
        client.post("/accounts/language/", {"language": lang, "next": "/"})
        html = client.get("/").content.decode()
        assert f'<html lang="{lang}">' in html
        assert switcher(html) == OWN_NAMES
        assert f'<option value="{lang}" lang="{lang}" selected>' in html
