"""Ё written the passport way (yo) keys like Ё written Е: one name, one key."""

from __future__ import annotations

import pytest

from tanu.lib.crypto import blind_index
from tanu.lib.translit import name_tokens, normalise_name

YO_SPELLINGS = [
    ("Бахтиёр", "Bakhtiyor"),
    ("Бахтиёр", "Baxtiyor"),
    ("Бахтиёр", "BAKHTIYOR"),
    ("Фёдор", "Fyodor"),
    ("Федор", "Fyodor"),
    ("Артём", "Artyom"),
    ("Семёнов", "Semyonov"),
    ("Пётр", "Pyotr"),
    ("Ёркин", "Yorqin"),
]


@pytest.mark.parametrize(("cyrillic", "latin"), YO_SPELLINGS)
def test_yo_in_a_latin_spelling_gives_the_key_of_the_cyrillic_name(
    cyrillic: str, latin: str
) -> None:
    assert normalise_name(cyrillic) == normalise_name(latin)
    assert blind_index(cyrillic, kind="name") == blind_index(latin, kind="name")


def test_a_passport_spelling_of_given_and_family_name_gives_the_parts_of_the_cyrillic_name() -> (
    None
):
    assert name_tokens("Рахимов Бахтиёр") == name_tokens("Rakhimov Bakhtiyor")
    assert sorted(name_tokens("Bakhtiyor RAKHIMOV")) == sorted(name_tokens("Рахимов Бахтиёр"))
