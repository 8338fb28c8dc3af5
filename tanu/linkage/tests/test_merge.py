"""Within one agency: likely duplicates wait in a review queue; merging is a decision with a
reason, audited, keeps both histories and can be undone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import Action, AuditEntry, ObjectType
from tanu.cases.actions import anonymise_case
from tanu.cases.models import Case
from tanu.cases.retention import expired_cases
from tanu.linkage import actions
from tanu.linkage.models import MatchPair, PersonMerge
from tanu.linkage.tests.helpers import pair_of, signed_in, two_cases_of_one_agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(personas: Personas) -> tuple[Case, Case, MatchPair]:
    older, newer = two_cases_of_one_agency(personas.screener, personas.colleague)
    return older, newer, pair_of(older, newer)


def _entries(object_type: ObjectType, action: Action) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type=object_type, action=action))


def test_a_pair_of_one_agency_waits_in_the_queue_of_its_officials_and_coordinator(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    _older, _newer, pair = scene
    for username in ("screener", "colleague", "coordinator"):
        page = signed_in(username).get("/linkage/")
        assert page.status_code == 200
        assert f"/linkage/pairs/{pair.pk}/" in page.content.decode(), username
    for username in ("caseworker", "outsider", "outsider_coordinator"):
        page = signed_in(username).get("/linkage/")
        assert f"/linkage/pairs/{pair.pk}/" not in page.content.decode(), username
    for username in ("analyst", "trainer", "admin"):
        assert signed_in(username).get("/linkage/").status_code == 404


def test_the_pair_page_masks_personal_values_until_both_are_revealed_with_a_reason(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    older, newer, pair = scene
    client = signed_in("colleague")
    masked = client.get(f"/linkage/pairs/{pair.pk}/").content.decode()
    assert older.number in masked and newer.number in masked
    assert "Канарьева" not in masked and "Kanarieva" not in masked
    assert "family name, date of birth" in masked  # what agreed, by field

    response = client.post(f"/linkage/pairs/{pair.pk}/reveal/", {"reason": "checking a duplicate"})

    assert response.status_code == 302
    shown = client.get(f"/linkage/pairs/{pair.pk}/").content.decode()
    assert "Канарьева" in shown and "Kanarieva" in shown
    reveals = _entries(ObjectType.PERSON, Action.REVEAL)
    assert {e.object_id for e in reveals} == {str(older.person_id), str(newer.person_id)}
    assert all(e.reason == "checking a duplicate" for e in reveals)
    reads = AuditEntry.objects.filter(object_type=ObjectType.MATCH_PAIR, action=Action.READ)
    assert reads.filter(object_id=str(pair.pk)).count() == 2


def test_a_reveal_without_a_reason_shows_nothing_and_opens_nothing(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    _older, _newer, pair = scene
    client = signed_in("colleague")
    client.post(f"/linkage/pairs/{pair.pk}/reveal/", {"reason": ""}, follow=True)
    assert "Канарьева" not in client.get(f"/linkage/pairs/{pair.pk}/").content.decode()
    assert not _entries(ObjectType.PERSON, Action.REVEAL)


def test_merging_keeps_both_cases_links_them_and_is_audited(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    older, newer, pair = scene
    client = signed_in("colleague")

    response = client.post(
        f"/linkage/pairs/{pair.pk}/merge/", {"merge-reason": "same passport, same family"}
    )

    merge = PersonMerge.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/linkage/merges/{merge.pk}/"
    assert (merge.kept_case, merge.merged_case) == (older, newer)  # the case opened first is kept
    assert merge.reason == "same passport, same family"
    pair.refresh_from_db()
    assert pair.status == MatchPair.Status.MERGED and pair.decided_by == personas.colleague
    assert Case.objects.filter(pk__in=[older.pk, newer.pk]).count() == 2  # nothing deleted
    [created] = _entries(ObjectType.PERSON_MERGE, Action.CREATE)
    assert created.object_id == str(merge.pk) and created.actor_id == personas.colleague.pk
    assert created.reason == "same passport, same family"
    assert _entries(ObjectType.MATCH_PAIR, Action.UPDATE)
    assert f"/linkage/pairs/{pair.pk}/" not in client.get("/linkage/").content.decode()


def test_the_kept_case_shows_the_merged_history_and_the_merged_case_stays_readable(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    older, newer, pair = scene
    merge = actions.do_merge_persons(pair, actor=personas.colleague, reason="same person")
    client = signed_in("screener")

    kept = client.get(f"/cases/{older.pk}/").content.decode()
    merged = client.get(f"/cases/{newer.pk}/")

    assert f"Case {newer.number} was merged into this case" in kept
    assert f"/linkage/pairs/{pair.pk}/" in kept  # the pair's page lists its merges
    assert (
        f"/linkage/merges/{merge.pk}/" in client.get(f"/linkage/pairs/{pair.pk}/").content.decode()
    )
    screening = newer.screenings.get()
    assert f"{newer.number}: {screening.reference}" in kept  # the merged case's timeline
    assert merged.status_code == 200
    assert f"This case was merged into case {older.number}" in merged.content.decode()


def test_unmerging_makes_the_two_cases_separate_again_and_keeps_the_record(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    older, newer, pair = scene
    merge = actions.do_merge_persons(pair, actor=personas.colleague, reason="same person")
    client = signed_in("screener")

    response = client.post(
        f"/linkage/merges/{merge.pk}/undo/", {"unmerge-reason": "different mothers' names"}
    )

    assert response.status_code == 302
    merge.refresh_from_db()
    assert merge.undone_by == personas.screener and merge.undone_at is not None
    assert merge.undo_reason == "different mothers' names"
    pair.refresh_from_db()
    assert pair.status == MatchPair.Status.OPEN  # back in the queue, to decide again
    [undone] = _entries(ObjectType.PERSON_MERGE, Action.UPDATE)
    assert undone.fields == ["undone"] and undone.reason == "different mothers' names"
    kept = client.get(f"/cases/{older.pk}/").content.decode()
    assert "was merged into this case" not in kept
    assert "merge undone" in kept
    assert f"{newer.number}: {newer.screenings.get().reference}" not in kept
    assert "was merged into case" not in client.get(f"/cases/{newer.pk}/").content.decode()
    with pytest.raises(actions.LinkageError, match="already undone"):
        actions.do_unmerge_persons(merge, actor=personas.screener, reason="once more")


def test_a_merge_stays_readable_after_an_unmerge_and_each_read_is_audited(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    older, newer, pair = scene
    merge = actions.do_merge_persons(pair, actor=personas.colleague, reason="same person")
    actions.do_unmerge_persons(merge, actor=personas.colleague, reason="two sisters")

    page = signed_in("coordinator").get(f"/linkage/merges/{merge.pk}/").content.decode()

    assert older.number in page and newer.number in page and "two sisters" in page
    assert "Undo the merge" not in page
    [read] = _entries(ObjectType.PERSON_MERGE, Action.READ)
    assert read.object_id == str(merge.pk) and read.actor_id == personas.coordinator.pk


@pytest.mark.parametrize("status", [MatchPair.Status.MERGED, MatchPair.Status.DIFFERENT])
def test_a_decided_pair_is_not_merged_again(
    personas: Personas, scene: tuple[Case, Case, MatchPair], status: str
) -> None:
    _older, _newer, pair = scene
    MatchPair.objects.filter(pk=pair.pk).update(status=status)
    client = signed_in("colleague")

    page = client.post(
        f"/linkage/pairs/{pair.pk}/merge/", {"merge-reason": "same person"}, follow=True
    ).content.decode()

    assert "This pair was already decided" in page
    assert not PersonMerge.objects.exists()


def test_a_case_already_merged_into_another_is_not_merged_again(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    _older, newer, pair = scene
    actions.do_merge_persons(pair, actor=personas.colleague, reason="same person")
    third = two_cases_of_one_agency(personas.screener, personas.screener)[0]
    other = pair_of(newer, third)

    with pytest.raises(actions.LinkageError, match="already merged into another"):
        actions.do_merge_persons(other, actor=personas.screener, reason="same person")
    assert PersonMerge.objects.count() == 1


def test_merging_needs_a_reason_and_changes_nothing_without_one(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    _older, _newer, pair = scene
    page = signed_in("colleague").post(
        f"/linkage/pairs/{pair.pk}/merge/", {"merge-reason": "  "}, follow=True
    )
    assert page.status_code == 200
    assert not PersonMerge.objects.exists()
    pair.refresh_from_db()
    assert pair.status == MatchPair.Status.OPEN


def test_not_the_same_person_takes_the_pair_out_of_the_queue_audited(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    _older, _newer, pair = scene
    client = signed_in("screener")

    client.post(f"/linkage/pairs/{pair.pk}/different/")

    pair.refresh_from_db()
    assert pair.status == MatchPair.Status.DIFFERENT and pair.decided_by == personas.screener
    assert f"/linkage/pairs/{pair.pk}/" not in client.get("/linkage/").content.decode()
    assert _entries(ObjectType.MATCH_PAIR, Action.UPDATE)[0].fields == ["status"]


def test_outside_the_agency_and_its_coordinator_pairs_and_merges_answer_404(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    _older, _newer, pair = scene
    merge_pair = pair_of(*two_cases_of_one_agency(personas.screener, personas.screener))
    merge = actions.do_merge_persons(merge_pair, actor=personas.screener, reason="same person")
    for username in ("caseworker", "outsider", "outsider_coordinator", "analyst", "admin"):
        client = signed_in(username)
        assert client.get(f"/linkage/pairs/{pair.pk}/").status_code == 404, username
        assert client.get(f"/linkage/merges/{merge.pk}/").status_code == 404, username
        assert client.post(f"/linkage/pairs/{pair.pk}/different/").status_code == 404
        assert (
            client.post(f"/linkage/merges/{merge.pk}/undo/", {"unmerge-reason": "mine now"})
        ).status_code == 404
    pair.refresh_from_db()
    merge.refresh_from_db()
    assert pair.status == MatchPair.Status.OPEN and merge.undone_at is None
    assert signed_in("coordinator").get(f"/linkage/merges/{merge.pk}/").status_code == 200
    denied = AuditEntry.objects.filter(action=Action.DENIED, object_type=ObjectType.MATCH_PAIR)
    assert denied.exists()


def test_retention_keeps_a_merged_case_until_the_other_case_of_the_merge_is_due(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    older, newer, pair = scene
    actions.do_merge_persons(pair, actor=personas.colleague, reason="same person")
    long_ago = timezone.now() - timedelta(days=10 * 365)
    Case.objects.filter(pk=newer.pk).update(status=Case.Status.CLOSED, closed_at=long_ago)

    assert newer not in expired_cases()  # the kept case is still open

    Case.objects.filter(pk=older.pk).update(status=Case.Status.CLOSED, closed_at=long_ago)
    assert set(expired_cases()) == {older, newer}  # together


def test_anonymising_a_merged_case_clears_the_merge_reasons(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    _older, newer, pair = scene
    merge = actions.do_merge_persons(pair, actor=personas.colleague, reason="same passport")
    anonymise_case(newer, actor=None, actor_username="retention", reason="test")
    merge.refresh_from_db()
    assert merge.reason == ""
    entry = AuditEntry.objects.get(object_type=ObjectType.PERSON_MERGE, action=Action.CREATE)
    assert entry.reason == ""


def test_a_pair_with_an_anonymised_record_leaves_the_queue_and_its_page_answers_404(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    _older, newer, pair = scene
    anonymise_case(newer, actor=None, actor_username="retention", reason="test")

    client = signed_in("screener")
    assert f"/linkage/pairs/{pair.pk}/" not in client.get("/linkage/").content.decode()
    assert client.get(f"/linkage/pairs/{pair.pk}/").status_code == 404
    assert client.post(f"/linkage/pairs/{pair.pk}/reveal/", {"reason": "x"}).status_code == 404
