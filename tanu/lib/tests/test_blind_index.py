"""Blind indexes: one index for every spelling of a name, none shared by different names."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from tanu.lib import crypto
from tanu.lib.crypto import blind_index, name_token_indexes, normalise_document
from tanu.lib.translit import name_tokens, normalise_name

SPELLINGS = [
    ["Айгерим", "Aigerim", "Aıgerım", "АЙГЕРИМ", "Aygerim"],
    ["Жанар", "Zhanar", "Janar"],
    ["Канарьева", "Kanaryeva", "Kanareva"],
    ["Ержан", "Yerzhan", "Erzhan"],
    ["Нұрсұлтан", "Nursultan"],
    ["Әлия", "Aliya", "Alia"],
    ["Ғалым", "Galym", "Ğalym"],
    ["Құрманғазы", "Kurmangazy"],
    ["Сергей", "Sergey", "Sergei"],
    ["Юлия", "Yulia", "Iuliia"],
    ["Щукин", "Shchukin"],
    ["Хасан", "Khasan", "Hasan"],
    ["Цой", "Tsoi", "Tsoy"],
    # Beyond the promised list: other alphabets and habits seen on documents.
    ["Құрманғазы", "Qurmanğazy", "Qurmanǵazy", "Qurman'gazy"],
    ["Шыңғыс", "Shyngys", "Şyñğys", "Shyńǵys", "S'yn'g'ys"],
    ["Нұр-Сұлтан", "Nur Sultan", "Nursultan"],
    ["Ильяс", "İlyas", "Ilyas", "Iliyas"],
    ["Дмитрий", "Dmitriy", "Dmitry", "Dmitrii"],
    ["Алексеев", "Alekseev", "Alekseyev"],
    ["Касьянов", "Kasyanov", "Kas'yanov"],
    ["Джамшид", "Jamshid", "Djamshid", "Dzhamshid"],
    ["Ｚｈａｎａｒ", "Zhanar"],
]
PAIRS = [(group[0], other) for group in SPELLINGS for other in group[1:]]

DIFFERENT = [
    ("Айгерим", "Айгуль"),
    ("Жанар", "Жанат"),
    ("Ержан", "Ерлан"),
    ("Сергей", "Серик"),
    ("Хасан", "Хусан"),
    ("Юлия", "Юрий"),
    ("Әлия", "Әлима"),
    ("Ғалым", "Ғали"),
]


@pytest.mark.parametrize(("spelling", "other"), PAIRS)
def test_every_spelling_of_a_name_gives_the_same_key(spelling: str, other: str) -> None:
    assert normalise_name(spelling) == normalise_name(other)


@pytest.mark.parametrize(("spelling", "other"), PAIRS)
def test_every_spelling_of_a_name_gives_the_same_blind_index(spelling: str, other: str) -> None:
    assert blind_index(spelling, kind="name") == blind_index(other, kind="name")


@pytest.mark.parametrize(("name", "other"), DIFFERENT)
def test_different_names_give_different_blind_indexes(name: str, other: str) -> None:
    assert blind_index(name, kind="name") != blind_index(other, kind="name")


def test_the_keys_read_as_documented() -> None:
    assert [normalise_name(n) for n in ["Айгерим", "Жанар", "Ержан", "Хасан", "Цой", "Щукин"]] == [
        "aigerim",
        "janar",
        "erjan",
        "hasan",
        "coi",
        "şukin",
    ]


def test_the_parts_of_a_name_are_keyed_in_order_without_repeats() -> None:
    assert name_tokens("Канарьева Айгерим-Ержановна, Айгерим") == [
        "kanareva",
        "aigerim",
        "erjanovna",
    ]
    assert name_tokens(" - ") == []


def test_name_part_indexes_do_not_depend_on_the_order_or_the_alphabet() -> None:
    assert name_token_indexes("Канарьева Айгерим") == name_token_indexes("Aigerim KANARYEVA")
    assert len(name_token_indexes("Канарьева Айгерим")) == 2


def test_a_name_part_index_matches_a_one_word_query() -> None:
    assert blind_index("Aigerim", kind="name.token") in name_token_indexes("Канарьева Айгерим")


def test_name_part_indexes_need_a_name_kind() -> None:
    with pytest.raises(ValueError, match="name"):
        name_token_indexes("Айгерим", kind="document")


@pytest.mark.parametrize("spelling", ["N12345678", "n 1234-5678", " N 1234 5678 ", "№ N12345678"])
def test_document_numbers_ignore_spaces_dashes_and_case(spelling: str) -> None:
    assert normalise_document(spelling) == "N12345678"
    assert blind_index(spelling, kind="document") == blind_index("N12345678", kind="document")


def test_document_numbers_read_cyrillic_lookalikes_as_latin() -> None:
    # "АВ" typed on a Cyrillic keyboard looks exactly like the Latin "AB" on the document.
    assert normalise_document("АВ 1234567") == normalise_document("ab1234567") == "AB1234567"


def test_different_document_numbers_give_different_blind_indexes() -> None:
    assert blind_index("N12345678", kind="document") != blind_index("N12345679", kind="document")


def test_a_blind_index_is_32_hex_characters() -> None:
    index = blind_index("Айгерим", kind="name")
    assert len(index) == 32
    assert int(index, 16) >= 0


def test_kinds_keep_indexes_apart() -> None:
    assert blind_index("Айгерим", kind="name.family") != blind_index("Айгерим", kind="name.given")
    assert blind_index("12345", kind="document") != blind_index("12345", kind="text")


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown blind index kind"):
        blind_index("Айгерим", kind="nmae")


def test_a_value_with_nothing_to_index_gives_no_index() -> None:
    assert blind_index("  - ", kind="name") == ""
    assert blind_index("", kind="document") == ""


def key(byte: int) -> str:
    return base64.urlsafe_b64encode(bytes([byte]) * 32).decode()


def test_the_blind_index_survives_a_rotation_of_the_field_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TANU_FIELD_KEYS", f"k1:{key(1)}")
    before = blind_index("Айгерим", kind="name")
    monkeypatch.setenv("TANU_FIELD_KEYS", f"k1:{key(1)},k2:{key(2)}")
    crypto.reset_keyring()
    assert crypto.get_keyring().active == "k2"
    assert blind_index("Айгерим", kind="name") == before


def test_the_blind_index_depends_on_the_first_key_when_no_dedicated_key_is_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TANU_FIELD_KEYS", f"k1:{key(1)}")
    first = blind_index("Айгерим", kind="name")
    monkeypatch.setenv("TANU_FIELD_KEYS", f"k3:{key(3)}")
    crypto.reset_keyring()
    assert blind_index("Айгерим", kind="name") != first


def test_a_dedicated_blind_index_key_outlives_every_field_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TANU_BLIND_INDEX_KEY", key(9))
    monkeypatch.setenv("TANU_FIELD_KEYS", f"k1:{key(1)}")
    before = blind_index("Айгерим", kind="name")
    monkeypatch.setenv("TANU_FIELD_KEYS", f"k2:{key(2)}")
    crypto.reset_keyring()
    assert blind_index("Айгерим", kind="name") == before


def test_the_blind_index_key_can_come_from_the_key_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TANU_BLIND_INDEX_KEY", key(9))
    monkeypatch.setenv("TANU_FIELD_KEYS", f"k1:{key(1)}")
    from_env = blind_index("Айгерим", kind="name")
    monkeypatch.delenv("TANU_BLIND_INDEX_KEY")
    monkeypatch.delenv("TANU_FIELD_KEYS")
    path = tmp_path / "keys.json"
    path.write_text(f'{{"keys": {{"k2": "{key(2)}"}}, "blind_index_key": "{key(9)}"}}')
    monkeypatch.setenv("TANU_FIELD_KEY_FILE", str(path))
    crypto.reset_keyring()
    assert blind_index("Айгерим", kind="name") == from_env


def test_the_blind_index_key_is_not_a_field_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANU_FIELD_KEYS", f"k1:{key(1)}")
    ring = crypto.get_keyring()
    assert ring.blind_key not in ring.keys.values()
