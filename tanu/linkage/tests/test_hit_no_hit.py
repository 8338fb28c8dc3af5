"""Across agencies tanu answers hit / no-hit: the reader of a case learns that a likely match is
held elsewhere, in which region and how strong, and nothing of the other agency, its person or
its case, on the case page and on the matches page alike."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import Action, AuditEntry, ObjectType
from tanu.cases.models import Case, Person
from tanu.cases.tests.helpers import open_case
from tanu.linkage.models import MatchPair
from tanu.linkage.tests.helpers import (
    ELSEWHERE_CASE_ID,
    ELSEWHERE_NUMBER,
    ELSEWHERE_PERSON_ID,
    held_elsewhere,
    pair_of,
    signed_in,
)

pytestmark = pytest.mark.django_db

#: What a page shown to the Almaty police must never hold of the Aktau record.
SECRETS = (
    "Әйгерім",
    "Сәрсенбаева",
    "1999",
    "N98765432",
    ELSEWHERE_NUMBER,
    str(ELSEWHERE_PERSON_ID),
    str(ELSEWHERE_CASE_ID),
    "Aktau police",
)


@pytest.fixture
def scene(personas: Personas) -> tuple[Case, Case, MatchPair]:
    ours = open_case(personas.screener)
    theirs = held_elsewhere(personas.outsider)
    return ours, theirs, pair_of(ours, theirs, probability=0.997)


def test_the_case_page_says_a_match_exists_elsewhere_with_its_region_and_strength_only(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    ours, _theirs, _pair = scene
    client = signed_in("screener")

    page = client.get(f"/cases/{ours.pk}/").content.decode()
    matches = client.get(f"/linkage/cases/{ours.pk}/matches/").content.decode()

    assert "A possible match exists elsewhere: Mangystau Region, strong" in page
    assert f"/linkage/cases/{ours.pk}/matches/" in page
    assert "Mangystau Region" in matches and "strong" in matches
    for html in (page, matches):
        leaked = [secret for secret in SECRETS if secret in html]
        assert leaked == []


def test_the_other_agency_learns_as_little_about_our_record(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    ours, theirs, _pair = scene
    client = signed_in("outsider")

    page = client.get(f"/cases/{theirs.pk}/").content.decode()
    matches = client.get(f"/linkage/cases/{theirs.pk}/matches/").content.decode()

    assert "A possible match exists elsewhere: Almaty, strong" in page
    for html in (page, matches):
        for secret in ("Канарьева", "Жанар", "N12345678", ours.number, "Almaty administrative"):
            assert secret not in html
        assert f"/cases/{ours.pk}/" not in html


def test_a_weaker_match_is_called_likely(personas: Personas) -> None:
    ours = open_case(personas.screener)
    pair_of(ours, held_elsewhere(personas.outsider), probability=0.93)
    page = signed_in("screener").get(f"/cases/{ours.pk}/").content.decode()
    assert "A possible match exists elsewhere: Mangystau Region, likely" in page


@pytest.mark.parametrize("status", [MatchPair.Status.DIFFERENT, None])
def test_no_open_match_elsewhere_says_nothing(personas: Personas, status: str | None) -> None:
    ours = open_case(personas.screener)
    theirs = held_elsewhere(personas.outsider)
    if status is not None:
        pair_of(ours, theirs, status=status)
    client = signed_in("screener")
    assert "possible match" not in client.get(f"/cases/{ours.pk}/").content.decode()
    matches = client.get(f"/linkage/cases/{ours.pk}/matches/").content.decode()
    assert "No possible match held elsewhere." in matches


def test_a_match_within_one_agency_is_a_duplicate_to_review_not_a_match_elsewhere(
    personas: Personas,
) -> None:
    first, second = open_case(personas.screener), open_case(personas.colleague)
    pair = pair_of(first, second)
    page = signed_in("screener").get(f"/cases/{first.pk}/").content.decode()
    assert "exists elsewhere" not in page
    assert f"/linkage/pairs/{pair.pk}/" in page


def test_the_matches_page_answers_404_to_who_cannot_read_the_case_and_audits_each_read(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    ours, _theirs, _pair = scene
    for username in ("caseworker", "outsider", "outsider_coordinator", "analyst", "admin"):
        assert signed_in(username).get(f"/linkage/cases/{ours.pk}/matches/").status_code == 404
    for username in ("screener", "coordinator"):
        assert signed_in(username).get(f"/linkage/cases/{ours.pk}/matches/").status_code == 200
    reads = AuditEntry.objects.filter(
        action=Action.READ, object_type=ObjectType.CASE, fields=["possible_matches"]
    )
    assert reads.count() == 2
    assert set(reads.values_list("object_id", flat=True)) == {str(ours.pk)}


def test_a_reader_of_the_case_page_learns_no_pair_id_they_could_probe(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    _ours, _theirs, pair = scene
    client = signed_in("screener")
    assert client.get(f"/linkage/pairs/{pair.pk}/").status_code == 404  # not a pair to review


def test_no_hit_is_announced_once_the_other_record_is_anonymised(
    personas: Personas, scene: tuple[Case, Case, MatchPair]
) -> None:
    ours, theirs, _pair = scene
    Person.objects.filter(pk=theirs.person_id).update(anonymised_at=timezone.now())

    page = signed_in("screener").get(f"/cases/{ours.pk}/").content.decode()

    assert "A possible match exists elsewhere" not in page
