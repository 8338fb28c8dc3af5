"""`tanu keys rotate` and `tanu keys status`: re-encrypting stored data under a new field key."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tanu.accounts.tests.personas import Personas
from tanu.cases import actions as case_actions
from tanu.cases import documents
from tanu.cases.models import Case, Document, Note, Person, PersonIndex
from tanu.cases.tests.helpers import open_case
from tanu.lib import crypto

pytestmark = pytest.mark.django_db

KEY_A = crypto.generate_key()
KEY_B = crypto.generate_key()
BLIND = crypto.generate_key()


@pytest.fixture(autouse=True)
def keys_from_env(monkeypatch: pytest.MonkeyPatch, settings, tmp_path: Path) -> Iterator[None]:
    settings.DATA_DIR = tmp_path
    for name in (crypto.ENV_KEYS, crypto.ENV_KEY_FILE, crypto.ENV_ACTIVE):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(crypto.ENV_BLIND, BLIND)
    use_keys(monkeypatch, f"a:{KEY_A}")
    yield
    crypto.reset_keyring()


def use_keys(monkeypatch: pytest.MonkeyPatch, keys: str, active: str | None = None) -> None:
    monkeypatch.setenv(crypto.ENV_KEYS, keys)
    if active:
        monkeypatch.setenv(crypto.ENV_ACTIVE, active)
    else:
        monkeypatch.delenv(crypto.ENV_ACTIVE, raising=False)
    crypto.reset_keyring()


def switch_to_b(monkeypatch: pytest.MonkeyPatch) -> None:
    use_keys(monkeypatch, f"a:{KEY_A},b:{KEY_B}", active="b")


def case_with_note_and_document(personas: Personas) -> Case:
    case = open_case(personas.screener)
    case_actions.do_add_note(case, actor=personas.screener, text="Meets at the bus station")
    case_actions.do_add_document(
        case,
        actor=personas.screener,
        title="passport copy",
        content="Паспорт N12345678 Канарьева".encode(),
        content_type="text/plain",
    )
    case_actions.do_request_data_change(
        case, actor=personas.screener, kind="correction", details="Spelling of the surname"
    )
    return case


def raw_tokens() -> dict[str, list[str]]:
    """Every non-empty stored value of every encrypted column, read straight from the tables."""
    found: dict[str, list[str]] = {}
    for model in apps.get_models():
        for field in model._meta.local_concrete_fields:
            if isinstance(field, crypto.EncryptedTextField):
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT {field.column} FROM {model._meta.db_table}")
                    values = [v for (v,) in cursor.fetchall() if v]
                found[f"{model._meta.label}.{field.name}"] = values
    return found


def document_tokens() -> dict[str, str]:
    folder = documents.documents_dir()
    return {p.name: p.read_text() for p in folder.iterdir() if p.is_file()}


def rotate(*args: str) -> str:
    out = StringIO()
    call_command("keys", "rotate", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def assert_everything_reads(case: Case) -> None:
    person = Person.objects.get(pk=case.person_id)
    assert person.given_name == "Жанар" and person.family_name == "Канарьева"
    assert person.other_names == "Zhanar Kanaryeva"
    assert person.documents == [{"type": "id_card", "number": "N12345678"}]
    assert Note.objects.get(case=case).text == "Meets at the bus station"
    document = Document.objects.get(case=case)
    assert document.title == "passport copy"
    token = (documents.documents_dir() / document.storage_name).read_text()
    content = crypto.decrypt_bytes(token, context=documents.document_context(document.storage_name))
    assert content.decode() == "Паспорт N12345678 Канарьева"


def test_rotation_puts_every_value_and_document_under_the_active_key(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = case_with_note_and_document(personas)
    tokens = raw_tokens()
    assert tokens["cases.Person.given_name"] and tokens["cases.Note.text"]
    assert tokens["cases.DataRequest.details"] and tokens["cases.Document.title"]
    assert all(t.startswith("v2.a.") for values in tokens.values() for t in values)

    switch_to_b(monkeypatch)
    output = rotate()

    assert "cases.Person: 1/1 rows" in output
    assert "documents: 1/1 files" in output
    assert "every value is under the active key" in output
    for column, values in raw_tokens().items():
        assert all(t.startswith("v2.b.") for t in values), column
    assert all(t.startswith("v2.b.") for t in document_tokens().values())
    assert_everything_reads(case)


def test_after_rotation_the_old_key_can_leave_the_ring(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = case_with_note_and_document(personas)
    switch_to_b(monkeypatch)
    rotate()

    use_keys(monkeypatch, f"b:{KEY_B}")

    assert_everything_reads(case)
    # The blind indexes were keyed by the dedicated blind-index key: search still finds her.
    digest = crypto.blind_index("N12345678", kind="document")
    assert PersonIndex.objects.filter(person_id=case.person_id, digest=digest).exists()


def test_an_interrupted_rotation_finishes_when_run_again(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = [case_with_note_and_document(personas) for _ in range(3)]
    switch_to_b(monkeypatch)
    # A partial run: one person and one document were re-encrypted before it stopped.
    first = cases[0].person_id
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_name FROM cases_person WHERE id = %s", [first])
        (token,) = cursor.fetchone()
        done_by_hand = crypto.rotate_value(token, "cases.Person.given_name", row=first)
        cursor.execute(
            "UPDATE cases_person SET given_name = %s WHERE id = %s", [done_by_hand, first]
        )
    document = Document.objects.get(case=cases[0])
    path = documents.documents_dir() / document.storage_name
    path.write_text(
        crypto.rotate_value(path.read_text(), documents.document_context(document.storage_name))
    )
    rotated_document = path.read_text()
    # ... and a run that failed in the middle of its second batch.
    real_rotate = crypto.rotate_value
    calls = {"n": 0}

    def failing_rotate(token: str, context: str, row: object = None) -> str:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("power cut")
        return real_rotate(token, context, row)

    monkeypatch.setattr(crypto, "rotate_value", failing_rotate)
    with pytest.raises(RuntimeError):
        rotate("--batch-size", "1")
    monkeypatch.setattr(crypto, "rotate_value", real_rotate)

    output = rotate("--batch-size", "1")

    assert "cases.Note: 1/3 rows" in output and "cases.Note: 3/3 rows" in output
    assert "every value is under the active key" in output
    for column, values in raw_tokens().items():
        assert all(t.startswith("v2.b.") for t in values), column
    assert all(t.startswith("v2.b.") for t in document_tokens().values())
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_name FROM cases_person WHERE id = %s", [first])
        assert cursor.fetchone()[0] == done_by_hand  # not re-encrypted a second time
    assert path.read_text() == rotated_document
    for case in cases:
        assert_everything_reads(case)
    assert rotate().count("nothing to re-encrypt") >= 5


def test_rotation_reports_values_it_cannot_decrypt_and_fails(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = case_with_note_and_document(personas)
    switch_to_b(monkeypatch)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_note SET text = %s WHERE case_id = %s",
            ["v1.a.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", case.pk],
        )
    errors = StringIO()
    with pytest.raises(CommandError, match="1 values could not be re-encrypted"):
        call_command("keys", "rotate", stdout=StringIO(), stderr=errors)
    note = Note.objects.values_list("pk", flat=True).get(case=case)
    assert f"cases.Note {note} text" in errors.getvalue()
    assert raw_tokens()["cases.Person.given_name"][0].startswith("v2.b.")


def test_status_counts_values_per_key_id(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_with_note_and_document(personas)
    switch_to_b(monkeypatch)
    out = StringIO()
    call_command("keys", "status", stdout=out)
    before = out.getvalue()
    assert "active key: b (keys in the ring: a, b" in before
    assert "cases.Note.text: a 1" in before
    assert "documents: a 1" in before
    assert "values are not under the active key b" in before

    rotate()
    out = StringIO()
    call_command("keys", "status", stdout=out)
    after = out.getvalue()
    assert "cases.Note.text: b 1" in after and "documents: b 1" in after
    assert "every value is under the active key b." in after
    assert "Канарьева" not in before + after and KEY_A not in before + after


def legacy_v1_token(plaintext: str, context: str, kid: str, key: str) -> str:
    """A token as tanu wrote it before row binding: the context alone as associated data."""
    import base64
    import secrets

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(12)
    data = plaintext.encode() + b"\x80"
    data += b"\x00" * (-len(data) % 16)
    raw_key = base64.urlsafe_b64decode(key)
    sealed = AESGCM(raw_key).encrypt(nonce, data, context.encode())
    return f"v1.{kid}." + base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode()


def test_rotation_upgrades_legacy_v1_values_to_tokens_bound_to_their_row(
    personas: Personas,
) -> None:
    case = case_with_note_and_document(personas)
    other = case_with_note_and_document(personas)
    legacy = legacy_v1_token("Жанар", "cases.Person.given_name", "a", KEY_A)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_person SET given_name = %s WHERE id = %s", [legacy, case.person_id]
        )
    # A legacy value reads in its field, but is bound to no row: the reason to upgrade it.
    assert Person.objects.get(pk=case.person_id).given_name == "Жанар"

    out = StringIO()
    call_command("keys", "status", stdout=out)
    assert "cases.Person.given_name: a 1, a (v1) 1" in out.getvalue()
    assert "1 values are not under the active key a." in out.getvalue()

    output = rotate()  # no new key: only the format changes

    assert "cases.Person: 1/1 rows" in output
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_name FROM cases_person WHERE id = %s", [case.person_id])
        (upgraded,) = cursor.fetchone()
    assert upgraded.startswith("v2.a.")
    assert crypto.decrypt(upgraded, context="cases.Person.given_name", row=case.person_id)
    assert_everything_reads(case)
    # Copied to another person, the upgraded value no longer decrypts.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_person SET given_name = %s WHERE id = %s", [upgraded, other.person_id]
        )
    copied = Person.objects.get(pk=other.person_id).given_name
    assert copied == "" and crypto.is_unreadable(copied)


def test_verify_names_a_value_copied_to_another_row_without_showing_it(
    personas: Personas,
) -> None:
    case = case_with_note_and_document(personas)
    other = case_with_note_and_document(personas)
    call_command("keys", "verify", stdout=StringIO())  # all is well
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_person SET family_name = "
            "(SELECT family_name FROM cases_person WHERE id = %s) WHERE id = %s",
            [case.person_id, other.person_id],
        )
    errors = StringIO()
    with pytest.raises(CommandError, match="1 stored values do not decrypt"):
        call_command("keys", "verify", stdout=StringIO(), stderr=errors)
    assert f"cases.Person {other.person_id} family_name" in errors.getvalue()
    assert "Канарьева" not in errors.getvalue()
