"""The audit chain has its own key, TANU_AUDIT_KEY: a new TANU_SECRET_KEY does not break it,
`tanu keys rotate-audit` hands it over to a new key with a key-change entry, older entries
verify with retired keys, and chains written under the old SECRET_KEY-derived key still verify
after the upgrade."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from tanu.audit.actions import record, verify_chain
from tanu.audit.chain import LEGACY_KEY_ID, derive_key, entry_digest, key_id_of
from tanu.audit.checks import audit_key_is_set
from tanu.audit.models import Action, AuditEntry, AuditHead, ObjectType

pytestmark = pytest.mark.django_db

PRODUCTION = {"DEBUG": False, "DEMO": False, "TESTING": False}


def write(count: int) -> None:
    for number in range(count):
        record(Action.READ, actor=None, object_type=ObjectType.PERSON, object_id=number)


def rotate_audit() -> str:
    out = StringIO()
    call_command("keys", "rotate-audit", stdout=out)
    return out.getvalue()


def test_a_new_secret_key_does_not_break_the_audit_chain() -> None:
    with override_settings(TANU_AUDIT_KEY="audit key A"):
        write(3)
    with override_settings(TANU_AUDIT_KEY="audit key A", SECRET_KEY="a brand new secret key"):
        assert verify_chain() is None
        assert AuditHead.objects.get().key_id == key_id_of(derive_key("audit key A"))


def test_without_an_audit_key_a_production_installation_refuses_to_write_the_trail() -> None:
    with override_settings(TANU_AUDIT_KEY="", **PRODUCTION):
        with pytest.raises(ImproperlyConfigured, match="TANU_AUDIT_KEY is not set"):
            write(1)
        assert [error.id for error in audit_key_is_set(None)] == ["tanu.E020"]
    assert not AuditEntry.objects.exists()


def test_rotating_the_audit_key_keeps_the_older_entries_verifiable() -> None:
    with override_settings(TANU_AUDIT_KEY="audit key A", **PRODUCTION):
        write(3)
    rotated = {"TANU_AUDIT_KEY": "audit key B", "TANU_AUDIT_RETIRED_KEYS": ["audit key A"]}
    with override_settings(**rotated, **PRODUCTION):
        write(1)  # restarted with the new key, before the handover: still under key A
        assert "now under audit key" in rotate_audit()
        write(2)
        assert verify_chain() is None

    change = AuditEntry.objects.get(seq=5)
    assert (change.action, change.object_type) == (Action.KEY_CHANGE, ObjectType.AUDIT_KEY)
    assert change.object_id == key_id_of(derive_key("audit key B"))
    assert AuditHead.objects.get().key_id == change.object_id
    # Without the retired key the older entries no longer verify, and the message says why.
    with override_settings(TANU_AUDIT_KEY="audit key B", **PRODUCTION):
        problem = verify_chain()
    assert problem is not None and problem.seq == 1 and "not configured" in problem.message


def test_after_a_rotation_the_retired_key_cannot_forge_newer_entries() -> None:
    with override_settings(TANU_AUDIT_KEY="audit key A", **PRODUCTION):
        write(2)
    rotated = {"TANU_AUDIT_KEY": "audit key B", "TANU_AUDIT_RETIRED_KEYS": ["audit key A"]}
    with override_settings(**rotated, **PRODUCTION):
        rotate_audit()
        write(2)
        entry = AuditEntry.objects.get(seq=5)
        # Someone who kept the old key rewrites an entry written after the handover.
        forged = entry_digest(
            key=derive_key("audit key A"),
            seq=5,
            at=entry.at,
            actor_id=entry.actor_id,
            actor_username=entry.actor_username,
            action=entry.action,
            object_type=entry.object_type,
            object_id="42",
            fields=list(entry.fields),
            reason_digest=entry.reason_digest,
            region_id=entry.region_id,
            address=entry.address,
            flagged=entry.flagged,
            prev_hash=entry.prev_hash,
        )
        AuditEntry.objects.filter(seq=5).update(object_id="42", entry_hash=forged)
        AuditHead.objects.filter(id=1).update(last_hash=forged)
        problem = verify_chain()
    assert problem is not None and problem.seq == 5


def test_rotate_audit_is_refused_without_the_key_in_force() -> None:
    with override_settings(TANU_AUDIT_KEY="audit key A", **PRODUCTION):
        write(2)
    with override_settings(TANU_AUDIT_KEY="audit key B", **PRODUCTION):
        with pytest.raises(CommandError, match="TANU_AUDIT_RETIRED_KEYS"):
            rotate_audit()
        with pytest.raises(ImproperlyConfigured, match="neither TANU_AUDIT_KEY"):
            write(1)
    assert AuditEntry.objects.count() == 2


def test_rotate_audit_is_refused_when_the_chain_is_already_under_the_key() -> None:
    with override_settings(TANU_AUDIT_KEY="audit key A", **PRODUCTION):
        write(1)
        with pytest.raises(CommandError, match="already under TANU_AUDIT_KEY"):
            rotate_audit()


def test_a_chain_written_under_the_old_secret_key_still_verifies_after_the_upgrade(
    tmp_path: Path,
) -> None:
    old_secret = settings.SECRET_KEY
    # Before the upgrade the chain was keyed by SECRET_KEY, and the head named no key.
    with override_settings(TANU_AUDIT_KEY=old_secret, **PRODUCTION):
        write(3)
    AuditHead.objects.filter(id=1).update(key_id=LEGACY_KEY_ID)

    with override_settings(TANU_AUDIT_KEY="the new audit key", **PRODUCTION):
        assert verify_chain() is None
        write(2)  # the first write hands the chain over to TANU_AUDIT_KEY
        assert verify_chain() is None
    change = AuditEntry.objects.get(seq=4)
    assert change.action == Action.KEY_CHANGE
    assert change.object_id == key_id_of(derive_key("the new audit key"))
    assert AuditEntry.objects.count() == 6  # three old entries, the handover, two new ones

    # A new TANU_SECRET_KEY later: the old one is kept for verification only.
    with override_settings(
        TANU_AUDIT_KEY="the new audit key",
        TANU_AUDIT_RETIRED_KEYS=[old_secret],
        SECRET_KEY="a new secret key",
        TANU_AUDIT_ANCHOR_FILE=str(tmp_path / "audit-anchors.log"),
        **PRODUCTION,
    ):
        assert verify_chain() is None
        out = StringIO()
        call_command("audit", "verify", stdout=out)
        assert "audit chain intact: 6 entries" in out.getvalue()
