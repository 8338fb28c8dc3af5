"""Who reads a criminal proceeding: the investigating agency's investigators, the case's owners
and the region's coordinator. Nobody else, and nobody once the case is anonymised (investigators
keep theirs)."""

from __future__ import annotations

import pytest
from django.http import Http404

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.cases.actions import anonymise_case
from tanu.proceedings import access
from tanu.proceedings.tests.helpers import investigator, referred_case, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(personas: Personas):  # type: ignore[no-untyped-def]
    officer = investigator(personas)
    proceeding = register(referred_case(personas, officer), officer)
    return officer, proceeding


def readers(personas: Personas, proceeding) -> set[str]:  # type: ignore[no-untyped-def]
    everyone = [
        personas.screener,
        personas.colleague,
        personas.caseworker,
        personas.coordinator,
        personas.monitor,
        personas.trainer,
        personas.analyst,
        personas.admin,
        personas.outsider,
        personas.outsider_coordinator,
    ]
    return {
        u.username
        for u in everyone
        if access.visible_proceedings(u).filter(pk=proceeding.pk).exists()
    }


def test_the_case_owners_and_the_regions_coordinator_read_and_nobody_else(
    personas: Personas,
    scene,  # type: ignore[no-untyped-def]
) -> None:
    officer, proceeding = scene
    # The case was opened by the Almaty police screeners: its owners, and the Almaty coordinator.
    assert readers(personas, proceeding) == {"screener", "colleague", "coordinator"}
    assert access.visible_proceedings(officer).filter(pk=proceeding.pk).exists()
    assert not access.visible_proceedings(investigator(personas, "elsewhere")).exists()


def test_only_the_investigating_agencys_investigators_edit(personas: Personas, scene) -> None:  # type: ignore[no-untyped-def]
    officer, proceeding = scene
    assert access.edits(officer, proceeding)
    for user in (personas.screener, personas.coordinator, investigator(personas, "elsewhere")):
        assert not access.edits(user, proceeding)
        with pytest.raises(Http404):
            access.get_editable_proceeding(user, proceeding.pk)


def test_a_read_outside_need_to_know_or_of_no_id_answers_404(personas: Personas, scene) -> None:  # type: ignore[no-untyped-def]
    _officer, proceeding = scene
    with pytest.raises(Http404):
        access.get_proceeding_for_user(personas.analyst, proceeding.pk)
    with pytest.raises(Http404):
        access.get_proceeding_for_user(personas.screener, "not-a-number")


def test_once_the_case_is_anonymised_only_the_investigators_keep_the_proceeding(
    personas: Personas,
    scene,  # type: ignore[no-untyped-def]
) -> None:
    officer, proceeding = scene
    anonymise_case(proceeding.case, actor=None, actor_username="retention", reason="test")
    assert readers(personas, proceeding) == set()
    assert access.visible_proceedings(officer).filter(pk=proceeding.pk).exists()
    assert AuditEntry.objects.filter(object_type="person", action="delete").exists()


def test_an_investigator_finds_only_cases_referred_to_their_agency(personas: Personas) -> None:
    from tanu.cases.tests.helpers import open_case

    officer = investigator(personas)
    referred = referred_case(personas, officer)
    other = open_case(personas.screener)
    assert list(access.registrable_cases(officer)) == [referred]
    assert access.get_registrable_case(officer, referred.number.lower()) == referred
    with pytest.raises(Http404):
        access.get_registrable_case(officer, other.number)
    assert not access.registrable_cases(personas.screener).exists()
