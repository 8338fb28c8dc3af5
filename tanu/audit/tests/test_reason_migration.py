"""Upgrading keeps the trail verifiable: entries written under the old formula (reason hashed as
text, kept in clear) are checked, re-hashed over the reason's digest and the object's region, and
their reasons encrypted; afterwards `tanu audit verify` passes, also once a reason is cleared."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from tanu.audit.actions import clear_reasons_for, record, verify_chain
from tanu.audit.models import Action, AuditEntry
from tanu.cases.tests.helpers import open_case

BEFORE = [("audit", "0002_alerts_for_unusual_access")]
REASON = "Айгерим Б. asked to be taken to the shelter"


def _old_hash(payload: dict[str, object]) -> str:
    key = hashlib.sha256(b"tanu-audit-chain:" + settings.SECRET_KEY.encode()).digest()
    message = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _write_old_trail(case_id: int) -> None:
    """Three entries as the previous version wrote them."""
    prev = "0" * 64
    start = datetime(2026, 3, 1, 9, tzinfo=UTC)
    rows = [
        ("login", "user", "1", ""),
        ("reveal", "case", str(case_id), REASON),
        ("read", "person", "999999", ""),
    ]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
        for seq, (action, object_type, object_id, reason) in enumerate(rows, start=1):
            at = start + timedelta(minutes=seq)
            payload = {
                "seq": seq,
                "at": at.isoformat(timespec="microseconds"),
                "actor": None,
                "actor_username": "screener",
                "action": action,
                "object_type": object_type,
                "object_id": object_id,
                "fields": [],
                "reason": reason,
                "address": None,
                "flagged": False,
                "prev": prev,
            }
            entry_hash = _old_hash(payload)
            cursor.execute(
                "INSERT INTO audit_auditentry (seq, at, actor_id, actor_username, action, "
                "object_type, object_id, fields, reason, address, flagged, prev_hash, entry_hash) "
                "VALUES (%s, %s, NULL, 'screener', %s, %s, %s, '[]', %s, NULL, %s, %s, %s)",
                [seq, at, action, object_type, object_id, reason, False, prev, entry_hash],
            )
            prev = entry_hash
        cursor.execute("DELETE FROM audit_audithead")
        cursor.execute("INSERT INTO audit_audithead (id, seq, last_hash) VALUES (1, 3, %s)", [prev])


@pytest.mark.django_db(transaction=True)
def test_entries_written_before_the_upgrade_verify_after_it(personas: object) -> None:
    # The entries of the old version were keyed by SECRET_KEY (before the chain had its own key).
    with override_settings(TANU_AUDIT_KEY=settings.SECRET_KEY):
        case = open_case(personas.screener)  # type: ignore[attr-defined]
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    _write_old_trail(case.pk)
    executor = MigrationExecutor(connection)
    executor.migrate(leaves)

    assert verify_chain() is None
    reveal = AuditEntry.objects.get(seq=2)
    assert reveal.reason == REASON
    assert reveal.region_id == case.region_id  # the case's region, filled in by the upgrade
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM audit_auditentry WHERE seq = 2")
        assert "Айгерим" not in cursor.fetchone()[0]  # encrypted at rest now

    record(Action.LOGOUT, actor=None, object_type="user")
    clear_reasons_for("case", [case.pk])
    assert AuditEntry.objects.get(seq=2).reason == ""
    assert verify_chain() is None
