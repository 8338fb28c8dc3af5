"""`tanu backup FILE` and `tanu restore FILE`: one encrypted file, an exact round trip."""

from __future__ import annotations

import contextlib
import io
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tanu.accounts.models import AuthenticatorDevice
from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.cases import actions as case_actions
from tanu.cases import documents
from tanu.cases.models import Case, Person
from tanu.cases.tests.helpers import finalised_screening, open_case, signed_in
from tanu.identification import actions as screening_actions
from tanu.lib import crypto
from tanu.ops import backup

pytestmark = pytest.mark.django_db

SECRETS = [
    "Жанар",
    "Канарьева",
    "Zhanar",
    "Kanaryeva",
    "N12345678",
    "Примерная",
    "+7 701 000 0000",
    "Meets at the bus station",
    "Паспорт",
]
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


@pytest.fixture(autouse=True)
def development_keys_and_data_dir(
    monkeypatch: pytest.MonkeyPatch, settings, tmp_path: Path
) -> Iterator[None]:
    settings.DATA_DIR = tmp_path / "data"
    for name in (
        crypto.ENV_KEYS,
        crypto.ENV_KEY_FILE,
        crypto.ENV_ACTIVE,
        crypto.ENV_BLIND,
        backup.ENV_BACKUP_KEY,
    ):
        monkeypatch.delenv(name, raising=False)
    crypto.reset_keyring()
    yield
    crypto.reset_keyring()


def demo_data(personas: Personas) -> Case:
    case = open_case(personas.screener)
    case_actions.do_record_consent(
        case,
        actor=personas.screener,
        purpose="assistance",
        given=True,
        basis="person",
        language="ru",
        interpreter_used=False,
    )
    case_actions.do_add_note(case, actor=personas.screener, text="Meets at the bus station")
    case_actions.do_add_document(
        case,
        actor=personas.screener,
        title="passport copy",
        content="Паспорт N12345678 Канарьева".encode(),
        content_type="text/plain",
    )
    finalised_screening(personas.caseworker, codes=["AL-DR-01"], age_years=40)
    screening_actions.do_start_screening(
        actor=personas.monitor,
        context={
            "place": "patrol",
            "interview_language": "kk",
            "age_group": "adult",
            "age_years": None,
            "form": "labour",
        },
        answers={"AL-DR-01": "observed"},
    )
    AuthenticatorDevice.objects.create(user=personas.coordinator, name="phone", confirmed=True)
    personas.screener.user_permissions.add(*_some_permissions())
    return case


def _some_permissions() -> list[Any]:
    from django.contrib.auth.models import Permission

    return list(Permission.objects.filter(codename__in=["view_case", "view_region"]))


def canonical() -> dict[str, Any]:
    """Everything a backup should carry, in a comparable form: dumpdata rows and document files."""
    out = io.StringIO()
    call_command("dumpdata", exclude=EXCLUDE, natural_foreign=True, stdout=out)
    rows = sorted(json.loads(out.getvalue()), key=lambda r: (r["model"], str(r["pk"])))
    folder = documents.documents_dir()
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
    return {"rows": rows, "files": files}


def without_restore_entry(state: dict[str, Any]) -> dict[str, Any]:
    rows = [
        r
        for r in state["rows"]
        if r["model"] != "audit.audithead"
        and not (r["model"] == "audit.auditentry" and r["fields"]["actor_username"] == "restore")
    ]
    return {"rows": rows, "files": state["files"]}


