"""A referral changes its case only through the case's own action: the case row is locked and
read again, its revision goes up and the change is audited. Two officials changing one case at
the same time lose nothing: the later one waits for the lock and applies its change to the
latest version, or, when it sent the revision it read and that is stale, gets a conflict.

The threaded tests need a database with row locks (PostgreSQL); the CI runs them there."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.cases import actions as case_actions
from tanu.cases.models import Case, Person
from tanu.cases.tests.helpers import open_case, signed_in
from tanu.lib.revisions import ConflictError
from tanu.referrals import actions
from tanu.referrals.models import Referral
from tanu.referrals.tests.test_referrals import refer

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two connections waiting on one row lock need PostgreSQL (SQLite locks the file)",
)
# Long enough for the other thread to reach the lock and wait on it.
HOLD_SECONDS = 0.5


def case_audit(case: Case, actor_username: str) -> list[list[str]]:
    return [
        entry.fields
        for entry in AuditEntry.objects.filter(
            object_type="case",
            object_id=str(case.pk),
            action="update",
            actor_username=actor_username,
        ).order_by("seq")
    ]


def in_thread(work: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    """Run ``work`` on its own thread, so on its own database connection."""

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # handed to the test, which fails with it
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_accepting_a_referral_moves_its_case_with_a_new_revision_and_an_audit_entry(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    referral = refer(case, personas)
    case.refresh_from_db()
    assert case.status == Case.Status.REFERRED
    sent_revision = case.revision
    actions.do_change_referral_status(
        referral, actor=personas.caseworker, status=Referral.Status.ACCEPTED
    )
    case.refresh_from_db()
    assert case.status == Case.Status.IN_ASSISTANCE
    assert case.revision == sent_revision + 1
    assert case_audit(case, "caseworker") == [["status"]]


def test_sending_a_referral_marks_the_case_referred_with_a_new_revision_and_an_audit_entry(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    opened_revision = case.revision
    refer(case, personas)
    case.refresh_from_db()
    assert case.status == Case.Status.REFERRED
    assert case.revision == opened_revision + 1
    assert case_audit(case, "screener") == [["status"]]


def test_an_edit_of_the_case_read_before_a_referral_was_accepted_gets_a_conflict(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    referral = refer(case, personas)
    case.refresh_from_db()
    read_revision = case.revision  # the coordinator's page shows the case as referred
    actions.do_change_referral_status(
        referral, actor=personas.caseworker, status=Referral.Status.ACCEPTED
    )
    with pytest.raises(ConflictError):
        case_actions.do_change_case_status(
            case, actor=personas.coordinator, status="open", expected_revision=read_revision
        )
    case.refresh_from_db()
    assert case.status == Case.Status.IN_ASSISTANCE


def test_a_coordinator_whose_case_page_predates_an_accepted_referral_is_told_not_overwritten(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    referral = refer(case, personas)
    case.refresh_from_db()
    page_revision = case.revision  # the status form on the coordinator's page carries it
    actions.do_change_referral_status(
        referral, actor=personas.caseworker, status=Referral.Status.ACCEPTED
    )
    response = signed_in("coordinator").post(
        f"/cases/{case.pk}/status/",
        {"status": "open", "closure_reason": "", "revision": page_revision},
        follow=True,
    )
    assert "Someone else changed this case" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.IN_ASSISTANCE


def test_a_referral_sent_from_a_stale_page_does_not_reopen_a_case_closed_meanwhile(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    stale = Case.objects.get(pk=case.pk)  # the screener's page, read while the case was open
    case_actions.do_change_case_status(
        case,
        actor=personas.coordinator,
        status=Case.Status.CLOSED,
        closure_reason=Case.ClosureReason.values[0],
        expected_revision=case.revision,
    )
    with pytest.raises(actions.ReferralError):
        refer(stale, personas)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert not Referral.objects.filter(case=case).exists()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_referral_accepted_while_the_case_is_edited_waits_and_keeps_both_changes(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    referral = refer(case, personas)
    case.refresh_from_db()
    read_revision = case.revision
    editor_holds_the_lock = threading.Event()
    acceptor_started = threading.Event()
    moments: dict[str, float] = {}
    errors: list[BaseException] = []

    def edit() -> None:
        with transaction.atomic():
            case_actions.do_update_person(
                case,
                actor=personas.screener,
                data={"family_name": "Исправленная"},
                expected_revision=read_revision,
            )
            editor_holds_the_lock.set()
            acceptor_started.wait(10)
            time.sleep(HOLD_SECONDS)  # the acceptor reaches the case's lock and waits on it
            moments["edit committed"] = time.monotonic()

    def accept() -> None:
        editor_holds_the_lock.wait(10)
        acceptor_started.set()
        actions.do_change_referral_status(
            referral, actor=personas.caseworker, status=Referral.Status.ACCEPTED
        )
        moments["acceptance done"] = time.monotonic()

    threads = [in_thread(edit, errors), in_thread(accept, errors)]
    for thread in threads:
        thread.join(30)
    assert errors == []
    # The acceptance waited for the edit's transaction, then applied to the edited case.
    assert moments["acceptance done"] > moments["edit committed"]
    case.refresh_from_db()
    assert case.status == Case.Status.IN_ASSISTANCE
    assert case.revision == read_revision + 2
    assert Person.objects.get(pk=case.person_id).family_name == "Исправленная"
    assert AuditEntry.objects.filter(
        object_type="person", object_id=str(case.person_id), actor_username="screener"
    ).exists()
    assert case_audit(case, "caseworker") == [["status"]]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_case_edit_sent_while_a_referral_is_accepted_waits_and_then_gets_a_conflict(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    referral = refer(case, personas)
    case.refresh_from_db()
    read_revision = case.revision  # the coordinator read the case as referred
    acceptor_holds_the_lock = threading.Event()
    editor_started = threading.Event()
    errors: list[BaseException] = []
    refused: list[ConflictError] = []

    def accept() -> None:
        with transaction.atomic():
            actions.do_change_referral_status(
                referral, actor=personas.caseworker, status=Referral.Status.ACCEPTED
            )
            acceptor_holds_the_lock.set()
            editor_started.wait(10)
            time.sleep(HOLD_SECONDS)  # the editor reaches the case's lock and waits on it

    def edit() -> None:
        acceptor_holds_the_lock.wait(10)
        editor_started.set()
        try:
            case_actions.do_change_case_status(
                case, actor=personas.coordinator, status="open", expected_revision=read_revision
            )
        except ConflictError as exc:
            refused.append(exc)

    threads = [in_thread(accept, errors), in_thread(edit, errors)]
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert len(refused) == 1  # told, not silently overwriting the acceptance
    case.refresh_from_db()
    assert case.status == Case.Status.IN_ASSISTANCE
    assert case.revision == read_revision + 1
    assert case_audit(case, "caseworker") == [["status"]]
    assert case_audit(case, "coordinator") == []
