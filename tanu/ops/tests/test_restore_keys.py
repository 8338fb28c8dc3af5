"""`tanu restore` checks every key it needs before it writes anything, and backups made before
a field key rotation restore with the old key retired (decryption only)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from tanu.accounts.tests.personas import Personas
from tanu.cases import documents
from tanu.cases.models import Person
from tanu.lib import crypto
from tanu.ops import backup
from tanu.ops.tests.test_backup import demo_data, empty_the_installation, make_backup, restore

pytestmark = pytest.mark.django_db

OLD_KEY = crypto.generate_key()
NEW_KEY = crypto.generate_key()
BLIND = crypto.generate_key()


@pytest.fixture(autouse=True)
def field_keys(monkeypatch: pytest.MonkeyPatch, settings, tmp_path: Path) -> Iterator[None]:
    settings.DATA_DIR = tmp_path / "data"
    for name in (crypto.ENV_KEY_FILE, crypto.ENV_ACTIVE, crypto.ENV_RETIRED, backup.ENV_BACKUP_KEY):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(crypto.ENV_BLIND, BLIND)
    use_keys(monkeypatch, f"k2025a:{OLD_KEY}")
    yield
    crypto.reset_keyring()


def use_keys(monkeypatch: pytest.MonkeyPatch, keys: str, *, retired: str = "") -> None:
    monkeypatch.setenv(crypto.ENV_KEYS, keys)
    monkeypatch.setenv(crypto.ENV_RETIRED, retired)
    crypto.reset_keyring()


def row_counts() -> dict[str, int]:
    counts = {
        model._meta.label: model._base_manager.count()  # type: ignore[union-attr]
        for model in backup.backed_up_models()
    }
    counts["document files"] = len(list(documents.documents_dir().iterdir()))
    return counts


def rotate_to_the_new_key(monkeypatch: pytest.MonkeyPatch) -> None:
    use_keys(monkeypatch, f"k2025a:{OLD_KEY},k2026a:{NEW_KEY}")
    call_command("keys", "rotate", stdout=io.StringIO(), stderr=io.StringIO())


def test_retired_field_keys_decrypt_but_never_encrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    old = crypto.encrypt("Канарьева", context="cases.Person.family_name", row=1)
    use_keys(monkeypatch, f"k2026a:{NEW_KEY}", retired=f"k2025a:{OLD_KEY}")

    assert crypto.decrypt(old, context="cases.Person.family_name", row=1) == "Канарьева"
    new = crypto.encrypt("Канарьева", context="cases.Person.family_name", row=1)
    assert crypto.key_id_of(new) == "k2026a"
    assert crypto.needs_rotation(old)
    assert list(crypto.get_keyring().keys) == ["k2026a"]


def test_a_key_both_in_the_ring_and_retired_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(crypto.ENV_RETIRED, f"k2025a:{OLD_KEY}")
    with pytest.raises(ImproperlyConfigured, match="both in the ring and retired"):
        crypto.load_keyring()


def test_keys_status_shows_retired_keys_as_retired(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_data(personas)
    use_keys(monkeypatch, f"k2026a:{NEW_KEY}", retired=f"k2025a:{OLD_KEY}")
    out = io.StringIO()
    call_command("keys", "status", stdout=out)
    assert "retired keys (decrypt only): k2025a" in out.getvalue()
    assert "(retired key: run `tanu keys rotate`)" in out.getvalue()


def test_a_backup_made_before_a_field_key_rotation_restores_with_the_old_key_retired(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    case = demo_data(personas)
    target = tmp_path / "before-rotation.bak"
    make_backup(target)  # under field key k2025a (no TANU_BACKUP_KEY)
    rotate_to_the_new_key(monkeypatch)
    use_keys(monkeypatch, f"k2026a:{NEW_KEY}", retired=f"k2025a:{OLD_KEY}")
    empty_the_installation()

    output = restore(target)

    assert "audit chain intact" in output
    person = Person.objects.get(pk=case.person_id)
    assert person.family_name == "Канарьева"
    document = case.documents.get()
    token = (documents.documents_dir() / document.storage_name).read_text()
    content = crypto.decrypt_bytes(token, context=documents.document_context(document.storage_name))
    assert content == "Паспорт N12345678 Канарьева".encode()


def test_a_backup_whose_documents_need_a_missing_field_key_is_refused_and_changes_nothing(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(backup.ENV_BACKUP_KEY, crypto.generate_key())
    demo_data(personas)
    target = tmp_path / "tanu.bak"
    make_backup(target)
    empty_the_installation()
    use_keys(monkeypatch, f"k2026a:{NEW_KEY}")  # the old key neither in the ring nor retired
    before = row_counts()

    with pytest.raises(CommandError) as refused:
        restore(target)

    message = str(refused.value)
    assert "field key 'k2025a'" in message and "TANU_RETIRED_FIELD_KEYS" in message
    assert "Nothing was changed" in message
    assert row_counts() == before


def test_a_backup_whose_chain_needs_a_missing_audit_key_is_refused_and_changes_nothing(
    personas: Personas, tmp_path: Path
) -> None:
    target = tmp_path / "tanu.bak"
    with override_settings(TANU_AUDIT_KEY="audit key A"):
        demo_data(personas)
        make_backup(target)
    empty_the_installation()
    before = row_counts()

    with override_settings(TANU_AUDIT_KEY="audit key B"), pytest.raises(CommandError) as refused:
        restore(target)

    message = str(refused.value)
    assert "audit chain does not verify" in message and "TANU_AUDIT_RETIRED_KEYS" in message
    assert "Nothing was changed" in message
    assert row_counts() == before

    with override_settings(TANU_AUDIT_KEY="audit key B", TANU_AUDIT_RETIRED_KEYS=["audit key A"]):
        assert "audit chain intact" in restore(target)


def test_a_backup_made_with_another_blind_index_key_is_refused_and_changes_nothing(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    demo_data(personas)
    target = tmp_path / "tanu.bak"
    make_backup(target)
    empty_the_installation()
    monkeypatch.setenv(crypto.ENV_BLIND, crypto.generate_key())
    crypto.reset_keyring()
    before = row_counts()

    with pytest.raises(CommandError) as refused:
        restore(target)

    message = str(refused.value)
    assert "blind-index key" in message and "Nothing was changed" in message
    assert row_counts() == before
