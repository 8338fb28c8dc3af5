"""Alerts on unusual access to person records and on break-the-glass access."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from tanu.accounts.tests.personas import Personas
from tanu.audit.actions import AlertError, do_review_alert, record
from tanu.audit.models import Action, Alert, AuditEntry

pytestmark = pytest.mark.django_db

UNUSUAL = Alert.Kind.UNUSUAL_PERSON_ACCESS
small_threshold = override_settings(TANU_ALERT_PERSON_RECORDS=3, TANU_ALERT_WINDOW_MINUTES=10)


def open_persons(actor: object, ids: range | list[int], action: str = Action.READ) -> None:
    for person_id in ids:
        record(action, actor=actor, object_type="person", object_id=person_id, fields=["name"])


@small_threshold
def test_reading_as_many_persons_as_the_threshold_raises_no_alert(personas: Personas) -> None:
    open_persons(personas.screener, range(1, 4))
    assert not Alert.objects.exists()


@small_threshold
def test_reading_more_persons_than_the_threshold_raises_one_alert(personas: Personas) -> None:
    open_persons(personas.screener, range(1, 5))
    alert = Alert.objects.get()
    assert alert.kind == UNUSUAL
    assert alert.actor == personas.screener
    assert alert.entry_count == 4
    assert alert.window_minutes == 10
    assert alert.entry == AuditEntry.objects.latest("seq")
    assert alert.is_open


@small_threshold
def test_the_alert_is_raised_only_once_per_window(personas: Personas) -> None:
    open_persons(personas.screener, range(1, 20))
    assert Alert.objects.filter(kind=UNUSUAL).count() == 1


@small_threshold
def test_reading_the_same_person_again_and_again_raises_no_alert(personas: Personas) -> None:
    open_persons(personas.screener, [1, 2, 1, 2, 1, 2, 3, 3, 3])
    assert not Alert.objects.exists()


@small_threshold
def test_reveals_and_break_glass_count_as_person_access_too(personas: Personas) -> None:
    open_persons(personas.screener, [1, 2])
    open_persons(personas.screener, [3], action=Action.REVEAL)
    assert not Alert.objects.filter(kind=UNUSUAL).exists()
    open_persons(personas.screener, [4], action=Action.BREAK_GLASS)
    assert Alert.objects.filter(kind=UNUSUAL).count() == 1


@small_threshold
def test_other_objects_and_other_actions_do_not_count(personas: Personas) -> None:
    for n in range(10):
        record(Action.READ, actor=personas.screener, object_type="screening", object_id=n)
        record(Action.UPDATE, actor=personas.screener, object_type="person", object_id=n)
        record(Action.CREATE, actor=personas.screener, object_type="person", object_id=n + 100)
    assert not Alert.objects.exists()


@small_threshold
def test_each_official_is_counted_separately(personas: Personas) -> None:
    open_persons(personas.screener, [1, 2])
    open_persons(personas.colleague, [3, 4])
    open_persons(personas.caseworker, [1, 3])
    assert not Alert.objects.exists()


@small_threshold
def test_reads_older_than_the_window_do_not_count(personas: Personas) -> None:
    open_persons(personas.screener, [1, 2, 3])
    # Move those reads out of the window. (The trail cannot be edited through the model; this
    # stands in for time passing.)
    AuditEntry.objects.update(at=timezone.now() - timedelta(minutes=11))
    open_persons(personas.screener, [4, 5, 6])
    assert not Alert.objects.exists()


@small_threshold
def test_a_new_alert_is_raised_in_a_later_window(personas: Personas) -> None:
    open_persons(personas.screener, range(1, 5))
    earlier = timezone.now() - timedelta(minutes=11)
    AuditEntry.objects.update(at=earlier)
    Alert.objects.update(created_at=earlier)
    open_persons(personas.screener, range(5, 9))
    assert Alert.objects.filter(kind=UNUSUAL).count() == 2


@small_threshold
def test_after_a_review_continued_unusual_access_raises_a_new_alert(personas: Personas) -> None:
    open_persons(personas.screener, range(1, 5))
    do_review_alert(Alert.objects.get(), actor=personas.coordinator, note="Checked.")
    open_persons(personas.screener, range(5, 7))
    assert Alert.objects.filter(kind=UNUSUAL, reviewed_at__isnull=True).count() == 1


def test_the_default_threshold_is_more_than_25_persons_in_10_minutes(personas: Personas) -> None:
    open_persons(personas.screener, range(1, 26))
    assert not Alert.objects.exists()
    open_persons(personas.screener, [26])
    alert = Alert.objects.get()
    assert (alert.entry_count, alert.window_minutes) == (26, 10)


def test_every_break_glass_access_raises_an_alert(personas: Personas) -> None:
    for person_id in (1, 1):
        record(
            Action.BREAK_GLASS,
            actor=personas.colleague,
            object_type="person",
            object_id=person_id,
            reason="Screener on leave; victim at the station now",
        )
    alerts = Alert.objects.filter(kind=Alert.Kind.BREAK_GLASS)
    assert alerts.count() == 2
    assert {a.actor for a in alerts} == {personas.colleague}
    assert {a.entry.object_id for a in alerts if a.entry} == {"1"}


def test_an_alert_is_written_in_the_same_transaction_as_its_entry(personas: Personas) -> None:
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        record(Action.BREAK_GLASS, actor=personas.screener, object_type="person", object_id=1)
        raise RuntimeError("the caller's work failed")
    assert not Alert.objects.exists()
    assert not AuditEntry.objects.exists()


def test_reviewing_an_alert_closes_it_and_is_audited(personas: Personas) -> None:
    record(Action.BREAK_GLASS, actor=personas.screener, object_type="person", object_id=1)
    alert = Alert.objects.get()
    reviewed = do_review_alert(
        alert, actor=personas.coordinator, note="  Confirmed with the unit head.  "
    )
    assert not reviewed.is_open
    assert reviewed.reviewed_by == personas.coordinator
    assert reviewed.review_note == "Confirmed with the unit head."
    entry = AuditEntry.objects.latest("seq")
    assert (entry.action, entry.object_type, entry.object_id) == ("update", "alert", str(alert.pk))
    assert entry.actor == personas.coordinator
    assert "Confirmed" not in entry.reason  # the note stays on the alert, not in the trail


def test_an_alert_cannot_be_reviewed_twice(personas: Personas) -> None:
    record(Action.BREAK_GLASS, actor=personas.screener, object_type="person", object_id=1)
    alert = Alert.objects.get()
    do_review_alert(alert, actor=personas.coordinator, note="Checked.")
    with pytest.raises(AlertError):
        do_review_alert(alert, actor=personas.admin, note="Checked again.")
    alert.refresh_from_db()
    assert alert.reviewed_by == personas.coordinator


def test_nobody_reviews_an_alert_about_their_own_access(personas: Personas) -> None:
    record(Action.BREAK_GLASS, actor=personas.coordinator, object_type="person", object_id=1)
    alert = Alert.objects.get()
    with pytest.raises(AlertError):
        do_review_alert(alert, actor=personas.coordinator, note="All fine.")
    alert.refresh_from_db()
    assert alert.is_open
