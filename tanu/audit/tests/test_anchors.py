"""`tanu audit anchor` writes the chain's head outside the database, and `tanu audit verify`
then notices a cut tail, a head moved back, a changed anchored entry and a forged anchor line."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from tanu.accounts.tests.personas import Personas
from tanu.audit.actions import record
from tanu.audit.chain import entry_digest, known_keys
from tanu.audit.models import Action, AuditEntry, AuditHead

pytestmark = pytest.mark.django_db


@pytest.fixture
def anchor_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "anchors" / "audit-anchors.log"
    with override_settings(TANU_AUDIT_ANCHOR_FILE=str(path), TANU_AUDIT_KEY="a test anchor key"):
        yield path


@pytest.fixture
def trail(personas: Personas) -> None:
    for number in range(1, 6):
        record(Action.READ, actor=personas.screener, object_type="person", object_id=number)


def run(*args: str) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def verify_fails() -> str:
    with pytest.raises(CommandError) as caught:
        run("verify")
    assert caught.value.returncode == 1  # what `tanu audit verify` exits with
    return str(caught.value)


def cut_the_tail_after(seq: int) -> None:
    """What an intruder with database access does: delete the newest entries and move the head
    back to the new last entry, recomputing nothing (the chain up to there stays intact)."""
    AuditEntry.objects.filter(seq__gt=seq).delete()
    last = AuditEntry.objects.get(seq=seq)
    AuditHead.objects.filter(id=1).update(seq=seq, last_hash=last.entry_hash)


def test_anchor_appends_one_signed_line_with_sequence_hash_and_time(
    trail: None, anchor_file: Path
) -> None:
    assert "anchored entry 5" in run("anchor")
    record(Action.LOGOUT, actor=None, object_type="user")
    run("anchor")
    lines = anchor_file.read_text().splitlines()
    assert len(lines) == 2
    version, seq, entry_hash, at, mac = lines[1].split(" ")
    assert (version, seq) == ("v1", "6")
    assert entry_hash == AuditEntry.objects.get(seq=6).entry_hash
    assert at.startswith("20") and len(mac) == 64


def test_an_intact_trail_verifies_against_its_anchor(trail: None, anchor_file: Path) -> None:
    run("anchor")
    record(Action.LOGOUT, actor=None, object_type="user")  # entries after the anchor are fine
    out = run("verify")
    assert "intact: 6 entries" in out
    assert "the newest covers entry 5" in out


def test_without_an_anchor_file_verify_checks_the_chain_and_says_so(
    trail: None, anchor_file: Path
) -> None:
    out = run("verify")
    assert "intact: 5 entries" in out
    assert "no anchor found" in out


def test_cutting_the_tail_and_moving_the_head_back_passes_without_an_anchor(
    trail: None, anchor_file: Path
) -> None:
    """The gap that anchors close: without one, a consistent cut goes unnoticed."""
    cut_the_tail_after(3)
    assert "intact: 3 entries" in run("verify")


def test_cutting_anchored_entries_and_moving_the_head_back_fails_verification(
    trail: None, anchor_file: Path
) -> None:
    run("anchor")
    cut_the_tail_after(3)
    message = verify_fails()
    assert "broken at entry 4" in message
    assert "covered by an anchor, are missing" in message


def test_rewriting_an_anchored_entry_with_the_chain_key_still_fails_verification(
    trail: None, anchor_file: Path
) -> None:
    """Someone who knows the chain key re-hashes entry 5 consistently; the anchor still sees it."""
    run("anchor")
    entry = AuditEntry.objects.get(seq=5)
    head = AuditHead.objects.get(id=1)
    forged = entry_digest(
        key=known_keys()[head.key_id],
        seq=5,
        at=entry.at,
        actor_id=entry.actor_id,
        actor_username=entry.actor_username,
        action=entry.action,
        object_type=entry.object_type,
        object_id="99",
        fields=list(entry.fields),
        reason_digest=entry.reason_digest,
        region_id=entry.region_id,
        address=entry.address,
        flagged=entry.flagged,
        prev_hash=entry.prev_hash,
    )
    AuditEntry.objects.filter(seq=5).update(object_id="99", entry_hash=forged)
    AuditHead.objects.filter(id=1).update(last_hash=forged)
    message = verify_fails()
    assert "entry 5 differs from the anchored one" in message


def test_a_tampered_anchor_line_fails_verification(trail: None, anchor_file: Path) -> None:
    run("anchor")
    cut_the_tail_after(3)
    # The intruder rewrites the anchor to the new head, but cannot compute its HMAC.
    version, _, _, at, mac = anchor_file.read_text().split(" ")
    head = AuditHead.objects.get(id=1)
    anchor_file.write_text(f"{version} 3 {head.last_hash} {at} {mac}")
    message = verify_fails()
    assert "anchor line 1 is not authentic" in message


def test_an_anchor_written_under_another_key_is_not_trusted(trail: None, anchor_file: Path) -> None:
    run("anchor")
    with override_settings(TANU_AUDIT_KEY="another key"):
        assert "not authentic" in verify_fails()


@override_settings(DEBUG=False, DEMO=False, TESTING=False, TANU_AUDIT_KEY="")
def test_anchor_refuses_without_an_audit_key_in_production(tmp_path: Path) -> None:
    target = tmp_path / "anchors.log"
    with (
        override_settings(TANU_AUDIT_ANCHOR_FILE=str(target)),
        pytest.raises(CommandError, match="TANU_AUDIT_KEY is not set"),
    ):
        run("anchor")
    assert not target.exists()


def test_the_anchor_file_is_readable_by_its_owner_only(trail: None, anchor_file: Path) -> None:
    run("anchor")
    assert anchor_file.stat().st_mode & 0o777 == 0o600
    assert anchor_file.parent.stat().st_mode & 0o777 == 0o700


def test_check_deploy_reports_a_missing_audit_key() -> None:
    from tanu.audit.checks import audit_key_is_set

    with override_settings(TANU_AUDIT_KEY=""):
        assert [m.id for m in audit_key_is_set(None)] == ["tanu.E020"]
    with override_settings(TANU_AUDIT_KEY="set"):
        assert audit_key_is_set(None) == []


def test_anchor_refuses_to_vouch_for_entries_changed_since_the_last_anchor(
    trail: None, anchor_file: Path, personas: Personas
) -> None:
    run("anchor")
    record(Action.READ, actor=personas.screener, object_type="person", object_id=6)
    record(Action.READ, actor=personas.screener, object_type="person", object_id=7)
    AuditEntry.objects.filter(seq=6).update(object_id="66")
    with pytest.raises(CommandError, match="broken at entry 6"):
        run("anchor")
    assert len(anchor_file.read_text().splitlines()) == 1


def test_anchor_refuses_to_append_to_a_tampered_anchor_file(trail: None, anchor_file: Path) -> None:
    run("anchor")
    anchor_file.write_text(anchor_file.read_text().replace(" 5 ", " 4 "))
    with pytest.raises(CommandError, match="not authentic"):
        run("anchor")
