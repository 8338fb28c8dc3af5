"""`tanu audit verify` notices any edit, deletion or reordering of the trail."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import F
from django.test import override_settings

from tanu.accounts.models import Region
from tanu.accounts.tests.personas import Personas
from tanu.audit.actions import clear_reasons_for, record
from tanu.audit.chain import entry_digest
from tanu.audit.models import Action, AuditEntry, AuditHead, ObjectType

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(personas: Personas) -> list[AuditEntry]:
    """Five entries by different officials, the way the application writes them."""
    return [
        record(Action.LOGIN, actor=personas.screener, object_type="user", object_id=1),
        record(
            Action.READ, actor=personas.screener, object_type="person", object_id=7, fields=["name"]
        ),
        record(
            Action.UPDATE,
            actor=personas.caseworker,
            object_type="case",
            object_id=3,
            fields=["status"],
            reason="accepted the referral",
        ),
        record(Action.LOGIN_FAILED, actor=None, object_type="user"),
        record(
            Action.EXPORT,
            actor=personas.analyst,
            object_type=ObjectType.EXPORT,
            object_id="monthly",
        ),
    ]


def verify() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def broken_at(seq: int) -> CommandError:
    with pytest.raises(CommandError) as caught:
        verify()
    error = caught.value
    assert error.returncode == 1  # what `tanu audit verify` exits with
    assert f"broken at entry {seq}:" in str(error), str(error)
    return error


def test_an_untouched_trail_verifies_as_intact(trail: list[AuditEntry]) -> None:
    assert "intact: 5 entries" in verify()


def test_an_empty_trail_verifies_as_intact(db: None) -> None:
    assert "intact: 0 entries" in verify()


@pytest.mark.parametrize(
    "change",
    [
        {"reason_digest": "0" * 64},
        {"actor_username": "colleague"},
        {"at": F("at") + timedelta(seconds=1)},
        {"fields": ["status", "name"]},
        {"object_id": "4"},
        {"action": Action.READ},
        {"flagged": True},
        {"address": "10.0.0.9"},
    ],
    ids=lambda change: next(iter(change)),
)
def test_editing_any_field_of_an_entry_breaks_the_chain_at_that_entry(
    trail: list[AuditEntry], change: dict[str, object]
) -> None:
    AuditEntry.objects.filter(seq=3).update(**change)
    error = broken_at(3)
    assert "was changed" in str(error)


def test_moving_an_entry_to_another_region_breaks_the_chain(trail: list[AuditEntry]) -> None:
    AuditEntry.objects.filter(seq=3).update(region=Region.objects.get(code="KZ-47"))
    assert "was changed" in str(broken_at(3))


def test_swapping_an_encrypted_reason_for_another_entrys_breaks_the_chain(
    trail: list[AuditEntry],
) -> None:
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT reason FROM {table} WHERE seq = 3")
        token = cursor.fetchone()[0]
        assert token and "accepted" not in token  # stored encrypted
        cursor.execute(f"UPDATE {table} SET reason = %s WHERE seq = 2", [token])
    assert "does not decrypt" in str(broken_at(2))


def test_clearing_the_reasons_of_an_object_keeps_the_chain_intact(
    trail: list[AuditEntry],
) -> None:
    assert clear_reasons_for("case", [3]) == 1
    entry = AuditEntry.objects.get(seq=3)
    assert entry.reason == "" and entry.reason_digest
    assert "intact: 5 entries" in verify()


def test_editing_an_entry_and_recomputing_its_hash_without_the_key_is_noticed(
    trail: list[AuditEntry],
) -> None:
    entry = AuditEntry.objects.get(seq=2)
    # An intruder with database access but without the key rewrites the entry and its hash.
    with override_settings(TANU_AUDIT_KEY="the intruder's guess"):
        forged = entry_digest(
            seq=2,
            at=entry.at,
            actor_id=entry.actor_id,
            actor_username=entry.actor_username,
            action=entry.action,
            object_type=entry.object_type,
            object_id="8",
            fields=list(entry.fields),
            reason_digest=entry.reason_digest,
            region_id=entry.region_id,
            address=entry.address,
            flagged=entry.flagged,
            prev_hash=entry.prev_hash,
        )
    AuditEntry.objects.filter(seq=2).update(object_id="8", entry_hash=forged)
    broken_at(2)


def test_deleting_an_entry_in_the_middle_breaks_the_chain_where_it_was(
    trail: list[AuditEntry],
) -> None:
    AuditEntry.objects.filter(seq=3).delete()
    error = broken_at(3)
    assert "missing" in str(error)


def test_deleting_an_entry_and_renumbering_the_rest_is_still_noticed(
    trail: list[AuditEntry],
) -> None:
    AuditEntry.objects.filter(seq=3).delete()
    for seq in (4, 5):
        AuditEntry.objects.filter(seq=seq).update(seq=seq - 1)
    AuditHead.objects.filter(id=1).update(seq=4)
    error = broken_at(3)
    assert "does not follow entry 2" in str(error)


def test_deleting_the_last_entry_breaks_the_chain_after_the_new_last(
    trail: list[AuditEntry],
) -> None:
    AuditEntry.objects.filter(seq=5).delete()
    error = broken_at(5)
    assert "after 4 were deleted" in str(error)


def test_deleting_the_first_entry_breaks_the_chain_at_the_start(
    trail: list[AuditEntry],
) -> None:
    AuditEntry.objects.filter(seq=1).delete()
    broken_at(1)


def test_swapping_two_entries_breaks_the_chain_at_the_first_of_them(
    trail: list[AuditEntry],
) -> None:
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        # seq is unique: move one entry aside first.
        cursor.execute(f"UPDATE {table} SET seq = %s WHERE seq = %s", [1000, 2])
        cursor.execute(f"UPDATE {table} SET seq = %s WHERE seq = %s", [2, 3])
        cursor.execute(f"UPDATE {table} SET seq = %s WHERE seq = %s", [3, 1000])
    error = broken_at(2)
    assert "does not follow entry 1" in str(error)


def test_a_forged_entry_appended_at_the_end_is_noticed(trail: list[AuditEntry]) -> None:
    last = AuditEntry.objects.get(seq=5)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                seq=6,
                at=last.at,
                action=Action.READ,
                object_type="person",
                object_id="1",
                prev_hash=last.entry_hash,
                entry_hash="f" * 64,
            )
        ]
    )
    AuditHead.objects.filter(id=1).update(seq=6, last_hash="f" * 64)
    broken_at(6)


def test_the_model_refuses_to_edit_or_delete_an_entry(trail: list[AuditEntry]) -> None:
    entry = AuditEntry.objects.get(seq=2)
    entry.reason = "edited"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    assert AuditEntry.objects.get(seq=2).reason == ""
    assert "intact: 5 entries" in verify()


def test_writing_after_a_verified_trail_keeps_it_intact(trail: list[AuditEntry]) -> None:
    verify()
    record(Action.LOGOUT, actor=None, object_type="user")
    assert "intact: 6 entries" in verify()