def make_backup(path: Path) -> str:
    out = io.StringIO()
    call_command("backup", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def restore(path: Path) -> str:
    out = io.StringIO()
    call_command("restore", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def empty_the_installation() -> None:
    """A fresh installation: flush the database (regions too) and remove the document files."""
    if connection.vendor == "postgresql":
        # The test runs inside a transaction; PostgreSQL truncates no table with foreign-key
        # checks still pending in it, so run those checks now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for path in documents.documents_dir().iterdir():
        path.unlink()


def test_the_backup_file_holds_no_byte_of_personal_data_in_clear(
    personas: Personas, tmp_path: Path
) -> None:
    demo_data(personas)
    target = tmp_path / "tanu.bak"

    output = make_backup(target)

    raw = target.read_bytes()
    assert raw.startswith(b"TANUBAK1")
    for secret in SECRETS:
        for encoding in ("utf-8", "utf-16-le", "cp1251"):
            with contextlib.suppress(UnicodeEncodeError):
                assert secret.encode(encoding) not in raw, secret
    assert b"data.json" not in raw and b"manifest" not in raw  # the archive itself is sealed
    assert "read cases.Person: 1 rows" in output and "backup written to" in output
    assert "Канарьева" not in output
    assert (target.stat().st_mode & 0o777) == 0o600


def test_a_restore_brings_back_exactly_what_was_backed_up(
    personas: Personas, tmp_path: Path
) -> None:
    case = demo_data(personas)
    target = tmp_path / "tanu.bak"
    make_backup(target)
    before = canonical()  # includes the audit entry of the backup itself
    assert any(r["model"] == "cases.document" for r in before["rows"])
    assert before["files"]

    empty_the_installation()
    assert not Person.objects.exists() and not before["files"].keys() & canonical()["files"].keys()
    output = restore(target)

    after = canonical()
    assert without_restore_entry(after) == without_restore_entry(before)
    restore_entries = AuditEntry.objects.filter(actor_username="restore")
    assert restore_entries.count() == 1
    assert restore_entries.get().seq == AuditEntry.objects.count()
    assert "cases.Person: 1" in output and "audit chain intact" in output
    verify = io.StringIO()
    call_command("audit", "verify", stdout=verify)
    assert "audit chain intact" in verify.getvalue()
    person = Person.objects.get(pk=case.person_id)
    assert person.family_name == "Канарьева"
    assert person.documents == [{"type": "id_card", "number": "N12345678"}]
    document = case.documents.get()
    token = (documents.documents_dir() / document.storage_name).read_text()
    content = crypto.decrypt_bytes(token, context=documents.document_context(document.storage_name))
    assert content == "Паспорт N12345678 Канарьева".encode()
    # The restored people can work: sign in (same password hash) and open the case.
    assert signed_in("screener").get(f"/cases/{case.pk}/").status_code == 200


def test_a_restore_into_a_database_with_data_is_refused_and_changes_nothing(
    personas: Personas, tmp_path: Path
) -> None:
    demo_data(personas)
    target = tmp_path / "tanu.bak"
    make_backup(target)
    before = canonical()

    with pytest.raises(CommandError) as refused:
        restore(target)

    message = str(refused.value)
    assert "Refused" in message and "empty database" in message
    assert "Nothing was changed" in message and "cases.Case: 1" in message
    assert canonical() == before


def test_a_tampered_backup_is_refused(personas: Personas, tmp_path: Path) -> None:
    demo_data(personas)
    target = tmp_path / "tanu.bak"
    make_backup(target)
    good = target.read_bytes()
    empty_the_installation()

    for position in (len(good) // 2, 10, len(good) - 1):  # ciphertext, header, tag
        altered = bytearray(good)
        altered[position] ^= 0x01
        bad = tmp_path / f"bad-{position}.bak"
        bad.write_bytes(bytes(altered))
        with pytest.raises(CommandError, match=r"altered or damaged|not in the keyring"):
            restore(bad)

    assert not Person.objects.exists() and not AuditEntry.objects.exists()
    assert not list(documents.documents_dir().iterdir())


def test_a_backup_whose_data_does_not_match_its_manifest_is_refused(
    personas: Personas, tmp_path: Path
) -> None:
    demo_data(personas)
    target = tmp_path / "tanu.bak"
    make_backup(target)
    # Re-seal an archive whose data.json was changed after its manifest was written.
    plain = backup._unseal(target.read_bytes())
    rebuilt = io.BytesIO()
    with (
        tarfile.open(fileobj=io.BytesIO(plain), mode="r:gz") as source,
        tarfile.open(fileobj=rebuilt, mode="w:gz") as copy,
    ):
        for member in source:
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "data.json":
                data = data.replace("Канарьева".encode(), "Иванова".encode())
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    forged = tmp_path / "forged.bak"
    backup._seal(rebuilt.getvalue(), forged)
    empty_the_installation()

    with pytest.raises(CommandError, match="does not match its manifest"):
        restore(forged)
    assert not Person.objects.exists()


def test_a_backup_under_a_dedicated_backup_key_needs_that_key(
    personas: Personas, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_data(personas)
    monkeypatch.setenv(backup.ENV_BACKUP_KEY, crypto.generate_key())
    target = tmp_path / "tanu.bak"
    make_backup(target)
    right_key = backup.os.environ[backup.ENV_BACKUP_KEY]
    empty_the_installation()

    monkeypatch.delenv(backup.ENV_BACKUP_KEY)
    with pytest.raises(CommandError, match="set TANU_BACKUP_KEY to that key"):
        restore(target)
    monkeypatch.setenv(backup.ENV_BACKUP_KEY, crypto.generate_key())
    with pytest.raises(CommandError, match="another TANU_BACKUP_KEY"):
        restore(target)
    monkeypatch.setenv(backup.ENV_BACKUP_KEY, right_key)
    assert "audit chain intact" in restore(target)
    assert Person.objects.count() == 1


def test_a_backup_never_overwrites_an_existing_file(personas: Personas, tmp_path: Path) -> None:
    target = tmp_path / "tanu.bak"
    target.write_bytes(b"an older backup")
    with pytest.raises(CommandError, match="exists already"):
        make_backup(target)
    assert target.read_bytes() == b"an older backup"
