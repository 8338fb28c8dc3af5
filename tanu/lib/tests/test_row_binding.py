"""Encrypted values are bound to their table, row and field: a value copied elsewhere does not
decrypt, old (v1) values still read, and every way of writing rows binds them."""

from __future__ import annotations

import base64
import secrets

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import connection

from tanu.accounts.tests.personas import Personas
from tanu.cases.tests.helpers import CANARY, open_case, signed_in
from tanu.lib import crypto
from tanu.lib.tests.test_encrypted_fields import Sheltered, sheltered_table  # noqa: F401

TABLE = "crypto_tests_sheltered"


def raw(pk: int, column: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {TABLE} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def write_raw(pk: int, column: str, value: str | None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", [value, pk])


def legacy_v1_token(plaintext: str, context: str) -> str:
    """A token as tanu wrote it before row binding: the context alone as associated data."""
    ring = crypto.get_keyring()
    nonce = secrets.token_bytes(12)
    data = plaintext.encode() + b"\x80"
    data += b"\x00" * (-len(data) % 16)
    sealed = AESGCM(ring.keys[ring.active]).encrypt(nonce, data, context.encode())
    body = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode()
    return f"v1.{ring.active}.{body}"


@pytest.mark.usefixtures("sheltered_table")
def test_a_value_copied_to_another_row_of_the_same_field_does_not_decrypt() -> None:
    a = Sheltered.objects.create(family_name="Канарьева", story={"город": "Тараз"})
    b = Sheltered.objects.create(family_name="Иванова", story={"город": "Актау"})
    write_raw(b.pk, "family_name", raw(a.pk, "family_name"))
    write_raw(b.pk, "story", raw(a.pk, "story"))

    copied = Sheltered.objects.get(pk=b.pk)
    assert copied.family_name == ""
    assert crypto.is_unreadable(copied.family_name)
    assert copied.story == {} or copied.story == "" or copied.story == []
    assert crypto.is_unreadable(copied.story)
    assert "Канарьева" not in str(copied.__dict__)
    original = Sheltered.objects.get(pk=a.pk)
    assert (original.family_name, original.story) == ("Канарьева", {"город": "Тараз"})


@pytest.mark.usefixtures("sheltered_table")
def test_a_value_copied_to_another_field_of_the_same_row_does_not_decrypt() -> None:
    a = Sheltered.objects.create(family_name="Канарьева", given_name="Айгерим")
    write_raw(a.pk, "given_name", raw(a.pk, "family_name"))
    a = Sheltered.objects.get(pk=a.pk)
    assert a.family_name == "Канарьева"
    assert a.given_name == ""
    assert crypto.is_unreadable(a.given_name)


@pytest.mark.usefixtures("sheltered_table")
def test_the_stored_token_is_bound_to_the_row_id_and_the_field() -> None:
    a = Sheltered.objects.create(family_name="Канарьева")
    token = raw(a.pk, "family_name")
    assert token is not None
    assert token.startswith("v2.dev.")
    context = "crypto_tests.Sheltered.family_name"
    assert crypto.decrypt(token, context=context, row=a.pk) == "Канарьева"
    for row in (a.pk + 1, None, ""):
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(token, context=context, row=row)


@pytest.mark.usefixtures("sheltered_table")
def test_saving_a_row_with_an_unreadable_value_keeps_the_stored_token() -> None:
    a = Sheltered.objects.create(family_name="Канарьева")
    b = Sheltered.objects.create(family_name="Иванова", given_name="Айгерим")
    planted = raw(a.pk, "family_name")
    write_raw(b.pk, "family_name", planted)
    b = Sheltered.objects.get(pk=b.pk)
    b.given_name = "Әлия"
    b.save()
    assert raw(b.pk, "family_name") == planted
    assert Sheltered.objects.get(pk=b.pk).given_name == "Әлия"


@pytest.mark.usefixtures("sheltered_table")
def test_a_legacy_v1_token_still_reads_in_its_field() -> None:
    a = Sheltered.objects.create(family_name="")
    write_raw(
        a.pk, "family_name", legacy_v1_token("Канарьева", "crypto_tests.Sheltered.family_name")
    )
    write_raw(a.pk, "story", legacy_v1_token('{"город":"Тараз"}', "crypto_tests.Sheltered.story"))
    a = Sheltered.objects.get(pk=a.pk)
    assert a.family_name == "Канарьева"
    assert a.story == {"город": "Тараз"}
    assert crypto.needs_rotation(raw(a.pk, "family_name") or "")
    a.save()
    assert (raw(a.pk, "family_name") or "").startswith("v2.")
    assert Sheltered.objects.get(pk=a.pk).family_name == "Канарьева"


@pytest.mark.usefixtures("sheltered_table")
def test_a_row_saved_as_a_copy_gets_tokens_bound_to_its_new_id() -> None:
    a = Sheltered.objects.create(family_name="Канарьева", story=["Тараз"])
    copy = Sheltered.objects.get(pk=a.pk)
    copy.pk = None
    copy.save()
    assert copy.pk != a.pk
    again = Sheltered.objects.get(pk=copy.pk)
    assert (again.family_name, again.story) == ("Канарьева", ["Тараз"])
    assert raw(copy.pk, "family_name") != raw(a.pk, "family_name")


@pytest.mark.usefixtures("sheltered_table")
def test_a_bulk_insert_without_ids_is_refused_rather_than_losing_values() -> None:
    with pytest.raises(ValueError, match="bulk_create"):
        Sheltered.objects.bulk_create([Sheltered(family_name="Канарьева")])
    assert not Sheltered.objects.exists()


@pytest.mark.usefixtures("sheltered_table")
def test_bulk_inserts_with_ids_or_through_the_helper_bind_every_row() -> None:
    Sheltered.objects.bulk_create([Sheltered(pk=40, family_name="Канарьева")])
    made = crypto.bulk_create(
        Sheltered, [Sheltered(family_name="Иванова", story=[1]), Sheltered(given_name="Әлия")]
    )
    assert Sheltered.objects.get(pk=40).family_name == "Канарьева"
    first, second = (Sheltered.objects.get(pk=obj.pk) for obj in made)
    assert (first.family_name, first.story, second.given_name) == ("Иванова", [1], "Әлия")
    assert (
        crypto.decrypt(
            raw(second.pk, "given_name") or "",
            context="crypto_tests.Sheltered.given_name",
            row=second.pk,
        )
        == "Әлия"
    )


@pytest.mark.usefixtures("sheltered_table")
def test_values_lists_give_sealed_tokens_that_open_with_their_row() -> None:
    a = Sheltered.objects.create(family_name="Канарьева")
    pk, sealed = Sheltered.objects.values_list("pk", "family_name").get()
    assert isinstance(sealed, crypto.Sealed)
    assert "Канарьева" not in str(sealed)
    family_name = Sheltered._meta.get_field("family_name")
    assert isinstance(family_name, crypto.EncryptedTextField)
    assert family_name.open(sealed, row=pk) == "Канарьева"
    assert a.pk == pk


@pytest.mark.usefixtures("sheltered_table")
def test_deferred_fields_load_and_decrypt_with_their_row() -> None:
    a = Sheltered.objects.create(family_name="Канарьева", given_name="Айгерим")
    only = Sheltered.objects.only("given_name").get(pk=a.pk)
    assert only.given_name == "Айгерим"
    assert only.family_name == "Канарьева"


@pytest.mark.usefixtures("sheltered_table")
def test_a_raw_save_as_fixtures_and_restore_do_binds_values_to_the_given_id() -> None:
    # What DeserializedObject.save() does for loaddata and `tanu restore`.
    row = Sheltered(pk=77, family_name="Канарьева", given_name="", story={"a": 1})
    row.save_base(raw=True, force_insert=True)
    loaded = Sheltered.objects.get(pk=77)
    assert (loaded.family_name, loaded.given_name, loaded.story) == ("Канарьева", "", {"a": 1})
    token = raw(77, "family_name") or ""
    assert crypto.decrypt(token, context="crypto_tests.Sheltered.family_name", row=77)


@pytest.mark.django_db
def test_a_case_whose_person_holds_a_copied_value_still_opens_without_it(
    personas: Personas,
) -> None:
    canary = open_case(personas.screener)
    other = open_case(
        personas.screener,
        person={**CANARY, "given_name": "Әлия", "family_name": "Сериккызы", "documents": []},
    )
    with connection.cursor() as cursor:
        for column in ("given_name", "documents"):
            cursor.execute(
                f"UPDATE cases_person SET {column} = "
                f"(SELECT {column} FROM cases_person WHERE id = %s) WHERE id = %s",
                [canary.person_id, other.person_id],
            )
    client = signed_in(personas.screener.username)
    revealed = client.post(f"/cases/{other.pk}/reveal/", {"reason": "follow-up call"})
    assert revealed.status_code == 302
    page = client.get(f"/cases/{other.pk}/")
    exported = client.get(f"/cases/{other.pk}/export.json")

    assert page.status_code == 200 and exported.status_code == 200
    for body in (page.content.decode(), exported.content.decode()):
        assert "Сериккызы" in body  # the row's own values read
        assert "Жанар" not in body and "N12345678" not in body  # the copied ones do not
