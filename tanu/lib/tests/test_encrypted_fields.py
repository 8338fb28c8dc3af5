"""Encrypted model fields: plaintext in Python, tokens in the database, no plaintext queries."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connection, models
from django.db.migrations.writer import MigrationWriter

from tanu.lib import crypto
from tanu.lib.crypto import EncryptedJSONField, EncryptedTextField


class Sheltered(models.Model):
    """A throwaway model, registered under an app label that is not installed."""

    family_name = EncryptedTextField(blank=True, null=True)
    given_name = EncryptedTextField(blank=True, default="")
    story = EncryptedJSONField(null=True, blank=True)
    renamed = EncryptedTextField(null=True, context="cases.Person.old_name")

    class Meta:
        app_label = "crypto_tests"

    def __str__(self) -> str:
        return f"Sheltered {self.pk}"


class WithNotes(models.Model):
    notes = EncryptedTextField(blank=True)

    class Meta:
        abstract = True
        app_label = "crypto_tests"


class Visit(WithNotes):
    class Meta:
        app_label = "crypto_tests"

    def __str__(self) -> str:
        return f"Visit {self.pk}"


def field(name: str) -> EncryptedTextField:
    found = Sheltered._meta.get_field(name)
    assert isinstance(found, EncryptedTextField)
    return found


def test_the_context_names_app_model_and_field() -> None:
    assert field("family_name").context == "crypto_tests.Sheltered.family_name"
    assert field("story").context == "crypto_tests.Sheltered.story"


def test_an_explicit_context_is_kept() -> None:
    assert field("renamed").context == "cases.Person.old_name"


def test_a_value_is_encrypted_for_the_database_and_decrypted_for_python() -> None:
    family_name = field("family_name")
    stored = family_name.seal("Канарьева", row=7)
    assert stored.startswith("v2.dev.")
    assert "Канарьева" not in stored
    assert (
        crypto.decrypt(stored, context="crypto_tests.Sheltered.family_name", row=7) == "Канарьева"
    )
    assert family_name.get_prep_value(stored) == stored
    sealed = family_name.from_db_value(stored, None, connection)
    assert isinstance(sealed, crypto.Sealed)
    assert family_name.open(sealed, row=7) == "Канарьева"


def test_none_and_the_empty_string_are_stored_as_they_are() -> None:
    family_name = field("family_name")
    assert family_name.get_prep_value(None) is None
    assert family_name.get_prep_value("") == ""
    assert family_name.from_db_value(None, None, connection) is None
    assert family_name.from_db_value("", None, connection) == ""


def test_a_value_of_one_field_does_not_decrypt_in_another() -> None:
    stored = field("family_name").seal("Канарьева", row=7)
    opened = field("given_name").open(stored, row=7)
    assert opened == ""
    assert crypto.is_unreadable(opened)


def test_the_json_field_round_trips_python_objects() -> None:
    story = field("story")
    value = {"город": "Тараз", "ages": [16, 17], "child": True, "note": None}
    stored = story.seal(value, row=7)
    assert "Тараз" not in stored
    assert story.open(story.from_db_value(stored, None, connection), row=7) == value
    assert story.get_prep_value(None) is None
    assert story.from_db_value(None, None, connection) is None
    assert story.open(story.seal("", row=7), row=7) == ""


def test_a_field_without_a_model_or_context_refuses_to_encrypt() -> None:
    with pytest.raises(ImproperlyConfigured, match="no encryption context"):
        EncryptedTextField().seal("Айгерим", row=1)


def test_the_fields_deconstruct_for_migrations() -> None:
    _, path, _, kwargs = field("renamed").deconstruct()
    assert path == "tanu.lib.crypto.EncryptedTextField"
    assert kwargs == {"null": True, "context": "cases.Person.old_name"}
    assert "context" not in field("family_name").deconstruct()[3]
    assert field("story").deconstruct()[1] == "tanu.lib.crypto.EncryptedJSONField"
    serialised, imports = MigrationWriter.serialize(field("renamed"))
    assert (
        serialised
        == "tanu.lib.crypto.EncryptedTextField(context='cases.Person.old_name', null=True)"
    )
    assert "import tanu.lib.crypto" in imports


def test_a_field_inherited_from_an_abstract_model_takes_the_concrete_model_context() -> None:
    notes = Visit._meta.get_field("notes")
    assert isinstance(notes, EncryptedTextField)
    assert notes.context == "crypto_tests.Visit.notes"


def test_a_cloned_field_keeps_its_context_settings() -> None:
    assert field("renamed").clone().context == "cases.Person.old_name"
    assert field("family_name").clone().context == ""


def test_unique_or_indexed_encrypted_fields_fail_the_model_checks() -> None:
    bad = EncryptedTextField(unique=True)
    bad.set_attributes_from_name("passport")
    bad.model = Sheltered
    assert "tanu.E012" in [error.id for error in bad.check()]
    assert "tanu.E012" not in [error.id for error in field("family_name").check()]


@pytest.mark.parametrize(
    "lookup",
    [
        {"family_name": "Канарьева"},
        {"family_name__iexact": "канарьева"},
        {"family_name__icontains": "кан"},
        {"family_name__startswith": "v1."},
        {"family_name__in": ["Канарьева"]},
        {"family_name__lower": "канарьева"},
        {"story__city": "Тараз"},
        {"family_name": None},
    ],
)
def test_queries_on_plaintext_are_refused(lookup: dict[str, object]) -> None:
    with pytest.raises(FieldError, match="blind index"):
        Sheltered.objects.filter(**lookup)


def test_isnull_lookups_are_allowed() -> None:
    sql = str(Sheltered.objects.filter(family_name__isnull=True, story__isnull=False).query)
    assert "IS NULL" in sql
    assert "IS NOT NULL" in sql


@pytest.fixture
def sheltered_table(transactional_db: None) -> Iterator[None]:
    with connection.schema_editor() as editor:
        editor.create_model(Sheltered)
    yield
    with connection.schema_editor() as editor:
        editor.delete_model(Sheltered)


@pytest.mark.usefixtures("sheltered_table")
def test_the_database_holds_only_tokens_and_the_orm_returns_plaintext() -> None:
    Sheltered.objects.create(
        family_name="Канарьева", given_name="Айгерим", story={"город": "Тараз"}
    )
    Sheltered.objects.create(family_name=None)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT family_name, given_name, story FROM crypto_tests_sheltered ORDER BY id"
        )
        rows = cursor.fetchall()
    assert all(
        value is None or value == "" or value.startswith("v2.dev.") for row in rows for value in row
    )
    assert "Канарьева" not in str(rows)
    assert "Тараз" not in str(rows)

    first, second = Sheltered.objects.order_by("id")
    assert (first.family_name, first.given_name, first.story) == (
        "Канарьева",
        "Айгерим",
        {"город": "Тараз"},
    )
    assert (second.family_name, second.given_name, second.story) == (None, "", None)
    assert list(
        Sheltered.objects.filter(family_name__isnull=True).values_list("given_name", flat=True)
    ) == [""]

    first.family_name = "Kanareva"
    first.save(update_fields=["family_name"])
    first.refresh_from_db()
    assert first.family_name == "Kanareva"


@pytest.mark.usefixtures("sheltered_table")
def test_an_update_of_many_rows_to_one_plaintext_is_refused_but_clearing_is_allowed() -> None:
    first = Sheltered.objects.create(family_name="Канарьева", given_name="Айгерим")
    with pytest.raises(ValueError, match="bound to its row"):
        Sheltered.objects.filter(pk=first.pk).update(family_name="Kanareva")
    Sheltered.objects.filter(pk=first.pk).update(family_name="", story=None)
    first.refresh_from_db()
    assert (first.family_name, first.given_name, first.story) == ("", "Айгерим", None)
