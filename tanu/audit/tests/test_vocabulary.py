"""The audit trail's vocabulary: object types and actions are one enum each, the values stored
(and hashed into the chain) are the ones entries always had, and every read goes through one
helper."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.test import override_settings

from tanu.accounts.tests.personas import Personas
from tanu.audit.actions import record, record_read, verify_chain
from tanu.audit.chain import entry_digest
from tanu.audit.models import Action, Alert, AuditEntry, ObjectType
from tanu.cases.tests.helpers import open_case

TANU = Path(__file__).resolve().parents[2]
# The functions that take an object type (and, for the first two, an action).
RECORDERS = {"record", "_audit", "record_read", "raise_denied", "clear_reasons_for"}
MODULES = {"actions", "audit"}  # as in actions.record_read(...) (not names.record(...))


def _source_files() -> list[Path]:
    return [
        path
        for path in TANU.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


def _recorder_calls() -> list[tuple[str, int, str, ast.Call]]:
    calls = []
    for path in _source_files():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name):
                name = func.id
            elif isinstance(func, ast.Attribute) and getattr(func.value, "id", "") in MODULES:
                name = func.attr
            else:
                continue
            if name in RECORDERS:
                calls.append((str(path.relative_to(TANU.parent)), node.lineno, name, node))
    return calls


def _object_type_argument(name: str, call: ast.Call) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == "object_type":
            return keyword.value
    if name in {"record_read", "raise_denied", "clear_reasons_for"} and call.args:
        return call.args[0]
    return None


def test_the_code_records_object_types_and_actions_only_as_members_of_the_vocabulary() -> None:
    calls = _recorder_calls()
    assert len(calls) > 100, "the scan no longer finds the calls that write the trail"
    literals = []
    for where, line, name, call in calls:
        arguments = [_object_type_argument(name, call)]
        if name in {"record", "_audit"} and call.args:
            arguments.append(call.args[0])
        for argument in arguments:
            for node in ast.walk(argument) if argument is not None else ():
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    literals.append(f"{where}:{line} {name}({node.value!r})")
    assert literals == []


def test_every_read_is_written_through_the_one_helper() -> None:
    direct = [
        f"{where}:{line}"
        for where, line, name, call in _recorder_calls()
        if name in {"record", "_audit"}
        and call.args
        and isinstance(call.args[0], ast.Attribute)
        and call.args[0].attr == "READ"
    ]
    # The one call left is the helper's own.
    assert len(direct) == 1, direct
    assert direct[0].startswith("tanu/audit/actions.py:")


def test_recording_a_string_outside_the_vocabulary_is_refused(personas: Personas) -> None:
    with pytest.raises(ValueError, match="ObjectType"):
        record(Action.READ, actor=personas.screener, object_type="weather")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Action"):
        record("peek", actor=personas.screener, object_type=ObjectType.PERSON)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ObjectType"):
        record_read("Person", 1, actor=personas.screener)  # type: ignore[arg-type]
    assert not AuditEntry.objects.exists()


def test_the_stored_values_are_the_strings_the_chain_always_hashed(personas: Personas) -> None:
    entry = record_read(ObjectType.SEMINAR_PARTICIPANTS, 4, actor=personas.trainer)
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.action, stored.object_type) == ("read", "seminar_participants")
    assert type(stored.object_type) is str
    # The digest over the plain strings, as entries written before the vocabulary were hashed.
    assert stored.entry_hash == entry_digest(
        seq=stored.seq,
        at=stored.at,
        actor_id=personas.trainer.pk,
        actor_username="trainer",
        action="read",
        object_type="seminar_participants",
        object_id="4",
        fields=[],
        reason_digest="",
        region_id=None,
        address=None,
        flagged=False,
        prev_hash=stored.prev_hash,
    )


def test_no_two_members_share_a_value_and_values_fit_the_column() -> None:
    values = [member.value for member in ObjectType]
    assert len(values) == len(set(values))
    assert (
        max(len(value) for value in values) <= AuditEntry._meta.get_field("object_type").max_length
    )  # type: ignore[operator]
    assert all(value.islower() and " " not in value for value in values)


def test_a_read_through_the_one_helper_is_chained_and_verifies(personas: Personas) -> None:
    case = open_case(personas.screener)
    before = AuditEntry.objects.latest("seq")
    entry = record_read(
        ObjectType.PERSON,
        case.person_id,
        actor=personas.screener,
        fields=["name", "birth_date", "name"],
    )
    assert entry.action == Action.READ
    assert entry.object_type == ObjectType.PERSON
    assert entry.object_id == str(case.person_id)
    assert entry.fields == ["birth_date", "name"]
    assert entry.region_id == case.region_id
    assert entry.seq == before.seq + 1
    assert entry.prev_hash == before.entry_hash
    assert verify_chain() is None
    AuditEntry.objects.filter(pk=entry.pk).update(object_type=ObjectType.CASE)
    problem = verify_chain()
    assert problem is not None and problem.seq == entry.seq


@override_settings(TANU_ALERT_PERSON_RECORDS=3, TANU_ALERT_WINDOW_MINUTES=10)
def test_person_reads_through_the_one_helper_raise_the_unusual_access_alert(
    personas: Personas,
) -> None:
    for person_id in range(1, 5):
        record_read(ObjectType.CASE, person_id, actor=personas.screener)
    assert not Alert.objects.exists()
    for person_id in range(1, 5):
        record_read(ObjectType.PERSON, person_id, actor=personas.screener)
    alert = Alert.objects.get()
    assert alert.kind == Alert.Kind.UNUSUAL_PERSON_ACCESS
    assert alert.entry_count == 4
    assert alert.entry == AuditEntry.objects.latest("seq")
